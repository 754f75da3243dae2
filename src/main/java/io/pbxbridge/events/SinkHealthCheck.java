package io.pbxbridge.events;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one sink ({@code sink-<name>}): DOWN while its spool cannot be written, while it is disabled (410
 * Gone) or failing; the details say which and why, with the backlog and the events its route did not take from the
 * stream ({@code dispatchFailures}). No secret is in them: failures are described by class, status and the receiver's
 * URL, which has no query string.
 */
final class SinkHealthCheck extends AbstractHealthCheck {

    private final SinkGuard guard;

    SinkHealthCheck(SinkGuard guard) {
        super("pbx-bridge", "sink-" + guard.getSink());
        this.guard = guard;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String state = guard.state();
        String spoolProblem = guard.spoolProblem();
        builder.detail("sink", guard.getSink());
        builder.detail("state", state);
        builder.detail("since", guard.stateSince().toString());
        builder.detail("spooled.events", guard.spooled());
        builder.detail("spooled.bytes", guard.spooledBytes());
        builder.detail("delivered", guard.delivered());
        builder.detail("deadLettered", guard.deadLettered());
        builder.detail("lost", guard.lost());
        builder.detail("dispatchFailures", dispatchFailures());
        CloudEvent oldest = guard.oldestWaiting();
        if (oldest != null) {
            // what an operator needs to find it (the spool's whole view: SpoolInspector), never the event's data
            builder.detail("oldestEvent.id", oldest.id());
            builder.detail("oldestEvent.type", oldest.type());
            builder.detail("oldestEvent.time", String.valueOf(oldest.time()));
        }
        if (guard.lastFailure() != null) {
            builder.detail("lastFailure", guard.lastFailure());
        }
        if (spoolProblem != null) {
            builder.detail("spoolProblem", spoolProblem);
            builder.message("spool cannot be written: " + spoolProblem);
            builder.down();
        } else if (!"UP".equals(state)) {
            builder.message("sink " + state + (guard.lastFailure() != null ? ": " + guard.lastFailure() : ""));
            builder.down();
        } else {
            builder.up();
        }
    }

    /** Events the sink's route did not take from the stream (it failed, or was stopped), counted by the registry. */
    private long dispatchFailures() {
        SinkRegistry registry = guard.getCamelContext().getRegistry().findSingleByType(SinkRegistry.class);
        return registry == null ? 0 : registry.dispatchFailures(SinkGuard.routeId(guard.getSink()));
    }
}
