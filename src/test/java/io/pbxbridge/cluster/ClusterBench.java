package io.pbxbridge.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * Not a test: several instances of pbx-bridge (child JVMs) on the shipped cluster settings (file service, 2 s x 3).
 * <ol>
 * <li>Failover time per source over {@code bench.kills} (10) kills -9 of the leader, two instances: the Escaux event
 * stream (kill to the new leader's socket at the simulator), the METASEC poller (kill to the new leader's first
 * {@code call_list_all}) and the leadership of each other led route (kill to the other instance's health saying
 * {@code leader}); median and max.</li>
 * <li>Events/s into Kafka from four Escaux PBXs (the simulators here, each emitting {@code bench.events} events as
 * fast as the socket takes them): two instances forwarding two PBXs each, next to one instance forwarding all four,
 * in the same run.</li>
 * </ol>
 * {@code mvn -Pbench test -Dtest=ClusterBench}; figures in {@code target/bench-cluster.txt}.
 */
@Tag("bench")
class ClusterBench {

    static final int KILLS = Integer.getInteger("bench.kills", 10);
    static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void failoverAndThroughput() throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(String.format("=== several instances (%d cores, load %.1f) ===%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        // -Dbench.parts=failover or throughput: one of the two
        String parts = System.getProperty("bench.parts", "failover,throughput");
        if (parts.contains("failover")) {
            failover(out);
        }
        if (parts.contains("throughput")) {
            throughput(out);
        }
        System.out.println(out);
        Files.writeString(Path.of("target", "bench-cluster.txt"), out);
    }

    private void failover(StringBuilder out) throws Exception {
        try (EscauxSimulator escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).build().start();
                MetasecSimulator metasec = MetasecSimulator.builder().port(0).build().start();
                ClusterInstances cluster = new ClusterInstances(tmp.resolve("failover")).withEscaux(escaux)) {
            cluster.with("camel.component.metasec.address", metasec.address())
                    .with("camel.component.metasec.user", MetasecSimulator.DEFAULT_USER)
                    .with("camel.component.metasec.password", MetasecSimulator.DEFAULT_PASSWORD)
                    .with("camel.component.metasec.poll-interval", "500")
                    .with("camel.component.metasec.max-poll-delay", "1000")
                    .with("events.ndjson.enabled", "false");
            Instance a = cluster.instance("a").start();
            Await.until(WAIT, "a leads source-escaux", () -> a.leads("source-escaux"));
            Instance b = cluster.instance("b").start();
            Await.until(WAIT, "b ready", () -> b.readiness() == 200);
            List<String> others = a.ledRoutes().stream().filter(r -> !r.equals("source-escaux")
                    && !r.equals("source-metasec")).toList();
            List<Long> escauxTimes = new ArrayList<>();
            List<Long> metasecTimes = new ArrayList<>();
            Map<String, List<Long>> leadTimes = others.stream().collect(Collectors.toMap(r -> r, r -> new ArrayList<>()));
            for (int kill = 0; kill < KILLS; kill++) {
                Instance leader = cluster.leaders("source-escaux").get(0);
                Instance standby = leader == a ? b : a;
                long t = System.nanoTime();
                Await.until(WAIT, leader + " leads every source", () -> leader.ledRoutes().stream()
                        .allMatch(leader::leads));
                progress(String.format("kill %d: %s leads every source (waited %d ms)", kill + 1, leader,
                        (System.nanoTime() - t) / 1_000_000));
                int connections = escaux.eventConnections();
                int polls = metasec.requestCount("call_list_all");
                long killed = System.nanoTime();
                leader.kill();
                List<String> waitingFor = new ArrayList<>(others);
                long escauxAt = -1;
                long metasecAt = -1;
                while (escauxAt < 0 || metasecAt < 0 || !waitingFor.isEmpty()) {
                    long now = System.nanoTime();
                    if (now - killed > WAIT.toNanos()) {
                        throw new AssertionError("no takeover within " + WAIT + ": " + standby.log());
                    }
                    // a new connection is the new leader's (the dead one's stays listed until a write to it fails)
                    if (escauxAt < 0 && escaux.eventConnections() > connections) {
                        escauxAt = now;
                        escauxTimes.add((now - killed) / 1_000_000);
                    }
                    // the killed leader's last poll may still be counted: a new one comes after its interval
                    if (metasecAt < 0 && metasec.requestCount("call_list_all") > polls + 1) {
                        metasecAt = now;
                        metasecTimes.add((now - killed) / 1_000_000);
                    }
                    for (String route : List.copyOf(waitingFor)) {
                        if (standby.leads(route)) {
                            leadTimes.get(route).add((System.nanoTime() - killed) / 1_000_000);
                            waitingFor.remove(route);
                        }
                    }
                    Thread.sleep(20);
                }
                long tookOver = System.nanoTime();
                leader.start();
                Await.until(WAIT, leader + " back", () -> leader.readiness() == 200);
                progress(String.format("kill %d: escaux %d ms, metasec %d ms (all taken over after %d ms; the killed "
                        + "instance back in %d ms)", kill + 1, escauxTimes.get(kill), metasecTimes.get(kill),
                        (tookOver - killed) / 1_000_000, (System.nanoTime() - tookOver) / 1_000_000));
            }
            out.append(String.format("failover after kill -9 of the leader, %d kills (file service, acquire-lock-interval "
                    + "2 s x heartbeat-timeout-multiplier 3):%n", KILLS));
            out.append(String.format("  source-escaux (the new leader's socket at the PBX): median %d ms, max %d ms%n",
                    median(escauxTimes), Collections.max(escauxTimes)));
            out.append(String.format("  source-metasec (the new leader's first poll, poll-interval 500 ms): median %d ms, "
                    + "max %d ms%n", median(metasecTimes), Collections.max(metasecTimes)));
            leadTimes.forEach((route, times) -> out.append(String.format("  %s (leadership in the health): median %d ms,"
                    + " max %d ms%n", route, median(times), Collections.max(times))));
        }
    }

    private void throughput(StringBuilder out) throws Exception {
        List<EscauxSimulator> pbxs = new ArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start()) {
            for (int i = 0; i < 4; i++) {
                pbxs.add(EscauxSimulator.builder().httpPort(0).eventPort(0).build().start());
            }
            List<Double> one = new ArrayList<>();
            List<Double> two = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                one.add(forward(kafka, pbxs, "one-" + round, new boolean[][] { { true, true, true, true } }));
                two.add(forward(kafka, pbxs, "two-" + round, new boolean[][] { { true, true, false, false },
                        { false, false, true, true } }));
                progress(String.format("round %d: one instance %.0f events/s, two instances %.0f events/s", round + 1,
                        one.get(round), two.get(round)));
            }
            out.append(String.format("four Escaux PBXs into Kafka, %d events each (%d rounds, the same machine):%n", EVENTS,
                    ROUNDS));
            out.append(String.format("  one instance forwarding all four:     %s events/s (median %.0f)%n", fmt(one),
                    medianD(one)));
            out.append(String.format("  two instances forwarding two each:    %s events/s (median %.0f), %.0f %% of one%n",
                    fmt(two), medianD(two), 100 * medianD(two) / medianD(one)));
        } finally {
            pbxs.forEach(EscauxSimulator::stop);
        }
    }

    /**
     * Starts one instance per row of {@code runs} (which PBXs it forwards), emits {@link #EVENTS} events on each PBX at
     * once, and answers the events per second from the first emit to the last record on the topic.
     */
    private double forward(KafkaBroker kafka, List<EscauxSimulator> pbxs, String name, boolean[][] runs)
            throws Exception {
        String topic = "events-" + name;
        kafka.createTopic(topic, 3);
        try (ClusterInstances cluster = new ClusterInstances(tmp.resolve(name))) {
            cluster.withKafkaEvents(kafka.bootstrapServers(), topic)
                    .with("camel.main.routes-include-pattern", "file:routes/events-core.camel.yaml,"
                            + "file:routes/events-sinks.camel.yaml,file:routes/events-webhooks.camel.yaml,file:"
                            + Path.of("src/test/resources/cluster-bench-pbx.camel.yaml").toAbsolutePath())
                    .with("camel.component.escaux.address", "http://127.0.0.1:" + pbxs.get(0).httpPort())
                    .with("events.ndjson.enabled", "false")
                    .with("events.spool.max-bytes", Long.toString(4L << 30));
            for (int p = 0; p < 4; p++) {
                cluster.with("bench.pbx" + (p + 1) + ".http", Integer.toString(pbxs.get(p).httpPort()))
                        .with("bench.pbx" + (p + 1) + ".events", Integer.toString(pbxs.get(p).eventPort()));
            }
            List<Integer> connectionsBefore = pbxs.stream().map(EscauxSimulator::eventConnections).toList();
            List<Instance> instances = new ArrayList<>();
            for (int i = 0; i < runs.length; i++) {
                Instance instance = cluster.instance(name + "-" + i);
                instance.own.put("camel.main.name", instance.name);
                for (int p = 0; p < 4; p++) {
                    instance.own.put("bench.pbx" + (p + 1) + ".enabled", Boolean.toString(runs[i][p]));
                }
                instance.heap = "512m";
                instances.add(instance.start());
            }
            // a PBX notices a closed socket (the previous scenario's) only when writing to it: a pong flushes those out
            Await.until(WAIT, "every PBX connected once", () -> {
                pbxs.forEach(s -> s.emit("<evPong/>\n"));
                for (int p = 0; p < pbxs.size(); p++) {
                    if (pbxs.get(p).eventConnections() <= connectionsBefore.get(p) || pbxs.get(p).eventClients() != 1) {
                        return false;
                    }
                }
                return true;
            });
            // warm-up: the JIT of each instance
            emitAll(pbxs, name + "-warm", EVENTS / 5);
            long warm = 4L * (EVENTS / 5);
            Await.until(WAIT, () -> "the warm-up on the topic, " + records(kafka, topic) + "; "
                    + instances.get(0).health().orElse(""), () -> records(kafka, topic) >= warm);
            long t0 = System.nanoTime();
            emitAll(pbxs, name, EVENTS);
            long expected = warm + 4L * EVENTS;
            Await.until(Duration.ofMinutes(10), () -> "every event on the topic, " + records(kafka, topic),
                    () -> records(kafka, topic) >= expected);
            double rate = 4.0 * EVENTS / ((System.nanoTime() - t0) / 1e9);
            for (Instance instance : instances) {
                instance.stop();
            }
            return rate;
        }
    }

    /** A line now, in target/bench-cluster-progress.txt too (surefire shows a test's output only at its end). */
    private static void progress(String line) throws java.io.IOException {
        System.out.println("[bench] " + line);
        Files.writeString(Path.of("target", "bench-cluster-progress.txt"), java.time.LocalTime.now() + " " + line
                + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** {@code n} events on every PBX, written from one thread per PBX as fast as their sockets take them. */
    private static void emitAll(List<EscauxSimulator> pbxs, String prefix, int n) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pbxs.size(); p++) {
            EscauxSimulator pbx = pbxs.get(p);
            String calls = prefix + "-" + p;
            Thread t = new Thread(() -> {
                for (int first = 0; first < n; first += 200) {
                    StringBuilder b = new StringBuilder(200 * 160);
                    for (int i = first; i < Math.min(n, first + 200); i++) {
                        b.append("<evParked><Channel>SIP/").append(calls).append('-').append(i % 500)
                                .append("</Channel><ParkSlot>70").append(i % 10).append("</ParkSlot><Seq>").append(i)
                                .append("</Seq></evParked>\n");
                    }
                    pbx.emit(b.toString());
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** The records on the topic (the sum of its partitions' end offsets). */
    private static long records(KafkaBroker kafka, String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(part -> latest.put(new TopicPartition(topic, part.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double medianD(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v)).collect(Collectors.joining(", "));
    }
}
