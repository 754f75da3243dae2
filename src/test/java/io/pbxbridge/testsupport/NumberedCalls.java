package io.pbxbridge.testsupport;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.pbxbridge.support.Json;

/**
 * A PBX stream of numbered events as the operator ran it: calls of three events each (ringing, parked, a
 * hang-up), ten calls interleaved, every event carrying its number {@code <Seq>}; and the ledger that checks what a
 * sink received against what was emitted: events lost, duplicates, per-call order, CloudEvents sequence numbers.
 */
public final class NumberedCalls {

    static final int INTERLEAVED = 10;
    static final String[] STEPS = { "evNewOrigChannel", "evParked", "evHangup" };

    private NumberedCalls() {
    }

    /** The call event number {@code i} belongs to ({@code prefix} keeps calls of separate runs apart). */
    public static String call(String prefix, int i) {
        int group = i / (INTERLEAVED * STEPS.length);
        return "SIP/" + prefix + "-" + (group * INTERLEAVED + i % INTERLEAVED);
    }

    /** Event {@code i} as the Escaux SOP writes it on its event socket. */
    public static String event(String prefix, int i) {
        String step = STEPS[(i / INTERLEAVED) % STEPS.length];
        return "<" + step + "><Channel>" + call(prefix, i) + "</Channel><CallerId>+3222" + (100000 + i % 1000)
                + "</CallerId><Extension>102</Extension><Seq>" + i + "</Seq></" + step + ">";
    }

    /** One more event numbered {@code seq} for an existing {@code call} (a hang-up, whatever came before). */
    public static String eventFor(String call, int seq) {
        return "<evHangup><Channel>" + call + "</Channel><Seq>" + seq + "</Seq></evHangup>";
    }

    /** One delivered event: its id, call, emitted number and CloudEvents sequence. */
    public record Delivery(String id, String call, int seq, long sequence) {
    }

    public static Delivery fromStructured(JsonNode ce) {
        return new Delivery(ce.get("id").asText(), ce.get("subject").asText(),
                ce.get("data").get("details").get("Seq").asInt(), ce.get("sequence").asLong());
    }

    public static Delivery fromStructured(String json) {
        try {
            return fromStructured(Json.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new AssertionError("not a CloudEvent: " + json, e);
        }
    }

    public static Delivery fromKafka(ConsumerRecord<String, byte[]> r) {
        try {
            JsonNode data = Json.MAPPER.readTree(r.value());
            return new Delivery(header(r, "ce_id"), r.key(), data.get("details").get("Seq").asInt(),
                    Long.parseLong(header(r, "ce_sequence")));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What a sink received, checked against the numbers emitted. */
    public record Report(int emitted, int delivered, List<Integer> lost, int duplicates, List<String> outOfOrder,
            List<String> sequenceRepeats) {

        @Override
        public String toString() {
            return "emitted " + emitted + ", delivered " + delivered + ", lost " + lost.size()
                    + (lost.isEmpty() ? "" : " " + abbreviate(lost)) + ", duplicates " + duplicates
                    + ", calls out of order " + outOfOrder.size() + (outOfOrder.isEmpty() ? "" : " " + abbreviate(
                            outOfOrder)) + ", calls with a repeated sequence " + sequenceRepeats.size()
                    + (sequenceRepeats.isEmpty() ? "" : " " + abbreviate(sequenceRepeats));
        }

        private static String abbreviate(List<?> l) {
            return l.size() <= 10 ? l.toString() : l.subList(0, 10) + "...";
        }
    }

    /**
     * Checks deliveries (in the order the sink received them) against the emitted numbers: every number delivered,
     * each id once (a repeat counts as a duplicate), within a call the emitted numbers and the sequence numbers
     * strictly increasing over first deliveries.
     */
    public static Report check(Collection<Integer> emitted, List<Delivery> deliveries) {
        Set<String> ids = new HashSet<>();
        Set<Integer> seen = new HashSet<>();
        Map<String, Integer> lastSeq = new HashMap<>();
        Map<String, Long> lastSequence = new HashMap<>();
        Set<String> outOfOrder = new LinkedHashSet<>();
        Set<String> repeats = new LinkedHashSet<>();
        int duplicates = 0;
        for (Delivery d : deliveries) {
            if (!ids.add(d.id())) {
                duplicates++;
                continue;
            }
            seen.add(d.seq());
            Integer before = lastSeq.put(d.call(), d.seq());
            if (before != null && before > d.seq()) {
                outOfOrder.add(d.call());
            }
            Long previous = lastSequence.put(d.call(), d.sequence());
            if (previous != null && previous >= d.sequence()) {
                repeats.add(d.call());
            }
        }
        List<Integer> lost = new ArrayList<>(new TreeSet<>(emitted));
        lost.removeAll(seen);
        return new Report(emitted.size(), deliveries.size(), lost, duplicates, List.copyOf(outOfOrder),
                List.copyOf(repeats));
    }
}
