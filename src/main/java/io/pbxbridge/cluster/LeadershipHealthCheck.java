package io.pbxbridge.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
    private final Supplier<Optional<String>> trouble;

    LeadershipHealthCheck(Leadership leadership, Supplier<Optional<String>> trouble) {
        super("pbx-bridge", "cluster");
        this.leadership = leadership;
        this.trouble = trouble;
    }

    /** What keeps this instance from using the shared folder {@code root} for its locks, if anything. */
    static Optional<String> folderTrouble(Path root) {
        // as root, permissions never forbid a write: what fails is a folder gone, replaced, stale or read-only
        if (!Files.isDirectory(root)) {
            return Optional.of("the cluster folder " + root + " is not there (or not a folder): this instance leads "
                    + "nothing");
        }
        if (!Files.isWritable(root)) {
            return Optional.of("the cluster folder " + root + " cannot be written: this instance leads nothing");
        }
        return Optional.empty();
    }

    @Override
    public boolean isLiveness() {
        return false; // a shared folder or ZooKeeper away is no reason to restart pbx-bridge
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("instance", leadership.instance());
        leadership.routes().forEach((route, leads) -> builder.detail("route." + route, leads ? "leader" : "standby"));
        Optional<String> problem = trouble.get();
        if (problem.isPresent()) {
            builder.message(problem.get());
            builder.down();
            return;
        }
        builder.up();
    }
}
