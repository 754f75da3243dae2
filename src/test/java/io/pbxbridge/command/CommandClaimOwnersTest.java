package io.pbxbridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.command.CommandApp.Cmd;
import io.pbxbridge.command.CommandLedger.Liveness;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;

/**
 * A command another instance claimed, as a redelivery finds it after that instance's partitions moved here: answered
 * with the other instance's result while that instance lives, {@code unknown} as soon as it is known to be gone (it
 * recorded its stop, or its heartbeat is older than {@code commands.owner-timeout}), never executed here. One app in
 * this JVM (the ledger in files, which the test opens as the other instance would), against the Escaux simulator.
 * And this instance's own heartbeat and stop, as the others read them.
 */
@Timeout(60) // without the owner's liveness, an answer would take commands.stale-after (5 min)
class CommandClaimOwnersTest {

    static final String OTHER = "other-host/boot-1";
    static final Duration OWNER_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path tmp;
    @AutoClose
    static EscauxSimulator escaux;
    @AutoClose
    static CommandApp app;
    static FileCommandLedger other;

    @BeforeAll
    static void start() throws Exception {
        escaux = EscauxSimulator.builder().start();
        app = new CommandApp(tmp.resolve("app")).escaux(escaux).with("commands.instance", "this-host")
                .with("commands.heartbeat", "500ms").with("commands.owner-timeout", OWNER_TIMEOUT.toMillis() + "ms")
                .start(); // commands.stale-after stays 5 min
        other = new FileCommandLedger(app.commands().resolve("ledger"));
    }

    static Cmd dial(String id) {
        return Cmd.of(id, "dial", "escaux/main").param("from", "SDB20001").param("to", "0032475000001");
    }

    /** Executes {@code command} on another thread. */
    static CompletableFuture<JsonNode> executeLater(Cmd command) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return app.execute(command);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Claims {@code command} as the other instance, at {@code at}. */
    static void claimElsewhere(Cmd command, Instant at) throws Exception {
        Command c = new CommandParser(65536).parse(command.bytes());
        assertEquals(Optional.empty(), other.claim(c.id(), CommandExecutor.fingerprint(c), OTHER, at));
    }

    @Test
    void aClaimWhoseOwnerFellSilentIsAnsweredUnknownOnceItsTimeoutHasPassed() throws Exception {
        Cmd command = dial("silent-owner");
        Instant now = Instant.now();
        other.heartbeat(OTHER, now);
        claimElsewhere(command, now);
        int originates = escaux.requestCount("ccOriginate");

        long started = System.nanoTime();
        JsonNode r = app.execute(command);
        long waited = (System.nanoTime() - started) / 1_000_000;

        assertEquals("unknown", r.path("status").asText(), r.toString());
        assertTrue(r.path("message").asText().contains("instance other-host gave no sign of life for "),
                r.toString());
        assertTrue(waited >= OWNER_TIMEOUT.toMillis() - 500 && waited < 10_000, "answered once the owner's "
                + "heartbeat was older than the timeout, not after stale-after: " + waited + " ms");
        assertEquals(originates, escaux.requestCount("ccOriginate"), "not executed here");
        assertEquals(r.toString(), app.execute(command).toString(), "recorded: the same answer again");
    }

    @Test
    void aClaimWhoseOwnerStoppedIsAnsweredUnknownAtOnce() throws Exception {
        Cmd command = dial("stopped-owner");
        claimElsewhere(command, Instant.now());
        other.stopped(OTHER, Instant.now());
        int originates = escaux.requestCount("ccOriginate");

        long started = System.nanoTime();
        JsonNode r = app.execute(command);

        assertEquals("unknown", r.path("status").asText(), r.toString());
        assertTrue(r.path("message").asText().contains("instance other-host stopped at"), r.toString());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1), "at once");
        assertEquals(originates, escaux.requestCount("ccOriginate"));
    }

    @Test
    void aClaimWhoseOwnerLivesIsAnsweredWithTheOwnersResult() throws Exception {
        String owner = "live-host/boot-1";
        Cmd command = dial("live-owner");
        Command c = new CommandParser(65536).parse(command.bytes());
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        try {
            beats.scheduleAtFixedRate(() -> {
                try {
                    other.heartbeat(owner, Instant.now());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 300, TimeUnit.MILLISECONDS);
            other.claim(c.id(), CommandExecutor.fingerprint(c), owner, Instant.now());
            CompletableFuture<JsonNode> answer = executeLater(command);
            Thread.sleep(2 * OWNER_TIMEOUT.toMillis()); // longer than the timeout: the heartbeat is what keeps it
            assertFalse(answer.isDone(), "waits for the living owner's result: " + (answer.isDone()
                    ? answer.join() : ""));
            String result = "{\"id\":\"live-owner\",\"status\":\"ok\",\"target\":\"escaux/main\",\"verb\":\"dial\","
                    + "\"message\":\"carried out by live-host\"}";
            other.finish(c.id(), result, Instant.now());

            JsonNode r = answer.get(10, TimeUnit.SECONDS);
            assertEquals("ok", r.path("status").asText(), r.toString());
            assertEquals("carried out by live-host", r.path("message").asText(), r.toString());
        } finally {
            beats.shutdownNow();
        }
    }

    @Test
    void anAnswerRecordedWhileThisInstanceExecutesStandsOverItsOwn() throws Exception {
        Cmd command = dial("answered-meanwhile");
        escaux.faults().delayNext("ccOriginate", Duration.ofSeconds(2));
        int originates = escaux.requestCount("ccOriginate");
        CompletableFuture<JsonNode> answer = executeLater(command);
        Await.until(Duration.ofSeconds(10), "the call requested", () -> escaux.requestCount("ccOriginate")
                > originates);
        // another instance took this one for gone (cut off from the ledger, say) and answered unknown
        String unknown = "{\"id\":\"answered-meanwhile\",\"status\":\"unknown\",\"target\":\"escaux/main\","
                + "\"verb\":\"dial\",\"message\":\"given up by other-host\"}";
        assertEquals(Optional.empty(), other.finish("answered-meanwhile", unknown, Instant.now()));

        JsonNode r = answer.get(20, TimeUnit.SECONDS);
        assertEquals("unknown", r.path("status").asText(), "one answer per command, the first: " + r);
        assertEquals("given up by other-host", r.path("message").asText(), r.toString());
        assertEquals(unknown, other.find("answered-meanwhile").orElseThrow().result());
        assertEquals(originates + 1, escaux.requestCount("ccOriginate"));
    }

    @Test
    void thisInstanceBeatsWhileItRunsAndRecordsItsStop() throws Exception {
        try (CommandApp second = new CommandApp(tmp.resolve("second")).escaux(escaux)
                .with("commands.instance", "second").with("commands.heartbeat", "200ms")
                .with("commands.owner-timeout", "1s").start()) {
            FileCommandLedger ledger = new FileCommandLedger(second.commands().resolve("ledger"));
            JsonNode r = second.execute(dial("second-1"));
            String owner = ledger.find("second-1").orElseThrow().owner();
            assertTrue(owner.startsWith("second/"), owner);

            Instant first = ledger.liveness(owner).orElseThrow().lastBeat();
            Await.until(Duration.ofSeconds(5), "a later beat", () -> lastBeat(ledger, owner).isAfter(first));
            assertNull(ledger.liveness(owner).orElseThrow().stoppedAt(), "running: " + r);

            second.stop();
            Liveness stopped = ledger.liveness(owner).orElseThrow();
            assertNotNull(stopped.stoppedAt(), "its stop recorded, with nothing under way");
            Thread.sleep(500);
            assertEquals(stopped, ledger.liveness(owner).orElseThrow(), "no beat after the stop");
        }
    }

    static Instant lastBeat(FileCommandLedger ledger, String owner) {
        try {
            return ledger.liveness(owner).orElseThrow().lastBeat();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
