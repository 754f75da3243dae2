package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.model.CallEvent;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.FreePort;

/**
 * The derived call records through the shipped routes: the simulator's calls as {@code portasip} events on the event
 * stream ({@code direct:pbx-events}; {@link SimCallEvents} stands in for {@code portasip:events}), the journal as a
 * sink of the stream (routes/portasip-calls.camel.yaml), {@code portasip:cdr} harvesting its windows every second
 * into the CSV sink (routes/cdr-harvest.camel.yaml). A call in progress holds the window back; each call is in the CSV
 * once, with its times and disposition.
 */
class PortaSipCdrHarvestTest {

    static final String SOURCE = "portasip:127.0.0.1/123001";

    @TempDir
    Path tmp;

    @Test
    void theHarvestReadsTheDerivedRecordsIntoTheCsvSink() throws Exception {
        Path dir = tmp.resolve("app");
        ExecutorService feeder = Executors.newSingleThreadExecutor();
        Main main = null;
        try (PortaSipSimulator sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(30)).start()) {
            main = Application.newMain();
            main.addOverrideProperty("camel.main.routes-include-pattern", "file:routes/events-*.camel.yaml,"
                    + "file:routes/portasip-calls.camel.yaml,file:routes/cdr-harvest.camel.yaml");
            main.addOverrideProperty("sandbox.enabled", "false");
            main.addOverrideProperty("camel.management.port", Integer.toString(FreePort.next()));
            main.addOverrideProperty("camel.main.shutdown-timeout", "15");
            AppFolders.settings(dir).forEach(main::addOverrideProperty);
            main.addOverrideProperty("cdr.monema.enabled", "false");
            main.addOverrideProperty("cdr.escaux.enabled", "false");
            main.addOverrideProperty("cdr.missed-calls.enabled", "false");
            main.addOverrideProperty("commands.folder.enabled", "false");
            // the keys of the properties snippet
            main.addOverrideProperty("cdr.portasip.enabled", "true");
            main.addOverrideProperty("cdr.portasip.cron", "* * * * * ?");
            main.addOverrideProperty("cdr.portasip.max-call-age", "4h");
            main.addOverrideProperty("camel.component.portasip.cdr-lag", "1s");
            main.addOverrideProperty("camel.component.portasip.cdr-overlap", "30s");
            main.addOverrideProperty("camel.component.portasip.cdr-first-run-lookback", "1h");
            main.addOverrideProperty("camel.component.portasip.cdr-dead-letter-directory",
                    dir.resolve("cdr/dead-letter").toString());
            main.addOverrideProperty("camel.component.portasip.address", sim.address());
            main.addOverrideProperty("camel.component.portasip.login", "123001");
            main.addOverrideProperty("camel.component.portasip.domain", "sip.example.com");
            main.addOverrideProperty("camel.component.portasip.password", "secret001");
            main.start();
            CamelContext camel = main.getCamelContext();
            ProducerTemplate template = camel.createProducerTemplate();
            PortaSipEndpoint any = camel.getEndpoint("portasip:getSipCallsList", PortaSipEndpoint.class);
            // the events as portasip:events will hand them over: onto the event stream, off the socket's thread
            SimCallEvents events = SimCallEvents.attach(any.callControl(), PortaSipCallControl.Scope.customer(30),
                    any.source(), e -> feeder.execute(() -> template.sendBody("direct:pbx-events", e)));

            String shortCall = sim.incomingCall("+3222000000", "123001", false);
            await(events, shortCall, "call.answered", 2);
            Thread.sleep(1100); // the long call starts a second later: a window may end between the two
            String longCall = sim.incomingCall("+3222000007", "123002", false);
            await(events, longCall, "call.answered", 2);
            sim.hangUp(shortCall);
            Path csv = dir.resolve("cdr/csv").resolve(FileHarvestCheckpoints.fileName(SOURCE))
                    .resolve(LocalDate.now(ZoneOffset.UTC) + ".csv");
            Await.until(Duration.ofSeconds(20), "the short call in the CSV", () -> keys(csv).contains(key(shortCall)));

            // the long call holds the window: the checkpoint stays before its start, whatever the runs
            Instant longStart = start(events, longCall);
            Thread.sleep(1500);
            Instant watermark = watermark(dir);
            assertTrue(watermark.isBefore(longStart), "checkpoint " + watermark + ", long call from " + longStart);
            assertFalse(keys(csv).contains(key(longCall)));

            sim.hangUp(longCall);
            Await.until(Duration.ofSeconds(20), "the long call in the CSV", () -> keys(csv).contains(key(longCall)));
            Thread.sleep(1200); // more runs over the same overlap
            List<String> lines = Files.readAllLines(csv);
            assertEquals(1, lines.stream().filter(l -> l.startsWith(key(shortCall) + ",")).count(), "once");
            assertEquals(1, lines.stream().filter(l -> l.startsWith(key(longCall) + ",")).count(), "once");
            assertTrue(watermark(dir).isAfter(longStart), "the checkpoint moved on");
            String row = lines.stream().filter(l -> l.startsWith(key(longCall) + ",")).findFirst().orElseThrow();
            // key, vendor, source, callId, start, answer, end, duration, billsec, from, to, direction, disposition
            String[] f = row.split(",", -1);
            assertEquals("portasip", f[1]);
            assertEquals(SOURCE.substring("portasip:".length()), f[2]);
            assertEquals(longStart, Instant.parse(f[4]));
            assertFalse(f[5].isEmpty(), "answered: " + row);
            assertFalse(f[6].isEmpty(), "ended: " + row);
            assertTrue(Long.parseLong(f[8]) >= 1, "connected for over a second: " + row);
            assertEquals("+3222000007", f[9]);
            assertEquals("INBOUND", f[11]);
            assertEquals("ANSWERED", f[12]);
        } finally {
            if (main != null) {
                main.stop();
            }
            feeder.shutdownNow();
        }
    }

    static String key(String callId) {
        return SOURCE + ":" + callId;
    }

    static void await(SimCallEvents events, String callId, String type, int count) {
        Await.until(Duration.ofSeconds(10), callId + " " + type, () -> events.of(callId).stream()
                .filter(e -> e.type().equals(type)).count() >= count);
    }

    static Instant start(SimCallEvents events, String callId) {
        return events.of(callId).stream().map(CallEvent::details).map(d -> (String) d.get("startTime"))
                .filter(s -> s != null).map(s -> PortaSipCallRecords.time(s, ZoneOffset.UTC)).min(Instant::compareTo)
                .orElseThrow();
    }

    static List<String> keys(Path csv) {
        if (!Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String l : Files.readAllLines(csv)) {
                keys.add(l.split(",", 2)[0]);
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant watermark(Path dir) throws IOException {
        JsonNode cp = Json.MAPPER.readTree(dir.resolve("cdr/checkpoints").resolve(FileHarvestCheckpoints
                .fileName(SOURCE) + ".json").toFile());
        return Instant.parse(cp.path("watermark").asText());
    }
}
