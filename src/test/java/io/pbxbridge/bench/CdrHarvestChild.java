package io.pbxbridge.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.pbxbridge.cdr.CallRecordHarvests;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoints;
import io.pbxbridge.cdr.HarvestRun;
import io.pbxbridge.cdr.sink.CdrDataSources;
import io.pbxbridge.cdr.sink.CsvCallRecordSink;
import io.pbxbridge.cdr.sink.JdbcHarvestCheckpoints;
import io.pbxbridge.cdr.sink.KafkaCallRecordSink;
import io.pbxbridge.cdr.sink.PostgresCallRecordSink;

/**
 * The harvesting JVM of {@link CdrHarvestBench} (its heap capped, by default at 256 MB): a warm-up round, then the
 * measured rounds, each harvesting the simulator's calls into every sink in turn, next to the plain baseline
 * ({@link PlainCdrHarvest}) in the same round, in alternating order. Only the harvest is timed; each phase's output
 * is then checked (every record stored once, the same as the baseline's) and dropped. Prints one line per phase,
 * {@code PHASE round=.. sink=.. kind=camel|plain records=.. seconds=.. peakMB=.. liveMB=.. cpuUs=.. gcMs=..}, and one
 * per pair, {@code CHECK round=.. sink=.. ok=true|false: what was found}.
 *
 * <p>Arguments: simulator address, PostgreSQL JDBC URL (superuser, no password), Kafka bootstrap servers, a work
 * folder. Settings: {@code bench.rounds}, {@code bench.hours} (the calls' spread), {@code bench.warmupHours} (the
 * warm-up window), {@code bench.batch} ({@code cdrBatchSize}), {@code bench.sinks} (csv,postgres,kafka),
 * {@code bench.profile} with {@code bench.profilePhase} (e.g. {@code kafka-camel}: that phase of the last round).
 */
public final class CdrHarvestChild {

    static final String LOGIN = "demo";
    static final String PASSWORD = "demo-secret";
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    static final int HOURS = Integer.getInteger("bench.hours", 20);
    static final int WARM_UP_HOURS = Integer.getInteger("bench.warmupHours", 2);
    static final int BATCH = Integer.getInteger("bench.batch", 1000);
    static final List<String> SINKS = List.of(System.getProperty("bench.sinks", "csv,postgres,kafka").split(","));
    static final String PROFILE_PHASE = System.getProperty("bench.profilePhase", "");

    private final String address;
    private final String pgUrl;
    private final String bootstrap;
    private final Path work;
    private final HeapWatch heap = new HeapWatch();
    private final PlainCdrHarvest plain;

    private CdrHarvestChild(String[] args) {
        address = args[0];
        pgUrl = args[1];
        bootstrap = args[2];
        work = Path.of(args[3]);
        plain = new PlainCdrHarvest(address, LOGIN, PASSWORD);
    }

    public static void main(String[] args) throws Exception {
        new CdrHarvestChild(args).run();
        System.exit(0); // the Kafka and JDBC clients' threads are done with
    }

    /** What one phase measured. */
    record Phase(long records, double seconds, double peakMb, double liveMb, double cpuUs, long gcMs) {
    }

    private void run() throws Exception {
        System.out.printf("START heap max %d MB (%s), %d cores, cdrBatchSize %d, sinks %s%n",
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")),
                Runtime.getRuntime().availableProcessors(), BATCH, SINKS);
        for (int round = 0; round <= ROUNDS; round++) {
            // the measured rounds' window holds every call for 3 hours after the simulator made them
            Duration lookback = Duration.ofHours(round == 0 ? WARM_UP_HOURS : HOURS + 3);
            for (String sink : SINKS) {
                boolean plainFirst = round % 2 == 1 || round == 0;
                Path dir = Files.createDirectories(work.resolve("r" + round + "-" + sink));
                Phase camelOut = null;
                Phase plainOut = null;
                for (int i = 0; i < 2; i++) {
                    boolean isPlain = (i == 0) == plainFirst;
                    String kind = isPlain ? "plain" : "camel";
                    boolean profile = round == ROUNDS && PROFILE_PHASE.equals(sink + "-" + kind);
                    Phase p = isPlain ? plainPhase(sink, round, lookback, dir, profile)
                            : camelPhase(sink, round, lookback, dir, profile);
                    System.out.printf(java.util.Locale.ROOT, "PHASE round=%d sink=%s kind=%s records=%d seconds=%.3f "
                            + "rate=%.0f peakMB=%.1f liveMB=%.1f cpuUs=%.2f gcMs=%d%n", round, sink, kind, p.records,
                            p.seconds, p.records / p.seconds, p.peakMb, p.liveMb, p.cpuUs, p.gcMs);
                    if (isPlain) {
                        plainOut = p;
                    } else {
                        camelOut = p;
                    }
                }
                if (round > 0) { // the warm-up's window starts inside the calls: it moves between the phases
                    String detail = check(sink, round, dir, camelOut.records, plainOut.records);
                    System.out.printf("CHECK round=%d sink=%s ok=%s: %s%n", round, sink, detail.startsWith("ok"),
                            detail);
                }
                cleanUp(sink, round, dir);
            }
        }
        System.out.println("DONE");
    }

    // ---- the phases -----------------------------------------------------------------------------------------

    private Phase camelPhase(String sink, int round, Duration lookback, Path dir, boolean profile) throws Exception {
        String uri = "monema:cdr?address=" + address + "&login=" + LOGIN + "&password=RAW(" + PASSWORD + ")"
                + "&timeZone=UTC&cdrCheckpoints=#checkpoints&cdrDeadLetterDirectory=" + dir.resolve("dead")
                + "&cdrFirstRunLookback=" + lookback.toHours() + "h&cdrLag=1s&cdrBatchSize=" + BATCH
                + "&initialDelay=3600000&delay=3600000&receiveTimeout=120000";
        HikariDataSource pool = null;
        try (CamelContext camel = new DefaultCamelContext()) {
            HarvestCheckpoints checkpoints = new FileHarvestCheckpoints(dir.resolve("checkpoints"));
            Object bean;
            switch (sink) {
                case "csv" -> bean = new CsvCallRecordSink(dir.resolve("camel"), checkpoints);
                case "postgres" -> {
                    pool = CdrDataSources.pool(schema(pgUrl, round, "camel"), "postgres", "", 2);
                    JdbcHarvestCheckpoints jdbc = new JdbcHarvestCheckpoints(pool);
                    checkpoints = jdbc;
                    bean = new PostgresCallRecordSink(pool, PostgresCallRecordSink.DEFAULT_TABLE, jdbc);
                }
                case "kafka" -> {
                    KafkaCallRecordSink kafka = new KafkaCallRecordSink(bootstrap, createTopic(round, "camel"),
                            Map.of(), dir.resolve("kafka-journal"), checkpoints);
                    camel.addService(kafka, true, true);
                    bean = kafka;
                }
                default -> throw new IllegalArgumentException("bench.sinks: no sink " + sink);
            }
            camel.getRegistry().bind("checkpoints", HarvestCheckpoints.class, checkpoints);
            camel.getRegistry().bind("sink", bean);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("cdr-" + sink).to("bean:sink" + ("csv".equals(sink) ? "?method=write" : ""));
                }
            });
            camel.start();
            HarvestRun[] run = new HarvestRun[1];
            Phase p = measure(profile, () -> {
                run[0] = CallRecordHarvests.of(camel).now("monema");
                return run[0].fresh();
            });
            if (run[0] == null || !run[0].isCommitted() || run[0].deadLetters() > 0) {
                throw new IllegalStateException("the " + sink + " harvest did not commit cleanly: " + run[0]);
            }
            System.out.println("RUN " + run[0].line());
            return p;
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    private Phase plainPhase(String sink, int round, Duration lookback, Path dir, boolean profile) throws Exception {
        PlainCdrHarvest.RecordWriter[] out = new PlainCdrHarvest.RecordWriter[1];
        // connections and clients before the clock, as the sinks' are made before theirs
        out[0] = switch (sink) {
            case "csv" -> PlainCdrHarvest.csv(dir.resolve("plain"));
            case "postgres" -> PlainCdrHarvest.jdbc(schema(pgUrl, round, "plain"), "postgres", BATCH);
            case "kafka" -> PlainCdrHarvest.kafka(bootstrap, createTopic(round, "plain"), "monema:" + plain.source(),
                    1);
            default -> throw new IllegalArgumentException("bench.sinks: no sink " + sink);
        };
        return measure(profile, () -> {
            Instant now = Instant.now();
            try (PlainCdrHarvest.RecordWriter w = out[0]) {
                return plain.harvest(now.minus(lookback), now.minusSeconds(1), w);
            }
        });
    }

    interface Harvest {
        long run() throws Exception;
    }

    private Phase measure(boolean profile, Harvest harvest) throws Exception {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        Thread.sleep(200);
        heap.reset();
        long gc0 = gcMillis();
        ThreadCpu cpu0 = ThreadCpu.snapshot();
        if (profile) {
            Profiler.start();
        }
        long t0 = System.nanoTime();
        long records = harvest.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (profile) {
            Profiler.stop();
        }
        double cpu = ThreadCpu.snapshot().cpuSeconds(cpu0);
        heap.stop();
        return new Phase(records, seconds, heap.peakUsed() / 1048576.0, heap.maxAfterGc() / 1048576.0,
                records == 0 ? 0 : cpu * 1e6 / records, gcMillis() - gc0);
    }

    // ---- setup, checks and clean-up (not timed) ------------------------------------------------------------

    private static String schema(String pgUrl, int round, String kind) throws Exception {
        String name = "bench_r" + round + "_" + kind;
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            s.execute("CREATE SCHEMA " + name);
        }
        return pgUrl + "?currentSchema=" + name;
    }

    private static String topic(int round, String kind) {
        return "cdr-bench-r" + round + "-" + kind;
    }

    /** A fresh topic of 3 partitions for one phase. */
    private String createTopic(int round, String kind) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic(round, kind), 3, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        return topic(round, kind);
    }

    /** "ok ..." when both stored every record once and the same records; else what differs. */
    private String check(String sink, int round, Path dir, long camelRecords, long plainRecords) throws Exception {
        if (camelRecords != plainRecords) {
            return "the harvest read " + camelRecords + " records, the baseline " + plainRecords;
        }
        return switch (sink) {
            case "csv" -> checkCsv(dir.resolve("camel").resolve(FileHarvestCheckpoints.fileName("monema:"
                    + plain.source())), dir.resolve("plain"), camelRecords);
            case "postgres" -> checkPostgres(round, camelRecords);
            case "kafka" -> checkKafka(round, camelRecords);
            default -> "no check";
        };
    }

    private static String checkCsv(Path camel, Path plain, long expected) throws IOException {
        List<Path> days = csvFiles(camel);
        List<String> names = days.stream().map(p -> p.getFileName().toString()).toList();
        List<String> plainNames = csvFiles(plain).stream().map(p -> p.getFileName().toString()).toList();
        if (!names.equals(plainNames)) {
            return "day files " + names + " next to the baseline's " + plainNames;
        }
        long lines = 0;
        for (Path day : days) {
            long mismatch = Files.mismatch(day, plain.resolve(day.getFileName()));
            if (mismatch >= 0) {
                return day.getFileName() + " differs from the baseline's at byte " + mismatch;
            }
            try (Stream<String> l = Files.lines(day)) {
                lines += l.count() - 1;
            }
        }
        return lines == expected ? "ok " + lines + " records in " + names + ", byte for byte the baseline's"
                : lines + " records in the files, " + expected + " harvested";
    }

    private static List<Path> csvFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
    }

    private String checkPostgres(int round, long expected) throws Exception {
        String fingerprint = "SELECT count(*), count(DISTINCT key), sum(hashtext(concat_ws('|', key, vendor, source, "
                + "call_id, start_time, answer_time, end_time, duration, billsec, from_number, to_number, direction, "
                + "disposition, cost, currency, recording))::bigint) FROM bench_r" + round + "_%s.pbx_call_record";
        String camel = query(String.format(fingerprint, "camel"));
        String plainRows = query(String.format(fingerprint, "plain"));
        if (!camel.equals(plainRows)) {
            return "rows (count, distinct keys, hash) " + camel + " next to the baseline's " + plainRows;
        }
        return camel.startsWith(expected + "," + expected + ",") ? "ok rows (count, distinct keys, hash) " + camel
                + ", as the baseline's" : "rows (count, distinct keys, hash) " + camel + ", " + expected + " harvested";
    }

    private String query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1) + "," + rs.getString(2) + "," + rs.getString(3);
        }
    }

    private String checkKafka(int round, long expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            long[] counts = new long[2];
            String[] first = new String[2];
            for (int i = 0; i < 2; i++) {
                String topic = topic(round, i == 0 ? "camel" : "plain");
                List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                        .map(pi -> new TopicPartition(topic, pi.partition())).toList();
                counts[i] = consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
                TopicPartition p0 = new TopicPartition(topic, 0);
                consumer.assign(List.of(p0));
                consumer.seekToBeginning(List.of(p0));
                for (int polls = 0; first[i] == null && polls < 100; polls++) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        first[i] = r.key() + " " + new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
                        break;
                    }
                }
            }
            if (counts[0] != expected || counts[1] != expected) {
                return counts[0] + " records on the sink's topic, " + counts[1] + " on the baseline's, " + expected
                        + " harvested";
            }
            if (first[0] == null || !first[0].equals(first[1])) {
                return "the first records of partition 0 differ: " + first[0] + " | " + first[1];
            }
            return "ok " + counts[0] + " records on each topic, the first of partition 0 the same key and JSON";
        } catch (Exception e) {
            return "cannot read the topics: " + e;
        }
    }

    private void cleanUp(String sink, int round, Path dir) throws Exception {
        switch (sink) {
            case "postgres" -> {
                try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "");
                     Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA bench_r" + round + "_camel CASCADE");
                    s.execute("DROP SCHEMA bench_r" + round + "_plain CASCADE");
                }
            }
            case "kafka" -> {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    admin.deleteTopics(List.of(topic(round, "camel"), topic(round, "plain"))).all()
                            .get(60, TimeUnit.SECONDS);
                }
            }
            default -> {
            }
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    /**
     * The heap during one phase: the most used at once (sampled every 5 ms, and each GC's before-figure), and the
     * most left after a collection, an upper bound of what the phase held live.
     */
    static final class HeapWatch {
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong afterGc = new AtomicLong();
        private volatile boolean watching;

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                    if (!watching || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                            .equals(n.getType())) {
                        return;
                    }
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                    peak.accumulateAndGet(sum(info.getMemoryUsageBeforeGc()), Math::max);
                    afterGc.accumulateAndGet(sum(info.getMemoryUsageAfterGc()), Math::max);
                }, null, null);
            }
            Thread sampler = new Thread(() -> {
                while (true) {
                    if (watching) {
                        peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                                Math::max);
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        private long sum(Map<String, MemoryUsage> pools) {
            return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed()).sum();
        }

        void reset() {
            peak.set(0);
            afterGc.set(0);
            watching = true;
        }

        void stop() {
            watching = false;
        }

        long peakUsed() {
            return peak.get();
        }

        long maxAfterGc() {
            return afterGc.get();
        }
    }
}
