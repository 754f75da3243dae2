package io.pbxbridge.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The cluster ({@code cluster}): for each led route whether this instance leads it ({@code leader}) or waits
 * ({@code standby}). A standby instance is ready: it takes over when the leader goes. DOWN only when the shared
 * folder of the file cluster service cannot be written: this instance then leads nothing and cannot take over.
 */
final class LeadershipHealthCheck extends AbstractHealthCheck {

    private final Leadership leadership;
    private final Path root;

    LeadershipHealthCheck(Leadership leadership, Path root) {
        super("pbx-bridge", "cluster");
        this.leadership = leadership;
        this.root = root;
    }

    @Override
    public boolean isLiveness() {
        return false; // a shared folder away is no reason to restart pbx-bridge
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("instance", leadership.instance());
        leadership.routes().forEach((route, leads) -> builder.detail("route." + route, leads ? "leader" : "standby"));
        if (root != null && !Files.isWritable(root)) {
            builder.message("the cluster folder " + root + " cannot be written: this instance leads nothing");
            builder.down();
            return;
        }
        builder.up();
    }
}
