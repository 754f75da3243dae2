package io.pbxbridge.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pbxbridge.Application;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.FreePort;
import io.pbxbridge.testsupport.Management;

/**
 * pbx-bridge run several times as a cluster, each instance a JVM of its own (to be killed with SIGKILL), all on the
 * layout the README describes: the state the led routes keep ({@code events.state}, {@code cdr.folder}, the fax
 * folders, {@code commands.folder}) and the cluster's locks in one shared folder, each instance's spools, dead
 * letters and NDJSON file in a folder of its own. Vendors are off unless a test points one at a simulator.
 */
final class ClusterInstances implements AutoCloseable {

    final Path dir;
    final Path shared;
    final Map<String, String> common = new LinkedHashMap<>();
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    /** One instance: its name, folder, management port, and the child JVM while it runs. */
    final class Instance {
        final String name;
        final Path dir;
        final int managementPort = FreePort.next();
        final Map<String, String> own = new LinkedHashMap<>();
        ChildJvm jvm;
        int starts;
        /** What the runs before the current one printed. */
        private final List<String> earlierRuns = new ArrayList<>();

        Instance(String name) {
            this.name = name;
            this.dir = ClusterInstances.this.dir.resolve(name);
        }

        Instance start() throws Exception {
            Map<String, String> p = new LinkedHashMap<>(common);
            p.put("cluster.instance", name);
            p.put("camel.management.port", Integer.toString(managementPort));
            p.put("events.spool.dir", dir.resolve("spool").toString());
            p.put("events.deadletter.dir", dir.resolve("deadletter").toString());
            p.put("events.ndjson.uri", "file:" + dir.resolve("events")
                    + "?fileName=call-events.ndjson&fileExist=Append");
            p.put("escaux.rejected-uri", "file:" + dir.resolve("events") + "?fileName=rejected.log&fileExist=Append");
            p.put("portasip.rejected-uri", "file:" + dir.resolve("events")
                    + "?fileName=portasip-rejected.log&fileExist=Append");
            p.put("fax.events-uri", "file:" + dir.resolve("events") + "?fileName=fax-events.ndjson&fileExist=Append");
            p.putAll(own);
            ChildJvm.Builder b = ChildJvm.builder(Application.class).heap("256m").applicationLogging().env("LOG_LEVEL", System.getProperty("cluster.log", "INFO"));
            p.forEach((k, v) -> b.jvmArg("-D" + k + "=" + v));
            if (jvm != null) {
                earlierRuns.addAll(jvm.lines());
            }
            jvm = b.start();
            starts++;
            return this;
        }

        boolean running() {
            return jvm != null && jvm.isAlive();
        }

        void kill() throws Exception {
            if (jvm != null) {
                jvm.kill();
                keepLog();
            }
        }

        void stop() throws Exception {
            if (jvm != null) {
                jvm.stop();
                keepLog();
            }
        }

        /** What this run printed, kept in target/cluster-logs for a failure's post-mortem. */
        private void keepLog() {
            try {
                Path logs = Path.of("target", "cluster-logs");
                java.nio.file.Files.createDirectories(logs);
                java.nio.file.Files.write(logs.resolve(dir.getParent().getFileName() + "-" + name + "-" + starts
                        + ".log"), jvm.lines());
            } catch (java.io.IOException e) {
                // only a help for post-mortems
            }
        }

        /** GET /observe/health on this instance, or empty when it does not answer. */
        Optional<String> health() {
            try {
                return Optional.of(Management.get(managementPort, "/observe/health?data=true").body());
            } catch (Exception e) {
                return Optional.empty();
            }
        }

        /** Whether this instance says it leads the route (its cluster health check). */
        boolean leads(String routeId) {
            return health().map(h -> h.contains("\"route." + routeId + "\":\"leader\"")).orElse(false);
        }

        int readiness() {
            return Management.readiness(managementPort);
        }

        List<String> log() {
            return jvm == null ? List.of() : jvm.lines();
        }

        /** What every run of this instance printed, the current one last. */
        List<String> logOfAllRuns() {
            List<String> all = new ArrayList<>(earlierRuns);
            all.addAll(log());
            return all;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    ClusterInstances(Path dir) {
        this.dir = dir;
        this.shared = dir.resolve("shared");
        common.put("sandbox.enabled", "false");
        common.put("cluster.enabled", "true");
        common.put("cluster.file.root", shared.resolve("cluster").toString());
        common.put("events.state", shared.resolve("state").toString());
        common.put("cdr.folder", shared.resolve("cdr").toString());
        common.put("fax.outbox", shared.resolve("fax/outbox").toString());
        common.put("fax.sent", shared.resolve("fax/sent").toString());
        common.put("fax.failed", shared.resolve("fax/failed").toString());
        common.put("fax.state", shared.resolve("fax/state").toString());
        common.put("commands.folder", shared.resolve("commands").toString());
        common.put("commands.documents", shared.resolve("commands/documents").toString());
        common.put("camel.main.shutdown-timeout", "15");
        common.put("events.retry.delay", "100");
        common.put("events.retry.max-delay", "1000");
        common.put("cdr.escaux.enabled", "false");
        common.put("cdr.monema.enabled", "false");
        common.put("monema.enabled", "false");
    }

    /** Escaux on, at {@code sim}, reconnecting fast. */
    ClusterInstances withEscaux(EscauxSimulator sim) {
        common.put("camel.component.escaux.address", "http://127.0.0.1:" + sim.httpPort());
        common.put("camel.component.escaux.event-host", "127.0.0.1");
        common.put("camel.component.escaux.event-port", Integer.toString(sim.eventPort()));
        common.put("camel.component.escaux.reconnect-delay", "100");
        common.put("camel.component.escaux.max-reconnect-delay", "1000");
        return this;
    }

    /** The Kafka sink of the events on, into {@code topic}. */
    ClusterInstances withKafkaEvents(String brokers, String topic) {
        common.put("events.kafka.enabled", "true");
        common.put("events.kafka.brokers", brokers);
        common.put("events.kafka.topic", topic);
        return this;
    }

    /** Monema on, at {@code sim}, logged in as {@code login}. */
    ClusterInstances withMonema(MonemaSimulator sim, String login, String password) {
        common.put("monema.enabled", "true");
        common.put("camel.component.monema.address", sim.address());
        common.put("camel.component.monema.login", login);
        common.put("camel.component.monema.password", password);
        common.put("camel.component.monema.receive-timeout", "5000");
        return this;
    }

    /** The instance other than {@code one}, of two. */
    Instance other(Instance one) {
        return instances.values().stream().filter(i -> i != one).findFirst().orElseThrow();
    }

    ClusterInstances with(String key, String value) {
        common.put(key, value);
        return this;
    }

    Instance instance(String name) {
        return instances.computeIfAbsent(name, Instance::new);
    }

    List<Instance> all() {
        return new ArrayList<>(instances.values());
    }

    /** The running instances that say they lead {@code routeId}. */
    List<Instance> leaders(String routeId) {
        return instances.values().stream().filter(Instance::running).filter(i -> i.leads(routeId)).toList();
    }

    @Override
    public void close() {
        for (Instance i : instances.values()) {
            try {
                i.kill();
            } catch (Exception e) {
                // best effort: the child is gone with the test
            }
        }
    }
}
