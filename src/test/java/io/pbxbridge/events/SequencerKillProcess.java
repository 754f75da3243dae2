package io.pbxbridge.events;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The child JVM of {@link CallSequencerTest#killedProcessNeverRepeatsANumber}: two threads number the events of a
 * shared set of calls until killed, printing {@code <number> <call> $} once {@code next} has returned; new calls keep
 * replacing old ones, so some are always younger than the last snapshot. Every run uses the same call ids, so a rerun
 * continues the calls of the killed one. Arguments: sequence file, snapshot millis.
 */
public final class SequencerKillProcess {

    public static void main(String[] args) throws Exception {
        CallSequencer sequencer = new CallSequencer(Path.of(args[0]), 100_000, Long.parseLong(args[1]));
        AtomicLong created = new AtomicLong();
        AtomicReferenceArray<String> calls = new AtomicReferenceArray<>(64);
        for (int i = 0; i < calls.length(); i++) {
            calls.set(i, id(created.getAndIncrement()));
        }
        Runnable numbering = () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long i = 1;; i++) {
                int slot = random.nextInt(calls.length());
                if (random.nextInt(40) == 0) {
                    calls.set(slot, id(created.getAndIncrement()));
                }
                String call = calls.get(slot);
                long n = sequencer.next(call);
                System.out.print(n + " " + call + " $\n"); // one write: the " $" tells a whole line
                System.out.flush();
                if (i % 20 == 0) {
                    try {
                        Thread.sleep(1); // a pace the test's reader keeps up with
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        };
        Thread a = new Thread(numbering, "numbering-a");
        Thread b = new Thread(numbering, "numbering-b");
        a.start();
        b.start();
        a.join();
    }

    static String id(long k) {
        return "SIP/trunk-" + k % 7 + "-" + String.format("%06x", k);
    }
}
