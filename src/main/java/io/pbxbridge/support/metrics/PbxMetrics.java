package io.pbxbridge.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The meter registry pbx-bridge's own metrics go to: the one camel-micrometer-prometheus serves on
 * {@code /observe/metrics} ({@code metricsRegistry} in Camel's registry). Whoever asks first creates it, so the
 * application's meters and Camel's route meters share one registry whatever starts first.
 * <p>
 * Names: {@code pbx_*}, labels of low cardinality only (vendor, operation, sink, source, outcome, state).
 */
public final class PbxMetrics {

    /** The name camel-micrometer-prometheus looks up (MicrometerConstants.METRICS_REGISTRY_NAME). */
    static final String REGISTRY = "metricsRegistry";

    private PbxMetrics() {
    }

    public static MeterRegistry registry(CamelContext context) {
        synchronized (context) {
            MeterRegistry r = context.getRegistry().lookupByNameAndType(REGISTRY, MeterRegistry.class);
            if (r == null) {
                r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                context.getRegistry().bind(REGISTRY, r);
            }
            return r;
        }
    }
}
