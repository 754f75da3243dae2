package io.pbxbridge.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka (KRaft, broker and controller in one node) for tests, no Docker. Two flavours:
 * <ul>
 * <li>{@link #inProcess(Path)}: runs inside the test JVM; cold start about 1.3 s, {@link #stop()} and
 * {@link #start()} again (a graceful restart) about 0.5 s.</li>
 * <li>{@link #childProcess(Path)}: the same broker in a child JVM ({@code kafka.Kafka server.properties}), so a test
 * can {@link #kill()} it (SIGKILL, no shutdown at all) and {@link #start()} it again.</li>
 * </ul>
 * Both keep their two loopback ports (client listener, controller listener), their cluster id and their log
 * directory across restarts, so clients configured with {@link #bootstrapServers()} reconnect by themselves.
 * Settings are those of a test broker: replication factor 1 everywhere, 3 partitions per auto-created topic, no
 * initial rebalance delay. Extra broker settings: {@link #property(String, String)} before {@link #start()}.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.inProcess(tmp).start()) {
 *     kafka.createTopic("calls", 3);
 *     ... produce to kafka.bootstrapServers() ...
 *     kafka.stop();
 *     kafka.start();
 *     List<ConsumerRecord<String, byte[]>> got = kafka.consumeAll("calls", 100, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public abstract class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int NODE_ID = 1;

    protected final Path logDir;
    protected final int brokerPort;
    protected final int controllerPort;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Map<String, String> overrides = new TreeMap<>();
    private int starts;

    protected KafkaBroker(Path logDir) {
        this.logDir = logDir.toAbsolutePath();
        int[] ports = freePorts(2);
        this.brokerPort = ports[0];
        this.controllerPort = ports[1];
    }

    /** A broker running inside this JVM; its data and its {@code server.properties} go under {@code logDir}. */
    public static KafkaBroker inProcess(Path logDir) {
        return new InProcess(logDir);
    }

    /**
     * A broker in a child JVM on the test classpath; its console output goes to {@code logDir/broker-<n>.log} (one
     * file per start). The child halts by itself when this JVM goes away, even after a SIGKILL.
     */
    public static KafkaBroker childProcess(Path logDir) {
        return new ChildProcess(logDir);
    }

    /** A broker setting for the next {@link #start()}, e.g. {@code message.max.bytes}; overrides the defaults. */
    public KafkaBroker property(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /**
     * Starts the broker (formatting its storage on the first start) and returns once it answers
     * {@code describeCluster}. Calling it again after {@link #stop()} or {@link #kill()} restarts the same broker:
     * same ports, same cluster id, same data.
     */
    public KafkaBroker start() {
        if (isRunning()) {
            throw new IllegalStateException("already running: " + this);
        }
        try {
            Path config = writeConfig();
            format(config);
            starts++;
            long t0 = System.nanoTime();
            launch(config);
            try {
                awaitReady(t0);
            } catch (RuntimeException e) {
                // the caller gets no object to close: do not leave a half-started broker behind
                try {
                    abort();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the broker gracefully (controlled shutdown) and waits until it is down. Does nothing if not running. */
    public abstract void stop();

    /** Kills the broker without any shutdown (SIGKILL). Only a {@link #childProcess(Path)} broker can be killed. */
    public abstract void kill();

    public abstract boolean isRunning();

    /** {@code 127.0.0.1:<port>}, the same for the whole life of this object. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** How many times {@link #start()} has run. */
    public int starts() {
        return starts;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader. A topic that already
     * exists with the same number of partitions is fine; another number of partitions is an error.
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                TopicDescription d;
                try {
                    d = admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name);
                } catch (ExecutionException e) {
                    // the controller has the topic, the broker's metadata cache not yet
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(20);
                    continue;
                }
                if (d.partitions().size() != partitions) {
                    throw new IllegalStateException("topic " + name + " exists with " + d.partitions().size()
                            + " partitions, not " + partitions);
                }
                if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " has partitions without a leader: " + d);
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + " on " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        }
    }

    /**
     * Reads {@code topic} from the beginning with a fresh consumer group (String keys, byte[] values) until
     * {@code expected} records have arrived or {@code timeout} has passed, and returns what arrived (possibly more
     * than {@code expected} if a poll delivered more, fewer on timeout). Never blocks much longer than
     * {@code timeout}.
     */
    public List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "consume-all-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long left;
            while (records.size() < expected && (left = deadline - System.nanoTime()) > 0) {
                consumer.poll(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))))
                        .forEach(records::add);
            }
            consumer.unsubscribe();
        }
        return records;
    }

    /** Stops the broker if it runs, kills it if it does not stop, and deletes {@link #logDir()}. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (isRunning()) {
                kill();
            }
            deleteTree(logDir);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + bootstrapServers() + ", controller 127.0.0.1:" + controllerPort
                + ", " + logDir + "]";
    }

    protected abstract void launch(Path config) throws IOException;

    /** Ends a broker that was launched but did not become ready. */
    protected abstract void abort();

    /** Why the broker cannot become ready (e.g. its process died), or null while it may still come up. */
    protected abstract String failure();

    /** The broker settings: a single KRaft node on loopback, with test-sized internal topics. */
    protected Properties config() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.resolve("data").toString());
        p.put("num.partitions", "3");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5"); // 50 by default: slow to create on the first consumer
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        // a killed and restarted node must not wait ~9 s for its old registration to expire
        // (DUPLICATE_BROKER_REGISTRATION)
        p.put("broker.session.timeout.ms", "2500");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "2");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)); // 128 MB by default
        p.put("auto.leader.rebalance.enable", "false");
        p.putAll(overrides);
        return p;
    }

    protected Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return Admin.create(p);
    }

    private Path writeConfig() throws IOException {
        Files.createDirectories(logDir);
        Path file = logDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config().store(w, "single-node KRaft test broker, cluster " + clusterId);
        }
        return file;
    }

    /** Formats the log directories for {@link #clusterId}; a no-op when they are formatted already. */
    private void format(Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(),
                    "--ignore-formatted"}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + rc + "): " + out);
        }
    }

    private void awaitReady(long startNanos) {
        long deadline = startNanos + READY_TIMEOUT.toNanos();
        Throwable last = null;
        try {
            // an Admin client would log a WARN every 100-200 ms until the listener is bound
            while (!listening() && System.nanoTime() < deadline) {
                String failure = failure();
                if (failure != null) {
                    throw new IllegalStateException("broker did not start: " + failure);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + this, e);
        }
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                String failure = failure();
                if (failure != null) {
                    throw new IllegalStateException("broker did not start: " + failure);
                }
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                            .get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + this, e);
        }
        throw new IllegalStateException("broker not ready after " + READY_TIMEOUT.toSeconds() + " s: " + this,
                last);
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int[] freePorts(int n) {
        // all sockets open at once, so the ports differ; the broker binds them a moment later
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker inside the test JVM. */
    private static final class InProcess extends KafkaBroker {

        private static int running;
        private KafkaRaftServer server;

        InProcess(Path logDir) {
            super(logDir);
        }

        @Override
        protected void launch(Path config) {
            Properties p = config();
            KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            trapExit();
            try {
                s.startup();
            } catch (RuntimeException | Error e) {
                s.shutdown();
                s.awaitShutdown();
                untrapExit();
                throw e;
            }
            server = s;
        }

        @Override
        protected String failure() {
            return server == null ? "not started" : null;
        }

        @Override
        public void stop() {
            KafkaRaftServer s = server;
            if (s == null) {
                return;
            }
            server = null;
            try {
                s.shutdown();
                s.awaitShutdown();
            } finally {
                untrapExit();
            }
        }

        @Override
        public void kill() {
            throw new UnsupportedOperationException("an in-process broker cannot be killed; use "
                    + "KafkaBroker.childProcess(...) for a SIGKILL");
        }

        @Override
        protected void abort() {
            stop();
        }

        @Override
        public boolean isRunning() {
            return server != null;
        }

        /**
         * A fatal fault in the broker calls Exit.halt/exit, which would end the test JVM (Surefire: "The forked VM
         * terminated without saying properly goodbye"); make it an exception in the calling broker thread instead.
         */
        private static synchronized void trapExit() {
            if (running++ == 0) {
                Exit.setExitProcedure((code, message) -> {
                    throw new IllegalStateException("Kafka broker called Exit.exit(" + code + "): " + message);
                });
                Exit.setHaltProcedure((code, message) -> {
                    throw new IllegalStateException("Kafka broker called Exit.halt(" + code + "): " + message);
                });
            }
        }

        private static synchronized void untrapExit() {
            if (--running == 0) {
                Exit.resetExitProcedure();
                Exit.resetHaltProcedure();
            }
        }
    }

    /** The broker in a child JVM, so that it can be killed for real. */
    private static final class ChildProcess extends KafkaBroker {

        private volatile Process process;
        private Path consoleLog;
        private final Thread reaper = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "kafka-child-reaper");

        ChildProcess(Path logDir) {
            super(logDir);
            Runtime.getRuntime().addShutdownHook(reaper);
        }

        @Override
        protected void abort() {
            kill();
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(reaper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }

        @Override
        protected void launch(Path config) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx256m");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-XX:TieredStopAtLevel=1"); // C1 only: about a third less start-up time
            cmd.add("-Dlog4j2.configurationFile=" + writeChildLogConfig());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(ChildMain.class.getName());
            cmd.add(String.valueOf(ProcessHandle.current().pid()));
            cmd.add(config.toString());
            consoleLog = logDir.resolve("broker-" + starts() + ".log"); // starts() counts this start already
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(consoleLog.toFile()).start();
        }

        @Override
        protected String failure() {
            Process p = process;
            if (p == null) {
                return "not started";
            }
            if (!p.isAlive()) {
                return "the broker process exited with " + p.exitValue() + "; " + consoleLog + ":\n" + tail();
            }
            return null;
        }

        /** SIGTERM: kafka.Kafka's shutdown hook shuts the broker down cleanly. */
        @Override
        public void stop() {
            Process p = process;
            if (p == null) {
                return;
            }
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        /** SIGKILL: no shutdown hook, no controlled shutdown, no flush; returns once the process is gone. */
        @Override
        public void kill() {
            Process p = process;
            if (p == null) {
                return;
            }
            try {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        @Override
        public boolean isRunning() {
            return process != null && process.isAlive();
        }

        /** The child logs at INFO into its own file (the test's log4j2-test.properties keeps Kafka at WARN). */
        private Path writeChildLogConfig() throws IOException {
            Path file = logDir.resolve("log4j2-broker.properties");
            Files.writeString(file, String.join("\n",
                    "appender.console.type = Console",
                    "appender.console.name = console",
                    "appender.console.layout.type = PatternLayout",
                    "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.console.ref = console",
                    "logger.zookeeper.name = org.apache.zookeeper",
                    "logger.zookeeper.level = WARN",
                    ""));
            return file;
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(consoleLog);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(" + e + ")";
            }
        }
    }

    /**
     * Main class of the child JVM: {@code kafka.Kafka server.properties}, plus a watch on the parent JVM so that a
     * broker never outlives the test run (after a SIGKILL of the test JVM, no shutdown hook of it runs).
     */
    public static final class ChildMain {

        private ChildMain() {
        }

        public static void main(String[] args) throws Exception {
            long parentPid = Long.parseLong(args[0]);
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                    () -> Runtime.getRuntime().halt(3));
            kafka.Kafka.main(new String[] {args[1]});
        }
    }
}
