package io.pbxbridge.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.command.CommandApp.Cmd;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;

/**
 * The folder source, as in the sandbox (issue 13 §3): one JSON file per command in {@code commands/inbox}, the
 * result in {@code commands/results/<id>.json}, the ledger in files; no Kafka, no PostgreSQL. One app for the class,
 * against the Escaux simulator.
 */
class CommandsFolderTest {

    static final String ESCAUX = "escaux/main";

    @TempDir
    static Path tmp;
    static EscauxSimulator escaux;
    static CommandApp app;
    static Path inbox;

    @BeforeAll
    static void start() throws Exception {
        escaux = EscauxSimulator.builder().start();
        app = new CommandApp(tmp.resolve("app")).escaux(escaux).with("commands.folder.enabled", "true").start();
        inbox = Files.createDirectories(app.commands().resolve("inbox"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (escaux != null) {
            escaux.close();
        }
    }

    @Test
    void aCommandFileIsAnsweredWithAResultFile() {
        int before = escaux.requestCount("ccQueueAdd");
        drop("add-agent.json", Cmd.of("folder-queue-add", "queue.add", ESCAUX).param("queue", "GeneralQ2")
                .param("agent", "SDC30015").bytes());
        JsonNode r = app.awaitResultFile("folder-queue-add");
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals("ccQueueAdd", r.path("operation").asText(), r.toString());
        assertEquals(before + 1, escaux.requestCount("ccQueueAdd"));
        assertTrue(escaux.queueMembers("GeneralQ2").containsKey("SDC30015"));
        awaitDone("add-agent");
        assertFalse(Files.exists(inbox.resolve("add-agent.json")), "taken out of the inbox");
        // its id is in the ledger, in files
        assertTrue(Files.isDirectory(app.commands().resolve("ledger")), "the file ledger");
    }

    @Test
    void theSameIdTwiceIsExecutedOnceAndAnsweredAlike() {
        int before = escaux.requestCount("ccOriginate");
        byte[] dial = Cmd.of("folder/dial:1", "dial", ESCAUX).param("from", "SDB20001").param("to", "104").bytes();
        drop("dial-a.json", dial);
        JsonNode first = app.awaitResultFile("folder/dial:1");
        assertEquals("ok", first.path("status").asText(), first.toString());
        Path result = app.commands().resolve("results").resolve(CommandExecutor.fileName("folder/dial:1"));
        byte[] answer = CommandApp.read(result);
        awaitDone("dial-a");

        drop("dial-b.json", dial);
        awaitDone("dial-b");
        assertArrayEquals(answer, CommandApp.read(result), "the same result file, byte for byte");
        assertEquals(before + 1, escaux.requestCount("ccOriginate"), "one dial");
    }

    @Test
    void aGarbageFileIsDeadLetteredWithItsBytesAndTheReason() {
        byte[] garbage = "\u00ff\u00fe{not a command".getBytes(StandardCharsets.ISO_8859_1);
        drop("garbage.json", garbage);
        Path dead = app.commands().resolve("dead-letter");
        Path reason = dead.resolve("garbage.reason.txt");
        Await.until(CommandApp.WAIT, "the dead letter's reason", () -> Files.isRegularFile(reason));
        assertArrayEquals(garbage, CommandApp.read(dead.resolve("garbage.json")), "the raw bytes");
        String why = new String(CommandApp.read(reason), StandardCharsets.UTF_8);
        assertTrue(why.startsWith("not JSON"), why);
        // and the next command is executed
        drop("after-garbage.json", Cmd.of("folder-after-garbage", "operation", ESCAUX)
                .param("operation", "dbGetQueueInfo").bytes());
        assertEquals("ok", app.awaitResultFile("folder-after-garbage").path("status").asText());
    }

    /**
     * Files written straight into the inbox (no temporary name) by a slow writer, as a client on a slow link or a copy
     * over a network share does: one in two parts 300 ms apart, one in eight parts 300 ms apart (whose pauses are sure
     * to fall between two of the folder's checks of it). Each is read whole, never a part of it.
     */
    @Test
    void aFileWrittenSlowlyIsReadWhole() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int parts : new int[] { 2, 8 }) {
                byte[] command = Cmd.of("folder-slow-" + parts, "operation", ESCAUX)
                        .param("operation", "ccGetQueueStatus").param("queue", "GeneralQueue").bytes();
                writes.add(writers.submit(() -> {
                    try (OutputStream out = Files.newOutputStream(inbox.resolve("slow-" + parts + ".json"))) {
                        for (int i = 0; i < parts; i++) {
                            if (i > 0) {
                                Thread.sleep(300);
                            }
                            int from = command.length * i / parts;
                            out.write(command, from, command.length * (i + 1) / parts - from);
                            out.flush();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            writers.shutdownNow();
        }
        for (int parts : new int[] { 2, 8 }) {
            JsonNode r = app.awaitResultFile("folder-slow-" + parts);
            assertEquals("ok", r.path("status").asText(), r.toString());
        }
        try (Stream<Path> dead = Files.list(Files.createDirectories(app.commands().resolve("dead-letter")))) {
            List<String> slow = dead.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("slow-")).toList();
            assertEquals(List.of(), slow, "no file read before its end");
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Writes a command file as a careful client does: under a name the inbox ignores, then renamed. */
    static void drop(String name, byte[] content) {
        try {
            Path part = inbox.resolve("." + name + ".part");
            Files.write(part, content, StandardOpenOption.CREATE_NEW);
            Files.move(part, inbox.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the inbox file {@code name}.json has been handled and moved to {@code done/}. */
    static void awaitDone(String name) {
        Path done = app.commands().resolve("done");
        Await.until(CommandApp.WAIT, name + ".json moved to done/", () -> {
            if (Files.exists(inbox.resolve(name + ".json")) || !Files.isDirectory(done)) {
                return false;
            }
            try (Stream<Path> files = Files.list(done)) {
                return files.anyMatch(p -> p.getFileName().toString().startsWith(name + "-"));
            } catch (IOException e) {
                return false;
            }
        });
    }
}
