package io.pbxbridge.metasec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.vendor.VendorCallHealth;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.source.Backoff;

/**
 * {@code metasec:events}: the WebTAPI pushes nothing, so this polls it every {@code pollInterval} and emits
 * {@link CallEvent}s of what changed ({@link MetasecTracker}). A poll reads {@code call_list_all}, the waiting callers
 * and the agents of the queues, {@code relay_list}, {@code call_record_list} and {@code call_status_get} of the
 * watched extensions ({@code watch}), one after the other with the connection's session; a list that cannot be read
 * leaves its part of the snapshot as it was (no event), and is reconciled by the next poll that reads it.
 *
 * <p>After each poll, in this order: the events are routed (the exchanges of up to {@code maxBatchSize}, a
 * {@code List<CallEvent>} body, waited for), the records of the calls that ended are appended to the journal
 * ({@link MetasecCallJournal}, read by {@code metasec:cdr}) and the snapshot is saved ({@link MetasecStateFiles}):
 * a crash in between makes the next start see those changes again (at least once, never lost). When routing or the
 * journal fails, the snapshot goes back to the one saved and the next poll announces the changes again.
 *
 * <p>A poll whose {@code call_list_all} fails waits {@code pollInterval} doubling up to {@code maxPollDelay} before
 * the next (a {@link Backoff}); its calls stay as they were, and the first poll that reads them reconciles. One thread,
 * on Camel's scheduled executor; the polls never overlap.
 */
public class MetasecEventConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MetasecEventConsumer.class);
    /**
     * A snapshot unchanged but for its times is saved this often (the last sight of the calls), and a changed one
     * forced to disk at most this often.
     */
    private static final long SAVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final MetasecEndpoint endpoint;
    private final MetasecConfiguration cfg;
    private final String source;
    private final Set<String> watch;
    private final String extensions;
    private final List<String> queues;
    private final Backoff backoff;
    private final MetasecStateFiles files;
    private final MetasecPollMonitor monitor;
    private volatile MetasecTracker tracker;
    private MetasecCallJournal journal;
    private ScheduledExecutorService scheduler;
    private volatile java.util.concurrent.ScheduledFuture<?> next;
    private volatile boolean running;
    private List<String> knownQueues = List.of();
    private long lastSave = System.nanoTime();
    private VendorCallHealth health;

    public MetasecEventConsumer(MetasecEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.cfg = endpoint.getConfiguration();
        this.source = endpoint.source();
        if (cfg.getPollInterval() < 10) {
            throw new IllegalArgumentException("metasec:events: pollInterval must be at least 10 ms, not "
                    + cfg.getPollInterval());
        }
        this.watch = watch(cfg.getWatch());
        this.extensions = cfg.getExtensions() == null || cfg.getExtensions().isBlank() ? null
                : String.join(",", list(cfg.getExtensions()));
        this.queues = cfg.getQueues() == null || cfg.getQueues().isBlank() ? null : list(cfg.getQueues());
        this.backoff = new Backoff(cfg.getPollInterval(), cfg.getMaxPollDelay());
        this.files = new MetasecStateFiles(Path.of(cfg.getStateDirectory()), source);
        this.monitor = new MetasecPollMonitor(source, Duration.ofMillis(cfg.getUnhealthyAfter()), () -> {
            MetasecTracker t = tracker;
            return t == null ? new int[2] : new int[] { t.channelCount(), t.callCount() };
        });
    }

    static final List<String> KINDS = List.of("calls", "queues", "agents", "relays", "recordings", "extensions");

    private static Set<String> watch(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : list(value == null ? "" : value)) {
            String k = w.toLowerCase(Locale.ROOT);
            if (!KINDS.contains(k)) {
                throw new IllegalArgumentException("metasec:events: watch '" + w + "' is not one of " + KINDS);
            }
            out.add(k);
        }
        return out;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MetasecTracker t = newTracker();
        tracker = t;
        journal = endpoint.getComponent().journal(files.journal(), Duration.ofMillis(cfg.getCdrJournalRetention()));
        endpoint.getComponent().bindTracker(source, t);
        health = endpoint.getComponent().callHealth();
        monitor.start(getEndpoint().getCamelContext());
        running = true;
        scheduler = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "MetasecPoller");
        next = scheduler.schedule(this::run, 0, TimeUnit.MILLISECONDS);
        LOG.info("METASEC {}: polling every {} ms ({}){}", source, cfg.getPollInterval(), String.join(", ", watch),
                t.callCount() > 0 ? "; " + t.callCount() + " calls in the saved snapshot, reconciled first" : "");
    }

    /** A tracker from the saved snapshot, or a new one (whose first lists are its baseline). */
    private MetasecTracker newTracker() {
        MetasecTracker t = new MetasecTracker(source, cfg.getOriginateContext(),
                Duration.ofMillis(cfg.getPollInterval()));
        MetasecTracker.State saved = files.load();
        if (saved != null) {
            t.restore(saved);
            Set<String> names = new LinkedHashSet<>(saved.waiting.keySet());
            names.addAll(saved.agents.keySet());
            knownQueues = List.copyOf(names);
        }
        return t;
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        java.util.concurrent.ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false); // the next poll; the one under way ends first
        }
        if (scheduler != null) {
            // the poll under way ends first: its events are routed, its snapshot saved
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(scheduler, 10_000);
            scheduler = null;
        }
        MetasecTracker t = tracker;
        if (t != null) {
            try {
                files.save(t.state(), true);
            } catch (IOException e) {
                LOG.warn("METASEC {}: the snapshot could not be saved at the stop: {}", source, e.toString());
            }
            endpoint.getComponent().unbindTracker(source, t);
        }
        monitor.stop();
        super.doStop();
    }

    private void run() {
        if (!running) {
            return;
        }
        long started = System.nanoTime();
        long delay;
        try {
            delay = poll() ? Math.max(0, cfg.getPollInterval() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - started)) : backoff.failed();
        } catch (Throwable t) {
            getExceptionHandler().handleException("METASEC " + source + ": a poll failed", t);
            delay = backoff.failed();
        }
        if (running) {
            try {
                next = scheduler.schedule(this::run, delay, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // stopping
            }
        }
    }

    /**
     * One poll now (the scheduled ones call this too; tests and benchmarks may, between them): false when it failed
     * (the next scheduled one then backs off).
     */
    public synchronized boolean poll() {
        long started = System.nanoTime();
        Instant at = Instant.now();
        MetasecClient client = endpoint.getClient();
        Reads reads = new Reads();
        MetasecList<ChannelLine> channels = watch.contains("calls")
                ? reads.read("call_list_all", client::callListAll) : null;
        Map<String, MetasecList<WaitingCaller>> waiting = new LinkedHashMap<>();
        Map<String, MetasecList<AgentInfo>> agents = new LinkedHashMap<>();
        if (watch.contains("queues") || watch.contains("agents")) {
            for (String q : queueNames(client, reads)) {
                if (watch.contains("queues")) {
                    waiting.put(q, reads.read("q_waiting_list", () -> client.qWaitingList(q)));
                }
                if (watch.contains("agents")) {
                    agents.put(q, reads.read("agent_list", () -> client.agentList(q)));
                }
            }
        }
        MetasecList<Relay> relays = watch.contains("relays") ? reads.read("relay_list", client::relayList) : null;
        MetasecList<RecordingFile> recordings = watch.contains("recordings")
                ? reads.read("call_record_list", client::callRecordList) : null;
        MetasecList<ExtensionStatus> statuses = watch.contains("extensions") && extensions != null
                ? reads.read("call_status_get", () -> client.callStatusGet(extensions)) : null;
        MetasecPoll poll = new MetasecPoll(at, channels, statuses, waiting, agents, relays, recordings);

        MetasecPollMonitor.Outcome outcome = reads.failed == 0 ? MetasecPollMonitor.Outcome.OK
                : watch.contains("calls") && channels == null || reads.read == 0 ? MetasecPollMonitor.Outcome.FAILED
                : MetasecPollMonitor.Outcome.PARTIAL;
        int events = 0;
        String failure = reads.firstFailure;
        MetasecTracker t = tracker;
        MetasecTracker.Result result = t.apply(poll); // with nothing read, it marks what to reconcile
        if (reads.read > 0) {
            try {
                deliver(result.events());
                journal.append(result.ended());
                events = result.events().size();
                long now = System.nanoTime();
                boolean due = now - lastSave > SAVE_INTERVAL_NANOS;
                if (result.changed() || due) {
                    // written at each change (a killed process loses nothing), forced to disk at most every 10 s
                    files.save(t.state(), due);
                    if (due) {
                        lastSave = now;
                    }
                }
            } catch (Exception e) {
                failure = "the events of the poll could not be handed on: " + VendorFailures.rootMessage(e);
                LOG.warn("METASEC {}: {}; the snapshot goes back to the one saved, and the next poll announces the "
                        + "changes again", source, failure);
                MetasecTracker fresh = newTracker();
                tracker = fresh;
                endpoint.getComponent().bindTracker(source, fresh);
                outcome = MetasecPollMonitor.Outcome.FAILED;
            }
        }
        boolean recovered = monitor.polled(outcome, System.nanoTime() - started, reads.complete, events, failure);
        if (outcome == MetasecPollMonitor.Outcome.FAILED) {
            LOG.warn("METASEC {}: poll failed ({}); next poll in {} ms", source, failure,
                    backoff.delay(backoff.failures()));
            return false;
        }
        backoff.reset();
        if (recovered && monitor.polls() > 1) {
            LOG.info("METASEC {}: polled again after {} failed polls; the snapshot was reconciled", source,
                    monitor.failedPolls());
        }
        return true;
    }

    /** The queues to watch: the option's, else q_list's (the last ones known when it fails). */
    private List<String> queueNames(MetasecClient client, Reads reads) {
        if (queues != null) {
            return queues;
        }
        MetasecList<QueueInfo> list = reads.read("q_list", client::qList);
        if (list != null && list.complete()) {
            knownQueues = list.rows().stream().map(QueueInfo::name).distinct().toList();
        } else if (list != null) {
            Set<String> names = new LinkedHashSet<>(knownQueues);
            list.rows().forEach(q -> names.add(q.name()));
            knownQueues = List.copyOf(names);
        }
        return knownQueues;
    }

    /** The lists of one poll: each read, or null with its failure noted. */
    private final class Reads {
        int read;
        int failed;
        boolean complete = true;
        String firstFailure;

        <T> MetasecList<T> read(String action, Supplier<MetasecList<T>> call) {
            try {
                MetasecList<T> l = call.get();
                read++;
                complete &= l.complete();
                health.succeeded(action);
                return l;
            } catch (RuntimeException e) {
                failed++;
                health.failed(action, e);
                if (firstFailure == null) {
                    firstFailure = action + ": " + VendorFailures.rootMessage(e);
                }
                LOG.debug("METASEC {}: {} failed: {}", source, action, e.toString());
                return null;
            }
        }
    }

    /** Routes the events of a poll, in exchanges of up to maxBatchSize (a List body above 1); waits for each. */
    private void deliver(List<CallEvent> events) throws Exception {
        int batch = Math.max(1, cfg.getMaxBatchSize());
        for (int from = 0; from < events.size(); from += batch) {
            Object body = batch == 1 ? events.get(from)
                    : new ArrayList<>(events.subList(from, Math.min(events.size(), from + batch)));
            Exchange exchange = createExchange(false);
            try {
                exchange.getIn().setBody(body);
                exchange.getIn().setHeader(MetasecConstants.SOURCE, source);
                getProcessor().process(exchange);
                if (exchange.getException() != null) {
                    throw exchange.getException();
                }
            } finally {
                releaseExchange(exchange, false);
            }
        }
    }

    // ---- for tests and monitoring -----------------------------------------------------------------------------

    /** The snapshot's tracker (replaced when a poll's events could not be handed on). */
    public MetasecTracker tracker() {
        return tracker;
    }

    public long getPollCount() {
        return monitor.polls();
    }

    public long getFailedPollCount() {
        return monitor.failedPolls();
    }

    public long getEventCount() {
        return monitor.events();
    }
}
