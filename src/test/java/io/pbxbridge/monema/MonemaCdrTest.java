package io.pbxbridge.monema;

import static java.time.ZoneOffset.UTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.cdr.CallRecordHarvests;
import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.cdr.HarvestRun;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.sandbox.monema.Faults;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.sandbox.monema.SimCall;
import io.pbxbridge.support.Json;

/**
 * {@code monema:cdr} in a Camel route against the simulator over HTTP: C_getCalls paged by fromId whatever the
 * server's cap, the window's bounds, late calls, dead letters, failed runs, both SOAP styles, and PHP's own SoapServer.
 * Runs are driven by {@link CallRecordHarvests#now}; the schedule waits an hour.
 */
class MonemaCdrTest {

    static final String LOGIN = "acme";
    static final String SECRET = "acme-s3cret";
    static final String SOURCE = "monema:127.0.0.1/" + LOGIN;

    @TempDir
    Path tmp;
    MonemaSimulator sim;
    CamelContext camel;
    FileHarvestCheckpoints checkpoints;
    final List<CallRecord> delivered = Collections.synchronizedList(new ArrayList<>());
    final List<Long> runHeaders = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** A simulator with the account and no calls, and a route from monema:cdr with {@code options}. */
    void start(MonemaSimulator.Builder simulator, String options) throws Exception {
        sim = simulator.account(LOGIN, SECRET, BigDecimal.TEN).initialCalls(0).dataDir(tmp.resolve("sim")).start();
        startRoute(sim.address(), LOGIN, SECRET, options);
    }

    void startRoute(String address, String login, String password, String options) throws Exception {
        checkpoints = new FileHarvestCheckpoints(tmp.resolve("checkpoints"));
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("checkpoints", checkpoints);
        String uri = "monema:cdr?address=" + address + "&login=" + login + "&password=RAW(" + password + ")"
                + "&cdrCheckpoints=#checkpoints&cdrDeadLetterDirectory=" + tmp.resolve("dead")
                + "&initialDelay=3600000&delay=3600000&receiveTimeout=5000" + options;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("cdr").process(e -> {
                    runHeaders.add(e.getMessage().getHeader(CdrConstants.RUN, Long.class));
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

    List<Long> deliveredIds() {
        synchronized (delivered) {
            return delivered.stream().map(r -> Long.parseLong(r.key().substring(r.key().lastIndexOf(':') + 1)))
                    .toList();
        }
    }

    static List<Long> ids(List<SimCall> calls) {
        return calls.stream().map(SimCall::id).toList();
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A server that caps its answers at 7 calls: 50 calls come once each, in id order, in 8 pages and an empty one. */
    @ParameterizedTest
    @EnumSource(MonemaSimulator.Style.class)
    void pagesThroughACappedServerInBothStyles(MonemaSimulator.Style style) throws Exception {
        start(MonemaSimulator.builder().style(style).maxCallsPerAnswer(7), "&timeZone=UTC&cdrBatchSize=5");
        Instant now = now();
        sim.addCalls(LOGIN, 50, now.minus(50, ChronoUnit.MINUTES), now.minus(2, ChronoUnit.MINUTES));
        List<SimCall> log = sim.calls(LOGIN);

        HarvestRun run = harvest();

        assertTrue(run.isCommitted(), run.line());
        assertEquals(1, run.number());
        assertEquals(50, run.read());
        assertEquals(50, run.fresh());
        assertEquals(0, run.deadLetters());
        assertEquals(ids(log), deliveredIds());
        assertEquals(9, sim.requestCount("C_getCalls"), "7 calls a page: 8 pages, then an empty answer");
        assertEquals(10, run.batchesEmitted(), "10 batches of 5, the last with the checkpoint");
        assertTrue(runHeaders.stream().allMatch(n -> n == 1));

        SimCall expected = log.get(17);
        CallRecord r = delivered.get(17);
        assertEquals("monema:127.0.0.1/acme:" + expected.id(), r.key());
        assertEquals(SOURCE.substring("monema:".length()), r.source());
        assertEquals(expected.uniqueid(), r.callId());
        assertEquals(Instant.ofEpochSecond(expected.calldate()), r.start());
        assertEquals(expected.duration(), r.duration());
        assertEquals(expected.src(), r.from());
        assertEquals(expected.dst(), r.to());
        assertEquals(MonemaCallRecords.disposition(expected.disposition()), r.disposition());
        assertEquals(0, expected.cost().compareTo(r.cost()));

        HarvestCheckpoint cp = checkpoints.load(SOURCE);
        assertEquals(1, cp.run());
        assertEquals(run.window().to(), cp.watermark());

        HarvestRun again = harvest();
        assertTrue(again.isCommitted(), again.line());
        assertEquals(2, again.number());
        assertEquals(0, again.fresh(), "nothing new: the overlap's calls are known");
        assertEquals(50, delivered.size());
    }

    /**
     * The window is (checkpoint - overlap, now - lag] in the PBX's zone: a call older than the first run's lookback is
     * not asked for, one newer than now - lag is left for the next run. Tokyo on both sides: sent in another zone,
     * the dates would miss the recent calls.
     */
    @Test
    void windowBoundsInThePbxsTimeZone() throws Exception {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        start(MonemaSimulator.builder().zone(tokyo), "&timeZone=Asia/Tokyo&cdrFirstRunLookback=1h&cdrLag=2s");
        Instant now = now();
        SimCall tooOld = sim.addCall(LOGIN, now.minus(2, ChronoUnit.HOURS));
        SimCall inside1 = sim.addCall(LOGIN, now.minus(30, ChronoUnit.MINUTES));
        SimCall inside2 = sim.addCall(LOGIN, now.minus(1, ChronoUnit.MINUTES));
        SimCall tooRecent = sim.addCall(LOGIN, now);

        HarvestRun first = harvest();
        assertTrue(first.isCommitted(), first.line());
        assertEquals(List.of(inside1.id(), inside2.id()), deliveredIds());
        assertFalse(deliveredIds().contains(tooOld.id()));

        Thread.sleep(Math.max(0, now.plusSeconds(3).toEpochMilli() - System.currentTimeMillis()));
        HarvestRun second = harvest();
        assertTrue(second.isCommitted(), second.line());
        assertEquals(1, second.fresh(), second.line());
        assertEquals(List.of(inside1.id(), inside2.id(), tooRecent.id()), deliveredIds());
        assertEquals(1, second.repeats(), "the overlap (10 minutes) lists the first run's last call again: "
                + second.line());
    }

    /** Dates are sent to the second, widened so that the PBX misses nothing, also where its clock goes back. */
    @Test
    void windowBoundsAsThePbxsLocalTime() {
        ZoneId madrid = ZoneId.of("Europe/Madrid");
        assertEquals("2024-06-01 12:00:00", MonemaCallRecordPages.pbxTime(Instant.parse("2024-06-01T10:00:00.700Z"),
                madrid, true));
        assertEquals("2024-06-01 12:00:01", MonemaCallRecordPages.pbxTime(Instant.parse("2024-06-01T10:00:00.700Z"),
                madrid, false));
        // 2024-10-27 02:30 happened twice in Madrid: at 00:30Z (CEST) and 01:30Z (CET)
        assertEquals("2024-10-27 01:30:00", MonemaCallRecordPages.pbxTime(Instant.parse("2024-10-27T00:30:00Z"),
                madrid, true));
        assertEquals("2024-10-27 03:30:01", MonemaCallRecordPages.pbxTime(Instant.parse("2024-10-27T01:30:00Z"),
                madrid, false));
    }

    /** A call the PBX writes late, dated inside the overlap but with the next id, is harvested once. */
    @Test
    void aLateCallInsideTheOverlapIsHarvestedOnce() throws Exception {
        start(MonemaSimulator.builder(), "&timeZone=UTC&cdrOverlap=10m&cdrLag=1s");
        Instant now = now();
        sim.addCalls(LOGIN, 5, now.minus(30, ChronoUnit.MINUTES), now.minus(2, ChronoUnit.MINUTES));
        assertEquals(5, harvest().fresh());

        SimCall late = sim.addCall(LOGIN, now.minus(3, ChronoUnit.MINUTES));
        assertTrue(late.id() > sim.calls(LOGIN).get(4).id() && late.calldate() < sim.calls(LOGIN).get(4).calldate(),
                "a late call: the next id, an earlier date");
        HarvestRun second = harvest();
        assertEquals(1, second.fresh(), second.line());
        assertEquals(late.id(), deliveredIds().get(5));

        HarvestRun third = harvest();
        assertEquals(0, third.fresh(), third.line());
        assertTrue(third.repeats() >= 1, third.line());
        assertEquals(6, delivered.size());
        assertEquals(3, third.number());
    }

    /**
     * Calls that cannot be read go to the dead letters with the XML the server sent, and the others go on. The one
     * without a readable id ends a capped page: the next page, from the id before it, lists it again; it is one dead
     * letter. A date where UNIX seconds belong is read in the PBX's zone.
     */
    @ParameterizedTest
    @EnumSource(MonemaSimulator.Style.class)
    void unreadableCallsAreDeadLettersAndTheOthersGoOn(MonemaSimulator.Style style) throws Exception {
        start(MonemaSimulator.builder().style(style).maxCallsPerAnswer(4), "&timeZone=UTC&cdrLag=1s");
        Instant t = now().minus(20, ChronoUnit.MINUTES);
        sim.addCalls(LOGIN, 3, t, t.plusSeconds(30));
        SimCall noId = sim.addCorruptCall(LOGIN, t.plusSeconds(40), Map.of("id", ""));
        sim.addCalls(LOGIN, 3, t.plusSeconds(50), t.plusSeconds(70));
        SimCall badDuration = sim.addCorruptCall(LOGIN, t.plusSeconds(80), Map.of("duration", "abc"));
        SimCall good = sim.addCall(LOGIN, t.plusSeconds(90));
        Map<String, String> noDate = new HashMap<>();
        noDate.put("calldate", null);
        SimCall missingDate = sim.addCorruptCall(LOGIN, t.plusSeconds(100), noDate);
        SimCall badDate = sim.addCorruptCall(LOGIN, t.plusSeconds(110), Map.of("calldate", "yesterday"));
        Instant dated = t.plusSeconds(120);
        SimCall asDate = sim.addCorruptCall(LOGIN, dated,
                Map.of("calldate", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(dated.atZone(UTC))));

        HarvestRun run = harvest();

        assertTrue(run.isCommitted(), run.line());
        assertEquals(4, run.deadLetters(), run.line());
        assertEquals(8, run.fresh(), run.line());
        List<Long> expected = new ArrayList<>(ids(sim.calls(LOGIN)));
        expected.removeAll(List.of(noId.id(), badDuration.id(), missingDate.id(), badDate.id()));
        assertEquals(expected, deliveredIds());
        assertTrue(deliveredIds().contains(good.id()));
        assertEquals(dated, delivered.get(delivered.size() - 1).start(), "the date was read in UTC");
        assertEquals(asDate.id(), deliveredIds().get(delivered.size() - 1));

        Path file = tmp.resolve("dead").resolve(FileHarvestCheckpoints.fileName(SOURCE) + ".ndjson");
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), String.join("\n", lines));
        List<JsonNode> letters = new ArrayList<>();
        for (String line : lines) {
            JsonNode letter = Json.MAPPER.readTree(line);
            assertEquals(SOURCE, letter.path("source").asText());
            assertEquals(1, letter.path("run").asLong());
            assertFalse(line.contains(SECRET));
            letters.add(letter);
        }
        assertTrue(letters.get(0).path("reason").asText().contains("'id' is empty"), lines.get(0));
        assertTrue(letters.get(0).path("raw").asText().contains(noId.uniqueid()), lines.get(0));
        assertTrue(letters.get(1).path("reason").asText().contains("'duration' is not an integer (found 'abc')"),
                lines.get(1));
        assertTrue(letters.get(1).path("raw").asText().matches("<item( xsi:type=\"ns1:Calls\")?><id.*<duration"
                + "( xsi:type=\"xsd:int\")?>abc</duration>.*</item>"), lines.get(1));
        assertTrue(letters.get(2).path("reason").asText().contains("'calldate' is missing"), lines.get(2));
        assertTrue(letters.get(3).path("reason").asText().contains("'calldate' is neither UNIX seconds nor a date "
                + "(found 'yesterday')"), lines.get(3));
    }

    enum Breakage {
        TRUNCATED, WRONG_ELEMENT, PHP_WARNING, SOAP_FAULT, HTTP_500_HTML, HTTP_503, DROPPED_CONNECTION
    }

    /**
     * The third answer of a harvest breaks: the run fails with Monema's exception naming C_getCalls, its checkpoint
     * is not written, and the next run reads the window again and completes.
     */
    @ParameterizedTest
    @EnumSource(Breakage.class)
    void aBrokenAnswerMidHarvestFailsTheRunAndTheNextOneCompletes(Breakage breakage) throws Exception {
        start(MonemaSimulator.builder().maxCallsPerAnswer(7), "&timeZone=UTC&cdrBatchSize=5&cdrLag=1s");
        Instant now = now();
        sim.addCalls(LOGIN, 50, now.minus(50, ChronoUnit.MINUTES), now.minus(1, ChronoUnit.MINUTES));
        Faults faults = sim.faults();
        switch (breakage) {
            case TRUNCATED -> faults.malformedNext("C_getCalls", 3, Faults.Malformed.TRUNCATED);
            case WRONG_ELEMENT -> faults.malformedNext("C_getCalls", 3, Faults.Malformed.WRONG_ELEMENT);
            case PHP_WARNING -> faults.malformedNext("C_getCalls", 3, Faults.Malformed.PHP_WARNING);
            case SOAP_FAULT -> faults.failNext("C_getCalls", 3, Faults.Failure.SOAP_FAULT_SERVER);
            case HTTP_500_HTML -> faults.failNext("C_getCalls", 3, Faults.Failure.HTTP_500_HTML);
            case HTTP_503 -> faults.failNext("C_getCalls", 3, Faults.Failure.HTTP_503);
            case DROPPED_CONNECTION -> faults.failNext("C_getCalls", 3, Faults.Failure.DROP_CONNECTION);
        }

        MonemaException e = assertInstanceOf(MonemaException.class, assertThrows(Exception.class, this::harvest));

        assertEquals("C_getCalls", e.getOperation(), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        switch (breakage) {
            case TRUNCATED -> {
                assertInstanceOf(MonemaResponseException.class, e);
                assertTrue(e.getMessage().matches("C_getCalls: the answer cannot be read as XML at line \\d+, "
                        + "column \\d+ \\(after 3 calls\\): .*"), e.getMessage());
            }
            case WRONG_ELEMENT -> {
                assertInstanceOf(MonemaResponseException.class, e);
                assertTrue(e.getMessage().contains("expected <C_getCallsResponse>"), e.getMessage());
            }
            case PHP_WARNING -> {
                assertInstanceOf(MonemaResponseException.class, e);
                assertTrue(e.getMessage().contains("not a SOAP 1.1 envelope but <br> at line 1, column"),
                        e.getMessage());
            }
            case SOAP_FAULT -> {
                assertInstanceOf(MonemaFaultException.class, e);
                assertEquals("Server", e.getFaultCode());
                assertEquals("the Monema server refused C_getCalls: Internal Server Error (fault code Server)",
                        e.getMessage());
            }
            case HTTP_500_HTML, HTTP_503, DROPPED_CONNECTION -> {
                assertInstanceOf(MonemaConnectionException.class, e);
                assertTrue(e.isTransient(), e.getMessage());
            }
        }
        assertNull(checkpoints.load(SOURCE), "a failed run writes no checkpoint");
        int before = delivered.size();
        assertTrue(before >= 10 && before < 50, "batches of the pages read before the break: " + before);

        HarvestRun next = harvest();
        assertTrue(next.isCommitted(), next.line());
        assertEquals(1, next.number(), "the first run to commit is run 1");
        assertEquals(50, next.fresh());
        assertEquals(ids(sim.calls(LOGIN)), deliveredIds().subList(before, delivered.size()));
        assertEquals(1, checkpoints.load(SOURCE).run());
    }

    /** The harvest against PHP's own ext/soap SoapServer (rpc/encoded), as real Monema servers are PHP. */
    @Test
    void harvestsFromPhpsSoapServer() throws Exception {
        if (!PhpMonemaServer.phpAvailable()) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("php with the soap extension is required in CI (.ci/run installs it)");
            }
            Assumptions.abort("php with ext/soap is not installed");
        }
        try (PhpMonemaServer php = PhpMonemaServer.start()) {
            startRoute(php.address(), "demo", "demo-secret", "&timeZone=UTC&cdrFirstRunLookback=7d&cdrLag=1s");
            HarvestRun run = CallRecordHarvests.of(camel).now("monema:127.0.0.1/demo");
            assertTrue(run.isCommitted(), run.line());
            assertEquals(List.of(5001L, 5002L, 5003L, 5004L, 5005L, 5006L), deliveredIds());
            CallRecord first = delivered.get(0);
            assertEquals(125L, first.duration());
            assertEquals(Disposition.ANSWERED, first.disposition());
            assertEquals("101", first.from());
            assertEquals("5001", first.recording());
            assertEquals(0, new BigDecimal("0.036").compareTo(first.cost()));
            assertEquals(0, CallRecordHarvests.of(camel).now("monema").fresh());
        }
    }

    @Test
    void cdrIsConsumerOnlyAndTheOperationsAreProducerOnly() throws Exception {
        start(MonemaSimulator.builder(), "&timeZone=UTC");
        UnsupportedOperationException producer = assertThrows(UnsupportedOperationException.class,
                () -> camel.getEndpoint("monema:cdr?address=" + sim.address()).createProducer());
        assertEquals("monema:cdr is consumer only; call getCalls to read calls", producer.getMessage());
        Exception consumer = assertThrows(Exception.class, () -> camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("monema:getCalls?address=" + sim.address()).to("log:x");
            }
        }));
        assertTrue(ObjectHelper.getException(UnsupportedOperationException.class, consumer)
                .getMessage().startsWith("monema:getCalls has no consumer; consume monema:cdr"), consumer.toString());
    }
}
