package io.pbxbridge.cluster;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The cluster ({@code cluster}): for each led route whether this instance leads it ({@code leader}) or waits
 * ({@code standby}). A standby instance is ready: it takes over when the leader goes. DOWN only while the cluster's
 * store cannot be used (the shared folder of the file service gone or read-only, ZooKeeper not connected): this
 * instance then leads nothing and cannot take over.
 */
final class LeadershipHealthCheck extends AbstractHealthCheck {

    private final Leadership leadership;

    LeadershipHealthCheck(Leadership leadership) {
        super("pbx-bridge", "cluster");
        this.leadership = leadership;
    }

    @Override
    public boolean isLiveness() {
        return false; // a shared folder or ZooKeeper away is no reason to restart pbx-bridge
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("instance", leadership.instance());
        leadership.routes().forEach((route, leads) -> builder.detail("route." + route, leads ? "leader" : "standby"));
        Optional<String> problem = leadership.trouble();
        if (problem.isPresent()) {
            builder.message(problem.get());
            builder.down();
            return;
        }
        builder.up();
    }
}
