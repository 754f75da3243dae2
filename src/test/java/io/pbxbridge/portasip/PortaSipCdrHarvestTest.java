package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.Ndjson;
import io.pbxbridge.support.metrics.PbxMetrics;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.FreePort;

/**
 * The derived call records end to end through the shipped routes: the simulator's calls read by
 * {@code portasip:events} (route source-portasip) onto the event stream ({@code direct:pbx-events}), the journal as a
 * sink of the stream (routes/portasip-calls.camel.yaml), {@code portasip:cdr} harvesting its windows every second
 * into the CSV sink (routes/cdr-harvest.camel.yaml). A call in progress holds the window back; each call is in the CSV
 * once, with its times and disposition. Across a dropped socket: a call still in progress is not ended and its
 * terminated gives its real duration; a call that ended in the gap is ended after the hold, its end unknown.
 */
class PortaSipCdrHarvestTest {

    static final String SOURCE = "portasip:127.0.0.1/123001";
    /** How long a call in progress across a reconnect is held unconfirmed here (ms). */
    static final long HOLD = 3000;
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;
    static Path dir;
    static PortaSipSimulator sim;
    static Main main;
    static CamelContext camel;

    @BeforeAll
    static void start() throws Exception {
        dir = tmp.resolve("app");
        sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(30)).start();
        main = Application.newMain();
        AppFolders.settings(dir).forEach(main::addOverrideProperty);
        String component = "camel.component.portasip.";
        Map<String, String> settings = Map.ofEntries(
                Map.entry("camel.main.routes-include-pattern", "file:routes/events-*.camel.yaml,"
                        + "file:routes/portasip-calls.camel.yaml,file:routes/cdr-harvest.camel.yaml"),
                Map.entry("sandbox.enabled", "false"), Map.entry("commands.folder.enabled", "false"),
                Map.entry("camel.management.port", Integer.toString(FreePort.next())),
                Map.entry("camel.main.shutdown-timeout", "15"), Map.entry("cdr.monema.enabled", "false"),
                Map.entry("cdr.escaux.enabled", "false"), Map.entry("cdr.missed-calls.enabled", "false"),
                // the keys of the properties snippet, every second
                Map.entry("cdr.portasip.enabled", "true"), Map.entry("cdr.portasip.cron", "* * * * * ?"),
                Map.entry("cdr.portasip.max-call-age", "4h"), Map.entry(component + "cdr-lag", "1s"),
                Map.entry(component + "cdr-overlap", "30s"), Map.entry(component + "cdr-first-run-lookback", "1h"),
                Map.entry(component + "cdr-dead-letter-directory", dir.resolve("cdr/dead-letter").toString()),
                // the simulator's account 123001, the events of its IP Centrex
                Map.entry(component + "address", sim.address()), Map.entry(component + "login", "123001"),
                Map.entry(component + "domain", "sip.example.com"), Map.entry(component + "password", "secret001"),
                Map.entry(component + "customers", "30"), Map.entry(component + "reconnect-delay", "100"),
                Map.entry(component + "max-reconnect-delay", "500"),
                Map.entry(component + "unconfirmed-call-timeout", Long.toString(HOLD)));
        settings.forEach(main::addOverrideProperty);
        main.start();
        camel = main.getCamelContext();
        Await.until(WAIT, "the PortaSIP events subscribed", () -> consumer().isSubscribed());
    }

    @AfterAll
    static void stop() {
        if (main != null) {
            main.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static PortaSipEventConsumer consumer() {
        return (PortaSipEventConsumer) camel.getRoute("source-portasip").getConsumer();
    }

    @Test
    void theHarvestReadsTheDerivedRecordsIntoTheCsvSink() throws Exception {
        String shortCall = sim.incomingCall("+3222000000", "123001", false);
        awaitEvents(shortCall, "call.answered", 2);
        Thread.sleep(1100); // the long call starts a second later: a window may end between the two
        String longCall = sim.incomingCall("+3222000007", "123002", false);
        awaitEvents(longCall, "call.answered", 2);
        sim.hangUp(shortCall);
        Path csv = csv();
        Await.until(WAIT, "the short call in the CSV", () -> keys(csv).contains(key(shortCall)));

        // the long call holds the window: the checkpoint stays before its start, whatever the runs
        Instant longStart = start(longCall);
        Thread.sleep(1500);
        Instant watermark = watermark();
        assertTrue(watermark.isBefore(longStart), "checkpoint " + watermark + ", long call from " + longStart);
        assertFalse(keys(csv).contains(key(longCall)));

        sim.hangUp(longCall);
        Await.until(WAIT, "the long call in the CSV", () -> keys(csv).contains(key(longCall)));
        Thread.sleep(1200); // more runs over the same overlap
        assertEquals(1, rows(csv, shortCall).size(), "once");
        assertEquals(1, rows(csv, longCall).size(), "once");
        assertTrue(watermark().isAfter(longStart), "the checkpoint moved on");
        // key, vendor, source, callId, start, answer, end, duration, billsec, from, to, direction, disposition
        String[] f = rows(csv, longCall).get(0);
        assertEquals("portasip", f[1]);
        assertEquals(SOURCE.substring("portasip:".length()), f[2]);
        assertEquals(longStart, Instant.parse(f[4]));
        assertFalse(f[5].isEmpty(), "answered: " + String.join(",", f));
        assertFalse(f[6].isEmpty(), "ended: " + String.join(",", f));
        assertTrue(Long.parseLong(f[8]) >= 1, "connected for over a second: " + String.join(",", f));
        assertEquals("+3222000007", f[9]);
        assertEquals("INBOUND", f[11]);
        assertEquals("ANSWERED", f[12]);
    }

    @Test
    void acrossADroppedSocketACallInProgressKeepsItsRealEndAndOneEndedInTheGapHasItsEndUnknown() throws Exception {
        PortaSipEventConsumer consumer = consumer();
        String talks = sim.incomingCall("+3222000011", "123001", false);
        String gone = sim.incomingCall("+3222000012", "123002", false);
        awaitEvents(talks, "call.answered", 2);
        awaitEvents(gone, "call.answered", 2);
        long connects = consumer.getConnectCount();
        long reconciliations = consumer.getReconciliationCount();
        sim.faults().refuseConnections(true); // the socket dropped, and no new one until the second call has ended
        Await.until(WAIT, "disconnected", () -> !consumer.isSubscribed());
        assertTrue(sim.hangUp(gone));
        sim.faults().refuseConnections(false);
        Await.until(WAIT, "reconnected and reconciled", () -> consumer.getConnectCount() > connects
                && consumer.getReconciliationCount() > reconciliations);
        long reconnected = System.nanoTime();

        // the new subscription lists neither: both held, no end invented
        assertEquals(2.0, unconfirmedGauge());
        assertEquals(2, health().get("unconfirmedCalls"));
        Thread.sleep(1100); // the first talks on for over a second
        assertEquals(List.of(), events(talks, "call.ended"));
        assertEquals(List.of(), events(gone, "call.ended"));
        assertTrue(sim.hangUp(talks));
        awaitEvents(talks, "call.ended", 2);
        for (JsonNode e : events(talks, "call.ended")) {
            JsonNode d = e.path("details");
            assertFalse(d.has("reconciled"), "its notification's end: " + e);
            assertTrue(d.path("duration").asLong() >= 1, "its real duration: " + e);
        }

        awaitEvents(gone, "call.ended", 2);
        assertTrue(System.nanoTime() - reconnected >= (HOLD - 100) * 1_000_000L, "ended once the hold was over");
        for (JsonNode e : events(gone, "call.ended")) {
            JsonNode d = e.path("details");
            assertTrue(d.path("reconciled").asBoolean() && d.path("endUnknown").asBoolean(), e.toString());
            assertFalse(d.has("duration"), "no duration invented: " + e);
        }
        assertEquals(0.0, unconfirmedGauge());

        Path csv = csv();
        Await.until(WAIT, "both calls in the CSV", () -> keys(csv).containsAll(List.of(key(talks), key(gone))));
        Thread.sleep(1200); // more runs over the same overlap
        // key, vendor, source, callId, start, answer, end, duration, billsec, from, to, direction, disposition
        String[] real = rows(csv, talks).get(0);
        assertFalse(real[6].isEmpty(), "its end: " + String.join(",", real));
        assertTrue(Long.parseLong(real[8]) >= 1, "its billed seconds: " + String.join(",", real));
        assertEquals("ANSWERED", real[12]);
        String[] unknown = rows(csv, gone).get(0);
        assertEquals("", unknown[6], "no end: " + String.join(",", unknown));
        assertEquals("", unknown[7], "no duration: " + String.join(",", unknown));
        assertEquals("", unknown[8], "no billed seconds: " + String.join(",", unknown));
        assertEquals("ANSWERED", unknown[12]);
        assertEquals("unknown", raw(gone).get("ended"));
        assertEquals("notification", raw(talks).get("ended"));

        // nothing lost, nothing doubled
        assertEquals(1, rows(csv, talks).size());
        assertEquals(1, rows(csv, gone).size());
        assertEquals(2, events(talks, "call.ended").size());
        assertEquals(2, events(gone, "call.ended").size());
    }

    // ---- what the app wrote ------------------------------------------------------------------------------------

    static String key(String callId) {
        return SOURCE + ":" + callId;
    }

    /** The data of the events of {@code callId} of {@code type} on the event stream (its NDJSON file). */
    static List<JsonNode> events(String callId, String type) {
        try {
            return Ndjson.read(dir.resolve("events/call-events.ndjson")).stream()
                    .filter(e -> e.path("subject").asText().equals(callId)).map(e -> e.path("data"))
                    .filter(d -> d.path("type").asText().equals(type)).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitEvents(String callId, String type, int count) {
        Await.until(WAIT, callId + " " + type, () -> events(callId, type).size() >= count);
    }

    /** The earliest start time its events give. */
    static Instant start(String callId) {
        return events(callId, "call.ringing").stream().map(d -> d.path("details").path("startTime").asText(null))
                .filter(s -> s != null).map(s -> PortaSipCallRecords.time(s, ZoneOffset.UTC)).min(Instant::compareTo)
                .orElseThrow();
    }

    static Path csv() {
        return dir.resolve("cdr/csv").resolve(FileHarvestCheckpoints.fileName(SOURCE))
                .resolve(LocalDate.now(ZoneOffset.UTC) + ".csv");
    }

    static List<String> keys(Path csv) {
        List<String> keys = new ArrayList<>();
        for (String l : lines(csv)) {
            keys.add(l.split(",", 2)[0]);
        }
        return keys;
    }

    static List<String[]> rows(Path csv, String callId) {
        return lines(csv).stream().filter(l -> l.startsWith(key(callId) + ",")).map(l -> l.split(",", -1)).toList();
    }

    static List<String> lines(Path csv) {
        if (!Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            return Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code raw} of the journal's record of {@code callId}. */
    static Map<?, ?> raw(String callId) throws IOException {
        Path day = PortaSipCallJournal.dayFile(dir.resolve("cdr/portasip"), SOURCE.substring("portasip:".length()),
                LocalDate.now(ZoneOffset.UTC));
        for (String line : Files.readAllLines(day)) {
            CallRecord r = Json.MAPPER.readValue(line, CallRecord.class);
            if (r.key().equals(key(callId))) {
                return (Map<?, ?>) r.raw();
            }
        }
        throw new AssertionError("no record of " + callId + " in " + day);
    }

    static Instant watermark() throws IOException {
        JsonNode cp = Json.MAPPER.readTree(dir.resolve("cdr/checkpoints").resolve(FileHarvestCheckpoints
                .fileName(SOURCE) + ".json").toFile());
        return Instant.parse(cp.path("watermark").asText());
    }

    static Map<String, Object> health() {
        return HealthCheckHelper.invoke(camel, "source-portasip-127.0.0.1/123001", Map.of()).orElseThrow()
                .getDetails();
    }

    static double unconfirmedGauge() {
        return PbxMetrics.registry(camel).get("pbx_source_unconfirmed_calls").tag("vendor", "portasip").gauge()
                .value();
    }
}
