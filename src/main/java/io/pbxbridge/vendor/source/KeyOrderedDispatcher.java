package io.pbxbridge.vendor.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a source's events on to be routed, keeping the order of the events that share a key (a call's), on one
 * thread or on several, one by one or in natural batches.
 *
 * <p>One reader thread {@link #offer offers} the events of a read (a socket read, a poll's result) and then calls
 * {@link #endOfRead()}:
 * <ul>
 * <li>With one worker, events are routed on the reader's thread, in arrival order.</li>
 * <li>With {@code N} workers, each is a thread that routes the events of a share of the keys (by the key's hash): the
 * events of one key keep their order, the routes use more than one core, and the reader only reads. A worker is
 * handed the events of a read at the end of it (or every {@value #HANDOVER} events); one that is {@value #QUEUED}
 * hand-overs behind makes the reader wait, so back-pressure reaches the source (a socket's TCP window) instead of
 * the heap.</li>
 * <li>With {@code maxBatchSize} above 1, the events read together (with workers: a worker's share of them) are routed
 * as lists of at most {@code maxBatchSize}, in arrival order; nothing waits for a batch to fill, so batches add no
 * latency and an event read alone is a list of one. With 1, events are routed one by one.</li>
 * </ul>
 * {@link #stop()} routes what was handed over, then ends the workers.
 *
 * <p>A worker is a thread of its own rather than a task on one of Camel's pools: the order of a key's events rests on
 * one thread taking its queue in order, which a shared pool does not give.
 *
 * @param <E> the event
 */
public final class KeyOrderedDispatcher<E> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedDispatcher.class);

    /** Most events handed to a worker at once. */
    static final int HANDOVER = 128;
    /** Hand-overs a worker may be behind before the reader waits. */
    static final int QUEUED = 8;

    private final String name;
    private final int workers;
    private final int maxBatchSize;
    private final Function<? super E, ?> key;
    private final Consumer<? super E> route;
    private final Consumer<? super List<E>> routeBatch;
    private final ExceptionHandler exceptionHandler;

    private volatile Worker[] lanes; // null: events are routed on the reader's thread
    private List<E> pending = new ArrayList<>(); // reader only: the read's batch (one worker)

    /**
     * @param name             names the worker threads ({@code <name>-worker-<i>}) and the log
     * @param workers          threads that route; 1: the reader's own
     * @param maxBatchSize     most events per batch; 1: one by one
     * @param key              the key whose events keep their order (null keys share one worker)
     * @param route            routes one event (when {@code maxBatchSize} is 1)
     * @param routeBatch       routes a batch, a list the callee may keep (when {@code maxBatchSize} is above 1)
     * @param exceptionHandler what a worker's routing throws (on the reader's thread it reaches the reader)
     */
    public KeyOrderedDispatcher(String name, int workers, int maxBatchSize, Function<? super E, ?> key,
                                Consumer<? super E> route, Consumer<? super List<E>> routeBatch,
                                ExceptionHandler exceptionHandler) {
        this.name = name;
        this.workers = Math.max(1, workers);
        this.maxBatchSize = Math.max(1, maxBatchSize);
        this.key = key;
        this.route = route;
        this.routeBatch = routeBatch;
        this.exceptionHandler = exceptionHandler;
    }

    /** Starts the workers (none with one worker). */
    @SuppressWarnings("unchecked")
    public void start() {
        if (workers > 1) {
            Worker[] l = (Worker[]) new KeyOrderedDispatcher<?>.Worker[workers];
            for (int i = 0; i < l.length; i++) {
                l[i] = new Worker(name + "-worker-" + i);
            }
            lanes = l;
        }
    }

    /** Reader only: routes {@code event}, or keeps it for its batch or its worker until {@link #endOfRead()}. */
    public void offer(E event) {
        Worker[] l = lanes;
        if (l == null && maxBatchSize == 1) {
            route.accept(event);
        } else if (l == null) {
            pending.add(event);
            if (pending.size() >= maxBatchSize) {
                routePending();
            }
        } else {
            Object k = key.apply(event);
            l[k == null ? 0 : Math.floorMod(k.hashCode(), l.length)].add(event);
        }
    }

    /** Reader only: the read is complete; what it brought is routed, or handed to the workers. */
    public void endOfRead() {
        routePending();
        Worker[] l = lanes;
        if (l != null) {
            for (Worker lane : l) {
                lane.handOver();
            }
        }
    }

    /**
     * Routes what the workers were handed, then ends them (waiting up to 30 s for each). Events offered later are
     * routed on the reader's thread.
     */
    public void stop() throws InterruptedException {
        Worker[] l = lanes;
        if (l != null) {
            for (Worker lane : l) {
                lane.finish();
            }
            lanes = null;
        }
    }

    private void routePending() {
        if (!pending.isEmpty()) {
            List<E> batch = pending;
            pending = new ArrayList<>(Math.min(maxBatchSize, batch.size() * 2));
            routeBatch.accept(batch);
        }
    }

    /** Routes the events a worker took over: one by one, or in lists of at most {@code maxBatchSize}. */
    private void route(List<E> events) {
        if (maxBatchSize == 1) {
            events.forEach(route);
        } else if (events.size() <= maxBatchSize) {
            routeBatch.accept(events);
        } else {
            for (int from = 0; from < events.size(); from += maxBatchSize) {
                routeBatch.accept(new ArrayList<>(events.subList(from, Math.min(events.size(), from + maxBatchSize))));
            }
        }
    }

    /** A routing thread for the events of a share of the keys, in arrival order. */
    private final class Worker {
        private final BlockingQueue<List<E>> queue = new ArrayBlockingQueue<>(QUEUED);
        private final Thread thread;
        private List<E> pending = new ArrayList<>(); // reader only
        private volatile boolean finishing;

        Worker(String threadName) {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }

        void add(E event) {
            pending.add(event);
            if (pending.size() >= HANDOVER) {
                handOver();
            }
        }

        void handOver() {
            if (pending.isEmpty()) {
                return;
            }
            List<E> batch = pending;
            pending = new ArrayList<>(Math.min(HANDOVER, batch.size() * 2));
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // the reader is shutting down: route them here rather than lose them
                route(batch);
            }
        }

        private void run() {
            while (true) {
                List<E> batch;
                try {
                    batch = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (batch == null) {
                    if (finishing) {
                        return;
                    }
                    continue;
                }
                try {
                    route(batch);
                } catch (RuntimeException e) {
                    exceptionHandler.handleException("Failed to route events of " + name, e);
                }
            }
        }

        /** Routes what is queued, then ends the thread. */
        void finish() throws InterruptedException {
            finishing = true;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                LOG.warn("{} still routing after 30 s; {} batches not routed", thread.getName(), queue.size());
                return;
            }
            // a batch the reader handed over after the worker saw its queue empty (a close that took long)
            for (List<E> batch = queue.poll(); batch != null; batch = queue.poll()) {
                route(batch);
            }
        }
    }
}
