package io.pbxbridge.cluster;

import java.util.concurrent.atomic.AtomicInteger;

import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.testsupport.NumberedCalls;

/**
 * Numbered Escaux events written every few milliseconds until closed. Besides being traffic, the writes are how the
 * simulator notices a socket its client closed or lost (it reads nothing), so its {@code eventClients()} is true
 * within a write or two.
 */
final class Trickle implements AutoCloseable {

    private final Thread emitter;
    private final AtomicInteger emitted = new AtomicInteger();
    private volatile boolean running = true;

    private Trickle(EscauxSimulator escaux, String prefix, long everyMillis) {
        emitter = new Thread(() -> {
            while (running) {
                escaux.emit(NumberedCalls.event(prefix, emitted.getAndIncrement()));
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "trickle-" + prefix);
        emitter.setDaemon(true);
    }

    static Trickle start(EscauxSimulator escaux, String prefix, long everyMillis) {
        Trickle t = new Trickle(escaux, prefix, everyMillis);
        t.emitter.start();
        return t;
    }

    int emitted() {
        return emitted.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        emitter.join();
    }
}
