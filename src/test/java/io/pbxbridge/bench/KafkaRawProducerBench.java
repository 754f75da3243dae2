package io.pbxbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.testsupport.KafkaBroker;

/**
 * Not a test: the raw KafkaProducer baseline (acks=all, linger.ms=5, 300-byte records) against the in-process test
 * broker on loopback, the figure a Camel-to-Kafka benchmark compares itself with. Run with
 * {@code mvn -o -Pbench test -Dtest=KafkaRawProducerBench}; {@code -Dbench.records=}, {@code -Dbench.rounds=}.
 */
@Tag("bench")
class KafkaRawProducerBench {

    static final int RECORDS = Integer.getInteger("bench.records", 500_000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    static final int WARM_UP = Integer.getInteger("bench.warmup", 200_000);
    static final int RECORD_SIZE = 300;
    static final int KEYS = 50;

    @TempDir
    Path tmp;

    @Test
    void rawProducer() {
        List<byte[]> values = values(RECORDS, RECORD_SIZE);
        List<String> keys = keys(KEYS);
        System.out.printf("[bench] load average %s, %d cores, heap max %d MB%n", loadAverage(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (KafkaBroker kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start()) {
            kafka.createTopic("bench-keyed", 3);
            kafka.createTopic("bench-unkeyed", 3);
            // warm-up: JIT of producer and broker paths (the first 500,000 run at half speed without it)
            for (int i = 0; i < 2; i++) {
                rawProducerRecordsPerSecond(kafka.bootstrapServers(), "bench-keyed", values(WARM_UP, RECORD_SIZE), keys);
                rawProducerRecordsPerSecond(kafka.bootstrapServers(), "bench-unkeyed", values(WARM_UP, RECORD_SIZE),
                        List.of());
            }
            List<Double> keyed = new ArrayList<>();
            List<Double> unkeyed = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                long gc = gcMillis();
                keyed.add(rawProducerRecordsPerSecond(kafka.bootstrapServers(), "bench-keyed", values, keys));
                unkeyed.add(rawProducerRecordsPerSecond(kafka.bootstrapServers(), "bench-unkeyed", values, List.of()));
                System.out.printf("[bench] round %d: keyed (%d keys) %,.0f records/s, unkeyed %,.0f records/s; "
                        + "GC %d ms; load average %s%n", round, KEYS, keyed.get(round - 1), unkeyed.get(round - 1),
                        gcMillis() - gc, loadAverage());
            }
            System.out.printf("[bench] raw KafkaProducer, acks=all, linger.ms=5, %d-byte records, %,d records, "
                    + "in-process broker on loopback: median %,.0f records/s keyed (%d keys), %,.0f records/s "
                    + "unkeyed; %d rounds%n", RECORD_SIZE, RECORDS, median(keyed), KEYS, median(unkeyed), ROUNDS);
        }
    }

    /**
     * Sends {@code values.size()} records (record i: value {@code values.get(i)}, key
     * {@code keys.get(i % keys.size())}, or no key when {@code keys} is empty) through a fresh KafkaProducer with
     * acks=all and linger.ms=5, and returns records per second from the first send to the last acknowledgement. The
     * producer's connection and metadata are set up before the clock starts. Throws if any record fails.
     *
     * @param values may be a virtual list (see {@link #values(int, int)}): the records need not all fit in the heap
     */
    static double rawProducerRecordsPerSecond(String bootstrap, String topic, List<byte[]> values, List<String> keys) {
        return rawProducerRecordsPerSecond(bootstrap, topic, values, keys, List.of(), new Properties());
    }

    /**
     * The same with {@code headers} on every record and further producer settings ({@code config}, e.g. the batch
     * size a pipeline under comparison uses).
     */
    static double rawProducerRecordsPerSecond(String bootstrap, String topic, List<byte[]> values, List<String> keys,
            List<Header> headers, Properties config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putAll(config);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        int n = values.size();
        int k = keys.size();
        long nanos;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata and connection before the clock starts
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, null, k == 0 ? null : keys.get(i % k), values.get(i), headers),
                        (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            nanos = System.nanoTime() - t0;
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + n + " records failed", firstFailure.get());
        }
        return n * 1e9 / nanos;
    }

    /** {@code count} values of {@code size} random bytes each, taken in turn from a pool of 1024 arrays. */
    static List<byte[]> values(int count, int size) {
        Random random = new Random(42);
        byte[][] pool = new byte[1024][size];
        for (byte[] b : pool) {
            random.nextBytes(b);
        }
        return new AbstractList<>() {
            @Override
            public byte[] get(int i) {
                return pool[i % pool.length];
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    static List<String> keys(int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(String.format("key-%02d", i));
        }
        return keys;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
    }

    static String loadAverage() {
        try {
            return Arrays.toString(Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (IOException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
