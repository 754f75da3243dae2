package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.component.kafka.KafkaConstants;
import org.junit.jupiter.api.Test;

/** The record headers of the binary mode: names, order and UTF-8 values, in the small map records use. */
class KafkaBinaryModeTest {

    @Test
    void bindingHeadersInOrderWithUtf8Values() {
        CloudEvent ce = new CloudEvent("1.0", "id-\u00e9", "/escaux/sop", "pbx.call.ringing",
                Instant.parse("2026-11-22T09:00:00.5Z"), "SIP/caf\u00e9-1", CloudEvents.JSON, "7", "Integer", "escaux",
                null);
        KafkaBinaryMode.BindingHeaders headers = new KafkaBinaryMode.BindingHeaders();
        KafkaBinaryMode.headers(ce, headers::add);
        assertEquals(List.of(KafkaConstants.KEY, "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
                "ce_subject", "ce_sequence", "ce_sequencetype", "ce_pbxvendor", "content-type"),
                headers.entrySet().stream().map(Map.Entry::getKey).toList());
        assertEquals("SIP/caf\u00e9-1", headers.get(KafkaConstants.KEY), "the key stays a string");
        assertArrayEquals("SIP/caf\u00e9-1".getBytes(StandardCharsets.UTF_8), (byte[]) headers.get("ce_subject"));
        assertArrayEquals("id-\u00e9".getBytes(StandardCharsets.UTF_8), (byte[]) headers.get("ce_id"));
        assertArrayEquals("2026-11-22T09:00:00.500Z".getBytes(StandardCharsets.UTF_8), (byte[]) headers.get("ce_time"));
        assertArrayEquals("application/json".getBytes(StandardCharsets.UTF_8), (byte[]) headers.get("content-type"));
        assertNull(headers.get(KafkaConstants.OVERRIDE_TOPIC));
        assertEquals(11, headers.size());
    }

    @Test
    void bindingHeadersAsAMap() {
        KafkaBinaryMode.BindingHeaders headers = new KafkaBinaryMode.BindingHeaders();
        assertNull(headers.put("a", 1));
        assertNull(headers.put("b", 2));
        assertEquals(1, headers.put("a", 3));
        assertEquals(Map.of("a", 3, "b", 2), headers);
        assertEquals(Map.of("a", 3, "b", 2).hashCode(), headers.hashCode());
        assertEquals(null, headers.remove("absent"));
    }
}
