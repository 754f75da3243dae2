package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The records of the binary mode: key, header names in order, UTF-8 values. */
class KafkaBinaryModeTest {

    @Test
    void bindingHeadersInOrderWithUtf8Values() throws Exception {
        CloudEvent ce = new CloudEvent("1.0", "id-\u00e9", "/escaux/sop", "pbx.call.ringing",
                Instant.parse("2026-11-22T09:00:00.5Z"), "SIP/caf\u00e9-1", CloudEvents.JSON, "7", "Integer", "escaux",
                java.util.Map.of("callId", "SIP/caf\u00e9-1"));
        ProducerRecord<String, byte[]> record = KafkaBinaryMode.record("t", ce);
        assertEquals("SIP/caf\u00e9-1", record.key(), "the key stays a string");
        assertEquals(List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                "ce_sequence", "ce_sequencetype", "ce_pbxvendor", "content-type"),
                Arrays.stream(record.headers().toArray()).map(Header::key).toList());
        assertArrayEquals(utf8("SIP/caf\u00e9-1"), record.headers().lastHeader("ce_subject").value());
        assertArrayEquals(utf8("id-\u00e9"), record.headers().lastHeader("ce_id").value());
        assertArrayEquals(utf8("2026-11-22T09:00:00.500Z"), record.headers().lastHeader("ce_time").value());
        assertArrayEquals(utf8("application/json"), record.headers().lastHeader("content-type").value());
        assertEquals("{\"callId\":\"SIP/caf\u00e9-1\"}", new String(record.value(), StandardCharsets.UTF_8));
    }

    /** With and without the optional subject and pbxvendor: exactly the binding's headers, none empty. */
    @Test
    void optionalAttributesGiveExactlyTheirHeaders() throws Exception {
        for (String subject : java.util.Arrays.asList("SIP/a-1", null)) {
            for (String vendor : java.util.Arrays.asList("escaux", null)) {
                CloudEvent ce = new CloudEvent("1.0", "id-1", "/escaux/sop", "pbx.call.ringing", Instant.EPOCH,
                        subject, CloudEvents.JSON, "1", "Integer", vendor, java.util.Map.of());
                List<String> expected = new java.util.ArrayList<>(List.of("ce_specversion", "ce_id", "ce_source",
                        "ce_type", "ce_time", "ce_subject", "ce_sequence", "ce_sequencetype", "ce_pbxvendor",
                        "content-type"));
                if (subject == null) {
                    expected.remove("ce_subject");
                }
                if (vendor == null) {
                    expected.remove("ce_pbxvendor");
                }
                Header[] headers = KafkaBinaryMode.record("t", ce).headers().toArray();
                assertEquals(expected, Arrays.stream(headers).map(Header::key).toList());
                assertTrue(Arrays.stream(headers).allMatch(h -> h.value() != null && h.value().length > 0));
            }
        }
    }

    /**
     * A call event's structured JSON, written straight to bytes, is Jackson's byte for byte; the Kafka value cut
     * from it is the value written on its own.
     */
    @Test
    void structuredJsonAsJacksonWritesItAndTheValueCutFromIt() throws Exception {
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 2000; i++) {
            java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("data", "\",\"data\":" + i); // a nested key like the envelope's
            details.put("Seq", Integer.toString(i));
            io.pbxbridge.model.CallEvent data = new io.pbxbridge.model.CallEvent("e-" + i, "escaux", "sop",
                    "call.parked", "SIP/" + text(random), null, text(random), null, null, "Parked",
                    Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)), details,
                    "<evParked>" + text(random) + "</evParked>");
            CloudEvent ce = new CloudEvent("1.0", "id-" + text(random), "/escaux/sop", "pbx.call.parked",
                    data.timestamp(), random.nextBoolean() ? null : data.callId(), CloudEvents.JSON,
                    Integer.toString(i), "Integer", random.nextBoolean() ? "escaux" : null, data);
            byte[] structured = CloudEvents.structured(ce);
            assertArrayEquals(io.pbxbridge.support.Json.MAPPER.writeValueAsBytes(ce), structured,
                    () -> new String(structured, StandardCharsets.UTF_8));
            assertArrayEquals(KafkaBinaryMode.value(ce), CloudEvents.data(structured));
            CloudEvent envelope = CloudEvents.envelopeOf(structured);
            assertEquals(new CloudEvent(ce.specversion(), ce.id(), ce.source(), ce.type(), ce.time(), ce.subject(),
                    ce.datacontenttype(), ce.sequence(), ce.sequencetype(), ce.pbxvendor(), null), envelope);
        }
    }

    private static String text(java.util.Random random) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            b.append((char) (random.nextInt(0x7f)));
        }
        return b.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
