package io.pbxbridge.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.LocalPorts;

/**
 * The log of an expected outage, as an operator reads it: pbx-bridge run as it is run (its main class and log
 * configuration) with Escaux and the Kafka broker down. Each harvest of Escaux's call history (which also brings its
 * missed calls) is one WARN line with the cause and the checkpoint that stays (the missed-call poll that came before
 * it was about 100 lines of stack traces per extension and poll); the Kafka client's own warnings
 * (two a second, without end) come a few times, not on every reconnect.
 */
class OutageLogTest {

    @TempDir
    Path tmp;

    @Test
    void anOutageIsOneLinePerAttemptWithTheCauseAndNoStackTrace() throws Exception {
        int closed = LocalPorts.free();
        Map<String, String> env = new LinkedHashMap<>(AppFolders.environment(tmp));
        env.put("PBX_SANDBOX", "false");
        env.put("ESCAUX_ADDRESS", "http://127.0.0.1:" + closed);
        env.put("ESCAUX_EVENT_PORT", Integer.toString(closed));
        env.put("CDR_ESCAUX_CRON", "* * * * * ?");
        env.put("EVENTS_KAFKA_ENABLED", "true");
        env.put("EVENTS_KAFKA_BROKERS", "127.0.0.1:" + closed);
        env.put("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "10");
        env.put("EVENTS_DRAIN_TIMEOUT", "1000");
        ChildJvm child = ChildJvm.builder(Application.class).heap("256m").applicationLogging()
                .directory(AppFolders.project()).env(env).start();
        child.awaitLines(l -> l.stream().anyMatch(s -> s.contains("Routes startup")), 60, "the start");
        long started = System.nanoTime();
        Thread.sleep(6000);
        List<String> log = child.stop();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L + 1;
        String all = String.join("\n", log);

        List<String> runs = log.stream().filter(l -> l.contains("CDR harvest escaux:")).toList();
        assertTrue(runs.size() >= 3 && runs.size() <= seconds + 1, "one line per run (every 1 s, " + seconds
                + " s): " + String.join("\n", runs));
        for (String line : runs) {
            assertTrue(line.contains(" WARN ") && line.contains("FAILED: the vendor did not answer") && line.contains(
                    "Connection refused") && line.contains("checkpoint stays at"), line);
        }
        assertTrue(log.stream().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")
                || l.contains("Failed delivery") || l.contains("Stacktrace")), "no stack trace:\n" + all);
        long kafkaClient = log.stream().filter(l -> l.contains("NetworkClient")).count();
        assertTrue(kafkaClient >= 1 && kafkaClient <= 2, "the Kafka client's warnings, throttled: " + kafkaClient
                + "\n" + all);
    }
}
