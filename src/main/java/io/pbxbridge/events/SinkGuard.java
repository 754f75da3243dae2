package io.pbxbridge.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.metrics.PbxMetrics;
import io.pbxbridge.support.spool.DeadLetters;
import io.pbxbridge.support.spool.EventSpool;
import io.pbxbridge.support.spool.SpoolRecord;
import io.pbxbridge.events.SinkDelivery.Outbound;

/**
 * One sink's durable, ordered queue: every event the sink takes is written to its spool first (the route step,
 * {@link #process}), and one dispatcher thread delivers the spool in order, removing from it only what the sink
 * confirmed. So the spool is the only path to the sink (live or after an outage, events of a call can never overtake
 * each other), an event the sink confirmed is never sent again, a slow or dead sink only lets its own spool grow
 * (bounded: the oldest then move to the dead letters, counted), and what was written survives a stop or a killed
 * process (the spool's writes reach the operating system before the route goes on; they are forced to disk every
 * {@code syncInterval}).
 *
 * <p>Outcomes: a transient failure (connection, timeout, HTTP 5xx/408/429) holds the event at the head and retries it
 * with exponential backoff and jitter, forever, logging the state change (not every retry); a permanent refusal
 * (another 4xx) moves that one event to the dead letters; HTTP 410 Gone disables the sink: its events are held in
 * the spool until the marker file {@code <spool>/disabled.json} is deleted, then delivered in order.
 *
 * <p>Why not Camel's error handler for the retries: a redelivered exchange would hold one event while the spool must
 * hold it and everything behind it, and on a stop the exchange would have to be spooled anyway; here a failed
 * attempt simply does not acknowledge, and the same code delivers live events and a backlog.
 *
 * <p>A spool that cannot be written (disk full, no permission) is loud: one ERROR per change, the health check DOWN;
 * events are held in memory (bounded; beyond it the oldest go to the dead letters) and written to the spool, in
 * order, as soon as it can be opened again, without a restart.
 */
public class SinkGuard extends ServiceSupport implements CamelContextAware, Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SinkGuard.class);
    static final String DISABLED_MARKER = "disabled.json";
    /** Records read back from the spool at once: reading holds the spool's lock, which the intake waits for. */
    private static final int DISK_BATCH = 2048;

    enum State {
        UP,
        DOWN,
        DISABLED
    }

    private CamelContext camelContext;
    private String sink;
    private String deliverUri;
    private String target;
    private boolean deliverBatches;
    private WebhookSigner signer;
    private String spoolDir = "data/events/spool";
    private String deadLetterDir = "data/events/deadletter";
    private long spoolMaxBytes = 256L * 1024 * 1024;
    private long retryDelay = 250;
    private long retryMaxDelay = 30_000;
    private int batchSize = 500;
    private int cacheSize = 8192;
    private long syncInterval = 1000;
    private long drainTimeout = 5000;
    private long kafkaStallMillis = 10_000;
    private int memoryMaxEvents = 100_000;

    /** Guards the spool reference and the memory hold: the intake thread against the dispatcher. */
    private final Object intake = new Object();
    private volatile EventSpool spool;
    private volatile String spoolProblem;
    /** Events taken while the spool could not be written, oldest first. */
    private final ArrayDeque<CloudEvent> held = new ArrayDeque<>();
    /** The latest appended events as objects, by spool number: no reading back when the dispatcher keeps up. */
    private OutboundCache cache;

    private volatile State state = State.UP;
    private volatile String lastFailure;
    private volatile Instant stateSince = Instant.now();
    private DeadLetters deadLetters;
    private SinkDelivery delivery;
    private ExecutorService dispatcherPool;
    private java.util.concurrent.ScheduledExecutorService syncTimer;
    private Future<?> dispatcherTask;
    private volatile Thread dispatcher;
    private volatile boolean stopping;
    /** Numbers of events past the head the sink already confirmed (Kafka records after one that failed). */
    private final Set<Long> confirmed = new HashSet<>();
    /** The number after the latest events read back from the spool (where reading on continues), else -1. */
    private long diskNext = -1;
    private int failures;
    private final AtomicLong deliveredCount = new AtomicLong();
    private final AtomicLong deadLetterCount = new AtomicLong();
    private final AtomicLong lostCount = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong replayedCount = new AtomicLong();
    private SinkMetrics metrics;
    /** The oldest event waiting: the head of the batch the dispatcher read last (for the health check). */
    private volatile CloudEvent headEvent;
    private volatile Consumer<CloudEvent> deliveryListener;
    private SinkHealthCheck healthCheck;

    // ------------------------------------------------------------------------------------------------ intake

    /**
     * Route step, on the intake thread: the body's event or list of events (a batch read at once, kept together)
     * written to the spool, in order. The route ends here; the dispatcher delivers.
     */
    @Override
    public void process(Exchange exchange) {
        List<CloudEvent> events = CloudEvents.events(exchange.getIn().getBody());
        if (events.isEmpty()) {
            return;
        }
        List<SpoolRecord> records = new ArrayList<>(events.size());
        List<Outbound> outbound = new ArrayList<>(events.size());
        for (CloudEvent event : events) {
            SpoolRecord r = record(event, 0, null);
            records.add(r);
            outbound.add(new Outbound(event, r.payload())); // the bytes written once, for the spool and the sink
        }
        synchronized (intake) {
            EventSpool s = spool;
            if (s != null && spoolProblem == null && held.isEmpty()) {
                try {
                    long first = s.endNumber();
                    int appended = s.appendAll(records);
                    remember(first, outbound, appended == events.size());
                } catch (IOException | RuntimeException e) {
                    writeFailed(e);
                    hold(events);
                }
            } else {
                hold(events);
            }
        }
        Thread d = dispatcher;
        if (d != null) {
            LockSupport.unpark(d);
        }
    }

    private void remember(long first, List<Outbound> events, boolean numbered) {
        if (numbered) {
            cache.add(first, events);
        } else {
            cache.clear(); // one went to the dead letters instead: the numbers are the spool's to tell
        }
    }

    /** The spool is unusable: keep the events in memory, in order, bounded. */
    private void hold(List<CloudEvent> events) {
        held.addAll(events);
        int overflow = held.size() - memoryMaxEvents;
        for (int i = 0; i < overflow; i++) {
            CloudEvent oldest = held.pollFirst();
            String reason = "spool unusable (" + spoolProblem + ") and " + memoryMaxEvents + " events held in memory";
            try {
                deadLetters.write(sink, record(oldest, 0, reason), reason);
                deadLetterCount.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                if (lostCount.getAndIncrement() % 10_000 == 0) {
                    LOG.error("Sink {}: event {} LOST: the spool is unusable ({}), {} events are held in memory and "
                            + "the dead letters cannot be written either ({}); {} lost so far", sink, oldest.id(),
                            spoolProblem, memoryMaxEvents, e.toString(), lostCount.get());
                }
            }
        }
    }

    /**
     * The spool cannot be written (disk full, I/O error): new events are held in memory; what the spool holds is still
     * delivered (that frees its room), and the dispatcher reopens it to write what was held as soon as it can.
     */
    private void writeFailed(Exception e) {
        cache.clear();
        if (spoolProblem == null) {
            spoolProblem = e.toString();
            LOG.error("Sink {}: its spool {} cannot be written ({}). New events are held in memory (up to {}, then the"
                    + " dead letters) and written to the spool as soon as it works again; it is retried every {} ms",
                    sink, spoolPath(), e.toString(), memoryMaxEvents, reopenDelay());
            changed(state);
        }
    }

    private long reopenDelay() {
        return Math.min(retryMaxDelay, 5000);
    }

    /**
     * Opens the spool if it is not, then writes what was held meanwhile, in order. A spool whose writes failed stays
     * open for delivery throughout (delivering frees its room); only its appends are tried again.
     */
    private void retrySpool() {
        synchronized (intake) {
            if (spool == null) {
                try {
                    EventSpool opened = EventSpool.open(spoolPath(), sink, spoolMaxBytes, deadLetters);
                    opened.forceEachWrite(false);
                    spool = opened;
                    cache.clear();
                    confirmed.clear();
                } catch (IOException | RuntimeException e) {
                    if (spoolProblem == null) {
                        spoolProblem = e.toString();
                        LOG.error("Sink {}: its spool {} cannot be opened ({}). Its events are held in memory (up to "
                                + "{}, then the dead letters) and delivery waits; trying again every {} ms", sink,
                                spoolPath(), e.toString(), memoryMaxEvents, reopenDelay());
                        changed(state);
                    }
                    return;
                }
            }
            EventSpool s = spool;
            long before = s.endNumber();
            try {
                s.resumeWrites();
                // in chunks, so a disk with some room takes what fits
                List<SpoolRecord> chunk = new ArrayList<>(batchSize);
                for (java.util.Iterator<CloudEvent> it = held.iterator(); it.hasNext();) {
                    chunk.add(record(it.next(), 0, null));
                    if (chunk.size() == batchSize || !it.hasNext()) {
                        s.appendAll(chunk);
                        chunk.clear();
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Sink {}: its spool cannot be written yet ({})", sink, e.toString());
                spoolProblem = e.toString();
                return;
            } finally {
                for (long n = s.endNumber() - before; n > 0 && !held.isEmpty(); n--) {
                    held.pollFirst(); // written: no longer held
                }
            }
            cache.clear();
            if (spoolProblem != null) {
                LOG.info("Sink {}: its spool {} works again; {} events waiting, delivered in order", sink,
                        spoolPath(), s.count());
                spoolProblem = null;
                changed(state);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ dispatcher

    private void dispatch() {
        dispatcher = Thread.currentThread();
        long lastReopen = System.nanoTime();
        try {
            while (!stopping) {
                if (spoolProblem != null && System.nanoTime() - lastReopen > reopenDelay() * 1_000_000L) {
                    retrySpool();
                    lastReopen = System.nanoTime();
                }
                if (spool == null) {
                    pause(reopenDelay());
                    continue;
                }
                if (state == State.DISABLED) {
                    if (!Files.exists(marker())) {
                        enable();
                    } else {
                        pause(1000);
                    }
                    continue;
                }
                EventSpool s = spool;
                long base = s.headNumber();
                List<Outbound> batch;
                try {
                    batch = next(s, base);
                } catch (IOException e) {
                    LOG.error("Sink {}: its spool cannot be read ({}); trying again", sink, e.toString());
                    synchronized (intake) {
                        writeFailed(e);
                    }
                    pause(reopenDelay());
                    continue;
                }
                if (batch.isEmpty() && spoolProblem != null && s.count() == 0) {
                    deliverHeld();
                    continue;
                }
                if (batch.isEmpty()) {
                    pause(Math.min(syncInterval, 1000));
                    continue;
                }
                headEvent = batch.get(0).event();
                if (delivery instanceof KafkaDelivery kafka) {
                    deliverPipelined(kafka, s, base, batch);
                } else {
                    deliver(s::acknowledgeTo, base, batch);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Sink {}: the dispatcher failed ({}); events stay in the spool for the next start", sink,
                    e.toString(), e);
            throw e;
        } finally {
            dispatcher = null; // the stop syncs the spool
        }
    }

    /**
     * The spool is empty and cannot take the events held in memory (a disk still full): they are the oldest, so they
     * are delivered from memory, in order, rather than wait for room.
     */
    private void deliverHeld() {
        List<Outbound> batch;
        synchronized (intake) {
            batch = new ArrayList<>(Math.min(batchSize, held.size()));
            for (CloudEvent e : held) {
                if (batch.size() == batchSize) {
                    break;
                }
                batch.add(new Outbound(e, null));
            }
        }
        if (batch.isEmpty()) {
            pause(Math.min(syncInterval, 1000));
            return;
        }
        deliver(end -> {
            synchronized (intake) {
                for (int i = 0; i < end && !held.isEmpty(); i++) {
                    if (held.peekFirst() == batch.get(i).event()) { // unless the bound moved it to the dead letters
                        held.pollFirst();
                    }
                }
            }
        }, 0, batch);
        // numbered from 0 here, not as the spool numbers: what was confirmed behind a failure is sent again
        confirmed.clear();
    }

    /** The oldest events, from the cache when it holds them, else read back from the spool. */
    private List<Outbound> next(EventSpool s, long base) throws IOException {
        cache.dropBelow(base);
        List<Outbound> cached = cache.from(base, batchSize);
        if (!cached.isEmpty()) {
            diskNext = -1;
            return cached;
        }
        diskNext = -1;
        List<SpoolRecord> records = s.peek(Math.min(batchSize, DISK_BATCH));
        if (s.headNumber() != base) {
            return List.of(); // a corrupt record at the head moved to the dead letters: number again
        }
        List<Outbound> batch = new ArrayList<>(records.size());
        for (SpoolRecord r : records) {
            try {
                // the envelope only: a sink that needs the data binds it (Kafka cuts it from the bytes)
                batch.add(new Outbound(CloudEvents.envelopeOf(r.payload()), r.payload()));
            } catch (IOException | RuntimeException e) {
                // not a CloudEvent (written by hand?): it can never be delivered
                if (batch.isEmpty()) {
                    deadLetters.write(sink, r, "not a CloudEvent: " + e.getMessage());
                    deadLetterCount.incrementAndGet();
                    s.acknowledgeTo(base + 1);
                    return List.of();
                }
                break;
            }
        }
        replayedCount.addAndGet(batch.size());
        // reading on continues after the last record read, unless one could not be (the next peek handles it)
        diskNext = batch.size() == records.size() ? base + batch.size() : -1;
        return batch;
    }

    /** Takes the events before number {@code end} out of the backlog: the sink has them. */
    private interface Acknowledger {
        void acknowledgeTo(long end) throws IOException;
    }

    /** Delivers the batch numbered from {@code base}, acknowledges what the sink confirmed, acts on failures. */
    private void deliver(Acknowledger s, long base, List<Outbound> batch) {
        List<Outbound> toSend = unconfirmed(base, batch);
        Throwable[] outcome = new Throwable[toSend.size()];
        int tried;
        try {
            tried = toSend.isEmpty() ? 0 : delivery.deliver(toSend, outcome);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        settle(s, base, batch, outcome, tried, false);
    }

    /**
     * Kafka, pipelined: while the broker takes one batch, the next is read and handed to the client, so reading the
     * spool and the broker's work overlap (the stop-and-wait of one batch at a time left each idle half the time).
     * Order is the client's: per partition, records go out in the order sent.
     */
    private void deliverPipelined(KafkaDelivery kafka, EventSpool s, long base, List<Outbound> batch) {
        List<Outbound> toSend = unconfirmed(base, batch);
        KafkaDelivery.Sent sent = kafka.send(toSend, new Throwable[toSend.size()]);
        try {
            while (true) {
                long nextBase = base + batch.size();
                List<Outbound> more = stopping ? List.of() : following(s, nextBase);
                List<Outbound> moreToSend = unconfirmed(nextBase, more);
                KafkaDelivery.Sent moreSent = more.isEmpty() ? null
                        : kafka.send(moreToSend, new Throwable[moreToSend.size()]);
                int tried = kafka.await(sent);
                if (!settle(s::acknowledgeTo, base, batch, sent.outcome(), tried, false)) {
                    if (moreSent != null) { // what the broker took of the next batch is not sent again
                        settle(s::acknowledgeTo, nextBase, more, moreSent.outcome(), kafka.await(moreSent), true);
                    }
                    return;
                }
                if (moreSent == null) {
                    return;
                }
                base = nextBase;
                batch = more;
                sent = moreSent;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events numbered from {@code number}: from the cache, or read on from where the spool's reading ended. */
    private List<Outbound> following(EventSpool s, long number) {
        List<Outbound> cached = cache.from(number, batchSize); // not under the intake lock: it is held while writing
        if (!cached.isEmpty()) {
            return cached;
        }
        if (diskNext != number) {
            return List.of();
        }
        try {
            List<Outbound> batch = new ArrayList<>();
            for (SpoolRecord r : s.peekMore(Math.min(batchSize, DISK_BATCH))) {
                batch.add(new Outbound(CloudEvents.envelopeOf(r.payload()), r.payload()));
            }
            diskNext += batch.size();
            replayedCount.addAndGet(batch.size());
            return batch;
        } catch (IOException | RuntimeException e) {
            return List.of(); // read again from the head, where a bad record is dealt with
        }
    }

    private List<Outbound> unconfirmed(long base, List<Outbound> batch) {
        if (confirmed.isEmpty()) {
            return batch;
        }
        List<Outbound> toSend = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (!confirmed.contains(base + i)) {
                toSend.add(batch.get(i));
            }
        }
        return toSend;
    }

    /**
     * Acts on the outcomes of a batch numbered from {@code base} ({@code outcome} for its unconfirmed events, the
     * first {@code tried} of them offered): acknowledges the confirmed prefix, keeps in {@link #confirmed} what the
     * sink took behind a failure, dead-letters refusals, and on a failure marks the sink down and backs off (or
     * disables it on 410). {@code blocked}: an earlier batch failed, so nothing of this one is acknowledged. True when
     * nothing failed.
     */
    private boolean settle(Acknowledger s, long base, List<Outbound> batch, Throwable[] outcome, int tried,
            boolean blocked) {
        long ackTo = base;
        boolean held = blocked;
        Throwable blocker = null;
        CloudEvent blockedEvent = null;
        for (int i = 0, j = 0; i < batch.size(); i++) {
            long number = base + i;
            if (confirmed.contains(number)) {
                if (!held) {
                    confirmed.remove(number);
                    ackTo = number + 1;
                }
                continue;
            }
            int k = j++;
            if (k >= tried) {
                held = true;
                continue;
            }
            Throwable failure = outcome[k];
            if (failure != null && stopping) {
                held = true; // given up by the stop (Kafka: the client closed), not refused: sent again next start
                continue;
            }
            if (failure == null) {
                countDelivered(batch.get(i).event());
                if (held) {
                    confirmed.add(number);
                } else {
                    ackTo = number + 1;
                }
            } else if (!held && SinkFailure.of(failure) == SinkFailure.PERMANENT) {
                if (!deadLetter(batch.get(i), failure)) {
                    held = true;
                    blocker = failure;
                    blockedEvent = batch.get(i).event();
                    continue;
                }
                ackTo = number + 1;
            } else if (!held) {
                held = true;
                blocker = failure;
                blockedEvent = batch.get(i).event();
            }
        }
        if (blocked) {
            // nothing of it is acknowledged: the spool must keep the earlier batch's events it did not confirm, which
            // come before this batch's base (acknowledging up to it removed them)
            return false;
        }
        try {
            s.acknowledgeTo(ackTo);
        } catch (IOException | RuntimeException e) {
            synchronized (intake) {
                writeFailed(e);
            }
            return false;
        }
        if (blocker == null) {
            if (ackTo > base && state == State.DOWN) {
                LOG.info("Sink {} is back after {} failed attempts; {} events waiting are delivered in order", sink,
                        failures, spooled());
                failures = 0;
                changed(State.UP);
            }
            return !held;
        }
        if (SinkFailure.of(blocker) == SinkFailure.GONE) {
            disable(blockedEvent, blocker);
            return false;
        }
        failures++;
        failedAttempts.incrementAndGet();
        lastFailure = describe(blocker);
        if (state != State.DOWN && !stopping) {
            LOG.warn("Sink {} is down ({}); its events wait in its spool, in order, retried with backoff up to {} ms",
                    sink, lastFailure, retryMaxDelay);
            changed(State.DOWN);
        }
        if (!stopping) {
            long backoff = Math.min(retryMaxDelay, retryDelay << Math.min(20, failures - 1));
            long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            LOG.debug("Sink {}: attempt {} failed ({}); next in {} ms", sink, failures, lastFailure, delay);
            pause(delay);
        }
        return false;
    }

    private boolean deadLetter(Outbound out, Throwable failure) {
        CloudEvent event = out.event();
        String reason = describe(failure);
        try {
            SpoolRecord r = out.json() != null
                    ? new SpoolRecord(event.id(), event.subject(), out.json(), 1, reason, Instant.now())
                    : record(event, 1, reason);
            deadLetters.write(sink, r, reason);
        } catch (IOException e) {
            LOG.error("Sink {} refused event {} ({}) and its dead letter cannot be written ({}): it stays in the "
                    + "spool and is tried again", sink, event.id(), reason, e.toString());
            return false;
        }
        deadLetterCount.incrementAndGet();
        LOG.warn("Sink {} refused event {} ({}): moved to dead letters", sink, event.id(), reason);
        return true;
    }

    private void disable(CloudEvent event, Throwable failure) {
        String reason = describe(failure);
        try {
            AtomicFiles.write(marker(), Json.MAPPER.writeValueAsBytes(Map.of("sink", sink, "reason", reason,
                    "event", event.id(), "disabledAt", Instant.now().toString())));
        } catch (IOException e) {
            LOG.error("Sink {}: cannot write {} ({}); the sink is disabled until pbx-bridge restarts", sink, marker(),
                    e.toString());
        }
        lastFailure = reason;
        changed(State.DISABLED);
        LOG.error("*** Sink {} is DISABLED: the receiver answered 410 Gone ({}). Its events are held in its spool, in "
                + "order (from event {}); fix the subscription and delete {} to deliver them. ***", sink, reason,
                event.id(), marker());
    }

    private void enable() {
        EventSpool s = spool;
        LOG.info("Sink {} is enabled again ({} removed): its {} held events are delivered in order", sink, marker(),
                s == null ? 0 : s.count());
        failures = 0;
        changed(State.UP);
    }

    private void changed(State to) {
        state = to;
        stateSince = Instant.now();
    }

    private void sync() {
        EventSpool s = spool;
        if (s != null && spoolProblem == null) {
            try {
                s.sync();
            } catch (IOException | RuntimeException e) {
                synchronized (intake) {
                    writeFailed(e);
                }
            }
        }
    }

    /** Waits up to {@code millis}, less when an event arrives or the guard stops (never interrupted: file I/O). */
    private void pause(long millis) {
        if (!stopping) {
            LockSupport.parkNanos(this, millis * 1_000_000L);
        }
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    protected void doStart() throws Exception {
        stopping = false;
        cache = new OutboundCache(cacheSize);
        // findable by monitoring and tests, also when declared as a route template's local bean
        camelContext.getRegistry().bind("sinkGuard." + sink, this);
        deadLetters = new DeadLetters(Path.of(deadLetterDir));
        if (signer == null && sink.startsWith("webhook-")) {
            // every webhook subscription signs (the sandbox gives the shipped one its sample secret): an unsigned one
            // would be a receiver's open door
            throw new IllegalArgumentException("the webhook subscription " + sink + " has no signing secret: give it "
                    + "one (whsec_ + base64; for the shipped one, EVENTS_WEBHOOK_SECRET)");
        }
        Endpoint endpoint = camelContext.getEndpoint(deliverUri);
        delivery = endpoint instanceof KafkaEndpoint kafka ? new KafkaDelivery(kafka, kafkaStallMillis, sink)
                : new EndpointDelivery(endpoint, signer, deliverBatches, () -> stopping);
        if (Files.exists(marker())) {
            changed(State.DISABLED);
            LOG.error("*** Sink {} is DISABLED since a 410 Gone ({}): its events are held in its spool; delete that "
                    + "file to deliver them. ***", sink, marker());
        }
        retrySpool();
        if (spool != null && spool.count() > 0) {
            LOG.info("Sink {}: {} events in its spool from before the start; delivering them first", sink,
                    spool.count());
        }
        healthCheck = new SinkHealthCheck(this);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(healthCheck);
        }
        metrics = new SinkMetrics(PbxMetrics.registry(camelContext), this,
                camelContext.getRegistry().findSingleByType(SinkRegistry.class));
        dispatcherPool = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "sink-" + sink);
        dispatcherTask = dispatcherPool.submit(this::dispatch);
        // forcing many written megabytes to disk takes a while: on a thread of its own, the dispatcher goes on
        syncTimer = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "sink-sync-"
                + sink);
        syncTimer.scheduleWithFixedDelay(this::sync, syncInterval, syncInterval, TimeUnit.MILLISECONDS);
    }

    /**
     * Lets the delivery under way finish for up to {@code drainTimeout}, then gives it up (Kafka: the client is
     * closed, its unconfirmed records fail); what was not confirmed stays in the spool for the next start.
     */
    @Override
    protected void doStop() throws Exception {
        stopping = true;
        Thread d = dispatcher;
        if (d != null) {
            LockSupport.unpark(d);
        }
        if (dispatcherTask == null) {
            return; // the start failed before the dispatcher began
        }
        boolean drained = awaitDispatcher(drainTimeout);
        delivery.close(drained ? drainTimeout : 0);
        if (!drained && !awaitDispatcher(5000)) {
            LOG.warn("Sink {}: the delivery under way did not end at the stop; its events stay in the spool", sink);
        }
        dispatcherPool.shutdown();
        syncTimer.shutdown();
        syncTimer.awaitTermination(10, TimeUnit.SECONDS); // the last sync under way, before the spool closes
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null && healthCheck != null) {
            registry.unregister(healthCheck);
        }
        if (metrics != null) {
            metrics.remove();
            metrics = null;
        }
        synchronized (intake) {
            EventSpool s = spool;
            spool = null;
            if (s != null) {
                if (spoolProblem == null) {
                    s.sync();
                }
                s.close();
            }
            if (!held.isEmpty()) {
                // stopped with the spool unusable: what is held in memory goes to the dead letters
                int n = held.size();
                memoryMaxEvents = 0;
                hold(List.of());
                LOG.error("Sink {}: stopped with its spool unusable ({}): {} events held in memory moved to the dead "
                        + "letters ({} lost: not writable either)", sink, spoolProblem, n, lostCount.get());
            }
        }
    }

    private boolean awaitDispatcher(long millis) {
        try {
            dispatcherTask.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Path spoolPath() {
        return Path.of(spoolDir).resolve(sink);
    }

    /** While this file exists the sink is disabled (a 410 Gone); deleting it enables the sink again. */
    Path marker() {
        return spoolPath().resolve(DISABLED_MARKER);
    }

    static SpoolRecord record(CloudEvent event, int attempts, String reason) {
        return new SpoolRecord(event.id(), event.subject(), CloudEvents.structured(event), attempts, reason,
                Instant.now());
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown failure";
        }
        if (t instanceof org.apache.camel.http.base.HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode() + " from " + http.getUri();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m != null ? ": " + m : "");
    }

    private void countDelivered(CloudEvent event) {
        deliveredCount.incrementAndGet();
        Consumer<CloudEvent> listener = deliveryListener;
        if (listener != null) {
            listener.accept(event);
        }
    }

    // ------------------------------------------------------------------------------------------------ monitoring

    /** Events the sink confirmed so far (this run). */
    public long delivered() {
        return deliveredCount.get();
    }

    /** Told of each event the sink confirmed (metrics, benchmarks); called on the dispatcher's thread. */
    public void setDeliveryListener(Consumer<CloudEvent> deliveryListener) {
        this.deliveryListener = deliveryListener;
    }

    /** Events waiting in the spool (taken, not yet confirmed by the sink), plus those held in memory. */
    public long spooled() {
        EventSpool s = spool;
        long n;
        synchronized (intake) {
            n = held.size();
        }
        return n + (s == null ? 0 : s.count());
    }

    /** Bytes the spool holds. */
    public long spooledBytes() {
        EventSpool s = spool;
        return s == null ? 0 : s.bytes();
    }

    /** Events moved to the dead letters this run (refused, or pushed out of a full spool). */
    public long deadLettered() {
        EventSpool s = spool;
        return deadLetterCount.get() + (s == null ? 0 : s.evicted());
    }

    /** The oldest event waiting for the sink, or null when none is known to wait. */
    public CloudEvent oldestWaiting() {
        return spooled() > 0 ? headEvent : null;
    }

    /** Failed delivery attempts this run (each is retried with backoff). */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Events read back from the spool to be sent this run (after an outage or a restart). */
    public long replayed() {
        return replayedCount.get();
    }

    /** Events lost this run: only when the spool and the dead letters both could not be written. */
    public long lost() {
        return lostCount.get();
    }

    /** UP, DOWN (failing: events wait in the spool) or DISABLED (410 Gone). */
    public String state() {
        return delivery instanceof KafkaDelivery k && k.waitingLong() && state == State.UP ? "DOWN" : state.name();
    }

    /** Why the spool cannot be used, or null when it can. */
    public String spoolProblem() {
        return spoolProblem;
    }

    public String lastFailure() {
        return lastFailure;
    }

    public Instant stateSince() {
        return stateSince;
    }

    // ------------------------------------------------------------------------------------------------ properties

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public String getSink() {
        return sink;
    }

    /** The route whose guard serves {@code sink}: {@code webhook-<name>} as it is, else {@code sink-<name>}. */
    public static String routeId(String sink) {
        return sink.startsWith("webhook-") ? sink : "sink-" + sink;
    }

    /** Where events are delivered: an endpoint taking one event per exchange, a Kafka endpoint, or (batches) a list. */
    public void setDeliverUri(String deliverUri) {
        this.deliverUri = deliverUri;
    }

    /**
     * Where the events end up (the file, the Kafka cluster and topic, the SMTP server, the receiver's URL), as the
     * start-up summary of connection targets shows it; default the {@code deliverUri}.
     */
    public void setTarget(String target) {
        this.target = target;
    }

    public String getTarget() {
        return target != null && !target.isBlank() ? target : deliverUri;
    }

    /** One exchange per batch of events (a {@code List<CloudEvent>} body) instead of one per event. */
    public void setDeliverBatches(boolean deliverBatches) {
        this.deliverBatches = deliverBatches;
    }

    public void setSpoolDir(String spoolDir) {
        this.spoolDir = spoolDir;
    }

    public void setDeadLetterDir(String deadLetterDir) {
        this.deadLetterDir = deadLetterDir;
    }

    public void setSpoolMaxBytes(long spoolMaxBytes) {
        this.spoolMaxBytes = spoolMaxBytes;
    }

    /** Webhook sinks: sign every attempt with this Standard Webhooks secret ({@code whsec_...}). */
    public void setSigningSecret(String secret) {
        if (secret != null && !secret.isBlank()) {
            signer = new WebhookSigner();
            signer.setSecret(secret);
        }
    }

    /** First retry delay in ms; doubles each retry up to {@code retryMaxDelay}, with jitter. */
    public void setRetryDelay(long retryDelay) {
        this.retryDelay = Math.max(1, retryDelay);
    }

    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    /** Events handed to the sink at once (at most). */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Events kept as objects after they are written, so a dispatcher that keeps up never reads them back. */
    public void setCacheSize(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    /** How often (ms) the spool is forced to disk: what a power cut (not a killed process) could cost. */
    public void setSyncInterval(long syncInterval) {
        this.syncInterval = syncInterval;
    }

    /** How long (ms) a stop waits for the delivery under way before giving it up. */
    public void setDrainTimeout(long drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public long getDrainTimeout() {
        return drainTimeout;
    }

    /** Kafka: records unconfirmed this long (ms) mark the sink DOWN (the client keeps retrying them). */
    public void setKafkaStallMillis(long kafkaStallMillis) {
        this.kafkaStallMillis = kafkaStallMillis;
    }

    /** Events held in memory while the spool cannot be written, before the oldest go to the dead letters. */
    public void setMemoryMaxEvents(int memoryMaxEvents) {
        this.memoryMaxEvents = memoryMaxEvents;
    }
}
