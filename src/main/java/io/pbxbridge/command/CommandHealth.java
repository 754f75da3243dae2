package io.pbxbridge.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.pbxbridge.support.LogSafe;
import io.pbxbridge.vendor.VendorFailures;

/**
 * Readiness of the command job ({@code commands}): the commands answered by status, the last one, and the ledger.
 * DOWN once the ledger has been unreachable for longer than its budget ({@code vendor.health.failing-budget}):
 * commands then wait where they are (the Kafka offset, the inbox file) and nothing is executed. A vendor that
 * refuses or fails commands is the vendor's readiness ({@code vendor-<name>}), not this one.
 */
public final class CommandHealth extends AbstractHealthCheck {

    private final String ledger;
    private final Duration budget;
    private volatile Clock clock = Clock.systemUTC();
    private final Map<String, LongAdder> answered = new ConcurrentHashMap<>();
    private volatile String last;
    private volatile Instant ledgerFailingSince;
    private volatile String ledgerFailure;

    public CommandHealth(String ledger, Duration budget) {
        super("pbx-bridge", "commands");
        this.ledger = ledger;
        this.budget = budget;
    }

    /** Tests: the time the budget is measured in. */
    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false; // a database away is no reason to restart pbx-bridge
    }

    void answered(CommandResult result, boolean duplicate) {
        answered.computeIfAbsent(duplicate ? "duplicate" : result.status().wire(), k -> new LongAdder()).increment();
        last = LogSafe.text(result.id()) + " " + result.status().wire() + (duplicate ? " (again)" : "") + " at "
                + clock.instant();
    }

    void ledgerWorks() {
        ledgerFailingSince = null;
    }

    void ledgerFailed(Exception e) {
        if (ledgerFailingSince == null) {
            ledgerFailingSince = clock.instant();
        }
        ledgerFailure = LogSafe.truncate(VendorFailures.rootMessage(e), LogSafe.MAX_CHARS);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("ledger", ledger);
        answered.forEach((status, n) -> builder.detail("answered." + status, n.sum()));
        if (last != null) {
            builder.detail("last", last);
        }
        Instant since = ledgerFailingSince;
        if (since != null) {
            builder.detail("ledgerFailingSince", since.toString());
            builder.detail("ledgerFailure", ledgerFailure);
        }
        if (since != null && Duration.between(since, clock.instant()).compareTo(budget) > 0) {
            builder.message("the command ledger (" + ledger + ") is unreachable since " + since + ": commands wait "
                    + "(" + ledgerFailure + ")");
            builder.down();
        } else {
            builder.up();
        }
    }
}
