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
    /** The METASEC password of every instance's user ({@link #withMetasec}). */
    static final String METASEC_PASSWORD = "cluster-secret";
    private boolean metasecUsers;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    /** One instance: its name, folder, management port, and the child JVM while it runs. */
    final class Instance {
        final String name;
        final Path dir;
        final int managementPort = FreePort.next();
        final Map<String, String> own = new LinkedHashMap<>();
        ChildJvm jvm;
        int starts;
        String heap = "256m";
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
            if (metasecUsers) {
                p.put("camel.component.metasec.user", name);
            }
            p.putAll(own);
            ChildJvm.Builder b = ChildJvm.builder(Application.class).heap(heap).applicationLogging().env("LOG_LEVEL", System.getProperty("cluster.log", "INFO"));
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

        /** The routes this instance's health lists as led (leader or standby). */
        List<String> ledRoutes() {
            List<String> routes = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"route\\.([^\"]+)\":\"(leader|standby)\"")
                    .matcher(health().orElse(""));
            while (m.find()) {
                routes.add(m.group(1));
            }
            return routes;
        }

        /** The health check {@code cluster} (status, message, data) as this instance answers it, if it answers. */
        Optional<com.fasterxml.jackson.databind.JsonNode> clusterCheck() {
            return health().flatMap(h -> {
                try {
                    for (var check : io.pbxbridge.support.Json.MAPPER.readTree(h).path("checks")) {
                        if (check.path("name").asText().equals("cluster")) {
                            return Optional.of(check);
                        }
                    }
                } catch (java.io.IOException e) {
                    // not an answer
                }
                return Optional.empty();
            });
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

    /** An Escaux simulator (closed with the instances), the instances' Escaux on it. */
    EscauxSimulator startEscaux() {
        EscauxSimulator sim = own(EscauxSimulator.builder().httpPort(0).eventPort(0).build().start());
        withEscaux(sim);
        return sim;
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

    /** ZooKeeper at {@code connectString} as the cluster service instead of the shared folder's locks. */
    ClusterInstances withZooKeeper(String connectString, java.time.Duration sessionTimeout) {
        common.put("cluster.service", "zookeeper");
        common.put("cluster.zookeeper.nodes", connectString);
        common.put("cluster.zookeeper.session-timeout", sessionTimeout.toMillis() + "ms");
        return this;
    }

    /** The running instances that say they lead {@code routeId}, by name (for messages). */
    List<String> leaderNames(String routeId) {
        return leaders(routeId).stream().map(i -> i.name).toList();
    }

    /**
     * METASEC on, at {@code sim}, its events polled every {@code pollInterval} (only the calls), its CDR harvest off;
     * each instance logs in as a user of its own name (the simulator counts each user's requests).
     */
    ClusterInstances withMetasec(io.pbxbridge.sandbox.metasec.MetasecSimulator sim, java.time.Duration pollInterval) {
        common.put("camel.component.metasec.address", sim.address());
        common.put("camel.component.metasec.path", sim.path());
        common.put("camel.component.metasec.password", METASEC_PASSWORD);
        common.put("camel.component.metasec.poll-interval", Long.toString(pollInterval.toMillis()));
        common.put("camel.component.metasec.watch", "calls");
        common.put("cdr.metasec.enabled", "false");
        metasecUsers = true;
        return this;
    }

    /**
     * Waits until one running instance says it leads {@code routeId}, {@code consumers} (what the source's simulator
     * sees) is 1 and every running instance is ready; the leader.
     */
    Instance awaitOneLeader(String routeId, java.util.function.IntSupplier consumers, java.time.Duration timeout) {
        io.pbxbridge.support.Await.until(timeout, () -> routeId + ": one consumer (" + consumers.getAsInt()
                + "), one leader " + leaderNames(routeId) + ", every instance ready", () -> consumers.getAsInt() == 1
                && leaders(routeId).size() == 1 && instances.values().stream().filter(Instance::running)
                .allMatch(i -> i.readiness() == 200));
        return leaders(routeId).get(0);
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
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // best effort, as above
            }
        }
    }

    /** {@code resource} (a simulator, a server) closed by {@link #close()}, after the instances, last first. */
    <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }
}
