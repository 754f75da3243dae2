package io.pbxbridge.metasec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.Application;
import io.pbxbridge.cdr.CallRecordHarvests;
import io.pbxbridge.cdr.HarvestRun;
import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.sandbox.metasec.SimChannel;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Ndjson;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.FreePort;

/**
 * The derived call records through the jobs as they are run (Camel Main with the shipped application.properties and
 * the routes of events and CDR harvesting; METASEC the only vendor, on the simulator): {@code source-metasec} polls
 * every 200 ms, {@code cdr-metasec} is run by the test ({@link CallRecordHarvests#now}) into the CSV sink. A call
 * still going on holds the window back (its record is written when it ends, with its start); an unanswered inbound
 * call is also announced as {@code call.missed}.
 */
@Timeout(60)
class MetasecCdrHarvestTest {

    static final String SOURCE = "metasec:127.0.0.1/1004";
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    MetasecSimulator sim;
    Main main;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    void start() throws Exception {
        sim = MetasecSimulator.builder().ringTime(null).start();
        Map<String, String> settings = new LinkedHashMap<>(AppFolders.settings(dir));
        settings.put("sandbox.enabled", "false");
        settings.put("camel.management.port", Integer.toString(FreePort.next()));
        settings.put("camel.main.shutdown-timeout", "10");
        settings.put("events.drain-timeout", "1000");
        settings.put("camel.main.routes-include-pattern", "file:routes/events-*.camel.yaml,"
                + "file:routes/cdr-harvest.camel.yaml");
        settings.put("camel.component.metasec.address", sim.address());
        settings.put("camel.component.metasec.user", MetasecSimulator.DEFAULT_USER);
        settings.put("camel.component.metasec.password", MetasecSimulator.DEFAULT_PASSWORD);
        settings.put("camel.component.metasec.poll-interval", "200");
        settings.put("camel.component.metasec.watch", "calls,queues");
        // runs by the test only
        settings.put("cdr.metasec.cron", "0 0 0 1 1 ? 2099");
        settings.put("cdr.lag", "1s");
        main = Application.newMain();
        settings.forEach(main::addOverrideProperty);
        main.start();
        Await.until(WAIT, "the source and the harvest", () -> status("source-metasec") == ServiceStatus.Started
                && status("cdr-metasec") == ServiceStatus.Started);
        Await.until(WAIT, "the first poll", () -> sim.requestCount("call_list_all") > 0);
    }

    CamelContext camel() {
        return main.getCamelContext();
    }

    ServiceStatus status(String route) {
        return camel().getRouteController().getRouteStatus(route);
    }

    List<JsonNode> events() {
        try {
            return Ndjson.read(dir.resolve("events/call-events.ndjson"));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitEvent(String type, String subject) {
        Await.until(WAIT, type + " of " + subject, () -> events().stream().anyMatch(e -> e.path("type").asText()
                .equals("pbx." + type) && e.path("subject").asText().equals(subject)));
    }

    void hangup(String channel) {
        camel().createProducerTemplate().requestBody("metasec:call_hangup?chan=" + channel, (Object) null);
    }

    /** The CSV rows the sink wrote (header rows left out), as the column of the key and of the call id. */
    List<String[]> csvRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        Path csv = dir.resolve("cdr/csv");
        if (!Files.isDirectory(csv)) {
            return rows;
        }
        try (Stream<Path> files = Files.walk(csv)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.startsWith("key,")) {
                        rows.add(line.split(",", -1));
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void derivedRecordsAreHarvestedIntoTheCsvSinkOnceTheirCallsHaveEnded() throws Exception {
        start();
        // a long call first, then a short one answered, then one missed
        SimChannel longCall = sim.incomingCall("+4930100", "1002");
        awaitEvent("call.ringing", longCall.uniqueId());
        sim.answer(sim.channelsOf("1002").get(0).name());
        awaitEvent("call.connected", longCall.uniqueId());

        SimChannel shortCall = sim.incomingCall("+4930200", "1003");
        awaitEvent("call.ringing", shortCall.uniqueId());
        sim.answer(sim.channelsOf("1003").get(0).name());
        awaitEvent("call.answered", shortCall.uniqueId());
        hangup(shortCall.name());
        awaitEvent("call.ended", shortCall.uniqueId());

        SimChannel missed = sim.incomingCall("+4930300", "1005");
        awaitEvent("call.ringing", missed.uniqueId());
        hangup(missed.name());
        awaitEvent("call.ended", missed.uniqueId());
        Thread.sleep(1100); // past the lag

        HarvestRun held = CallRecordHarvests.of(camel()).now("metasec");
        assertTrue(held.isCommitted(), held.line());
        assertEquals(0, held.fresh(), "the long call still going on holds the window back: " + held.line());
        assertEquals(List.of(), csvRows());

        hangup(longCall.name());
        awaitEvent("call.ended", longCall.uniqueId());
        Thread.sleep(1100);
        HarvestRun run = CallRecordHarvests.of(camel()).now(SOURCE);
        assertTrue(run.isCommitted(), run.line());
        assertEquals(3, run.fresh(), run.line());
        List<String[]> rows = csvRows();
        assertEquals(3, rows.size());
        Map<String, String[]> byCall = new LinkedHashMap<>();
        rows.forEach(r -> byCall.put(r[3], r));
        for (SimChannel c : List.of(longCall, shortCall, missed)) {
            String[] r = byCall.get(c.uniqueId());
            assertEquals("metasec:127.0.0.1/1004:" + c.uniqueId(), r[0]);
            assertEquals("metasec", r[1]);
            assertEquals("127.0.0.1/1004", r[2]);
            assertEquals("INBOUND", r[11]);
        }
        assertEquals("ANSWERED", byCall.get(longCall.uniqueId())[12]);
        assertEquals("ANSWERED", byCall.get(shortCall.uniqueId())[12]);
        assertEquals("NO_ANSWER", byCall.get(missed.uniqueId())[12]);
        assertEquals("", byCall.get(missed.uniqueId())[5], "no answer time");
        // the unanswered inbound one is announced as a missed call too, once
        awaitEvent("call.missed", missed.uniqueId());
        assertEquals(1, events().stream().filter(e -> e.path("type").asText().equals("pbx.call.missed")).count());

        HarvestRun again = CallRecordHarvests.of(camel()).now(SOURCE);
        assertEquals(0, again.fresh(), again.line());
        assertEquals(3, csvRows().size(), "nothing twice");
    }
}
