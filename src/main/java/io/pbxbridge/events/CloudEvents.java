package io.pbxbridge.events;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import io.pbxbridge.cluster.Leadership;
import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallEventJson;
import io.pbxbridge.model.PbxEvent;
import io.pbxbridge.support.IsoInstant;
import io.pbxbridge.support.Json;

/**
 * Puts every event of the normalized stream into its CloudEvents 1.0 envelope: the id the source gave it (or a new
 * one), {@code source} {@code /<vendor>/<server>}, {@code type} {@code pbx.<event type>}, {@code subject} the call or
 * fax job, and the per-subject sequence number. Also renders the structured JSON form (files, webhooks, e-mail);
 * {@link KafkaBinaryMode} renders the Kafka binary one.
 */
public class CloudEvents implements Processor {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** Exchange property keeping the envelope while the body holds a wire form. */
    public static final String ORIGINAL = "PbxCloudEvent";

    private volatile CallSequencer sequencer;
    /** In a cluster: the counters of each led route's events, in a file of the route's, kept while it runs here. */
    private final Map<String, CallSequencer> routeSequencers = new ConcurrentHashMap<>();
    private volatile Optional<Leadership> leadership;
    private String sequenceFile = "data/events/state/call-sequence.json";
    private int maxCalls = 100_000;

    /** The envelope of a {@link PbxEvent} ({@code CallEvent}, {@code FaxJob}...) or an already wrapped one. */
    public CloudEvent envelope(Object event) {
        return envelope(event, null);
    }

    /**
     * The envelope, numbered by the counters of {@code ledRoute} (a route that runs on one instance of the cluster at
     * a time), or by this instance's own when null.
     */
    private CloudEvent envelope(Object event, String ledRoute) {
        if (event instanceof CloudEvent ce) {
            return ce;
        }
        if (event instanceof PbxEvent e) {
            return new CloudEvent(SPEC_VERSION, e.id() != null ? e.id() : UUID.randomUUID().toString(),
                    source(e.vendor(), e.origin()), "pbx." + e.type(),
                    e.timestamp() != null ? e.timestamp() : Instant.now(), e.subject(), JSON,
                    sequence(ledRoute, e.sequenceKey()), "Integer", e.vendor(), e);
        }
        throw new IllegalArgumentException("not a pbx-bridge event: " + (event == null ? "null" : event.getClass()));
    }

    /** As a route step ({@code process}): the same as {@link #wrap}. */
    @Override
    public void process(Exchange exchange) {
        wrap(exchange);
    }

    /**
     * Camel step: replaces the body ({@code CallEvent}/{@code FaxJob}) with its envelope, or a list of them (a batch
     * a source read at once) with the list of their envelopes, in the same order.
     */
    public void wrap(Exchange exchange) {
        String ledRoute = ledRoute(exchange);
        Message in = exchange.getIn();
        Object body = in.getBody();
        if (body instanceof List<?> batch) {
            List<CloudEvent> wrapped = new ArrayList<>(batch.size());
            for (Object event : batch) {
                wrapped.add(envelope(event, ledRoute));
            }
            in.setBody(wrapped);
        } else {
            in.setBody(envelope(body, ledRoute));
        }
    }

    /**
     * In a cluster, the led route the exchange came from: its events are numbered by counters that move with the route
     * from instance to instance (kept in the shared events.state), so a new leader continues the numbers.
     */
    private String ledRoute(Exchange exchange) {
        Optional<Leadership> l = leadership;
        if (l == null) {
            synchronized (this) {
                if (leadership == null) {
                    leadership = Leadership.of(exchange.getContext());
                    leadership.ifPresent(found -> found.onLeadershipLost(this::release));
                }
                l = leadership;
            }
        }
        if (l.isEmpty()) {
            return null;
        }
        String route = exchange.getFromRouteId();
        return l.get().isLed(route) ? route : null;
    }

    /** Saves and lets go of a led route's counters once this instance stops leading it: the next leader takes them over. */
    void release(String routeId) {
        CallSequencer s = routeSequencers.remove(routeId);
        if (s != null) {
            s.close();
        }
    }

    /** The events in a body: one {@link CloudEvent} or a list of them. */
    @SuppressWarnings("unchecked")
    public static List<CloudEvent> events(Object body) {
        if (body instanceof List<?> batch) {
            return (List<CloudEvent>) batch;
        }
        if (body instanceof CloudEvent ce) {
            return List.of(ce);
        }
        throw new IllegalArgumentException("not a CloudEvent nor a list of them: "
                + (body == null ? "null" : body.getClass().getName()));
    }

    private static final byte[][] ENVELOPE = { CallEventJson.fieldName("specversion"), CallEventJson.fieldName("id"),
        CallEventJson.fieldName("source"), CallEventJson.fieldName("type"), CallEventJson.fieldName("time"),
        CallEventJson.fieldName("subject"), CallEventJson.fieldName("datacontenttype"),
        CallEventJson.fieldName("sequence"), CallEventJson.fieldName("sequencetype"),
        CallEventJson.fieldName("pbxvendor") };
    private static final byte[] DATA = CallEventJson.fieldName("data");

    /**
     * Structured mode: the whole envelope as one line of JSON. A call event's is written straight to bytes (what
     * Jackson writes, byte for byte: tested), else by Jackson.
     */
    public static byte[] structured(CloudEvent event) {
        if (event.data() instanceof CallEvent e) {
            byte[] fast = CallEventJson.enveloped(ENVELOPE, new String[] { event.specversion(), event.id(),
                event.source(), event.type(), event.time() == null ? null : IsoInstant.format(event.time()),
                event.subject(), event.datacontenttype(), event.sequence(), event.sequencetype(), event.pbxvendor() },
                    DATA, e);
            if (fast != null) {
                return fast;
            }
        }
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON", e);
        }
    }

    /**
     * The {@code data} of a structured event's JSON, as bytes (the Kafka binary mode's value): the last field, so
     * its value runs from the first top-level {@code ,"data":} (no string value can hold one unescaped) to the
     * closing brace.
     */
    public static byte[] data(byte[] structured) {
        byte[] key = DATA_KEY;
        outer:
        for (int i = 0, last = structured.length - key.length - 1; i <= last; i++) {
            for (int k = 0; k < key.length; k++) {
                if (structured[i + k] != key[k]) {
                    continue outer;
                }
            }
            return java.util.Arrays.copyOfRange(structured, i + key.length, structured.length - 1);
        }
        return null;
    }

    /**
     * The envelope of a structured event's JSON without its data (which is left unread): what the Kafka binary mode
     * needs of an event read back from a spool, at a fraction of the cost of binding the whole event.
     */
    public static CloudEvent envelopeOf(byte[] structured) throws java.io.IOException {
        String specversion = null, id = null, source = null, type = null, subject = null, datacontenttype = null;
        String sequence = null, sequencetype = null, pbxvendor = null;
        Instant time = null;
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(structured)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new java.io.IOException("not a structured CloudEvent");
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if ("data".equals(name)) {
                    break; // the last field
                }
                p.nextToken();
                String v = p.getValueAsString();
                switch (name) {
                    case "specversion" -> specversion = v;
                    case "id" -> id = v;
                    case "source" -> source = v;
                    case "type" -> type = v;
                    case "time" -> time = v == null ? null : Instant.parse(v);
                    case "subject" -> subject = v;
                    case "datacontenttype" -> datacontenttype = v;
                    case "sequence" -> sequence = v;
                    case "sequencetype" -> sequencetype = v;
                    case "pbxvendor" -> pbxvendor = v;
                    default -> p.skipChildren();
                }
            }
        }
        if (id == null) {
            throw new java.io.IOException("not a structured CloudEvent (no id)");
        }
        return new CloudEvent(specversion, id, source, type, time, subject, datacontenttype, sequence, sequencetype,
                pbxvendor, null);
    }

    private static final byte[] DATA_KEY = ",\"data\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Camel step: body (one event or a list) = their structured JSON, one line each (NDJSON). */
    public void toNdjson(Exchange exchange) throws Exception {
        java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        for (CloudEvent event : events(exchange.getIn().getBody())) {
            Json.MAPPER.writeValue(lines, event); // closing a ByteArrayOutputStream does nothing
            lines.write('\n');
        }
        exchange.getIn().setBody(lines.toByteArray());
    }

    static String source(String vendor, String server) {
        return "/" + (vendor != null ? vendor : "pbx-bridge") + (server != null && !server.isEmpty() ? "/" + server : "");
    }

    private String sequence(String ledRoute, String subject) {
        if (ledRoute != null) {
            return Long.toString(routeSequencers.computeIfAbsent(ledRoute, r -> new CallSequencer(
                    sequenceFile == null || sequenceFile.isEmpty() ? null : sibling(sequenceFile, r), maxCalls, 1000))
                    .next(subject));
        }
        CallSequencer s = sequencer;
        if (s == null) {
            synchronized (this) {
                if (sequencer == null) {
                    // in a cluster this instance's own counters (events of routes not led) are its alone
                    String instance = leadership != null ? leadership.map(Leadership::instance).orElse(null) : null;
                    sequencer = new CallSequencer(sequenceFile == null || sequenceFile.isEmpty() ? null
                            : instance == null ? Path.of(sequenceFile) : sibling(sequenceFile, instance), maxCalls,
                            1000);  // snapshot at most once a second
                }
                s = sequencer;
            }
        }
        return Long.toString(s.next(subject));
    }

    /** {@code call-sequence.json} becomes {@code call-sequence.<name>.json} (the name made safe for a file). */
    static Path sibling(String file, String name) {
        Path path = Path.of(file);
        String base = path.getFileName().toString();
        int dot = base.lastIndexOf('.');
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return path.resolveSibling(dot > 0 ? base.substring(0, dot) + "." + safe + base.substring(dot)
                : base + "." + safe);
    }

    /** Saves the sequence counters as an orderly stop (called at shutdown). */
    public synchronized void close() {
        if (sequencer != null) {
            sequencer.save(true);
        }
        routeSequencers.keySet().forEach(this::release);
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
