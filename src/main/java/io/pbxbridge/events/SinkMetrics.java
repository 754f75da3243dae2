package io.pbxbridge.events;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A sink's meters, read from its guard's own counters when scraped (nothing is added to the delivery path):
 * {@code pbx_sink_delivered_total}, {@code _retries_total}, {@code _replayed_total}, {@code _dead_lettered_total},
 * {@code _lost_total}, {@code _dispatch_failures_total}, and the gauges {@code pbx_sink_spool_events},
 * {@code pbx_sink_spool_bytes}, {@code pbx_sink_up} (1 up, 0 down or disabled), each labelled {@code sink}.
 */
final class SinkMetrics {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    SinkMetrics(MeterRegistry registry, SinkGuard guard, SinkRegistry sinks) {
        this.registry = registry;
        Tags tags = Tags.of("sink", guard.getSink());
        counter("pbx_sink_delivered", "events the sink confirmed", guard, SinkGuard::delivered, tags);
        counter("pbx_sink_retries", "failed delivery attempts, each retried with backoff", guard,
                SinkGuard::failedAttempts, tags);
        counter("pbx_sink_replayed", "events read back from the spool to be sent (after an outage or a restart)",
                guard, SinkGuard::replayed, tags);
        counter("pbx_sink_dead_lettered", "events moved to the dead letters", guard, SinkGuard::deadLettered, tags);
        counter("pbx_sink_lost", "events lost: the spool and the dead letters both failed", guard, SinkGuard::lost,
                tags);
        if (sinks != null) {
            String route = SinkGuard.routeId(guard.getSink());
            meters.add(FunctionCounter.builder("pbx_sink_dispatch_failures", sinks,
                    s -> s.dispatchFailures(route)).description("events the sink's route did not take")
                    .tags(tags).register(registry));
        }
        gauge("pbx_sink_spool_events", "events waiting in the spool", guard, SinkGuard::spooled, tags);
        gauge("pbx_sink_spool_bytes", "bytes the spool holds", guard, SinkGuard::spooledBytes, tags);
        meters.add(Gauge.builder("pbx_sink_up", guard, g -> "UP".equals(g.state()) ? 1 : 0)
                .description("1 when the sink takes events, 0 when down or disabled").tags(tags)
                .register(registry));
    }

    private void counter(String name, String help, SinkGuard guard, java.util.function.ToLongFunction<SinkGuard> f,
                         Tags tags) {
        meters.add(FunctionCounter.builder(name, guard, g -> f.applyAsLong(g)).description(help).tags(tags)
                .register(registry));
    }

    private void gauge(String name, String help, SinkGuard guard, java.util.function.ToLongFunction<SinkGuard> f,
                       Tags tags) {
        meters.add(Gauge.builder(name, guard, g -> f.applyAsLong(g)).description(help).tags(tags).register(registry));
    }

    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
