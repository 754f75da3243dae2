package io.pbxbridge.cluster;

import static io.pbxbridge.config.Settings.duration;
import static io.pbxbridge.config.Settings.require;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.master.MasterComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.config.ConfigurationException;
import io.pbxbridge.config.Settings;

/**
 * Several instances of pbx-bridge (README, "Running several instances"): with {@code cluster.enabled}, the cluster
 * service of {@code cluster.service} (a shared folder's file locks, or ZooKeeper) decides which instance runs each
 * led route ({@link Leadership}).
 * <p>
 * Why the service is added here rather than declared as a bean: Camel Main adds the registry's
 * {@code CamelClusterService} beans to the context before the beans of application.properties exist ("No cluster
 * service found"); a {@code CamelConfiguration} runs early enough.
 */
public final class ClusterBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBeans.class);

    private ClusterBeans() {
    }

    public static void bind(CamelContext context) throws Exception {
        if (!Settings.isTrue(context, "cluster.enabled")) {
            return;
        }
        String instance = instance(context);
        String kind = require(context, "cluster.service");
        CamelClusterService service = switch (kind) {
            case "file" -> fileService(context);
            case "zookeeper" -> zooKeeperService(context);
            default -> throw new ConfigurationException("cluster.service is '" + kind
                    + "': expected file or zookeeper");
        };
        service.setId(instance);
        context.addService(service, true, true);
        List<String> routes = Arrays.stream(require(context, "cluster.routes").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        Path root = Path.of(require(context, "cluster.file.root"));
        Leadership leadership = new Leadership(service, instance, require(context, "cluster.namespace-prefix"), routes,
                service instanceof ZooKeeperLeaderLatchService zk ? zk::unreachable
                        : () -> folderTrouble(root));
        context.getRegistry().bind(Leadership.BEAN, leadership);
        MasterComponent master = context.getComponent("master", MasterComponent.class);
        master.setService(service);
        // a leader retries starting its consumer (a vendor down at the takeover) as long as it leads
        master.setBackOffDelay(duration(context, "cluster.consumer-restart-delay").toMillis());
        master.setBackOffMaxAttempts(Integer.MAX_VALUE);
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null) {
            checks.register(new LeadershipHealthCheck(leadership));
        }
        LOG.info("Cluster member {} on {} ({}): routes {} consume on one instance at a time", instance, kind,
                require(context, kind.equals("file") ? "cluster.file.root" : "cluster.zookeeper.nodes"),
                routes);
    }

    private static CamelClusterService fileService(CamelContext context) throws Exception {
        Path root = Path.of(require(context, "cluster.file.root"));
        Files.createDirectories(root);
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(root.toAbsolutePath().toString());
        // every member must use the same interval: a leader is taken for dead after interval x multiplier
        service.setAcquireLockInterval(duration(context, "cluster.file.acquire-lock-interval").toMillis(),
                TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(duration(context, "cluster.file.acquire-lock-delay").toMillis(),
                TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(Integer.parseInt(require(context,
                "cluster.file.heartbeat-timeout-multiplier")));
        return service;
    }

    private static CamelClusterService zooKeeperService(CamelContext context) {
        // a dead leader's session, hence its leadership, ends session-timeout after it was last heard of
        return new ZooKeeperLeaderLatchService(require(context, "cluster.zookeeper.nodes"),
                require(context, "cluster.zookeeper.base-path"),
                duration(context, "cluster.zookeeper.session-timeout").toMillis(),
                duration(context, "cluster.zookeeper.connect-timeout").toMillis());
    }

    /** What keeps this instance from using the shared folder {@code root} for its locks, if anything. */
    private static Optional<String> folderTrouble(Path root) {
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

    /** {@code cluster.instance}, or this host's name and folder: distinct between instances, stable across restarts. */
    public static String instance(CamelContext context) throws Exception {
        String configured = Settings.resolve(context, "cluster.instance").orElse("").trim();
        if (!configured.isEmpty()) {
            return configured;
        }
        return InetAddress.getLocalHost().getHostName() + ":" + Path.of("").toAbsolutePath();
    }
}
