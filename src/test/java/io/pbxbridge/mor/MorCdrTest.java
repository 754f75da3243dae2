package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cdr.CallRecordHarvests;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestRun;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.sandbox.mor.MorSimulator;

/**
 * {@code mor:cdr} in a Camel route against the MOR simulator over HTTP: the window's calls with their keys (identical
 * calls in one second both kept), durations, prices in the page's currency, dates in MOR's zone; late calls within
 * the overlap; a page cut off. Runs are driven by {@link CallRecordHarvests#now}; the schedule waits an hour. The
 * harvest with a real PostgreSQL and {@code kill -9} is {@code io.pbxbridge.cdr.MorCdrHarvestEndToEndTest}.
 */
class MorCdrTest {

    static final ZoneId ZONE = ZoneId.of("Europe/Vilnius");
    static final String SOURCE = "mor:127.0.0.1/demo";

    @TempDir
    Path tmp;
    MorSimulator sim;
    CamelContext camel;
    final List<CallRecord> delivered = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    void start(String options) throws Exception {
        sim = MorSimulator.builder().initialCalls(0).zone(ZONE).start();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("checkpoints", new FileHarvestCheckpoints(tmp.resolve("checkpoints")));
        String uri = "mor:cdr?address=http://127.0.0.1:" + sim.port() + "&username=demo&password=RAW(demo-secret)"
                + "&userId=2&apiSecretKey=RAW(" + sim.apiKey() + ")&timeZone=" + ZONE + "&requestTimeout=5000"
                + "&cdrCheckpoints=#checkpoints&cdrDeadLetterDirectory=" + tmp.resolve("dead")
                + "&initialDelay=3600000&delay=3600000" + options;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("cdr").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<CallRecord> batch = e.getMessage().getBody(List.class);
                    delivered.addAll(batch);
                });
            }
        });
        camel.start();
    }

    HarvestRun harvest() throws Exception {
        return CallRecordHarvests.of(camel).now(SOURCE);
    }

    /** The keys the simulator's calls must have: by date, the identical calls of a second numbered in order. */
    Set<String> expectedKeys(Instant after, Instant upTo) {
        MorCallRecords.Occurrences occurrences = new MorCallRecords.Occurrences();
        Set<String> keys = new TreeSet<>();
        for (io.pbxbridge.sandbox.mor.MorCall c : sim.calls()) {
            String id = occurrences.next(MorCallRecords.hash(LocalDateTime.ofInstant(c.date(), ZONE), c.calledFrom(),
                    c.calledTo(), Duration.ofSeconds(c.durationSeconds()), c.hangupCause()));
            if (c.date().isAfter(after) && !c.date().isAfter(upTo)) {
                keys.add(SOURCE + ":" + id);
            }
        }
        return keys;
    }

    Set<String> deliveredKeys() {
        synchronized (delivered) {
            return new TreeSet<>(delivered.stream().map(CallRecord::key).toList());
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void theWindowsCallsWithTheirKeysAndFields() throws Exception {
        start("&cdrBatchSize=7");
        Instant now = now();
        sim.addCalls(60, now.minus(Duration.ofHours(3)), now.minus(Duration.ofMinutes(2)));
        // identical calls in one second: two records
        Instant twice = now.minus(Duration.ofMinutes(30));
        sim.addCall(twice, "101", "37060012345", 42, "Answered");
        sim.addCall(twice, "101", "37060012345", 42, "Answered");
        // outside the window: older than the first run's lookback, and within the lag
        sim.addCall(now.minus(Duration.ofHours(30)));
        sim.addCall(now.minusSeconds(5));

        HarvestRun run = harvest();
        assertTrue(run.isCommitted(), run.line());
        assertEquals(62, run.fresh(), run.line());
        assertEquals(0, run.deadLetters(), run.line());
        assertEquals(62, delivered.size(), "each once");
        assertEquals(expectedKeys(now.minus(Duration.ofHours(24)), now.minus(Duration.ofMinutes(1))),
                deliveredKeys());
        List<CallRecord> pair = delivered.stream().filter(r -> r.start().equals(twice) && "101".equals(r.from())
                && "37060012345".equals(r.to())).toList();
        assertEquals(2, pair.size(), "identical calls in one second: both kept " + pair);
        assertNotEquals(pair.get(0).key(), pair.get(1).key());
        assertTrue(pair.get(0).key().endsWith("-1") && pair.get(1).key().endsWith("-2"), pair.toString());

        CallRecord r = pair.get(0);
        assertEquals("mor", r.vendor());
        assertEquals("127.0.0.1/demo", r.source());
        assertTrue(r.key().matches("mor:127\\.0\\.0\\.1/demo:[0-9a-f]{32}-1"), r.key());
        assertEquals(twice, r.start(), "the page's local time read in MOR's zone");
        assertEquals(42L, r.duration());
        assertEquals(twice.plusSeconds(42), r.end());
        assertEquals(Disposition.ANSWERED, r.disposition());
        assertEquals(Direction.OUTBOUND, r.direction());
        assertEquals("USD", r.currency());
        assertTrue(r.cost().compareTo(BigDecimal.ZERO) > 0, "an answered outgoing call costs: " + r.cost());
        assertNull(r.callId(), "MOR gives calls no id");
        @SuppressWarnings("unchecked")
        Map<String, String> raw = (Map<String, String>) r.raw();
        assertEquals("00:00:42", raw.get("duration"));
        assertEquals("USD", raw.get("currency"));
        assertEquals(LocalDateTime.ofInstant(twice, ZONE).format(MorCallRecords.MOR_TIME), raw.get("date"));

        CallRecord missed = delivered.stream().filter(x -> x.disposition() == Disposition.NO_ANSWER
                && x.direction() == Direction.INBOUND).findFirst().orElseThrow();
        assertEquals(0, missed.cost().signum(), "an unanswered call costs nothing: " + missed);
    }

    @Test
    void lateCallsWithinTheOverlapAreCaughtAndTheOverlapIsNotDeliveredTwice() throws Exception {
        start("&cdrOverlap=10m&cdrLag=2s&cdrFirstRunLookback=1h");
        Instant now = now();
        sim.addCalls(20, now.minus(Duration.ofMinutes(50)), now.minus(Duration.ofMinutes(1)));
        Instant second = now.minus(Duration.ofMinutes(3));
        sim.addCall(second, "37052000000", "102", 7, "No Answer");
        HarvestRun first = harvest();
        assertEquals(21, first.fresh(), first.line());

        // written late: 5 minutes back, inside the overlap; one identical to a call already harvested
        sim.addCall(now.minus(Duration.ofMinutes(5)), "101", "37060099999", 65, "Answered");
        sim.addCall(second, "37052000000", "102", 7, "No Answer");
        Thread.sleep(1100); // the next window ends a second later
        HarvestRun second2 = harvest();
        assertTrue(second2.isCommitted(), second2.line());
        assertEquals(2, second2.fresh(), second2.line());
        assertTrue(second2.repeats() > 0, "the overlap's calls are repeats: " + second2.line());
        assertEquals(23, delivered.size());
        assertEquals(expectedKeys(now.minus(Duration.ofHours(1)), now()), deliveredKeys(), "each call once");
        List<String> pair = delivered.stream().filter(r -> r.start().equals(second)).map(CallRecord::key).toList();
        assertEquals(2, pair.size(), pair.toString());
        assertTrue(pair.get(1).endsWith("-2"), "the late twin is the second occurrence: " + pair);
    }

    @Test
    void pricesInThePagesCurrency() throws Exception {
        start("");
        camel.createProducerTemplate().requestBody("mor:changeCurrency?currency=EUR&address=http://127.0.0.1:"
                + sim.port() + "&username=demo&password=RAW(demo-secret)&userId=2&apiSecretKey=RAW(" + sim.apiKey()
                + ")", (Object) null);
        Instant now = now();
        sim.addCall(now.minus(Duration.ofMinutes(10)), "101", "37060012345", 120, "Answered");
        harvest();
        CallRecord r = delivered.get(0);
        assertEquals("EUR", r.currency());
        assertNotNull(r.cost());
    }

    @Test
    void aCallListCutOffFailsTheRunAndTheNextRunDeliversEachCallOnce() throws Exception {
        start("&cdrBatchSize=5");
        Instant now = now();
        sim.addCalls(40, now.minus(Duration.ofHours(2)), now.minus(Duration.ofMinutes(2)));
        sim.faults().truncateNext("callsPeriod");
        Exception e = assertThrows(Exception.class, this::harvest);
        assertTrue(e.getMessage().contains("/stats/call_list"), e.getMessage());
        assertFalse(delivered.isEmpty(), "the batches before the cut went on");
        int before = delivered.size();
        assertTrue(before < 40, before + " delivered before the cut");

        HarvestRun again = harvest();
        assertTrue(again.isCommitted(), again.line());
        assertEquals(40, deliveredKeys().size(), "every call, once the run completes");
        assertEquals(expectedKeys(now.minus(Duration.ofHours(24)), now), deliveredKeys());
    }

    @Test
    void theOperationIsConsumerOnly() throws Exception {
        start("");
        Exception e = assertThrows(Exception.class, () -> camel.createProducerTemplate().requestBody("mor:cdr?address="
                + "http://127.0.0.1:1&username=x&password=y", (Object) null));
        assertTrue(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                .contains("consumer only"), e.toString());
    }
}
