package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.Application;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Ndjson;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.LocalPorts;
import io.pbxbridge.testsupport.LogCapture;

/**
 * The sandbox as {@code java -jar} runs it, MOR's part: its simulator started on {@code sandbox.mor.port} with its
 * call trickle, the component pointed at it with the simulator's account, its routes started, the start-up lines; the
 * trickle's calls reach the event stream ({@code call.ended}) and the CDR files.
 */
class MorSandboxTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    Main main;
    LogCapture log;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
        if (log != null) {
            log.close();
        }
    }

    @Test
    void theSimulatorStartsWithItsTrickleAndTheJobsRunOnIt() throws Exception {
        int port = LocalPorts.free();
        log = LogCapture.open();
        main = Application.newMain();
        Map<String, String> settings = new LinkedHashMap<>(AppFolders.settings(tmp));
        settings.put("sandbox.enabled", "true");
        settings.put("camel.main.shutdown-timeout", "10");
        settings.put("events.drain-timeout", "1000");
        settings.put("camel.management.port", Integer.toString(LocalPorts.free()));
        settings.put("sandbox.monema.port", Integer.toString(LocalPorts.free()));
        settings.put("sandbox.escaux.http-port", Integer.toString(LocalPorts.free()));
        settings.put("sandbox.escaux.event-port", Integer.toString(LocalPorts.free()));
        settings.put("sandbox.monema.call-interval-seconds", "0");
        settings.put("sandbox.escaux.call-interval-seconds", "0");
        settings.put("sandbox.mor.port", Integer.toString(port));
        settings.put("sandbox.mor.call-interval-seconds", "1");
        settings.put("mor.new-calls.interval", "300ms");
        settings.put("cdr.mor.cron", "* * * * * ?");
        settings.put("cdr.lag", "1s");
        settings.forEach(main::addOverrideProperty);
        main.start();

        MorConfiguration c = main.getCamelContext().getComponent("mor", MorComponent.class).getConfiguration();
        assertEquals("http://127.0.0.1:" + port, c.getAddress());
        assertEquals("demo", c.getUsername());
        assertEquals("2", c.getUserId());
        for (String route : List.of("cdr-mor", "source-mor-missed-calls", "source-mor-new-calls", "source-mor-faxes")) {
            assertEquals(ServiceStatus.Started, main.getCamelContext().getRouteController().getRouteStatus(route),
                    route);
        }
        assertTrue(log.messages(Level.INFO, "Sandbox").stream().anyMatch(m -> m.equals("Sandbox: MOR simulator at "
                + "http://127.0.0.1:" + port + " (user demo, user_id 2)")), log.messages(Level.INFO, "Sandbox")
                .toString());
        assertTrue(log.messages(Level.INFO, "ConnectionTargets").stream().anyMatch(m -> m.contains(
                "MOR              http://127.0.0.1:" + port + ", user demo (user_id 2)")),
                log.messages(Level.INFO, "ConnectionTargets").toString());
        Await.until(WAIT, "the start-up probe", () -> log.messages(Level.INFO, "VendorStartupProbe").stream()
                .anyMatch(m -> m.equals("MOR at http://127.0.0.1:" + port + " answers")));

        // the trickle's calls: on the event stream as they come, and harvested
        Await.until(WAIT, "a call.ended of MOR on the event stream", () -> events().stream()
                .anyMatch(e -> e.path("type").asText().equals("pbx.call.ended")
                        && e.path("source").asText().equals("/mor/127.0.0.1/demo")));
        Path csv = tmp.resolve("cdr/csv/mor_127.0.0.1_demo");
        Await.until(WAIT, "a MOR call in the CDR files", () -> csvLines(csv) > 1);
    }

    List<JsonNode> events() {
        try {
            return Ndjson.read(tmp.resolve("events/call-events.ndjson"));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long csvLines(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            long n = 0;
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                n += Files.readAllLines(f).size();
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }
}
