package io.pbxbridge.vendor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.pbxbridge.support.LogSafe;

/**
 * Readiness of one vendor's API ({@code vendor-<scheme>}), from the outcomes of the calls its producers make (the
 * start-up probe, pollers, routes): the last success, the last failure and why, consecutive transient failures and
 * since when, each operation's last outcome. DOWN once the vendor has been failing transiently (unreachable, not
 * answering) for longer than its budget; a refusal (a bad input, an unknown extension) is the caller's problem and
 * leaves it UP. UP while nothing was called yet.
 */
public final class VendorCallHealth extends AbstractHealthCheck {

    private final String vendor;
    private final Duration budget;
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private final Map<String, String> lastByOperation = new ConcurrentHashMap<>();
    private volatile Instant failingSince;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailureAt;
    private volatile String lastFailure;

    public VendorCallHealth(String vendor, Duration budget) {
        super("pbx-bridge", "vendor-" + vendor);
        this.vendor = vendor;
        this.budget = budget;
    }

    @Override
    public boolean isLiveness() {
        return false; // a vendor away is no reason to restart pbx-bridge
    }

    public void succeeded(String operation) {
        lastSuccess = Instant.now();
        consecutiveFailures.set(0);
        failingSince = null;
        lastByOperation.put(operation, "ok at " + lastSuccess);
    }

    public void failed(String operation, Throwable failure) {
        Instant now = Instant.now();
        lastFailureAt = now;
        lastFailure = operation + ": " + LogSafe.truncate(VendorFailures.rootMessage(failure), LogSafe.MAX_CHARS);
        boolean vendorDown = VendorFailures.isTransient(failure);
        lastByOperation.put(operation, (vendorDown ? "failed (transient)" : "refused") + " at " + now);
        if (vendorDown) {
            consecutiveFailures.incrementAndGet();
            if (failingSince == null) {
                failingSince = now;
            }
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant since = failingSince;
        builder.detail("vendor", vendor);
        if (lastSuccess != null) {
            builder.detail("lastSuccess", lastSuccess.toString());
        }
        if (lastFailureAt != null) {
            builder.detail("lastFailureAt", lastFailureAt.toString());
            builder.detail("lastFailure", lastFailure);
        }
        builder.detail("consecutiveFailures", consecutiveFailures.get());
        if (since != null) {
            builder.detail("failingSince", since.toString());
        }
        lastByOperation.forEach((op, outcome) -> builder.detail("operation." + op, outcome));
        if (since != null && Duration.between(since, Instant.now()).compareTo(budget) > 0) {
            builder.message(vendor + " has not answered since " + since + " (longer than " + budget.toSeconds()
                    + " s): " + lastFailure);
            builder.down();
        } else {
            builder.up();
        }
    }
}
