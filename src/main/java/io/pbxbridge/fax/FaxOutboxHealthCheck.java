package io.pbxbridge.fax;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.pbxbridge.support.Durations;
import io.pbxbridge.support.LogSafe;
import io.pbxbridge.support.metrics.PbxMetrics;

/**
 * Readiness of the fax outbox ({@code fax-outbox}): the jobs it holds, queued, in progress and waiting out a vendor
 * outage, the oldest job's age, the longest wait and why. DOWN once a job has waited for the vendor longer than
 * {@code vendorBudget}: the vendor has been failing past its budget. A bean in the routes' registry, where Camel's
 * health finds it ({@code camel.health.registry-enabled}); it also registers the outbox gauges
 * {@code pbx_fax_outbox_jobs{state}} and {@code pbx_fax_outbox_oldest_job_seconds}.
 */
public class FaxOutboxHealthCheck extends AbstractHealthCheck implements CamelContextAware {

    private FaxJobs jobs;
    private Duration vendorBudget = Duration.ofMinutes(15);
    private CamelContext camelContext;

    public FaxOutboxHealthCheck() {
        super("pbx-bridge", "fax-outbox");
    }

    @Override
    public boolean isLiveness() {
        return false; // a vendor outage is no reason to restart pbx-bridge
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        FaxOutboxStatus s = jobs.status();
        builder.detail("jobs", s.jobs());
        builder.detail("queued", s.queued());
        builder.detail("inProgress", s.inProgress());
        builder.detail("waitingForVendor", s.waitingForVendor());
        builder.detail("oldestJobAgeSeconds", s.oldestJobAge().toSeconds());
        if (s.waitingForVendor() > 0) {
            builder.detail("longestVendorWaitSeconds", s.longestVendorWait().toSeconds());
            builder.detail("vendorError", LogSafe.truncate(String.valueOf(s.vendorError()), LogSafe.MAX_CHARS));
        }
        if (s.longestVendorWait().compareTo(vendorBudget) > 0) {
            builder.message(s.waitingForVendor() + " fax jobs wait for the vendor, the longest for "
                    + s.longestVendorWait().toSeconds() + " s (budget " + vendorBudget.toSeconds() + " s): "
                    + LogSafe.truncate(String.valueOf(s.vendorError()), LogSafe.MAX_CHARS));
            builder.down();
        } else {
            builder.up();
        }
    }

    public void setJobs(FaxJobs jobs) {
        this.jobs = jobs;
    }

    /** How long a job may wait for the vendor before readiness goes DOWN ({@code 15m}, {@code PT1H}, millis). */
    public void setVendorBudget(String vendorBudget) {
        this.vendorBudget = Durations.parse(vendorBudget);
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        if (this.camelContext == camelContext) {
            return; // told twice (the bean's binding and Camel's injection): the gauges once
        }
        this.camelContext = camelContext;
        MeterRegistry registry = PbxMetrics.registry(camelContext);
        if (registry.find("pbx_fax_outbox_jobs").gauge() != null) {
            return; // an earlier instance of this bean registered them (they read the same outbox)
        }
        for (String state : new String[] { "queued", "in_progress", "waiting_for_vendor" }) {
            Gauge.builder("pbx_fax_outbox_jobs", this, h -> h.count(state))
                    .description("fax jobs in the outbox by state").tag("state", state).register(registry);
        }
        Gauge.builder("pbx_fax_outbox_oldest_job_seconds", this, h -> h.jobs.status().oldestJobAge().toSeconds())
                .description("how long the oldest job has been in the outbox").register(registry);
    }

    private double count(String state) {
        FaxOutboxStatus s = jobs.status();
        return switch (state) {
            case "queued" -> s.queued();
            case "in_progress" -> s.inProgress();
            default -> s.waitingForVendor();
        };
    }
}
