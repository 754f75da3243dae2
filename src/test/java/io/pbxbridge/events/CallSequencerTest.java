package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.ChildJvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallSequencerTest {

    @TempDir
    Path tmp;

    @Test
    void numbersPerCallAndNeverRepeatsAcrossRestarts() {
        Path file = tmp.resolve("seq.json");
        CallSequencer s = new CallSequencer(file, 1000, 60_000);
        assertEquals(1, s.next("a"));
        assertEquals(2, s.next("a"));
        assertEquals(1, s.next("b"));
        s.save(true); // orderly shutdown
        CallSequencer resumed = new CallSequencer(file, 1000, 60_000);
        assertEquals(3, resumed.next("a"));
        for (int i = 0; i < 10; i++) {
            resumed.next("a"); // handed out, never saved: then a crash
        }
        CallSequencer afterCrash = new CallSequencer(file, 1000, 60_000);
        long n = afterCrash.next("a");
        assertTrue(n > 13, "a crash must not reuse numbers, got " + n);
        assertEquals(1, afterCrash.next("c"));
    }

    @Test
    void threadsNumberTheirCallsWithoutGapsOrRepeats() throws Exception {
        CallSequencer s = new CallSequencer(tmp.resolve("seq.json"), 10_000, 5);
        int threads = 4;
        int calls = 200;
        int perCall = 500;
        long[][] seen = new long[threads][calls * perCall];
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                // each thread numbers its own calls, interleaved, as the escaux:events workers do
                for (int i = 0; i < calls * perCall; i++) {
                    seen[me][i] = s.next("t" + me + "-call-" + (i % calls));
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < calls * perCall; i++) {
                assertEquals(i / calls + 1, seen[t][i], "thread " + t + ", event " + i);
            }
        }
        s.save(true);
        assertEquals(perCall + 1, new CallSequencer(tmp.resolve("seq.json"), 10_000, 5).next("t3-call-7"));
    }

    @Test
    void forgetsTheLeastRecentlyNumberedCallsBeyondMaxCalls() {
        CallSequencer s = new CallSequencer(null, 160, 60_000);
        s.next("kept");
        for (int i = 0; i < 10_000; i++) {
            s.next("call-" + i);
            if (i % 10 == 0) {
                s.next("kept");
            }
        }
        assertEquals(1002, s.next("kept"), "a call in use is kept");
        assertEquals(1, s.next("call-0"), "an old one is forgotten");
    }

    @Test
    void aCallFirstSeenAfterTheLastSnapshotResumesAfterTheGap() {
        Path file = tmp.resolve("seq.json");
        CallSequencer s = new CallSequencer(file, 1000, 60_000);
        assertEquals(1, s.next("old"));
        s.save(false);
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = s.next("SIP/trunk-12-0000a1"); // only in the journal: then a crash
        }
        CallSequencer afterCrash = new CallSequencer(file, 1000, 60_000);
        long n = afterCrash.next("SIP/trunk-12-0000a1");
        assertTrue(n > last, "a call first seen after the snapshot must not restart at 1, got " + n);
        assertEquals(CallSequencer.RESTART_GAP + 1, n);
        assertEquals(1 + CallSequencer.RESTART_GAP + 1, afterCrash.next("old"));
    }

    @Test
    void numbersHandedOutAfterAnOrderlySaveAreNotReused() {
        Path file = tmp.resolve("seq.json");
        CallSequencer s = new CallSequencer(file, 1000, 60_000);
        s.next("a");
        s.save(true);
        assertEquals(2, s.next("a")); // a late event after the shutdown save: then a crash
        assertTrue(new CallSequencer(file, 1000, 60_000).next("a") > 2);
    }

    @Test
    void theJournalKeepsAnyCallIdAndIgnoresATornLastLine() throws Exception {
        Path file = tmp.resolve("seq.json");
        List<String> ids = List.of("SIP/trunk-12-0000a1", "with \"quotes\", \\ and a\nnewline", "ünïcødé ☎",
                "lone \uD800 surrogate", "");
        CallSequencer s = new CallSequencer(file, 1000, 60_000);
        for (String id : ids) {
            assertEquals(1, s.next(id));
        }
        // abandoned, killed while it appended one more call
        Files.write(journals(file).get(0), "\"SIP/torn".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        CallSequencer afterCrash = new CallSequencer(file, 1000, 60_000);
        for (String id : ids) {
            assertEquals(CallSequencer.RESTART_GAP + 1, afterCrash.next(id), id);
        }
        assertEquals(1, afterCrash.next("SIP/torn"));
        assertEquals(1, journals(file).size(), "the snapshot at start retired the old journals");
        afterCrash.save(true);
        CallSequencer resumed = new CallSequencer(file, 1000, 60_000);
        for (String id : ids) {
            assertEquals(CallSequencer.RESTART_GAP + 2, resumed.next(id), "a clean stop resumes exactly: " + id);
        }
    }

    static List<Path> journals(Path file) throws Exception {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + ".calls."))
                    .toList();
        }
    }

    @Test
    void killedProcessNeverRepeatsANumber() throws Exception {
        Path file = tmp.resolve("seq.json");
        Set<String> handedOut = new HashSet<>();
        Map<String, Long> max = new HashMap<>();
        int notInSnapshot = 0;
        for (int round = 0; round < 2; round++) {
            List<String> lines = runAndKill(file);
            Set<String> snapshotted = Json.MAPPER.readValue(file.toFile(), CallSequencer.Snapshot.class).counters()
                    .keySet();
            Set<String> calls = new HashSet<>();
            for (String line : lines) {
                if (!line.endsWith(" $")) {
                    continue; // cut by the kill
                }
                int space = line.indexOf(' ');
                long n = Long.parseLong(line.substring(0, space));
                String call = line.substring(space + 1, line.length() - 2);
                assertTrue(handedOut.add(call + " " + n), "round " + round + ": " + call + " got " + n + " again");
                max.merge(call, n, Math::max);
                calls.add(call);
            }
            calls.removeAll(snapshotted);
            notInSnapshot += calls.size();
        }
        assertTrue(notInSnapshot > 0, "the kills must hit calls first seen after the last snapshot");
        CallSequencer restarted = new CallSequencer(file, 100_000, 1000);
        max.forEach((call, last) -> {
            long n = restarted.next(call);
            assertTrue(n > last, call + " printed " + last + " before the kill, then got " + n);
        });
    }

    /** Runs {@link SequencerKillProcess} for a second and a bit, kills it (SIGKILL) and returns what it printed. */
    List<String> runAndKill(Path file) throws Exception {
        ChildJvm child = ChildJvm.start(SequencerKillProcess.class, file.toString(), "1000");
        try {
            child.awaitLines(lines -> !lines.isEmpty(), 30, "its first number");
            // past the first periodic snapshot, then anywhere within the next second
            Thread.sleep(1100 + new Random().nextInt(1000));
            assertTrue(child.isAlive(), "the child died on its own");
        } finally {
            child.kill(); // SIGKILL: mid-append, mid-snapshot
        }
        return child.lines();
    }
}
