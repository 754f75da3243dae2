package io.pbxbridge.metasec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.pbxbridge.support.metrics.PbxMetrics;

/**
 * What an operator sees of {@code metasec:events}, a polled source: the readiness check
 * {@code source-metasec-<host>/<user>} (polling or failing and since when, the last poll and its time, polls, failed
 * polls, incomplete snapshots, the snapshot's channels and calls, events, the last event's age, the last failure;
 * DOWN once the polls have failed for longer than {@code unhealthyAfter}) and the meters every event source has,
 * labelled {@code vendor} and {@code source}: {@code pbx_source_events_total}, {@code pbx_source_connects_total}
 * (the first successful poll and each after failed ones), {@code pbx_source_connect_failures_total} (failed polls),
 * {@code pbx_source_connected} (1 while the polls succeed); and a poller's own: {@code pbx_source_polls_total}
 * ({@code outcome} ok, partial, failed) and {@code pbx_source_poll_seconds}.
 */
final class MetasecPollMonitor {

    /** How a poll went: every list read; some not; call_list_all (or everything) not. */
    enum Outcome {
        OK, PARTIAL, FAILED
    }

    private final String source;
    private final Duration budget;
    private final Supplier<int[]> snapshot;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failedPolls = new AtomicLong();
    private final AtomicLong recoveries = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();
    private volatile long consecutiveFailures;
    private volatile Instant okSince;
    private volatile Instant failingSince = Instant.now();
    private volatile Instant lastPoll;
    private volatile long lastPollMillis;
    private volatile long lastEventMillis;
    private volatile String lastFailure;
    private final List<Meter> meters = new ArrayList<>();
    private Counter ok;
    private Counter partial;
    private Counter failed;
    private Timer pollTime;
    private CamelContext context;
    private Check check;
    private MeterRegistry registry;

    /** @param snapshot channels and calls in the snapshot now */
    MetasecPollMonitor(String source, Duration budget, Supplier<int[]> snapshot) {
        this.source = source;
        this.budget = budget;
        this.snapshot = snapshot;
    }

    void start(CamelContext camelContext) {
        context = camelContext;
        check = new Check();
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        if (health != null) {
            health.register(check);
        }
        registry = PbxMetrics.registry(camelContext);
        Tags tags = Tags.of("vendor", MetasecComponent.SCHEME, "source", source);
        meters.add(FunctionCounter.builder("pbx_source_events", events, AtomicLong::get)
                .description("events read from the source").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("pbx_source_connects", recoveries, AtomicLong::get)
                .description("connections made (the first and every reconnection)").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("pbx_source_connect_failures", failedPolls, AtomicLong::get)
                .description("connection attempts that failed").tags(tags).register(registry));
        meters.add(Gauge.builder("pbx_source_connected", this, m -> m.okSince != null ? 1 : 0)
                .description("1 while connected").tags(tags).register(registry));
        ok = Counter.builder("pbx_source_polls").description("polls of a polled source").tags(tags)
                .tag("outcome", "ok").register(registry);
        partial = Counter.builder("pbx_source_polls").description("polls of a polled source").tags(tags)
                .tag("outcome", "partial").register(registry);
        failed = Counter.builder("pbx_source_polls").description("polls of a polled source").tags(tags)
                .tag("outcome", "failed").register(registry);
        pollTime = Timer.builder("pbx_source_poll").description("the time of a poll, its diff and its delivery")
                .tags(tags).register(registry);
        meters.add(ok);
        meters.add(partial);
        meters.add(failed);
        meters.add(pollTime);
    }

    void stop() {
        HealthCheckRegistry health = context == null ? null : HealthCheckRegistry.get(context);
        if (health != null && check != null) {
            health.unregister(check);
        }
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        meters.clear();
    }

    /**
     * A poll ended.
     *
     * @return whether it is the first success after failures (or the first one)
     */
    boolean polled(Outcome outcome, long nanos, boolean complete, int eventCount, String failure) {
        Instant now = Instant.now();
        lastPoll = now;
        lastPollMillis = TimeUnit.NANOSECONDS.toMillis(nanos);
        polls.incrementAndGet();
        if (pollTime != null) {
            pollTime.record(nanos, TimeUnit.NANOSECONDS);
            (outcome == Outcome.OK ? ok : outcome == Outcome.PARTIAL ? partial : failed).increment();
        }
        if (!complete) {
            incomplete.incrementAndGet();
        }
        if (eventCount > 0) {
            events.addAndGet(eventCount);
            lastEventMillis = System.currentTimeMillis();
        }
        if (failure != null) {
            lastFailure = failure;
        }
        if (outcome == Outcome.FAILED) {
            failedPolls.incrementAndGet();
            consecutiveFailures++;
            okSince = null;
            if (failingSince == null) {
                failingSince = now;
            }
            return false;
        }
        consecutiveFailures = 0;
        boolean recovered = okSince == null;
        if (recovered) {
            okSince = now;
            failingSince = null;
            recoveries.incrementAndGet();
        }
        return recovered;
    }

    long consecutiveFailures() {
        return consecutiveFailures;
    }

    long events() {
        return events.get();
    }

    long polls() {
        return polls.get();
    }

    long failedPolls() {
        return failedPolls.get();
    }

    private final class Check extends AbstractHealthCheck {

        Check() {
            super("pbx-bridge", "source-" + MetasecComponent.SCHEME + "-" + source);
        }

        @Override
        public boolean isLiveness() {
            return false; // an unreachable PBX does not make pbx-bridge itself broken
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Instant up = okSince;
            Instant down = failingSince;
            builder.detail("source", source);
            builder.detail("polling", up != null);
            builder.detail("since", String.valueOf(up != null ? up : down));
            if (lastPoll != null) {
                builder.detail("lastPoll", lastPoll.toString());
                builder.detail("lastPollMillis", lastPollMillis);
            }
            builder.detail("polls", polls.get());
            builder.detail("failedPolls", failedPolls.get());
            builder.detail("consecutiveFailures", consecutiveFailures);
            builder.detail("incompleteSnapshots", incomplete.get());
            int[] s = snapshot.get();
            builder.detail("channels", s[0]);
            builder.detail("calls", s[1]);
            builder.detail("events", events.get());
            long last = lastEventMillis;
            if (last > 0) {
                builder.detail("lastEventAgeSeconds", (System.currentTimeMillis() - last) / 1000);
            }
            String why = lastFailure;
            if (why != null) {
                builder.detail("lastFailure", why);
            }
            if (up == null && down != null && Duration.between(down, Instant.now()).compareTo(budget) > 0) {
                builder.message("METASEC " + source + " not polled since " + down + " (longer than "
                        + budget.toSeconds() + " s)" + (why != null ? ": " + why : ""));
                builder.down();
            } else {
                builder.up();
            }
        }
    }
}
