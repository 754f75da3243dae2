package io.pbxbridge.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallEventJson;
import io.pbxbridge.support.IsoInstant;
import io.pbxbridge.support.Json;

/**
 * A CloudEvent as a Kafka record in the CloudEvents Kafka binding's binary mode: key = subject (the call), headers
 * {@code ce_*} and {@code content-type} and no others, value = the data as JSON. Header values are UTF-8 bytes, as
 * the binding wants them, whatever the platform's charset.
 */
final class KafkaBinaryMode {

    private static final String INTEGER = "Integer";
    private static final byte[] SPEC_VERSION = utf8(CloudEvents.SPEC_VERSION);
    private static final byte[] INTEGER_UTF8 = utf8(INTEGER);
    private static final byte[] CONTENT_TYPE = utf8(CloudEvents.JSON);

    private KafkaBinaryMode() {
    }

    static ProducerRecord<String, byte[]> record(String topic, CloudEvent ce)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        return new ProducerRecord<>(topic, null, ce.subject(), value(ce), headers(ce));
    }

    /** {@code ce_*} + content-type, each name once, in the binding's order. */
    static RecordHeaders headers(CloudEvent ce) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", CloudEvents.SPEC_VERSION.equals(ce.specversion()) ? SPEC_VERSION
                : utf8(ce.specversion()));
        headers.add("ce_id", utf8(ce.id()));
        headers.add("ce_source", utf8(ce.source()));
        headers.add("ce_type", utf8(ce.type()));
        headers.add("ce_time", utf8(IsoInstant.format(ce.time())));
        if (ce.subject() != null) {
            headers.add("ce_subject", utf8(ce.subject()));
        }
        headers.add("ce_sequence", utf8(ce.sequence()));
        headers.add("ce_sequencetype", INTEGER.equals(ce.sequencetype()) ? INTEGER_UTF8 : utf8(ce.sequencetype()));
        if (ce.pbxvendor() != null) {
            headers.add("ce_pbxvendor", utf8(ce.pbxvendor()));
        }
        headers.add("content-type", CONTENT_TYPE);
        return headers;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The data as UTF-8 JSON, straight to bytes with no String in between. */
    static byte[] value(CloudEvent ce) throws com.fasterxml.jackson.core.JsonProcessingException {
        if (ce.data() instanceof CallEvent e) {
            byte[] fast = CallEventJson.bytes(e);
            if (fast != null) {
                return fast;
            }
        }
        return Json.MAPPER.writeValueAsBytes(ce.data());
    }
}
