package io.pbxbridge.fax;

import static io.pbxbridge.fax.FaxFromFolderRouteTest.WAIT;
import static io.pbxbridge.fax.FaxFromFolderRouteTest.json;
import static io.pbxbridge.fax.FaxVendorOutageTest.assertNoStackTraceNorCamelRetryLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.monema.TestPdfs;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.LogSafe;
import io.pbxbridge.testsupport.LogCapture;

/** What someone who can write into the outbox could try on purpose: each is refused or bounded, once, saying why. */
class FaxOutboxHostileInputTest {

    @TempDir
    Path tmp;
    Path outbox;
    Path failed;
    MonemaSimulator sim;
    Main main;

    @BeforeEach
    void setUp() throws Exception {
        outbox = Files.createDirectories(tmp.resolve("outbox"));
        failed = tmp.resolve("failed");
        sim = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("sim")).seed(9)
                .account("demo", "demo-secret", new BigDecimal("100.00")).build().start();
    }

    @AfterEach
    void tearDown() {
        if (main != null) {
            main.stop();
        }
        sim.stop();
    }

    void start() throws Exception {
        main = FaxFromFolderRouteTest.startApp(tmp, sim.address(), Map.of());
    }

    List<Path> failedFiles(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(failed)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void aFileNameTooLongFailsOnceWithAShortReport() throws Exception {
        String name = "15550001__" + "a".repeat(240) + ".pdf"; // 254 bytes: the job's other files cannot be named
        try (LogCapture log = LogCapture.open()) {
            start();
            Files.write(outbox.resolve(name), TestPdfs.bytes(10_000, 1));
            Await.until(WAIT, "the document in failed/", () -> Files.exists(tmp.resolve("failed").resolve(name)));
            Thread.sleep(1500); // time for it to be tried again, had it been left in the outbox

            List<Path> reports = failedFiles(".error.json");
            assertEquals(1, reports.size(), reports.toString());
            String reportName = reports.get(0).getFileName().toString();
            assertTrue(reportName.getBytes(StandardCharsets.UTF_8).length <= 220, reportName);
            assertTrue(reportName.startsWith("15550001__aaaa") && reportName.matches(".*~[0-9a-f]{16}\\.error\\.json"),
                    reportName);
            JsonNode r = json(reports.get(0));
            assertEquals("NAME_TOO_LONG", r.get("code").asText(), r.toString());
            assertEquals("outbox", r.get("operation").asText());
            assertTrue(r.get("reason").asText().contains("254 bytes long, over the limit of 200 bytes"), r.toString());
            assertEquals(name.substring(0, name.length() - 4), r.get("jobId").asText());
            assertTrue(Files.size(reports.get(0)) < 2048);
            assertEquals(0, sim.requestCount("C_startFaxUpload"));
            assertEquals(1, log.messages(Level.WARN, "FaxJobs").size(), "failed once: " + log.messages(Level.WARN));
            assertNoStackTraceNorCamelRetryLine(log);
        }
        try (Stream<Path> states = Files.list(tmp.resolve("state"))) {
            assertEquals(0, states.filter(f -> !f.getFileName().toString().startsWith(".")).count());
        }
    }

    @Test
    void symbolicLinksAreRefusedNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path secret = TestPdfs.write(elsewhere.resolve("payroll.pdf"), 10_000, 2);
        Files.writeString(elsewhere.resolve("sidecar.json"), "{\"destinations\": [\"15550001\"]}");
        start();
        Files.createSymbolicLink(outbox.resolve("15550001__link.pdf"), secret);
        Files.createSymbolicLink(outbox.resolve("linked.json"), elsewhere.resolve("sidecar.json"));
        FaxFromFolderRouteTest.drop(outbox, "linked.pdf", TestPdfs.bytes(10_000, 3));

        Await.until(WAIT, "both in failed/", () -> Files.exists(failed.resolve("15550001__link.pdf"),
                java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.exists(failed.resolve("linked.pdf")));
        JsonNode link = json(failed.resolve("15550001__link.error.json"));
        assertEquals("LINK_REFUSED", link.get("code").asText(), link.toString());
        assertTrue(link.get("reason").asText().contains("15550001__link.pdf is a symbolic link; links are refused"),
                link.toString());
        JsonNode sidecar = json(failed.resolve("linked.error.json"));
        assertEquals("BAD_SIDECAR", sidecar.get("code").asText(), sidecar.toString());
        assertTrue(sidecar.get("reason").asText().contains("linked.json is a symbolic link"), sidecar.toString());
        assertTrue(Files.isSymbolicLink(failed.resolve("15550001__link.pdf")), "the link is filed, not its target");
        assertTrue(Files.isSymbolicLink(failed.resolve("linked.json")));
        assertTrue(Files.exists(secret) && Files.exists(elsewhere.resolve("sidecar.json")), "targets left alone");
        assertEquals(0, sim.requestCount("C_startFaxUpload"), "nothing from elsewhere uploaded");
        assertTrue(sim.sentFaxes().isEmpty());
    }

    @Test
    void hugeFieldsAreBoundedInReportsEventsAndLogs() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            start();
            // a 1,000,000-digit destination (the sidecar is within its 1 MiB limit) and a 5 MB sidecar
            Files.writeString(outbox.resolve("huge.json"), "{\"destinations\": [\"" + "5".repeat(1_000_000) + "\"]}");
            FaxFromFolderRouteTest.drop(outbox, "huge.pdf", TestPdfs.bytes(10_000, 4));
            Files.writeString(outbox.resolve("huger.json"), "{\"destinations\": [\"" + "5".repeat(5_000_000) + "\"]}");
            FaxFromFolderRouteTest.drop(outbox, "huger.pdf", TestPdfs.bytes(10_000, 5));
            Await.until(WAIT, "both in failed/", () -> Files.exists(failed.resolve("huge.pdf"))
                    && Files.exists(failed.resolve("huger.pdf")));
            Path events = tmp.resolve("events/fax-events.ndjson");
            Await.until(WAIT, "their fax.failed events", () -> Files.exists(events)
                    && FaxFromFolderRouteTest.eventTypes(events, "huger").contains("fax.failed"));

            assertTrue(Files.size(failed.resolve("huge.error.json")) < 4096);
            assertTrue(Files.size(failed.resolve("huger.error.json")) < 4096);
            JsonNode huge = json(failed.resolve("huge.error.json"));
            assertEquals("BAD_DESTINATION", huge.get("code").asText(), huge.toString());
            assertTrue(huge.get("destinations").get(0).asText().endsWith("…(1000000 chars)"), huge.toString());
            JsonNode huger = json(failed.resolve("huger.error.json"));
            assertEquals("BAD_SIDECAR", huger.get("code").asText(), huger.toString());
            assertTrue(huger.get("reason").asText().contains("over the limit of 1048576 bytes"), huger.toString());
            assertTrue(Files.size(events) < 8192, "events: " + Files.size(events) + " bytes");
            for (Level level : List.of(Level.INFO, Level.WARN, Level.ERROR)) {
                for (String m : log.messages(level)) {
                    assertTrue(m.length() < 2048, "a log line of " + m.length() + " chars: " + LogSafe.text(m));
                }
            }
        }
    }

    @Test
    void aNewlineInAFileNameCannotForgeALogLine() throws Exception {
        String forged = "\n12:00:00.000 ERROR [main] Fake - injected";
        try (LogCapture log = LogCapture.open()) {
            start();
            FaxFromFolderRouteTest.drop(outbox, "evil" + forged + ".pdf", TestPdfs.bytes(10_000, 6));
            Files.writeString(outbox.resolve("notes" + forged + ".txt"), "not a fax");
            Await.until(WAIT, "it failed for no destination",
                    () -> Files.exists(failed.resolve("evil" + forged + ".pdf")));

            List<String> ours = Stream.of(Level.INFO, Level.WARN).flatMap(level -> Stream.concat(
                    log.messages(level, "FaxJobs").stream(), log.messages(level, "FaxOutboxFilter").stream())).toList();
            assertTrue(ours.stream().anyMatch(m -> m.contains("evil\\n12:00:00.000 ERROR [main] Fake - injected")),
                    "the name is logged, its newline escaped: " + ours);
            assertTrue(ours.stream().anyMatch(m -> m.contains("notes\\n12:00:00.000 ERROR")), ours.toString());
            for (Level level : List.of(Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
                for (LogEvent e : log.events(level, "")) {
                    assertFalse(e.getMessage().getFormattedMessage().contains(forged), "a forged line in: "
                            + e.getLoggerName() + " " + e.getMessage().getFormattedMessage());
                }
            }
        }
    }
}
