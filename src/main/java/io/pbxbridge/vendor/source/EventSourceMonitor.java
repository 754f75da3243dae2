package io.pbxbridge.vendor.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.pbxbridge.support.metrics.PbxMetrics;

/**
 * What an operator sees of one pushed event source: a readiness check {@code source-<vendor>-<source>} (connected
 * or not and since when, the last event's age, connections and failed attempts, the last failure; DOWN once the
 * source has been disconnected for longer than its budget) and the meters {@code pbx_source_events_total},
 * {@code pbx_source_connects_total}, {@code pbx_source_connect_failures_total} and {@code pbx_source_connected},
 * labelled {@code vendor} and {@code source}. The reader counts events with {@link #events(int)}; the rest is read
 * from the {@link Reconnector} when asked.
 */
public final class EventSourceMonitor {

    private final String vendor;
    private final String source;
    private final Reconnector reconnector;
    private final Duration budget;
    private final AtomicLong events = new AtomicLong();
    private volatile long lastEventMillis;
    private final List<Meter> meters = new ArrayList<>();
    private final List<SourceGauge> gauges = new ArrayList<>();
    private volatile java.util.function.Consumer<Map<String, Object>> moreDetails;
    private CamelContext context;
    private Check check;
    private MeterRegistry registry;

    /**
     * @param budget how long the source may be disconnected (reconnecting) before readiness goes DOWN
     */
    public EventSourceMonitor(String vendor, String source, Reconnector reconnector, Duration budget) {
        this.vendor = vendor;
        this.source = source;
        this.reconnector = reconnector;
        this.budget = budget;
    }

    /** {@code n} events were read (called by the reader, once per read). */
    public void events(int n) {
        if (n > 0) {
            events.addAndGet(n);
            lastEventMillis = System.currentTimeMillis();
        }
    }

    public long getEventCount() {
        return events.get();
    }

    /**
     * What the source adds to its readiness details when asked (e.g. its subscriptions): {@code details} is called
     * with a map to fill.
     */
    public void moreDetails(java.util.function.Consumer<Map<String, Object>> details) {
        this.moreDetails = details;
    }

    /** A gauge of the source's own, labelled as the others. */
    private record SourceGauge(String name, String description, java.util.function.Supplier<Number> value) {
    }

    /**
     * A gauge the source adds to its meters (e.g. its calls in some state), registered at {@link #start} with the
     * same labels and removed at {@link #stop}; call before start.
     */
    public void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        gauges.add(new SourceGauge(name, description, value));
    }

    /** Registers the health check and the meters. */
    public void start(CamelContext camelContext) {
        context = camelContext;
        check = new Check();
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        if (health != null) {
            health.register(check);
        }
        registry = PbxMetrics.registry(camelContext);
        Tags tags = Tags.of("vendor", vendor, "source", source);
        meters.add(FunctionCounter.builder("pbx_source_events", events, AtomicLong::get)
                .description("events read from the source").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("pbx_source_connects", reconnector, Reconnector::getConnectCount)
                .description("connections made (the first and every reconnection)").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("pbx_source_connect_failures", reconnector, Reconnector::getFailedAttempts)
                .description("connection attempts that failed").tags(tags).register(registry));
        meters.add(Gauge.builder("pbx_source_connected", reconnector, r -> r.connectedSince() != null ? 1 : 0)
                .description("1 while connected").tags(tags).register(registry));
        for (SourceGauge g : gauges) {
            meters.add(Gauge.builder(g.name(), g.value(), v -> v.get().doubleValue()).description(g.description())
                    .tags(tags).register(registry));
        }
    }

    public void stop() {
        HealthCheckRegistry health = context == null ? null : HealthCheckRegistry.get(context);
        if (health != null && check != null) {
            health.unregister(check);
        }
        if (registry != null) { // not started: a route of a vendor that is off is stopped without having started
            meters.forEach(registry::remove);
        }
        meters.clear();
    }

    private final class Check extends AbstractHealthCheck {

        Check() {
            super("pbx-bridge", "source-" + vendor + "-" + source);
        }

        @Override
        public boolean isLiveness() {
            return false; // an unreachable PBX does not make pbx-bridge itself broken
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Instant up = reconnector.connectedSince();
            Instant down = reconnector.disconnectedSince();
            builder.detail("source", reconnector.target());
            builder.detail("connected", up != null);
            builder.detail("since", String.valueOf(up != null ? up : down));
            long last = lastEventMillis;
            builder.detail("events", events.get());
            if (last > 0) {
                builder.detail("lastEventAgeSeconds", (System.currentTimeMillis() - last) / 1000);
            }
            builder.detail("connects", reconnector.getConnectCount());
            builder.detail("failedAttempts", reconnector.getFailedAttempts());
            String why = reconnector.lastFailure();
            if (why != null) {
                builder.detail("lastFailure", why);
            }
            java.util.function.Consumer<Map<String, Object>> more = moreDetails;
            if (more != null) {
                Map<String, Object> extra = new java.util.LinkedHashMap<>();
                more.accept(extra);
                extra.forEach(builder::detail);
            }
            if (up == null && down != null && Duration.between(down, Instant.now()).compareTo(budget) > 0) {
                builder.message(reconnector.target() + " disconnected since " + down + " (longer than "
                        + budget.toSeconds() + " s)" + (why != null ? ": " + why : ""));
                builder.down();
            } else {
                builder.up();
            }
        }
    }
}
