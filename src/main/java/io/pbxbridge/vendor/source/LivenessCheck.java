package io.pbxbridge.vendor.source;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.vendor.VendorFailures;

/**
 * Tells a live connection from one that only looks open: every {@code interval} ms it has the source send a probe
 * (Escaux: {@code ccPing}, answered by {@code evPong} on the socket; a JSON-RPC ping...) and expects its answer within
 * {@code timeout} ms of sending it; otherwise the connection is declared dead and handed to the owner, which closes
 * it (and reconnects).
 *
 * <p>The answer may be queued behind events not read yet, so these also prove the connection alive:
 * <ul>
 * <li>activity since the probe: events read ({@link #readFinished(boolean) readFinished(true)}), not bytes that are
 * no event (a stream that only brings those is broken);</li>
 * <li>a reader still inside a read ({@link #readStarted()} without its {@link #readFinished}): routing what it read,
 * or waiting for the routes to catch up (back-pressure, a sink blocking), it reads nothing meanwhile, so a slow route
 * does not cost a reconnect.</li>
 * </ul>
 * The reader calls {@link #readStarted()}, {@link #readFinished(boolean)} and {@link #answered()}; they cost a volatile
 * read or write each, nothing per event beyond that. The check runs on the owner's scheduler and waits there for the
 * answer. Camel has no probe-and-answer check of a consumer's connection (camel-netty only knows idle time), hence
 * this.
 *
 * @param <C> the connection (a channel, a WebSocket)
 */
public final class LivenessCheck<C> {

    private static final Logger LOG = LoggerFactory.getLogger(LivenessCheck.class);

    /** Sends the probe whose answer the reader reports with {@link #answered()}. */
    @FunctionalInterface
    public interface Probe<C> {
        void send(C connection) throws Exception;
    }

    private final String target;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final Supplier<? extends C> connection;
    private final Probe<? super C> probe;
    private final Consumer<? super C> dead;

    private final Object answerLock = new Object();
    private volatile long answeredNanos;
    private volatile long activityNanos;
    private volatile boolean reading;
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private ScheduledFuture<?> schedule; // guarded by this

    /**
     * @param target         what is checked, for the log, e.g. {@code Escaux event socket sop:5050}
     * @param intervalMillis between checks; 0 or less: none
     * @param timeoutMillis  how long after sending the probe its answer may come
     * @param connection     the open connection, or null when there is none (nothing to check)
     * @param probe          sends the probe
     * @param dead           closes a connection found dead, so the owner reconnects
     */
    public LivenessCheck(String target, long intervalMillis, long timeoutMillis, Supplier<? extends C> connection,
                         Probe<? super C> probe, Consumer<? super C> dead) {
        this.target = target;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.connection = connection;
        this.probe = probe;
        this.dead = dead;
    }

    /** Checks every {@code interval} ms on {@code scheduler} (nothing when the interval is 0). */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (intervalMillis > 0 && schedule == null) {
            schedule = scheduler.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** No more checks; one under way is interrupted. */
    public synchronized void stop() {
        if (schedule != null) {
            schedule.cancel(true);
            schedule = null;
        }
    }

    /** A new connection: alive as of now. */
    public void connected() {
        long now = System.nanoTime();
        answeredNanos = now;
        activityNanos = now;
        reading = false;
    }

    /** The reader got input (called for each message of a read; only the first one writes). */
    public void readStarted() {
        if (!reading) {
            reading = true;
        }
    }

    /**
     * The reader is done with a read, its events routed or handed on.
     *
     * @param activity whether the read brought events (input that was no event does not count)
     */
    public void readFinished(boolean activity) {
        if (activity) {
            activityNanos = System.nanoTime();
        }
        reading = false;
    }

    /** The probe's answer arrived. */
    public void answered() {
        answers.incrementAndGet();
        synchronized (answerLock) {
            answeredNanos = System.nanoTime();
            answerLock.notifyAll();
        }
    }

    /**
     * One check, on the calling thread: sends the probe, waits up to {@code timeout} for its answer, and hands the
     * connection to {@code dead} when neither the answer, nor events, nor a busy reader say it is alive.
     */
    public void check() {
        C c = connection.get();
        if (c == null) {
            return;
        }
        long sent = System.nanoTime();
        try {
            probe.send(c);
        } catch (Exception e) {
            LOG.warn("{}: liveness probe failed ({}); not checked this time", target, VendorFailures.rootMessage(e));
            return;
        }
        if (!awaitAnswer(sent)) {
            return;
        }
        boolean alive = answeredNanos - sent >= 0 || activityNanos - sent > 0 || reading;
        if (!alive && connection.get() == c) {
            misses.incrementAndGet();
            LOG.warn("{}: no answer to the liveness probe within {} ms; it is dead, closing it", target,
                    timeoutMillis);
            dead.accept(c);
        }
    }

    /** Waits for an answer to the probe sent at {@code sent}, up to the timeout; false when interrupted. */
    private boolean awaitAnswer(long sent) {
        long deadline = sent + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (answerLock) {
            long wait;
            while (answeredNanos - sent < 0 && (wait = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(answerLock, wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Probe answers received. */
    public long getAnswerCount() {
        return answers.get();
    }

    /** Checks that found the connection dead. */
    public long getMissCount() {
        return misses.get();
    }
}
