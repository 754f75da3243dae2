package io.pbxbridge.cdr;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.model.CallRecord;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;

/**
 * The {@code cdr} consumer of a vendor component: on its schedule (Quartz cron with {@code scheduler=quartz}) it
 * reads the call records of the window {@code (checkpoint - overlap, now - lag]} from the vendor's
 * {@link CallRecordPages}, page after page until the vendor says there is no more, and emits them as batches
 * ({@code List<CallRecord>} bodies of at most {@code batchSize} records, in the order read).
 *
 * <p>Records already delivered are skipped by key: those of the overlap (the checkpoint remembers them) and, for
 * vendors that list a record more than once in one window, the run's own. Records that cannot be read go to the
 * dead letters. The last batch of a run (empty when the window had nothing new) carries the next checkpoint in the
 * {@link CdrConstants#CHECKPOINT} property; the exchange's on-completion commits it, the way camel-file commits its
 * moves, so the checkpoint advances only once every sink has committed every batch of the run. A batch that fails
 * ends the run: the checkpoint stays, and the next run reads the window again.
 *
 * <p>Runs of one source never overlap: the schedule, {@link #harvestNow()} and {@link #backfill} take turns.
 */
public class CallRecordConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CallRecordConsumer.class);

    private final CallRecordPages pages;
    private final HarvestOptions options;
    private final String source;
    private final ReentrantLock running = new ReentrantLock();
    private final HarvestMonitor monitor;
    /** The checkpoint last loaded or committed: a run that cannot load it (its store is away) fails from there. */
    private volatile HarvestCheckpoint lastKnown;
    private Clock clock = Clock.systemUTC();

    /**
     * @param source the harvest source: vendor and server/account, e.g. {@code monema:host/login}
     */
    public CallRecordConsumer(Endpoint endpoint, Processor processor, String source, CallRecordPages pages,
                              HarvestOptions options) {
        super(endpoint, processor);
        this.source = source;
        this.pages = pages;
        this.options = options;
        this.monitor = new HarvestMonitor(source, options.unhealthyLag());
    }

    public String source() {
        return source;
    }

    /** For tests that move time. */
    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected void doStart() throws Exception {
        try {
            HarvestCheckpoint cp = options.checkpoints().load(source);
            if (cp != null) {
                monitor.watermark(cp.watermark());
                lastKnown = cp;
            }
        } catch (Exception e) {
            // a checkpoint store that is down (a database) fails the runs, which try again, not the start
            LOG.warn("CDR harvest {}: its checkpoint cannot be read yet ({}); the runs will try again", source,
                    VendorFailures.rootMessage(e));
        }
        monitor.start(getEndpoint().getCamelContext());
        CallRecordHarvests.of(getEndpoint().getCamelContext()).register(this);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        CallRecordHarvests.of(getEndpoint().getCamelContext()).unregister(this);
        monitor.stop();
    }

    @Override
    protected int poll() throws Exception {
        HarvestRun run;
        try {
            run = harvest(null);
        } catch (Exception e) {
            // said in the run's line already; the schedule tries again at its next time
            return 0;
        }
        return run == null ? 0 : run.batchesEmitted();
    }

    /** Harvests the live window now, between scheduled runs; the run's figures, or its failure thrown. */
    public HarvestRun harvestNow() throws Exception {
        return harvest(null);
    }

    /**
     * Harvests {@code window} again (records of any age the vendor still lists), without moving the live checkpoint:
     * the sinks absorb what they already have by key.
     */
    public HarvestRun backfill(HarvestWindow window) throws Exception {
        return harvest(window);
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        // batches are emitted by poll() as the pages are read, never queued: a page may be larger than memory
        int n = 0;
        for (Object o : exchanges) {
            getProcessor().process((Exchange) o);
            n++;
        }
        return n;
    }

    private HarvestRun harvest(HarvestWindow backfill) throws Exception {
        running.lockInterruptibly();
        try {
            return runLocked(backfill);
        } finally {
            running.unlock();
        }
    }

    private HarvestRun runLocked(HarvestWindow backfill) throws Exception {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS); // vendors read times to the second
        HarvestCheckpoint cp;
        Exception unreadable = null;
        try {
            cp = options.checkpoints().load(source);
            lastKnown = cp;
        } catch (Exception e) {
            unreadable = e; // the run fails, in its line, as the run it would be from the checkpoint last known
            cp = lastKnown;
        }
        if (cp == null) {
            cp = HarvestCheckpoint.initial(source, now.minus(options.firstRunLookback()));
        }
        HarvestWindow window = backfill != null ? backfill
                : new HarvestWindow(cp.isInitial() ? cp.watermark() : cp.watermark().minus(options.overlap()),
                        liveEnd(now.minus(options.lag())));
        if (window.isEmpty()) {
            LOG.debug("CDR harvest {}: window {} is empty, nothing to do", source, window);
            return null;
        }
        HarvestRun run = new HarvestRun(source, cp.run() + 1, window, backfill != null, cp.watermark());
        try (CallRecordDeadLetters deadLetters = new CallRecordDeadLetters(options.deadLetters(), source)) {
            if (unreadable != null) {
                throw unreadable;
            }
            read(cp, run, deadLetters);
        } catch (Exception e) {
            run.failed(describe(e));
            monitor.finished(run);
            LOG.warn(run.line());
            throw e;
        }
        monitor.finished(run);
        LOG.info(run.line());
        return run;
    }

    /**
     * Where a live window ends: {@code now - lag}, or before the start of a call whose record is still to come
     * ({@link CallRecordPages#pendingSince()}), to the second.
     */
    private Instant liveEnd(Instant end) {
        Instant pending;
        try {
            pending = pages.pendingSince();
        } catch (Exception e) {
            LOG.warn("CDR harvest {}: cannot tell which calls are still in progress ({}); the window ends at now - lag",
                    source, VendorFailures.rootMessage(e));
            return end;
        }
        if (pending == null) {
            return end;
        }
        Instant before = pending.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        if (before.isBefore(end)) {
            LOG.debug("CDR harvest {}: a call in progress since {}: the window ends at {}", source, pending, before);
            return before;
        }
        return end;
    }

    private void read(HarvestCheckpoint cp, HarvestRun run, CallRecordDeadLetters deadLetters) throws Exception {
        HarvestWindow window = run.window();
        Set<String> seenThisRun = pages.mayRepeatWithinWindow() ? new HashSet<>() : null;
        Map<String, Long> known = cp.recentKeys();
        // the keys the next live run's overlap will list again
        Map<String, Long> recent = new HashMap<>();
        Instant nextWatermark = run.isBackfill() ? cp.watermark() : window.to();
        long recentAfter = nextWatermark.minus(options.overlap()).getEpochSecond();
        known.forEach((k, start) -> {
            if (start > recentAfter) {
                recent.put(k, start);
            }
        });
        // a dead letter has no start to go by: it is remembered while the window that listed it may be listed again
        Map<String, Long> knownDead = cp.recentDeadLetters();
        Map<String, Long> recentDead = new HashMap<>();
        knownDead.forEach((hash, listedUpTo) -> {
            if (listedUpTo > recentAfter) {
                recentDead.put(hash, listedUpTo);
            }
        });
        List<CallRecord> batch = new ArrayList<>();
        String cursor = null;
        do {
            try (CallRecordPage page = pages.fetch(window, cursor)) {
                for (HarvestEntry e = page.next(); e != null; e = page.next()) {
                    run.read++;
                    String problem = e.isRejected() ? e.problem() : problem(e.record());
                    if (problem != null) {
                        String raw = e.isRejected() ? e.raw() : String.valueOf(e.record().raw());
                        String hash = CallRecordDeadLetters.hash(raw);
                        if (recentDead.putIfAbsent(hash, window.to().getEpochSecond()) != null) {
                            run.repeats++;
                            continue;
                        }
                        run.dead++;
                        deadLetters.write(source, run.number(), problem, raw);
                        continue;
                    }
                    CallRecord r = e.record();
                    if (!window.contains(r.start())) {
                        run.outside++;
                        continue;
                    }
                    if (known.containsKey(r.key()) || seenThisRun != null && !seenThisRun.add(r.key())) {
                        run.repeats++;
                        continue;
                    }
                    long start = r.start().getEpochSecond();
                    if (start > recentAfter && !run.isBackfill()) {
                        recent.put(r.key(), start);
                    }
                    run.fresh++;
                    // a full batch goes once the next record is known to exist: the last one carries the checkpoint
                    if (batch.size() >= options.batchSize()) {
                        emit(run, batch, null);
                        batch = new ArrayList<>();
                    }
                    batch.add(r);
                }
                cursor = page.nextCursor();
            }
        } while (cursor != null);
        deadLetters.force();
        HarvestCheckpoint next = run.isBackfill()
                ? new HarvestCheckpoint(source, run.number(), nextWatermark, known, clock.instant(), knownDead)
                : new HarvestCheckpoint(source, run.number(), nextWatermark, recent, clock.instant(), recentDead);
        emit(run, batch, next);
    }

    /** Why a record read as such cannot be delivered, or null. */
    static String problem(CallRecord r) {
        if (r.key() == null || r.key().isBlank() || r.key().endsWith(":")) {
            return "no record id";
        }
        if (r.start() == null) {
            return "no start time";
        }
        if (r.duration() != null && r.duration() < 0) {
            return "negative duration " + r.duration();
        }
        if (r.billsec() != null && r.billsec() < 0) {
            return "negative billed seconds " + r.billsec();
        }
        return null;
    }

    private void emit(HarvestRun run, List<CallRecord> batch, HarvestCheckpoint checkpoint) throws Exception {
        if (!isRunAllowed()) {
            throw new IllegalStateException("stopping: the run ends before its checkpoint");
        }
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(batch);
            exchange.getMessage().setHeader(CdrConstants.SOURCE, source);
            exchange.getMessage().setHeader(CdrConstants.RUN, run.number());
            exchange.getMessage().setHeader(CdrConstants.WINDOW_FROM, run.window().from().toString());
            exchange.getMessage().setHeader(CdrConstants.WINDOW_TO, run.window().to().toString());
            exchange.getMessage().setHeader(CdrConstants.BACKFILL, run.isBackfill());
            exchange.setProperty(Exchange.BATCH_INDEX, run.batches);
            exchange.setProperty(Exchange.BATCH_COMPLETE, checkpoint != null);
            if (checkpoint != null) {
                exchange.setProperty(Exchange.BATCH_SIZE, run.batches + 1);
                exchange.setProperty(CdrConstants.CHECKPOINT, checkpoint);
            }
            Commit commit = checkpoint == null ? null : new Commit(checkpoint);
            if (commit != null) {
                exchange.getExchangeExtension().addOnCompletion(commit);
            }
            pendingExchanges = 1;
            try {
                getProcessor().process(exchange);
            } finally {
                pendingExchanges = 0;
            }
            run.batches++;
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
            if (commit != null) {
                if (commit.failure != null) {
                    throw commit.failure;
                }
                run.committed(checkpoint.watermark());
                monitor.watermark(checkpoint.watermark());
                lastKnown = checkpoint;
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static String describe(Exception e) {
        // the vendor's own failures only: a sink's or the checkpoint store's message says what it is
        String kind = e instanceof VendorException && VendorFailures.isTransient(e) ? "the vendor did not answer: "
                : "";
        // one line: parsers' messages span several
        return kind + VendorFailures.rootMessage(e).replaceAll("\\s*\\R\\s*", " ");
    }

    /** Commits the run's checkpoint once every sink has committed its last batch. */
    private final class Commit extends SynchronizationAdapter {

        private final HarvestCheckpoint checkpoint;
        private volatile Exception failure;

        Commit(HarvestCheckpoint checkpoint) {
            this.checkpoint = checkpoint;
        }

        @Override
        public void onComplete(Exchange exchange) {
            try {
                options.checkpoints().commit(checkpoint);
            } catch (Exception e) {
                failure = new IllegalStateException("the checkpoint of " + source + " was not written: "
                        + e.getMessage(), e);
            }
        }
    }
}
