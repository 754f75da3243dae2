package io.pbxbridge.cluster;

import java.util.function.IntSupplier;

/**
 * The most a count reached (the connections a simulator holds, the instances polling it), sampled every few
 * milliseconds from its start to its close: how a test sees two instances consuming one source at once, however
 * briefly.
 */
final class MostAtOnce implements AutoCloseable {

    private final IntSupplier count;
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile int most;

    private MostAtOnce(IntSupplier count) {
        this.count = count;
        this.sampler = new Thread(this::sample, "most-at-once");
        sampler.setDaemon(true);
    }

    static MostAtOnce watch(IntSupplier count) {
        MostAtOnce m = new MostAtOnce(count);
        m.sampler.start();
        return m;
    }

    private void sample() {
        while (running) {
            most = Math.max(most, count.getAsInt());
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    int most() {
        return most;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join();
    }
}
