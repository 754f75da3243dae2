package io.pbxbridge.fax;

import static io.pbxbridge.fax.FaxFromFolderRouteTest.WAIT;
import static io.pbxbridge.fax.FaxFromFolderRouteTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
import io.pbxbridge.testsupport.FreePort;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.testsupport.Management;

/**
 * The fax route while Monema is down or slow, end to end (Camel Main, the route, the simulator over HTTP): jobs run
 * side by side up to {@code fax.concurrency}, wait for the vendor instead of failing, and are never sent twice.
 */
class FaxVendorOutageTest {

    @TempDir
    Path tmp;
    Path outbox;
    MonemaSimulator sim;
    Main main;

    @BeforeEach
    void setUp() {
        outbox = tmp.resolve("outbox");
        sim = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("sim")).seed(5)
                .account("demo", "demo-secret", new BigDecimal("100.00")).build().start();
    }

    @AfterEach
    void tearDown() {
        if (main != null) {
            main.stop();
        }
        sim.stop();
    }

    void start(Map<String, String> extra) throws Exception {
        main = FaxFromFolderRouteTest.startApp(tmp, sim.address(), extra);
    }

    FaxJobs faxJobs() {
        return main.getCamelContext().getRegistry().lookupByNameAndType("faxJobs", FaxJobs.class);
    }

    /** The job's state file, or an empty node when it has none. */
    JsonNode state(String jobId) {
        try {
            Path file = tmp.resolve("state/" + jobId + ".state.json");
            return Files.exists(file) ? json(file) : json(Files.writeString(tmp.resolve("empty.json"), "{}"));
        } catch (Exception e) {
            return state(jobId); // read while it was being replaced: read again
        }
    }

    List<String> eventTypes(String jobId) {
        return FaxFromFolderRouteTest.eventTypes(tmp.resolve("events/fax-events.ndjson"), jobId);
    }

    static void sleepUntil(Instant at) throws InterruptedException {
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
    }

    @Test
    void twoFaxesDroppedDuringOneOutageBothWaitForTheVendorAndAreSentOnceWhenItReturns() throws Exception {
        int mgmt = FreePort.next();
        // retries 300 ms doubling to 1 s apart: the old budget (4 retries) was over after about 3 s
        start(Map.of("camel.management.port", Integer.toString(mgmt), "fax.health.vendor-budget", "1s"));
        sim.faults().refuseConnections(true);
        Instant outage = Instant.now();
        FaxFromFolderRouteTest.drop(outbox, "15550001__first.pdf", TestPdfs.bytes(100_000, 31));
        FaxFromFolderRouteTest.drop(outbox, "15550002__second.pdf", TestPdfs.bytes(100_000, 32));

        // both received and held side by side, each tried again and again: not one after the other
        Await.until(WAIT, "both jobs waiting for the vendor, each tried at least twice",
                () -> Stream.of("15550001__first", "15550002__second").allMatch(
                        job -> "WAITING".equals(state(job).path("status").asText())
                                && state(job).path("attempts").asInt() >= 2));
        FaxOutboxStatus status = faxJobs().status();
        assertEquals(2, status.jobs(), status.toString());
        assertEquals(2, status.waitingForVendor(), status.toString());
        assertTrue(status.longestVendorWait().toMillis() > 0, status.toString());
        assertTrue(status.oldestJobAge().compareTo(status.longestVendorWait()) >= 0, status.toString());
        assertTrue(status.vendorError().contains("Monema"), status.toString());
        JsonNode waiting = state("15550001__first");
        assertTrue(Instant.parse(waiting.get("nextAttemptAt").asText()).isAfter(outage), waiting.toString());
        assertNotNull(waiting.get("waitingSince"), waiting.toString());

        // past its budget the vendor outage makes the outbox not ready, and says why
        Await.until(WAIT, "not ready", () -> Management.readiness(mgmt) == 503);
        Management.Answer ready = Management.get(mgmt, "/observe/health/ready?data=true");
        assertTrue(ready.body().contains("fax-outbox") && ready.body().contains("wait for the vendor")
                && ready.body().contains("waitingForVendor"), ready.body());
        assertFalse(ready.body().contains("demo-secret"), ready.body());
        assertEquals(200, Management.get(mgmt, "/observe/health/live").status(), "liveness stays UP");

        sleepUntil(outage.plusSeconds(6)); // twice as long as the old retry budget
        assertFalse(Files.exists(tmp.resolve("failed/15550001__first.pdf")), "held, not failed");
        assertFalse(Files.exists(tmp.resolve("failed/15550002__second.pdf")), "held, not failed");
        sim.faults().refuseConnections(false);

        Await.until(WAIT, "both faxes in sent/", () -> Files.exists(tmp.resolve("sent/15550001__first.pdf"))
                && Files.exists(tmp.resolve("sent/15550002__second.pdf")));
        assertEquals(2, sim.sentFaxes().size());
        assertEquals(2, sim.requestCount("C_sendFax"), "each sent once");
        Await.until(WAIT, "ready again", () -> Management.readiness(mgmt) == 200);
        Management.Answer metrics = Management.get(mgmt, "/observe/metrics");
        assertEquals(2, metrics.sample("pbx_fax_jobs_seconds_count", "outcome=\"sent\""), metrics.body());
        assertEquals(0, metrics.sample("pbx_fax_outbox_jobs", "state=\"waiting_for_vendor\""));
        for (String job : List.of("15550001__first", "15550002__second")) {
            Await.until(WAIT, job + " fax.sent event", () -> eventTypes(job).contains("fax.sent"));
            assertEquals(List.of("fax.received", "fax.waiting", "fax.uploaded", "fax.sent"), eventTypes(job),
                    "one fax.waiting per job, not one per attempt");
        }
        assertEquals(0, faxJobs().status().jobs());
    }

    @Test
    void aJobWaitingLongerThanTheMaximumFailsWithTheReason() throws Exception {
        start(Map.of("fax.vendor-outage.max-wait", "2s", "fax.retry.delay", "200", "fax.retry.max-delay", "400"));
        sim.faults().refuseConnections(true);
        FaxFromFolderRouteTest.drop(outbox, "15550001__down.pdf", TestPdfs.bytes(10_000, 5));
        Await.until(WAIT, "the fax in failed/", () -> Files.exists(tmp.resolve("failed/15550001__down.pdf")));
        JsonNode r = json(tmp.resolve("failed/15550001__down.error.json"));
        assertTrue(r.get("transient").asBoolean(), r.toString());
        assertTrue(r.get("reason").asText().startsWith("gave up after waiting 2s"), r.toString());
        assertTrue(r.get("reason").asText().contains(" for the vendor (" + r.get("attempts").asInt() + " attempts): "),
                r.toString());
        assertTrue(r.get("attempts").asInt() >= 4, r.toString());
        assertNotNull(r.get("waitingSince"));
        Await.until(WAIT, "fax.failed event", () -> eventTypes("15550001__down").contains("fax.failed"));
        assertEquals(List.of("fax.received", "fax.waiting", "fax.failed"), eventTypes("15550001__down"));
    }

    @Test
    void jobsRunSideBySideUpToTheConcurrency() throws Exception {
        sim.faults().delayOperation("C_uploadFaxChunk", Duration.ofMillis(600));
        start(Map.of("fax.concurrency", "2"));
        for (int i = 1; i <= 4; i++) {
            FaxFromFolderRouteTest.drop(outbox, "1555000" + i + "__doc" + i + ".pdf", TestPdfs.bytes(50_000, 40 + i));
        }
        AtomicInteger most = new AtomicInteger();
        Await.until(WAIT, "four faxes sent", () -> {
            try (Stream<Path> states = Files.list(tmp.resolve("state"))) {
                long running = states.filter(f -> f.getFileName().toString().endsWith(".state.json")).filter(f -> {
                    try {
                        return List.of("RECEIVED", "UPLOADING", "UPLOADED", "SENDING")
                                .contains(json(f).path("status").asText());
                    } catch (Exception e) {
                        return false; // filed a moment ago
                    }
                }).count();
                most.accumulateAndGet((int) running, Math::max);
            } catch (Exception e) {
                // the state folder is created by the first job
            }
            return sim.sentFaxes().size() == 4;
        });
        assertEquals(2, most.get(), "two jobs at a time, never more");
    }

    @Test
    void aSendWithoutAnAnswerIsNotSentAgain() throws Exception {
        // the server takes 1.5 s to answer C_sendFax, pbx-bridge waits 1 s: it cannot know whether the fax went out
        sim.faults().delayOperation("C_sendFax", Duration.ofMillis(1500));
        start(Map.of("camel.component.monema.receive-timeout", "1000"));
        try (LogCapture log = LogCapture.open()) {
            FaxFromFolderRouteTest.drop(outbox, "15550001__once.pdf", TestPdfs.bytes(10_000, 6));
            Await.until(WAIT, "the fax in failed/", () -> Files.exists(tmp.resolve("failed/15550001__once.pdf")));
            assertNoStackTraceNorCamelRetryLine(log); // a timeout is expected: CXF's unwinding trace is not logged
        }
        JsonNode r = json(tmp.resolve("failed/15550001__once.error.json"));
        assertEquals("SEND_OUTCOME_UNKNOWN", r.get("code").asText(), r.toString());
        assertEquals("C_sendFax", r.get("operation").asText(), r.toString());
        assertTrue(r.get("reason").asText().contains("not resent automatically"), r.toString());
        Await.until(WAIT, "the server sent it (after answering too late)", () -> sim.sentFaxes().size() == 1);
        Thread.sleep(2000); // time for a resend, had there been one
        assertEquals(1, sim.requestCount("C_sendFax"));
        assertEquals(1, sim.sentFaxes().size(), "faxed once");
    }

    @Test
    void anOutageIsOneWarningPerAttemptNamingTheJobWithoutStackTraces() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            start(Map.of());
            sim.faults().refuseConnections(true);
            FaxFromFolderRouteTest.drop(outbox, "15550001__quiet.pdf", TestPdfs.bytes(10_000, 7));
            Await.until(WAIT, "three failed attempts", () -> log.messages(Level.WARN, "FaxJobs").size() >= 3);

            List<String> waits = log.messages(Level.WARN, "FaxJobs");
            for (int i = 0; i < waits.size(); i++) { // one line per attempt, in order
                String line = waits.get(i);
                assertTrue(line.matches("Fax job 15550001__quiet \\(15550001__quiet\\.pdf\\) waits for the vendor:"
                        + " monema (is unreachable|did not answer) \\(.*Monema.*\\); next attempt at \\S+Z \\(attempt "
                        + (i + 1) + " failed; waiting since .*"), line);
            }
            assertNoStackTraceNorCamelRetryLine(log);
        }
    }

    static void assertNoStackTraceNorCamelRetryLine(LogCapture log) {
        for (Level level : List.of(Level.WARN, Level.ERROR)) {
            for (LogEvent e : log.events(level, "")) {
                String m = e.getMessage().getFormattedMessage();
                assertFalse(m.contains("Failed delivery"), "Camel's retry line: " + m);
                assertEquals(null, e.getThrown(), "a stack trace for an expected condition: " + m);
            }
        }
    }
}
