package io.pbxbridge.events;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.FaxJob;
import io.pbxbridge.support.IsoInstant;
import io.pbxbridge.support.Json;

/**
 * Puts every event of the normalized stream into its CloudEvents 1.0 envelope: the id the source gave it (or a new
 * one), {@code source} {@code /<vendor>/<server>}, {@code type} {@code pbx.<event type>}, {@code subject} the call or
 * fax job, and the per-subject sequence number. Also renders the two wire forms: structured JSON (files, webhooks,
 * e-mail) and Kafka binary mode ({@code ce_*} headers, value = data).
 */
public class CloudEvents implements Processor {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** Exchange property keeping the envelope while the body holds a wire form. */
    public static final String ORIGINAL = "PbxCloudEvent";

    private volatile CallSequencer sequencer;
    private String sequenceFile = "data/events/state/call-sequence.json";
    private int maxCalls = 100_000;

    /** The envelope of a {@link CallEvent}, {@link FaxJob} or an already wrapped {@link CloudEvent}. */
    public CloudEvent envelope(Object event) {
        if (event instanceof CloudEvent ce) {
            return ce;
        }
        if (event instanceof CallEvent e) {
            String subject = e.callId() != null ? e.callId() : e.legId();
            return new CloudEvent(SPEC_VERSION, e.id() != null ? e.id() : UUID.randomUUID().toString(),
                    source(e.vendor(), e.source()), "pbx." + e.type(),
                    e.timestamp() != null ? e.timestamp() : Instant.now(), subject, JSON, sequence(subject),
                    "Integer", e.vendor(), e);
        }
        if (event instanceof FaxJob f) {
            return new CloudEvent(SPEC_VERSION, f.id() != null ? f.id() : UUID.randomUUID().toString(),
                    source(f.vendor(), "fax"), "pbx." + f.type(), f.timestamp() != null ? f.timestamp() : Instant.now(),
                    f.jobId(), JSON, sequence("fax:" + f.jobId()), "Integer", f.vendor(), f);
        }
        throw new IllegalArgumentException("not a pbx-bridge event: " + (event == null ? "null" : event.getClass()));
    }

    /** As a route step ({@code process}): the same as {@link #wrap}. */
    @Override
    public void process(Exchange exchange) {
        wrap(exchange);
    }

    /** Camel step: replaces the body ({@code CallEvent}/{@code FaxJob}) with its envelope. */
    public void wrap(Exchange exchange) {
        Message in = exchange.getIn();
        in.setBody(envelope(in.getBody()));
    }

    /** Structured mode: the whole envelope as one line of JSON. */
    public static byte[] structured(CloudEvent event) {
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON", e);
        }
    }

    /** Camel step: body = the structured JSON of the envelope in the body. */
    public void toStructured(Exchange exchange) throws Exception {
        exchange.getIn().setBody(structured(exchange.getIn().getMandatoryBody(CloudEvent.class)));
    }

    /**
     * Camel step for Kafka binary mode: key = subject, {@code ce_*} headers, value = the data as JSON. The headers
     * are replaced, not added to: a record carries the CloudEvents attributes, not the source's transport headers.
     */
    public static void toKafkaBinary(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        CloudEvent ce = in.getMandatoryBody(CloudEvent.class);
        exchange.setProperty(ORIGINAL, ce);
        Map<String, Object> headers = exchange.getContext().getCamelContextExtension().getHeadersMapFactory().newMap();
        headers.put(KafkaConstants.KEY, ce.subject());
        headers.put("ce_specversion", ce.specversion());
        headers.put("ce_id", ce.id());
        headers.put("ce_source", ce.source());
        headers.put("ce_type", ce.type());
        headers.put("ce_time", IsoInstant.format(ce.time()));
        if (ce.subject() != null) {
            headers.put("ce_subject", ce.subject());
        }
        headers.put("ce_sequence", ce.sequence());
        headers.put("ce_sequencetype", ce.sequencetype());
        if (ce.pbxvendor() != null) {
            headers.put("ce_pbxvendor", ce.pbxvendor());
        }
        headers.put("content-type", JSON);
        in.setHeaders(headers);
        in.setBody(Json.MAPPER.writeValueAsBytes(ce.data())); // straight to UTF-8 bytes, no String in between
    }

    static String source(String vendor, String server) {
        return "/" + (vendor != null ? vendor : "pbx-bridge") + (server != null && !server.isEmpty() ? "/" + server : "");
    }

    private String sequence(String subject) {
        CallSequencer s = sequencer;
        if (s == null) {
            synchronized (this) {
                if (sequencer == null) {
                    sequencer = new CallSequencer(sequenceFile == null || sequenceFile.isEmpty() ? null
                            : Path.of(sequenceFile), maxCalls, 1000);  // snapshot at most once a second
                }
                s = sequencer;
            }
        }
        return Long.toString(s.next(subject));
    }

    /** Saves the sequence counters as an orderly stop (called at shutdown). */
    public synchronized void close() {
        if (sequencer != null) {
            sequencer.save(true);
        }
    }

    public String getSequenceFile() {
        return sequenceFile;
    }

    public void setSequenceFile(String sequenceFile) {
        this.sequenceFile = sequenceFile;
    }

    public int getMaxCalls() {
        return maxCalls;
    }

    public void setMaxCalls(int maxCalls) {
        this.maxCalls = maxCalls;
    }
}
