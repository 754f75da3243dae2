package io.pbxbridge.events;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.Json;
import io.pbxbridge.support.spool.DeadLetters;
import io.pbxbridge.support.spool.EventSpool;
import io.pbxbridge.support.spool.SpoolRecord;

/**
 * Keeps one sink's events safe. While the sink is up, events go straight to it (the guard, a route step, lets them through).
 * When a delivery fails past the route's retry budget ({@link #failed}), the sink is marked down: that event and
 * every later one are appended to the sink's durable spool, and a replayer delivers the spool in order to
 * {@code deliverUri} once the sink answers again; when the spool is empty the sink is up again. Permanent refusals go
 * to the dead-letter folder; HTTP 410 Gone disables the sink (later events go to dead letters, with that reason).
 * The spool survives restarts: a restarted guard finds it non-empty and replays it.
 */
public class SinkGuard extends ServiceSupport implements CamelContextAware, org.apache.camel.Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SinkGuard.class);
    private static final String DELIVERY = "PbxDelivery";

    enum State {
        UP,
        DOWN,
        DISABLED
    }

    private CamelContext camelContext;
    private String sink;
    private String deliverUri;
    private String spoolDir = "data/events/spool";
    private String deadLetterDir = "data/events/deadletter";
    private long spoolMaxBytes = 256L * 1024 * 1024;
    private int maxAttempts = 5;
    private long retryDelay = 500;
    private long retryMaxDelay = 10_000;
    private long replayInitialDelay = 1000;
    private long replayMaxDelay = 30_000;
    private int replayBatch = 500;
    private WebhookSigner signer;

    private final Object lock = new Object();
    private final java.util.ArrayDeque<Delivery> inFlight = new java.util.ArrayDeque<>();
    private boolean replayScheduled;
    private volatile State state = State.UP;
    private String disabledReason;
    private EventSpool spool;
    private DeadLetters deadLetters;
    private ProducerTemplate template;
    private org.apache.camel.Endpoint replayEndpoint;
    private org.apache.camel.AsyncProducer replayProducer;
    private ScheduledExecutorService replayer;
    private long replayDelay;
    private long replayed;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicLong deliveredCount = new java.util.concurrent.atomic.AtomicLong();
    private volatile java.util.function.Consumer<CloudEvent> deliveryListener;

    /**
     * As a route step ({@code process}), on the hot path: the guard, for the body's event or list of events (a batch
     * read at once, kept together). While the sink is up they go on (registered as in flight); otherwise they are
     * queued behind the sends still in flight (or spooled when there are none), or dead-lettered when the sink is
     * disabled, and the route ends here. Either way events keep their order.
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        List<CloudEvent> events = CloudEvents.events(exchange.getIn().getBody());
        Delivery live = null;
        synchronized (lock) {
            if (state == State.DISABLED) {
                for (CloudEvent event : events) {
                    deadLetters.write(sink, record(event, 0, disabledReason), disabledReason);
                }
            } else if (state == State.DOWN || !spool.isEmpty()) {
                if (inFlight.isEmpty()) {
                    spool.appendAll(events.stream().map(e -> record(e, 0, "sink down")).toList());
                } else {
                    inFlight.add(new Delivery(events, true));
                }
            } else {
                live = new Delivery(events, false);
                inFlight.add(live);
            }
        }
        if (live != null) {
            exchange.setProperty(DELIVERY, live);
        } else {
            exchange.setRouteStop(true);
        }
    }

    /**
     * Route step: delivers the body's events one by one to {@code deliverUri}, retrying transient failures with
     * exponential backoff and jitter (each retry logged) up to {@code maxAttempts}; then spools, dead-letters or
     * disables. A transient failure past the budget (the sink is down) or a 410 ends the batch: its remaining events
     * share that outcome untried. While Camel is stopping there are no retries: a failing event is spooled at once so
     * shutdown is not held up.
     */
    public void deliver(Exchange exchange) throws Exception {
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        List<CloudEvent> events = d != null ? d.events : CloudEvents.events(exchange.getIn().getBody());
        Throwable[] failures = new Throwable[events.size()];
        int[] attempts = new int[events.size()];
        Throwable stop = null;
        boolean interrupted = false;
        for (int i = 0; i < events.size(); i++) {
            if (stop != null) {
                failures[i] = stop;
                continue;
            }
            interrupted = !attemptDelivery(events.get(i), failures, attempts, i);
            SinkFailure kind = failures[i] == null ? null : SinkFailure.of(failures[i]);
            if (interrupted || kind == SinkFailure.TRANSIENT || kind == SinkFailure.GONE) {
                stop = failures[i];
            }
        }
        // an interrupt (stopping) is set again only after the spool is written: it would close its file channel
        complete(d, events, failures, attempts);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Delivers one event with the retries: its failure (or null) into {@code failures[i]}, the attempts made into
     * {@code attempts[i]}. False when interrupted while waiting to retry.
     */
    private boolean attemptDelivery(CloudEvent event, Throwable[] failures, int[] attempts, int i) {
        for (int attempt = 1;; attempt++) {
            Throwable failure = send(event);
            failures[i] = failure;
            attempts[i] = attempt;
            boolean retry = failure != null && SinkFailure.of(failure) == SinkFailure.TRANSIENT && attempt < maxAttempts
                    && !camelContext.isStopping();
            if (!retry) {
                return true;
            }
            long backoff = Math.min(retryMaxDelay, retryDelay << Math.min(20, attempt - 1));
            long delay = backoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            LOG.warn("Delivery of event {} to sink {} failed ({}); retry {}/{} in {} ms", event.id(), sink,
                    describe(failure), attempt, maxAttempts - 1, delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    /** Route step after an asynchronous delivery (Kafka) of the events succeeded. */
    public void delivered(Exchange exchange) throws IOException {
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        if (d != null) {
            complete(d, d.events, null, null);
        }
    }

    /** Route step after a failed delivery (the exception caught): spool, dead-letter or disable, by its kind. */
    public void failed(Exchange exchange) throws Exception {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Delivery d = exchange.getProperty(DELIVERY, Delivery.class);
        Object original = exchange.getProperty(CloudEvents.ORIGINAL); // the body may hold a wire form by now
        List<CloudEvent> events = d != null ? d.events
                : CloudEvents.events(original != null ? original : exchange.getIn().getBody());
        Throwable[] failures = new Throwable[events.size()];
        java.util.Arrays.fill(failures, cause != null ? cause : new IllegalStateException("delivery failed"));
        int[] attempts = new int[events.size()];
        java.util.Arrays.fill(attempts, 1);
        complete(d, events, failures, attempts);
    }

    /**
     * Records the outcome of a live delivery ({@code failures} null: all delivered) and settles the deliveries in
     * send order: from the oldest on, each finished one is done with (its failed events spooled or dead-lettered)
     * and each held one spooled, until one still under way. So the spool keeps the order events were sent in, even
     * when the sends ahead fail later than newer events arrive. The first transient failure marks the sink down;
     * replay starts once nothing is in flight.
     */
    private void complete(Delivery d, List<CloudEvent> events, Throwable[] failures, int[] attempts)
            throws IOException {
        synchronized (lock) {
            if (d == null) { // failed before it was offered
                d = new Delivery(events, false);
                inFlight.addFirst(d);
            }
            d.failures = failures;
            d.attempts = attempts;
            d.done = true;
            for (int i = 0; i < events.size(); i++) {
                Throwable failure = failures == null ? null : failures[i];
                if (failure == null) {
                    countDelivered(events.get(i));
                } else if (SinkFailure.of(failure) == SinkFailure.TRANSIENT && state == State.UP) {
                    state = State.DOWN;
                    LOG.warn("Sink {} is down ({}); spooling its events until it answers again", sink,
                            describe(failure));
                }
            }
            while (!inFlight.isEmpty() && (inFlight.peekFirst().held || inFlight.peekFirst().done)) {
                settle(inFlight.pollFirst());
            }
            if (inFlight.isEmpty() && state == State.DOWN && !replayScheduled) {
                scheduleReplay(replayInitialDelay);
            }
        }
    }

    private void settle(Delivery d) throws IOException {
        List<SpoolRecord> toSpool = new java.util.ArrayList<>();
        for (int i = 0; i < d.events.size(); i++) {
            CloudEvent event = d.events.get(i);
            Throwable failure = d.failures == null ? null : d.failures[i];
            int attempts = d.attempts == null ? 0 : d.attempts[i];
            if (state == State.DISABLED) {
                if (d.held || failure != null) {
                    deadLetters.write(sink, record(event, attempts, disabledReason), disabledReason);
                }
            } else if (d.held) {
                toSpool.add(record(event, 0, "sink down"));
            } else if (failure != null) {
                String reason = attempts == 0 ? "sink down (" + describe(failure) + ")" : describe(failure);
                switch (SinkFailure.of(failure)) {
                    case TRANSIENT -> toSpool.add(record(event, attempts, reason));
                    case PERMANENT -> {
                        LOG.warn("Sink {} refused event {} ({}): moved to dead letters", sink, event.id(), reason);
                        deadLetters.write(sink, record(event, attempts, reason), reason);
                    }
                    case GONE -> {
                        spool.appendAll(toSpool); // in order, ahead of what disabling moves to the dead letters
                        toSpool.clear();
                        disable(event, attempts, reason);
                    }
                }
            }
        }
        if (!toSpool.isEmpty()) {
            spool.appendAll(toSpool);
        }
    }

    /**
     * A live delivery of one or more events (a batch), in send order; {@code held} ones were not sent (queued while
     * the sink is down).
     */
    private static final class Delivery {
        final List<CloudEvent> events;
        final boolean held;
        boolean done;
        Throwable[] failures; // per event; null: all delivered
        int[] attempts;

        Delivery(List<CloudEvent> events, boolean held) {
            this.events = events;
            this.held = held;
        }
    }

    private void disable(CloudEvent event, int attempts, String reason) throws IOException {
        synchronized (lock) {
            disabledReason = "subscription disabled: " + reason;
            state = State.DISABLED;
            deadLetters.write(sink, record(event, attempts, reason), reason);
            // what was spooled for it will never be delivered either
            for (List<SpoolRecord> batch = spool.peek(replayBatch); !batch.isEmpty(); batch = spool.peek(replayBatch)) {
                for (SpoolRecord r : batch) {
                    deadLetters.write(sink, r, disabledReason);
                }
                spool.acknowledge(batch.size());
            }
        }
        LOG.error("*** Sink {} is DISABLED: the receiver answered 410 Gone ({}). Its events now go to the dead-letter"
                + " folder {}; fix the subscription and restart pbx-bridge to enable it again. ***", sink, reason,
                Path.of(deadLetterDir).resolve(sink));
    }

    private void scheduleReplay(long delay) {
        if (stopping) {
            return; // the spool is on disk: the next start replays it
        }
        replayScheduled = true;
        replayDelay = delay;
        replayer.schedule(this::replay, delay, TimeUnit.MILLISECONDS);
    }

    /** Delivers the spool in order; on the first transient failure backs off and tries again later. */
    private void replay() {
        try {
            while (true) {
                List<SpoolRecord> batch;
                synchronized (lock) {
                    replayScheduled = false;
                    if (state == State.DISABLED) {
                        return;
                    }
                    if (!inFlight.isEmpty()) {
                        scheduleReplay(replayInitialDelay); // live sends first settle, in order
                        return;
                    }
                    batch = spool.peek(replayBatch);
                    if (batch.isEmpty()) {
                        if (state == State.DOWN) {
                            LOG.info("Sink {} is back: {} spooled events replayed", sink, replayed);
                        }
                        state = State.UP;
                        replayed = 0;
                        return;
                    }
                }
                if (stopping) {
                    return;
                }
                // the whole batch in flight at once, submitted in order from this one thread (Kafka keeps
                // per-partition order); then the delivered prefix is acknowledged in one go
                List<Throwable> failures = sendAll(batch);
                int done = 0;
                for (; done < batch.size(); done++) {
                    Throwable failure = failures.get(done);
                    if (failure == null) {
                        replayed++;
                        countDelivered(null);
                        continue;
                    }
                    SpoolRecord r = batch.get(done);
                    SinkFailure kind = SinkFailure.of(failure);
                    if (kind == SinkFailure.TRANSIENT) {
                        acknowledge(done);
                        long next = Math.min(replayMaxDelay, Math.max(replayInitialDelay, replayDelay * 2));
                        LOG.debug("Sink {} still down ({}); next replay in {} ms", sink, describe(failure), next);
                        scheduleReplay(next);
                        return;
                    }
                    if (kind == SinkFailure.GONE) {
                        acknowledge(done + 1);
                        disable(Json.MAPPER.readValue(r.payload(), CloudEvent.class), r.attempts() + 1,
                                describe(failure));
                        return;
                    }
                    deadLetters.write(sink, r, describe(failure));
                }
                acknowledge(done);
                replayDelay = replayInitialDelay;
            }
        } catch (Exception e) {
            LOG.error("Replay of sink {} failed: {}; retrying later", sink, e.toString());
            scheduleReplay(replayMaxDelay);
        }
    }

    private void acknowledge(int n) throws IOException {
        if (n > 0) {
            synchronized (lock) {
                spool.acknowledge(n);
            }
        }
    }

    /** Delivers the records asynchronously, in order; the failure of each (null when delivered). */
    private List<Throwable> sendAll(List<SpoolRecord> batch) throws Exception {
        Throwable[] failures = new Throwable[batch.size()];
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Exchange exchange = replayEndpoint.createExchange();
            exchange.getIn().setBody(Json.MAPPER.readValue(batch.get(i).payload(), CloudEvent.class));
            if (signer != null) {
                signer.sign(exchange);
            }
            int index = i;
            replayProducer.process(exchange, doneSync -> {
                failures[index] = exchange.getException();
                done.countDown();
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("replay batch of sink " + sink + " not finished after 10 minutes");
        }
        return java.util.Arrays.asList(failures);
    }

    /** One delivery attempt: a fresh exchange (signed anew for webhooks), the failure or null. */
    private Throwable send(CloudEvent event) {
        Exchange result = template.send(deliverUri, e -> {
            e.getIn().setBody(event);
            if (signer != null) {
                signer.sign(e);
            }
        });
        return result.getException();
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
        java.util.function.Consumer<CloudEvent> listener = deliveryListener;
        if (listener != null && event != null) {
            listener.accept(event);
        }
    }

    /** Events delivered to the sink so far (live and replayed). */
    public long delivered() {
        return deliveredCount.get();
    }

    /** Told of each live delivery the sink acknowledged (metrics, benchmarks); called on the delivering thread. */
    public void setDeliveryListener(java.util.function.Consumer<CloudEvent> deliveryListener) {
        this.deliveryListener = deliveryListener;
    }

    /** Events waiting in the spool. */
    public long spooled() {
        synchronized (lock) {
            return spool.count();
        }
    }

    /** UP, DOWN (spooling) or DISABLED, for monitoring. */
    public String state() {
        return state.name();
    }

    @Override
    protected void doStart() throws Exception {
        stopping = false;
        // findable by monitoring and tests, also when declared as a route template's local bean
        camelContext.getRegistry().bind("sinkGuard." + sink, this);
        deadLetters = new DeadLetters(Path.of(deadLetterDir));
        spool = EventSpool.open(Path.of(spoolDir).resolve(sink), sink, spoolMaxBytes, deadLetters);
        template = camelContext.createProducerTemplate();
        replayEndpoint = camelContext.getEndpoint(deliverUri);
        replayProducer = replayEndpoint.createAsyncProducer();
        org.apache.camel.support.service.ServiceHelper.startService(replayProducer);
        replayer = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "replay-" + sink);
        if (!spool.isEmpty()) {
            state = State.DOWN;
            LOG.info("Sink {}: {} events spooled before the restart; replaying them first", sink, spool.count());
            scheduleReplay(replayInitialDelay);
        }
    }

    @Override
    protected void doStop() throws Exception {
        // no interrupts: an interrupted thread doing file I/O would close the spool's channel under it
        stopping = true;
        if (replayer != null) {
            replayer.shutdown();
            if (!replayer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Replay of sink {} did not finish within 30 s", sink);
            }
        }
        org.apache.camel.support.service.ServiceHelper.stopService(replayProducer);
        synchronized (lock) {
            if (spool != null) {
                spool.close();
            }
        }
    }

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

    /** Where spooled events are replayed to: the sink's delivery route, without its retries. */
    public void setDeliverUri(String deliverUri) {
        this.deliverUri = deliverUri;
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

    /** Attempts of a live delivery before the event is spooled (transient failures only). */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** First retry delay in ms; doubles each retry up to {@code retryMaxDelay}, with jitter. */
    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public void setReplayInitialDelay(long replayInitialDelay) {
        this.replayInitialDelay = replayInitialDelay;
    }

    public void setReplayMaxDelay(long replayMaxDelay) {
        this.replayMaxDelay = replayMaxDelay;
    }

    public void setReplayBatch(int replayBatch) {
        this.replayBatch = replayBatch;
    }
}
