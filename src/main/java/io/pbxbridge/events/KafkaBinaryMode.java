package io.pbxbridge.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
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

    /** The record of an event whose structured JSON is at hand: its value is cut from it, not written again. */
    static ProducerRecord<String, byte[]> record(String topic, SinkDelivery.Outbound out)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        byte[] value = out.json() == null ? null : CloudEvents.data(out.json());
        CloudEvent ce = out.event();
        return new ProducerRecord<>(topic, null, ce.subject(), value != null ? value : value(out.whole()),
                headers(ce));
    }

    /** {@code ce_*} + content-type, each name once, in the binding's order. */
    static RecordHeaders headers(CloudEvent ce) {
        // eight always, two optional: sized from the event, one array and no copy
        Header[] h = new Header[8 + (ce.subject() != null ? 1 : 0) + (ce.pbxvendor() != null ? 1 : 0)];
        int n = 0;
        h[n++] = new RecordHeader("ce_specversion", CloudEvents.SPEC_VERSION.equals(ce.specversion()) ? SPEC_VERSION
                : utf8(ce.specversion()));
        h[n++] = new RecordHeader("ce_id", utf8(ce.id()));
        h[n++] = new RecordHeader("ce_source", repeated(ce.source()));
        h[n++] = new RecordHeader("ce_type", repeated(ce.type()));
        h[n++] = new RecordHeader("ce_time", utf8(IsoInstant.format(ce.time())));
        if (ce.subject() != null) {
            h[n++] = new RecordHeader("ce_subject", utf8(ce.subject()));
        }
        h[n++] = new RecordHeader("ce_sequence", utf8(ce.sequence()));
        h[n++] = new RecordHeader("ce_sequencetype", INTEGER.equals(ce.sequencetype()) ? INTEGER_UTF8
                : utf8(ce.sequencetype()));
        if (ce.pbxvendor() != null) {
            h[n++] = new RecordHeader("ce_pbxvendor", repeated(ce.pbxvendor()));
        }
        h[n++] = new RecordHeader("content-type", CONTENT_TYPE);
        return new RecordHeaders(h);
    }

    /** Values that repeat from event to event (a few sources, types, vendors): the latest ones, encoded once. */
    private static final int REPEATED = 8;
    private static final String[] repeatedText = new String[REPEATED];
    private static final byte[][] repeatedBytes = new byte[REPEATED][];
    private static int repeatedNext;

    private static byte[] repeated(String s) {
        if (s == null) {
            return null;
        }
        synchronized (repeatedText) { // uncontended: one dispatcher thread per Kafka sink
            for (int i = 0; i < REPEATED; i++) {
                String t = repeatedText[i];
                if (t == s || (t != null && t.length() == s.length() && t.equals(s))) {
                    return repeatedBytes[i];
                }
            }
            byte[] b = utf8(s);
            repeatedText[repeatedNext] = s;
            repeatedBytes[repeatedNext] = b;
            repeatedNext = (repeatedNext + 1) % REPEATED;
            return b;
        }
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
