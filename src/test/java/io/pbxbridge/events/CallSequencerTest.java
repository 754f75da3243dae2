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
}
