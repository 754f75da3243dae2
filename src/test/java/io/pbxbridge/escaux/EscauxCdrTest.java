package io.pbxbridge.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.cdr.CallRecordHarvests;
import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.cdr.HarvestRun;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.sandbox.escaux.EscauxFaults.HttpFailure;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Json;

/**
 * {@code escaux:cdr} against the simulator over HTTP: a route harvests the call history of several extensions, runs
 * are driven with {@link CallRecordHarvests#now}, checkpoints are files in a temporary folder.
 */
@Timeout(30)
class EscauxCdrTest {

    static final String SOURCE = "escaux:127.0.0.1";
    static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    EscauxSimulator sim;
    CamelContext camel;
    FileHarvestCheckpoints checkpoints;
    /** Every exchange the route got. */
    final List<Batch> batches = new CopyOnWriteArrayList<>();

    record Batch(long run, List<CallRecord> records, boolean last) {
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** Starts the simulator and a route from escaux:cdr with {@code options}, scheduled runs an hour away. */
    void start(EscauxSimulator.Builder simulator, String options) throws Exception {
        sim = simulator.start();
        camel = new DefaultCamelContext();
        EscauxComponent escaux = new EscauxComponent();
        escaux.getConfiguration().setAddress(sim.address());
        escaux.getConfiguration().setRequestTimeout(3000);
        camel.addComponent("escaux", escaux);
        checkpoints = new FileHarvestCheckpoints(dir.resolve("checkpoints"));
        camel.getRegistry().bind("cdrCheckpoints", checkpoints);
        String uri = "escaux:cdr?initialDelay=3600000&delay=3600000&cdrDeadLetterDirectory=" + dir.resolve("dead")
                + "&" + options;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(e -> {
                    List<?> body = e.getMessage().getBody(List.class);
                    batches.add(new Batch(e.getMessage().getHeader(CdrConstants.RUN, Long.class),
                            body.stream().map(CallRecord.class::cast).toList(),
                            e.getProperty(CdrConstants.CHECKPOINT) != null));
                });
            }
        });
        camel.start();
    }

    HarvestRun harvest() throws Exception {
        return CallRecordHarvests.of(camel).now(SOURCE);
    }

    /** The records the route got from run {@code run}, in order. */
    List<CallRecord> delivered(long run) {
        return batches.stream().filter(b -> b.run() == run).flatMap(b -> b.records().stream()).toList();
    }

    /** The records the route got from {@code run}'s exchanges (the last ones). */
    List<CallRecord> delivered(HarvestRun run) {
        return batches.subList(batches.size() - run.batchesEmitted(), batches.size()).stream()
                .flatMap(b -> b.records().stream()).toList();
    }

    List<String> callIds(List<CallRecord> records) {
        return records.stream().map(CallRecord::callId).toList();
    }

    static Instant secondsAgo(long seconds) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(seconds);
    }

    @Test
    void aCallThatTouchedTwoWatchedExtensionsComesOutOnce() throws Exception {
        start(EscauxSimulator.builder(), "extensions=671, 672,104&cdrLag=10s&cdrOverlap=10m");
        Instant t = secondsAgo(300);
        String internal = sim.addCallRecord(t, "671", "672", MINUTE, Duration.ofSeconds(50), "671", "672");
        String missed = sim.addCallRecord(t.plusSeconds(10), "+3223456789", "104", Duration.ofSeconds(30),
                Duration.ZERO, "104");
        String transfer = sim.addCallRecord(t.plusSeconds(20), "104", "671", Duration.ofSeconds(20),
                Duration.ofSeconds(15), "104", "671");
        String outbound = sim.addCallRecord(t.plusSeconds(30), "672", "+3223999999", MINUTE, MINUTE, "672");
        sim.addCallRecord(t.plusSeconds(40), "102", "189", MINUTE, MINUTE, "102", "189"); // not watched

        HarvestRun run = harvest();
        assertTrue(run.isCommitted(), run.line());
        assertEquals(4, run.fresh(), run.line());
        assertEquals(2, run.repeats(), run.line());
        List<CallRecord> records = delivered(1);
        assertEquals(Set.of(internal, missed, transfer, outbound), Set.copyOf(callIds(records)));
        assertEquals(4, records.size());
        for (CallRecord r : records) {
            assertEquals("escaux:127.0.0.1:" + r.callId(), r.key());
            assertEquals("127.0.0.1", r.source());
            assertEquals("escaux", r.vendor());
            // the CDR as the SOP sent it
            assertEquals(r.callId(), ((JsonNode) r.raw()).path("uniqueid").asText());
        }
        // the first listing wins: 671 placed the internal call, answered
        CallRecord first = records.stream().filter(r -> r.callId().equals(internal)).findFirst().orElseThrow();
        assertEquals(t, first.start());
        assertEquals(Direction.INTERNAL, first.direction());
        assertEquals(Disposition.ANSWERED, first.disposition());
        assertEquals(t.plusSeconds(60), first.end());
        CallRecord noAnswer = records.stream().filter(r -> r.callId().equals(missed)).findFirst().orElseThrow();
        assertEquals(Direction.INBOUND, noAnswer.direction());
        assertEquals(Disposition.NO_ANSWER, noAnswer.disposition());
        assertTrue(batches.get(batches.size() - 1).last());

        // both copies of the internal call, as escaux:dbGetCallHistory returns them, have one key
        Set<String> keys = new HashSet<>();
        for (String ext : List.of("671", "672")) {
            List<?> history = camel.createProducerTemplate().requestBody("escaux:dbGetCallHistory?ext=" + ext
                    + "&limit=50&startDate=" + EscauxClient.SOP_DATE.format(LocalDateTime.ofInstant(t.minusSeconds(1),
                    ZoneId.systemDefault())), null, List.class);
            CallHistoryEntry copy = history.stream().map(CallHistoryEntry.class::cast)
                    .filter(c -> internal.equals(c.uniqueid())).findFirst().orElseThrow();
            keys.add(EscauxCallRecords.toCallRecord(copy, "127.0.0.1", ZoneId.systemDefault()).key());
        }
        assertEquals(Set.of(first.key()), keys);

        // the next run lists them again in its overlap: nothing new
        HarvestRun again = harvest();
        assertEquals(0, again.fresh(), again.line());
        assertEquals(6, again.repeats(), again.line());
        assertEquals(2, again.number());
        assertEquals(List.of(), delivered(2));
    }

    @Test
    void pagesOfFiveOverSixtyRecordsWithTwelveInOneSecond() throws Exception {
        start(EscauxSimulator.builder(), "extensions=900&cdrPageSize=5&cdrBatchSize=7&cdrLag=10s");
        Instant t0 = secondsAgo(600);
        List<String> all = new ArrayList<>(sim.addCallRecords("900", t0, Duration.ofSeconds(1), 23));
        all.addAll(sim.addCallRecords("900", t0.plusSeconds(30), Duration.ZERO, 12)); // one second, > 2 pages
        all.addAll(sim.addCallRecords("900", t0.plusSeconds(40), Duration.ofSeconds(1), 25));
        int requestsBefore = sim.requestCount("dbGetCallHistory");

        HarvestRun run = harvest();
        assertTrue(run.isCommitted(), run.line());
        assertEquals(60, run.fresh(), run.line());
        List<String> ids = callIds(delivered(1));
        assertEquals(60, ids.size());
        assertEquals(Set.copyOf(all), Set.copyOf(ids));
        // in the SOP's order, seven per exchange
        assertEquals(all, ids);
        assertEquals(List.of(7, 7, 7, 7, 7, 7, 7, 7, 4),
                batches.stream().map(b -> b.records().size()).toList());
        int requests = sim.requestCount("dbGetCallHistory") - requestsBefore;
        assertTrue(requests >= 14 && requests < 40, requests + " requests");
        assertEquals(1, checkpoints.load(SOURCE).run());
    }

    @Test
    void recordsAfterTheWindowEndComeWithTheNextRun() throws Exception {
        Duration lag = Duration.ofSeconds(2);
        start(EscauxSimulator.builder(), "extensions=900&cdrPageSize=5&cdrLag=2s&cdrOverlap=10s");
        List<String> old = sim.addCallRecords("900", secondsAgo(60), Duration.ofSeconds(1), 3);
        // a second still being written: after now - lag (the SOP has no end date, it lists them too)
        Instant recent = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        List<String> young = sim.addCallRecords("900", recent, Duration.ZERO, 20);
        int requestsBefore = sim.requestCount("dbGetCallHistory");

        HarvestRun first = harvest();
        assertEquals(old, callIds(delivered(1)));
        assertEquals(2, first.outside(), first.line());
        // the first page reached past the window's end: the extension is done, however many follow
        assertEquals(1, sim.requestCount("dbGetCallHistory") - requestsBefore);
        assertEquals(first.window().to(), checkpoints.load(SOURCE).watermark());

        while (Instant.now().minus(lag).isBefore(recent.plusMillis(100))) {
            Thread.sleep(50);
        }
        HarvestRun second = harvest();
        assertEquals(20, second.fresh(), second.line());
        assertEquals(Set.copyOf(young), Set.copyOf(callIds(delivered(2))));
        assertEquals(20, delivered(2).size());
    }

    @Test
    void aLateRecordInsideTheOverlapIsDeliveredOnce() throws Exception {
        start(EscauxSimulator.builder(), "extensions=900,901&cdrLag=1s&cdrOverlap=30s");
        String early = sim.addCallRecords("900", secondsAgo(10), Duration.ZERO, 1).get(0);
        HarvestRun first = harvest();
        assertEquals(List.of(early), callIds(delivered(1)));

        // written after the run, for a call before its watermark
        Instant watermark = checkpoints.load(SOURCE).watermark();
        Instant lateStart = watermark.truncatedTo(ChronoUnit.SECONDS).minusSeconds(3);
        String late = sim.addCallRecord(lateStart, "900", "901", MINUTE, MINUTE, "900", "901");
        Thread.sleep(20);
        HarvestRun second = harvest();
        assertEquals(List.of(late), callIds(delivered(2)));
        assertEquals(1, second.fresh(), second.line());
        assertEquals(2, second.repeats(), second.line()); // early from the overlap, late under 901
        HarvestRun third = harvest();
        assertEquals(0, third.fresh(), third.line());
        assertEquals(1, batches.stream().flatMap(b -> b.records().stream()).filter(r -> r.callId().equals(late))
                .count());
        assertTrue(first.isCommitted() && second.isCommitted() && third.isCommitted());
    }

    @Test
    void recordsThatCannotBeReadGoToTheDeadLetterFileOnce() throws Exception {
        start(EscauxSimulator.builder(), "extensions=900&cdrPageSize=3&cdrLag=10s");
        Instant t0 = secondsAgo(300);
        List<String> good = sim.addCallRecords("900", t0, Duration.ofSeconds(2), 4);
        Map<String, String> noIdNoTime = new HashMap<>();
        noIdNoTime.put("uniqueid", null);
        noIdNoTime.put("timestamp", null);
        sim.addBrokenCallRecord("900", t0.plusSeconds(1), noIdNoTime);
        sim.addBrokenCallRecord("900", t0.plusSeconds(3), Map.of("duration", "n/a"));
        sim.addBrokenCallRecord("900", t0.plusSeconds(5), Map.of("timestamp", "2030-02-30 25:61:00"));
        sim.addBrokenCallRecord("900", t0.plusSeconds(5), Map.of("billsec", "-5"));

        HarvestRun run = harvest();
        assertTrue(run.isCommitted(), run.line());
        assertEquals(good, callIds(delivered(1)));
        assertEquals(4, run.deadLetters(), run.line());
        List<String> lines = Files.readAllLines(dir.resolve("dead").resolve("escaux_127.0.0.1.ndjson"));
        assertEquals(4, lines.size(), String.join("\n", lines));
        Map<String, JsonNode> byReason = new HashMap<>();
        for (String line : lines) {
            JsonNode n = Json.MAPPER.readTree(line);
            assertEquals(SOURCE, n.path("source").asText());
            assertEquals(1, n.path("run").asLong());
            assertNotNull(Json.MAPPER.readTree(n.path("raw").asText()).path("caller_number").textValue(), line);
            byReason.put(n.path("reason").asText(), n);
        }
        assertEquals(Set.of("extension 900: neither timestamp nor uniqueid",
                "extension 900: duration 'n/a' is not a number of seconds",
                "extension 900: timestamp '2030-02-30 25:61:00' is not yyyy-MM-dd HH:mm:ss",
                "extension 900: billsec -5 is negative"), byReason.keySet());
        assertTrue(byReason.get("extension 900: duration 'n/a' is not a number of seconds").path("raw").asText()
                .contains("\"duration\":\"n/a\""));
    }

    @Test
    void aFailedAnswerMidHarvestFailsTheRunAndTheNextRunReadsTheWindowAgain() throws Exception {
        start(EscauxSimulator.builder(), "extensions=900,901&cdrPageSize=5&cdrBatchSize=5&cdrLag=10s");
        List<String> ids = sim.addCallRecords("900", secondsAgo(600), Duration.ofSeconds(1), 20);

        sim.faults().failAfter("dbGetCallHistory", 2, HttpFailure.ERROR_RESULT);
        Exception failed = assertThrows(Exception.class, this::harvest);
        EscauxFaultException fault = assertInstanceOf(EscauxFaultException.class, failed);
        assertTrue(fault.getMessage().contains("database error"), fault.getMessage());
        assertNull(checkpoints.load(SOURCE), "the failed run committed");
        assertTrue(batches.stream().noneMatch(Batch::last));
        assertNotEquals(0, delivered(1).size()); // the pages before the failure went on

        HarvestRun retry = harvest();
        assertEquals(1, retry.number());
        assertEquals(20, retry.fresh(), retry.line());
        assertEquals(ids, callIds(delivered(retry)));
        HarvestCheckpoint committed = checkpoints.load(SOURCE);
        assertEquals(1, committed.run());

        // a reply cut short, a reply that is no call history, a 503: never an empty page, the checkpoint stays
        List<String> more = sim.addCallRecords("900", secondsAgo(200), Duration.ofSeconds(1), 3);
        for (HttpFailure f : List.of(HttpFailure.TRUNCATED, HttpFailure.WRONG_REPLY, HttpFailure.HTTP_503)) {
            sim.faults().failAfter("dbGetCallHistory", 1, f);
            Exception e = assertThrows(Exception.class, this::harvest, f.name());
            Class<? extends EscauxException> expected = f == HttpFailure.HTTP_503 ? EscauxConnectionException.class
                    : EscauxResponseException.class;
            assertInstanceOf(expected, e, f + ": " + e);
            assertEquals(committed.watermark(), checkpoints.load(SOURCE).watermark(), f.name());
            assertEquals(1, checkpoints.load(SOURCE).run(), f.name());
        }
        HarvestRun done = harvest();
        assertEquals(2, done.number());
        assertEquals(3, done.fresh(), done.line());
        assertEquals(more, callIds(delivered(done)));
    }

    @Test
    void aSopInAnotherZoneWritesLocalTimesTheRecordsStartAtTheRightInstant() throws Exception {
        ZoneId zone = ZoneId.of("Pacific/Honolulu");
        if (zone.getRules().equals(ZoneId.systemDefault().getRules())) {
            zone = ZoneId.of("Asia/Tokyo");
        }
        start(EscauxSimulator.builder().timeZone(zone), "extensions=900&timeZone=" + zone.getId()
                + "&cdrLag=10s&cdrFirstRunLookback=1h");
        Instant start = secondsAgo(900);
        String inWindow = sim.addCallRecord(start, "+3223456789", "900", MINUTE, Duration.ofSeconds(45), "900");
        sim.addCallRecord(secondsAgo(7200), "+3223456789", "900", MINUTE, MINUTE, "900"); // before the window

        HarvestRun run = harvest();
        assertEquals(1, run.fresh(), run.line());
        CallRecord r = delivered(1).get(0);
        assertEquals(inWindow, r.callId());
        assertEquals(start, r.start());
        assertEquals(start.plusSeconds(15), r.answer());
        assertEquals(start.plusSeconds(60), r.end());
        assertEquals(LocalDateTime.ofInstant(start, zone).format(EscauxClient.SOP_DATE),
                ((JsonNode) r.raw()).path("timestamp").asText());
    }

    @Test
    void extensionsAreRequiredAndCdrIsConsumerOnly() throws Exception {
        try (EscauxSimulator s = EscauxSimulator.builder().start()) {
            for (String uri : List.of("escaux:cdr", "escaux:cdr?extensions= , ",
                    "escaux:cdr?extensions=102&cdrPageSize=0")) {
                try (CamelContext c = new DefaultCamelContext()) {
                    EscauxComponent escaux = new EscauxComponent();
                    escaux.getConfiguration().setAddress(s.address());
                    c.addComponent("escaux", escaux);
                    c.addRoutes(new RouteBuilder() {
                        @Override
                        public void configure() {
                            from(uri).to("log:x");
                        }
                    });
                    Exception e = assertThrows(Exception.class, c::start, uri);
                    IllegalArgumentException why = ObjectHelper.getException(IllegalArgumentException.class, e);
                    assertNotNull(why, uri + ": " + e);
                    assertTrue(why.getMessage().contains(uri.contains("cdrPageSize") ? "cdrPageSize must be at least 1"
                            : "escaux:cdr needs extensions"), why.getMessage());
                }
            }
            try (CamelContext c = new DefaultCamelContext()) {
                EscauxComponent escaux = new EscauxComponent();
                escaux.getConfiguration().setAddress(s.address());
                c.addComponent("escaux", escaux);
                c.start();
                Exception e = assertThrows(Exception.class,
                        () -> c.createProducerTemplate().sendBody("escaux:cdr?extensions=102", null));
                assertTrue(ObjectHelper.getException(UnsupportedOperationException.class, e).getMessage()
                        .contains("consumer only"), e.toString());
            }
        }
    }
}
