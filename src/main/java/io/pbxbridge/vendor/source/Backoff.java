package io.pbxbridge.vendor.source;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exponential backoff between attempts: {@code firstDelay} after the first failure, doubled after each further one up
 * to {@code maxDelay}, back to {@code firstDelay} after a success. Thread-safe.
 *
 * <p>Not Camel's {@code BackOffTimer}: that runs one task until it succeeds, its first try already after the first
 * delay, and computes the next delay only after logging is done. A source tries at once, starts over after each
 * drop, and says when it tries next; it needs only the arithmetic, on the scheduler it already has (for reconnects
 * and for polls that fail alike).
 */
public final class Backoff {

    private final long firstDelayMillis;
    private final long maxDelayMillis;
    private final AtomicInteger failures = new AtomicInteger();

    /**
     * @param firstDelayMillis the delay after one failure (at least 1 ms)
     * @param maxDelayMillis   the longest delay; below {@code firstDelayMillis} it is {@code firstDelayMillis}
     */
    public Backoff(long firstDelayMillis, long maxDelayMillis) {
        this.firstDelayMillis = Math.max(1, firstDelayMillis);
        this.maxDelayMillis = Math.max(maxDelayMillis, this.firstDelayMillis);
    }

    /** The delay after {@code failures + 1} failures in a row: {@code delay(0)} is the first, then doubled to max. */
    public long delay(int failures) {
        long d = firstDelayMillis;
        for (int i = 0; i < failures && d < maxDelayMillis; i++) {
            d = d > maxDelayMillis / 2 ? maxDelayMillis : d * 2;
        }
        return Math.min(d, maxDelayMillis);
    }

    /** Counts a failure; returns how long to wait before the next attempt, in milliseconds. */
    public long failed() {
        return delay(failures.getAndIncrement());
    }

    /** A success: the next failure waits {@code firstDelay} again. */
    public void reset() {
        failures.set(0);
    }

    /** Failures since the last success. */
    public int failures() {
        return failures.get();
    }
}
