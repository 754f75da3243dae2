package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

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
}
