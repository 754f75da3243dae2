package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Ndjson;
import io.pbxbridge.support.webhook.StandardWebhooks;
import io.pbxbridge.testsupport.NumberedCalls;
import io.pbxbridge.testsupport.NumberedCalls.Delivery;
import io.pbxbridge.testsupport.NumberedCalls.Report;
import io.pbxbridge.testsupport.WebhookReceiver;

/**
 * pbx-bridge as a separate process, killed with SIGKILL while its webhook receiver is down and events are streaming,
 * then started again: every event it had read is delivered once the receiver is back (the spool is written before
 * the intake goes on), in per-call order, and sequence numbers continue above those handed out before the kill, also
 * for calls first seen in the last moments. What a push stream inherently loses (events the PBX wrote into the socket
 * that died with the process) is counted and printed.
 */
class EventCrashTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SECRET = StandardWebhooks.newSecret();

    @TempDir
    Path tmp;
    EscauxSimulator escaux;
    WebhookReceiver receiver;
    Process app;

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.destroyForcibly();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (escaux != null) {
            escaux.stop();
        }
    }

    Process launch(String log) throws Exception {
        EventAppHarness props = new EventAppHarness(tmp, escaux).withWebhook(receiver, SECRET);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        props.properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Application.class.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    long ndjsonLines() {
        try {
            return Ndjson.read(tmp.resolve("events/call-events.ndjson")).size();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void killedWhileStreamingLosesNothingItHadReadAndNeverRepeatsASequence() throws Exception {
        escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).build().start();
        receiver = new WebhookReceiver(SECRET).start();
        receiver.stop(); // down: everything waits in the webhook's spool

        app = launch("run1.log");
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        // 1,500 events, all through the intake (their NDJSON lines are written after the spools)
        for (int i = 0; i < 1500; i++) {
            escaux.emit(NumberedCalls.event("crash", i));
            if (i % 50 == 49) {
                Thread.sleep(25);
            }
        }
        Await.until(WAIT, "1500 events in the NDJSON sink", () -> ndjsonLines() == 1500);
        // 150 more, taken in the last moments before the kill (their calls first seen then), then 150 at full
        // speed with the process killed as they go out
        for (int i = 1500; i < 1650; i++) {
            escaux.emit(NumberedCalls.event("crash", i));
        }
        Await.until(WAIT, "1650 events in the NDJSON sink", () -> ndjsonLines() == 1650);
        int connections = escaux.eventConnections();
        Thread killer = new Thread(() -> app.destroyForcibly());
        killer.start();
        for (int i = 1650; i < 1800; i++) {
            escaux.emit(NumberedCalls.event("crash", i));
        }
        killer.join();
        assertTrue(app.waitFor(10, TimeUnit.SECONDS));

        app = launch("run2.log");
        // the simulator notices the dead socket only when a write to it fails, as a real SOP would
        Await.until(WAIT, "the event socket connected again", () -> escaux.eventConnections() > connections);
        // the calls of the last moments go on after the restart: their numbers must continue, never repeat
        Set<String> lastCalls = new LinkedHashSet<>();
        for (int i = 1500; i < 1650; i++) {
            lastCalls.add(NumberedCalls.call("crash", i));
        }
        int seq = 10_000;
        List<Integer> after = new ArrayList<>();
        for (String call : lastCalls) {
            escaux.emit(NumberedCalls.eventFor(call, seq));
            after.add(seq++);
        }
        receiver.start();
        int expectedAtLeast = 1500 + after.size();
        Await.until(WAIT, () -> "the webhook's events delivered, got " + receiver.accepted().size() + " of "
                + receiver.requests().size() + " requests, statuses " + receiver.requests().stream().collect(
                        java.util.stream.Collectors.groupingBy(WebhookReceiver.Received::status,
                                java.util.stream.Collectors.counting())),
                () -> receiver.accepted().size() >= expectedAtLeast);
        int[] last = { -1 };
        long[] since = { System.nanoTime() };
        Await.until(WAIT, "no more deliveries for a second", () -> {
            int n = receiver.accepted().size();
            if (n != last[0]) {
                last[0] = n;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > 1_000_000_000L;
        });

        List<Delivery> got = receiver.accepted().stream().map(r -> NumberedCalls.fromStructured(r.body())).toList();
        List<Integer> emitted = new ArrayList<>(IntStream.range(0, 1800).boxed().toList());
        emitted.addAll(after);
        Report report = NumberedCalls.check(emitted, got);
        List<Integer> lostBeforeKill = report.lost().stream().filter(i -> i < 1650 || i >= 10_000).toList();
        System.out.println("EventCrashTest: " + report + "; lost with the socket at the kill: "
                + report.lost().size() + " of the 150 emitted as it died");
        assertEquals(List.of(), lostBeforeKill, "every event read before the kill, and every one after the restart");
        assertEquals(0, report.duplicates(), "the receiver had confirmed nothing before the kill: nothing twice");
        assertEquals(List.of(), report.outOfOrder(), "per-call order");
        assertEquals(List.of(), report.sequenceRepeats(), "sequence numbers only grow, across the kill");
    }
}
