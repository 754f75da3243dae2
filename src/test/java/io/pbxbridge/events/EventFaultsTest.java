package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.webhook.StandardWebhooks;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.testsupport.NumberedCalls;
import io.pbxbridge.testsupport.NumberedCalls.Report;
import io.pbxbridge.testsupport.WebhookReceiver;

/**
 * Event forwarding under the faults a demanding operator tried: a receiver that fails half the time or answers
 * slowly, a spool folder that cannot be written, a spool disk that fills up. A numbered stream of calls (three
 * events each, ten interleaved) comes from the Escaux simulator's socket; every event is counted at each sink: none
 * lost, none an acknowledged delivery sent twice, no call out of order, sequence numbers strictly increasing.
 */
class EventFaultsTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SECRET = StandardWebhooks.newSecret();

    @TempDir
    Path tmp;
    EscauxSimulator escaux;
    WebhookReceiver receiver;
    EventAppHarness app;

    @BeforeEach
    void setUp() throws Exception {
        escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).build().start();
        receiver = new WebhookReceiver(SECRET).start();
        app = new EventAppHarness(tmp, escaux).withWebhook(receiver, SECRET).with("events.drain-timeout", "1000");
    }

    @AfterEach
    void tearDown() {
        app.close();
        receiver.close();
        escaux.stop();
    }

    /** Emits events {@code from} to {@code to - 1} at about {@code perSecond}. */
    void emit(String prefix, int from, int to, int perSecond) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            escaux.emit(NumberedCalls.event(prefix, i));
            long due = start + (i - from + 1) * 1_000_000_000L / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }

    Report webhookReport(int emitted) {
        return NumberedCalls.check(range(emitted),
                receiver.accepted().stream().map(r -> NumberedCalls.fromStructured(r.body())).toList());
    }

    Report ndjsonReport(int emitted) throws Exception {
        return NumberedCalls.check(range(emitted), app.ndjson().stream().map(NumberedCalls::fromStructured).toList());
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static void assertClean(Report report) {
        assertTrue(report.lost().isEmpty() && report.duplicates() == 0 && report.outOfOrder().isEmpty()
                && report.sequenceRepeats().isEmpty(), report.toString());
    }

    long ndjsonLines() {
        try {
            return app.ndjson().size();
        } catch (Exception e) {
            return -1;
        }
    }

    SinkGuard guard(String sink) {
        return app.main.getCamelContext().getRegistry().findByType(SinkGuard.class).stream()
                .filter(g -> sink.equals(g.getSink())).findFirst().orElseThrow();
    }

    HealthCheck.Result health(String sink) {
        return HealthCheckHelper.invoke(app.main.getCamelContext(), "sink-" + sink, Map.of()).orElseThrow();
    }

    @Test
    void drainTimesThatDoNotFitTheShutdownTimeoutAreRefusedAtStartUp() {
        // two sinks (NDJSON, webhook) of 10 s each cannot finish within the harness's 15 s shutdown timeout
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> app.with("events.drain-timeout", "10000").start());
        String message = String.valueOf(e.getMessage()) + (e.getCause() != null ? e.getCause().getMessage() : "");
        assertTrue(message.contains("camel.main.shutdown-timeout (15 s) is too short for 2 sinks"), message);
    }

    @Test
    void receiverFailingHalfTheTimeGetsEveryEventOnceInOrder() throws Exception {
        receiver.failRandomly(0.5, 42);
        app.with("events.retry.delay", "5").with("events.retry.max-delay", "20").start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        emit("flap", 0, 600, 1000);
        Await.until(WAIT, () -> "600 accepted, got " + receiver.accepted().size(),
                () -> receiver.accepted().size() >= 600);
        Thread.sleep(300);
        Report report = webhookReport(600);
        System.out.println("EventFaultsTest flapping receiver: " + report + ", " + receiver.requests().size()
                + " requests");
        assertClean(report);
        assertTrue(receiver.requests().stream().filter(r -> r.status() == 500).count() > 100, "it did fail");
    }

    @Test
    void slowReceiverNeverHoldsUpTheOtherSinksNorTheIntake() throws Exception {
        receiver.delay(Duration.ofMillis(500));
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        long t0 = System.nanoTime();
        emit("slow", 0, 2000, 1000);
        // the NDJSON sink keeps pace with the stream while the webhook takes 2 events a second
        Await.until(Duration.ofSeconds(10), () -> "the NDJSON sink has all 2000, got " + ndjsonLines(),
                () -> ndjsonLines() == 2000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertClean(ndjsonReport(2000));
        SinkGuard webhook = guard("webhook-main");
        assertTrue(webhook.spooled() > 1900, "the webhook's backlog waits in its spool: " + webhook.spooled());
        Report partial = NumberedCalls.check(List.of(),
                receiver.accepted().stream().map(r -> NumberedCalls.fromStructured(r.body())).toList());
        assertTrue(partial.outOfOrder().isEmpty() && partial.duplicates() == 0, partial.toString());
        System.out.println("EventFaultsTest slow receiver: 2000 events into NDJSON in " + seconds + " s, "
                + receiver.accepted().size() + " POSTed meanwhile, " + webhook.spooled() + " waiting");
        // the rest is delivered once the receiver is quick again, in order
        receiver.delay(Duration.ZERO);
        Await.until(WAIT, () -> "2000 accepted, got " + receiver.accepted().size(),
                () -> receiver.accepted().size() >= 2000);
        assertClean(webhookReport(2000));
    }

    @Test
    void spoolFolderNotWritableIsLoudHoldsTheEventsAndRecoversByItself() throws Exception {
        Path blocked = Files.createDirectories(tmp.resolve("spool")).resolve("webhook-main");
        Files.writeString(blocked, "a file where the spool's folder should be");
        try (LogCapture log = LogCapture.open()) {
            app.with("events.retry.max-delay", "500").start();
            Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
            emit("perm", 0, 300, 1000);
            Await.until(WAIT, "the NDJSON sink has all 300", () -> ndjsonLines() == 300);
            Await.until(WAIT, "the webhook's events held", () -> guard("webhook-main").spooled() == 300);
            HealthCheck.Result down = health("webhook-main");
            assertEquals(HealthCheck.State.DOWN, down.getState());
            assertTrue(String.valueOf(down.getMessage().orElse("")).contains("spool cannot be written"),
                    down.getMessage().toString());
            assertEquals(0, receiver.requests().size(), "nothing delivered around the spool");
            Files.delete(blocked); // the operator fixes the folder; no restart
            Await.until(WAIT, () -> "300 accepted, got " + receiver.accepted().size(),
                    () -> receiver.accepted().size() >= 300);
            assertClean(webhookReport(300));
            Await.until(WAIT, "health UP again", () -> health("webhook-main").getState() == HealthCheck.State.UP);
            List<String> errors = log.messages(Level.ERROR, "SinkGuard");
            assertEquals(1, errors.size(), "one ERROR line for the change: " + errors);
            assertTrue(errors.get(0).contains("webhook-main") && errors.get(0).contains("cannot be opened"), errors.get(0));
            assertTrue(log.messages(Level.INFO, "SinkGuard").stream().anyMatch(m -> m.contains("works again")));
        }
    }

    @Test
    void spoolDiskFullIsLoudLosesNothingAndRecoversWithoutARestart() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Assumptions.assumeTrue(mountTmpfs(spool, "1m"), "a 1 MB tmpfs cannot be mounted here (needs root)");
        try {
            receiver.stop();
            try (LogCapture log = LogCapture.open()) {
                app.with("events.retry.max-delay", "500").start();
                Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
                emit("full", 0, 3000, 2000); // about 3 MB of events for a 1 MB disk
                Await.until(WAIT, () -> "the webhook's 3000 events taken, got " + guard("webhook-main").spooled(),
                        () -> guard("webhook-main").spooled() == 3000);
                assertTrue(guard("webhook-main").spoolProblem() != null, "the disk filled up");
                assertEquals(HealthCheck.State.DOWN, health("webhook-main").getState());
                receiver.start();
                Await.until(WAIT, () -> "3000 accepted, got " + receiver.accepted().size(),
                        () -> receiver.accepted().size() >= 3000);
                Report report = webhookReport(3000);
                System.out.println("EventFaultsTest disk full: " + report);
                assertClean(report);
                Await.until(WAIT, "the NDJSON sink has all 3000", () -> ndjsonLines() == 3000);
                assertClean(ndjsonReport(3000));
                Await.until(WAIT, "health UP again", () -> health("webhook-main").getState() == HealthCheck.State.UP);
                List<String> errors = log.messages(Level.ERROR);
                // the sinks compete for the little room freed as they deliver: a few changes, not a line per event
                assertTrue(errors.size() <= 30, "ERRORs per change, not per event: " + errors.size() + " " + errors);
                System.out.println("EventFaultsTest disk full: " + errors.size() + " ERROR lines");
            }
        } finally {
            app.close();
            new ProcessBuilder("umount", "-l", spool.toString()).inheritIO().start().waitFor();
        }
    }

    static boolean mountTmpfs(Path dir, String size) throws Exception {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                System.out.println("EventFaultsTest: mount failed: " + out);
            }
            return ok;
        } catch (java.io.IOException e) {
            return false;
        }
    }

}
