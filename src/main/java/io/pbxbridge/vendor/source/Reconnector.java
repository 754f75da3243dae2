package io.pbxbridge.vendor.source;

import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.vendor.VendorFailures;

/**
 * Keeps a pushed source's connection up: the first attempt at {@link #start start}, at once (a server down then is
 * retried like any other failure, the route starts anyway); after a failed attempt or a lost connection the next one
 * after the {@link Backoff}'s delay, which a successful connection resets. One attempt is pending at most; attempts
 * run on the owner's scheduler.
 *
 * <p>The owner opens the connection ({@link Connect}) and reports what becomes of it: {@link #connected()} when it is
 * up, {@link #disconnected()} when it is lost. Camel components reconnect at a fixed interval or fail to start when
 * the server is down, hence this.
 */
public final class Reconnector {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    /** Opens the connection. */
    @FunctionalInterface
    public interface Connect {
        /**
         * Opens the connection, or returns without doing anything when there is one already. Returns once it is open
         * (a connection that opens later, asynchronously, is waited for here); throws when it could not be opened.
         */
        void connect() throws Exception;
    }

    private final String target;
    private final Backoff backoff;
    private final Connect connect;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private volatile Instant connectedSince;
    private volatile Instant disconnectedSince = Instant.now();
    private volatile String lastFailure;
    private final Object lock = new Object();
    private volatile boolean running;
    private ScheduledExecutorService scheduler; // guarded by lock
    private ScheduledFuture<?> pending; // guarded by lock

    /**
     * @param target  what is connected to, for the log, e.g. {@code Escaux event socket sop:5050}
     * @param backoff the delays between attempts
     * @param connect opens the connection
     */
    public Reconnector(String target, Backoff backoff, Connect connect) {
        this.target = target;
        this.backoff = backoff;
        this.connect = connect;
    }

    /** Starts connecting, at once, with attempts scheduled on {@code scheduler}. */
    public void start(ScheduledExecutorService scheduler) {
        synchronized (lock) {
            this.scheduler = scheduler;
            running = true;
        }
        backoff.reset();
        schedule(0);
    }

    /** No further attempt; the pending one is cancelled. The owner closes the connection. */
    public void stop() {
        synchronized (lock) {
            running = false;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
    }

    /**
     * Whether connections are wanted. {@link Connect} checks it where it records a new connection, under the lock
     * its stop takes too, so no connection opens after the owner closed the last one.
     */
    public boolean isRunning() {
        return running;
    }

    /** The connection is up: the next failure waits the first delay again. */
    public void connected() {
        backoff.reset();
        connects.incrementAndGet();
        connectedSince = Instant.now();
        disconnectedSince = null;
        LOG.info("{} connected", target);
    }

    /**
     * The connection was lost (closed by either side): the next attempt is scheduled.
     *
     * @return the delay before it, in milliseconds; -1 when stopped
     */
    public long disconnected() {
        connectedSince = null;
        disconnectedSince = Instant.now();
        if (!running) {
            return -1;
        }
        long delay = backoff.failed();
        lastFailure = "connection closed";
        LOG.warn("{} closed; reconnecting in {} ms", target, delay);
        schedule(delay);
        return delay;
    }

    /** Successful connections so far. */
    public long getConnectCount() {
        return connects.get();
    }

    /** Connection attempts that failed so far. */
    public long getFailedAttempts() {
        return failedAttempts.get();
    }

    /** Since when the connection is up; null while it is not. */
    public Instant connectedSince() {
        return connectedSince;
    }

    /** Since when the connection is down (from the start until the first connection); null while it is up. */
    public Instant disconnectedSince() {
        return disconnectedSince;
    }

    /** Why the last attempt failed or the connection was lost, in words; null if it never was. */
    public String lastFailure() {
        return lastFailure;
    }

    public String target() {
        return target;
    }

    public Backoff backoff() {
        return backoff;
    }

    private void schedule(long delayMillis) {
        synchronized (lock) {
            if (!running || scheduler.isShutdown()) {
                return;
            }
            if (pending != null && !pending.isDone()) {
                return;
            }
            pending = scheduler.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void attempt() {
        synchronized (lock) {
            // this attempt is under way, no longer pending: a connection that drops while it finishes (or right
            // after) must be able to schedule the next attempt, or the source would never reconnect
            pending = null;
        }
        if (!running) {
            return;
        }
        try {
            connect.connect();
        } catch (Exception e) {
            long delay = backoff.failed();
            failedAttempts.incrementAndGet();
            lastFailure = "unreachable: " + VendorFailures.rootMessage(e);
            LOG.warn("{} unreachable ({}); retry in {} ms", target, VendorFailures.rootMessage(e), delay);
            schedule(delay);
        }
    }
}
