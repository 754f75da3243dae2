package io.pbxbridge.cdr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
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
 * What an operator sees of one source's harvest: the meters {@code pbx_cdr_records_total} (outcome {@code new},
 * {@code repeat}, {@code dead}), {@code pbx_cdr_runs_total} (outcome {@code ok}, {@code failed}),
 * {@code pbx_cdr_run_seconds} and {@code pbx_cdr_lag_seconds} (now - checkpoint), labelled {@code source}; and a
 * readiness check {@code cdr-<source>} that goes DOWN when the checkpoint is older than the source's bound, with
 * the last run's figures and failure as details.
 */
final class HarvestMonitor {

    private final String source;
    private final Duration unhealthyLag;
    private final List<Meter> meters = new ArrayList<>();
    private volatile Instant watermark;
    private volatile HarvestRun lastRun;
    private volatile int consecutiveFailures;
    private CamelContext context;
    private Check check;
    private MeterRegistry registry;
    private Counter fresh;
    private Counter repeats;
    private Counter dead;
    private Counter ok;
    private Counter failed;
    private Timer runs;

    HarvestMonitor(String source, Duration unhealthyLag) {
        this.source = source;
        this.unhealthyLag = unhealthyLag;
    }

    void start(CamelContext camelContext) {
        context = camelContext;
        registry = PbxMetrics.registry(camelContext);
        Tags tags = Tags.of("source", source);
        fresh = add(Counter.builder("pbx_cdr_records").tags(tags).tag("outcome", "new")
                .description("call records read by the harvest, by outcome").register(registry));
        repeats = add(Counter.builder("pbx_cdr_records").tags(tags).tag("outcome", "repeat")
                .description("call records read by the harvest, by outcome").register(registry));
        dead = add(Counter.builder("pbx_cdr_records").tags(tags).tag("outcome", "dead")
                .description("call records read by the harvest, by outcome").register(registry));
        ok = add(Counter.builder("pbx_cdr_runs").tags(tags).tag("outcome", "ok")
                .description("harvest runs, by outcome").register(registry));
        failed = add(Counter.builder("pbx_cdr_runs").tags(tags).tag("outcome", "failed")
                .description("harvest runs, by outcome").register(registry));
        runs = add(Timer.builder("pbx_cdr_run").tags(tags).description("harvest run duration").register(registry));
        add(Gauge.builder("pbx_cdr_lag_seconds", this, HarvestMonitor::lagSeconds).tags(tags)
                .description("seconds between now and the source's checkpoint").register(registry));
        check = new Check();
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        if (health != null) {
            health.register(check);
        }
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
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

    /** The checkpoint as loaded or committed. */
    void watermark(Instant at) {
        watermark = at;
    }

    void finished(HarvestRun run) {
        lastRun = run;
        if (registry == null) {
            return;
        }
        fresh.increment(run.fresh());
        repeats.increment(run.repeats());
        dead.increment(run.deadLetters());
        if (run.duration() != null) {
            runs.record(run.duration());
        }
        if (run.isCommitted()) {
            ok.increment();
            consecutiveFailures = 0;
        } else {
            failed.increment();
            consecutiveFailures++;
        }
    }

    double lagSeconds() {
        Instant w = watermark;
        return w == null ? Double.NaN : Duration.between(w, Instant.now()).toMillis() / 1000.0;
    }

    private final class Check extends AbstractHealthCheck {

        Check() {
            super("pbx-bridge", "cdr-" + source);
        }

        @Override
        public boolean isLiveness() {
            return false; // a PBX that does not answer does not make pbx-bridge itself broken
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Instant w = watermark;
            HarvestRun run = lastRun;
            builder.detail("source", source);
            builder.detail("checkpoint", String.valueOf(w));
            builder.detail("consecutiveFailures", consecutiveFailures);
            if (run != null) {
                builder.detail("lastRun", run.line());
                if (run.failure() != null) {
                    builder.detail("lastFailure", run.failure());
                }
            }
            if (w != null && Duration.between(w, Instant.now()).compareTo(unhealthyLag) > 0) {
                builder.message("the call records of " + source + " are harvested up to " + w + " only (more than "
                        + unhealthyLag + " behind)" + (run != null && run.failure() != null
                                ? "; last run failed: " + run.failure() : ""));
                builder.down();
            } else {
                builder.up();
            }
        }
    }
}
