package io.pbxbridge.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test broker itself: a real broker that survives a graceful restart (in-process) and a SIGKILL (child JVM). */
@Tag("kafka")
class KafkaBrokerTest {

    static final int KEYS = 50;

    @TempDir
    Path tmp;

    @Test
    void inProcessProduceConsumeAndStopLeavesNoThreads() {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        long t0 = System.nanoTime();
        try (KafkaBroker kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start()) {
            log("in-process cold start %d ms on %s", ms(t0), kafka);
            kafka.createTopic("smoke", 3);
            kafka.createTopic("smoke", 3); // idempotent
            assertThrows(IllegalStateException.class, () -> kafka.createTopic("smoke", 4));
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("smoke", "k" + i, bytes("v" + i)));
                }
                producer.send(new ProducerRecord<>("auto-created", "k", bytes("v")));
            }
            assertEquals(10, kafka.consumeAll("smoke", 10, Duration.ofSeconds(20)).size());
            List<ConsumerRecord<String, byte[]>> auto = kafka.consumeAll("auto-created", 1, Duration.ofSeconds(20));
            assertEquals(1, auto.size());
            assertEquals("v", new String(auto.get(0).value(), StandardCharsets.UTF_8));
            t0 = System.nanoTime();
            assertEquals(10, kafka.consumeAll("smoke", 11, Duration.ofMillis(500)).size(), "timeout returns what came");
            assertTrue(ms(t0) < 5_000, "consumeAll returns after its timeout");
        }
        assertFalse(Files.exists(tmp.resolve("kafka")), "close() deletes the log dir");
        assertEquals(List.of(), newThreads(before), "threads left running after close()");
    }

    /**
     * An idempotent producer (acks=all) keeps sending while the broker stops and starts again: every record arrives
     * exactly once and in order per key.
     */
    @Test
    void inProcessRestartMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
        int total = 5_000;
        try (KafkaBroker kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start()) {
            kafka.createTopic("stream", 3);
            ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger acked = new AtomicInteger();
            CountDownLatch someAcked = new CountDownLatch(1000);
            AtomicInteger sent = new AtomicInteger();
            Thread sender = new Thread(() -> {
                Map<String, Integer> seq = new HashMap<>();
                try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                    for (int i = 0; i < total; i++) {
                        String key = "key-" + (i % KEYS);
                        int n = seq.merge(key, 1, Integer::sum) - 1;
                        producer.send(new ProducerRecord<>("stream", key, bytes(key + ":" + n)), (md, e) -> {
                            if (e != null) {
                                failures.add(e);
                            } else {
                                acked.incrementAndGet();
                                someAcked.countDown();
                            }
                        });
                        sent.incrementAndGet();
                        LockSupport.parkNanos(300_000); // about 2 s of sending: the restart falls in the middle
                    }
                    producer.flush();
                }
            }, "stream-sender");
            sender.start();
            assertTrue(someAcked.await(30, TimeUnit.SECONDS), "1000 records acknowledged");
            int sentAtStop = sent.get();
            int ackedAtStop = acked.get();
            long t0 = System.nanoTime();
            kafka.stop();
            long stopMs = ms(t0);
            t0 = System.nanoTime();
            kafka.start();
            log("in-process restart mid-stream: stop %d ms, start %d ms, %d of %d sent (%d acked) at the stop",
                    stopMs, ms(t0), sentAtStop, total, ackedAtStop);
            assertTrue(sentAtStop < total, "the restart happened while sending");
            sender.join(90_000);
            assertFalse(sender.isAlive());
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(total, acked.get());

            long inTopic = recordsInTopic(kafka.bootstrapServers(), "stream");
            List<ConsumerRecord<String, byte[]>> got = kafka.consumeAll("stream", (int) inTopic,
                    Duration.ofSeconds(30));
            Check check = Check.of(got);
            log("consumed %d records (%d in the topic): %d distinct, %d duplicates, %d order violations",
                    got.size(), inTopic, check.distinct, check.duplicates, check.orderViolations);
            assertEquals(total, check.distinct, "every record arrived");
            assertEquals(0, check.duplicates, "no duplicates with an idempotent producer");
            assertEquals(0, check.orderViolations, "per-key order");
            assertEquals(total, inTopic);
        }
    }

    /** kill -9 of the broker's JVM: what was acknowledged before and what is sent during and after is all there. */
    @Test
    void childProcessKilledAndRestartedKeepsEverything() throws Exception {
        long t0 = System.nanoTime();
        try (KafkaBroker kafka = KafkaBroker.childProcess(tmp.resolve("kafka")).start()) {
            log("child-process cold start %d ms on %s", ms(t0), kafka);
            kafka.createTopic("killed", 3);
            Map<String, Integer> seq = new HashMap<>();
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                sendAll(producer, "killed", seq, 1_000);
                producer.flush(); // acknowledged (acks=all, no fsync): only in the page cache at the kill
                t0 = System.nanoTime();
                kafka.kill();
                assertFalse(kafka.isRunning());
                long killMs = ms(t0);
                sendAll(producer, "killed", seq, 1_000); // buffered and retried while the broker is down
                t0 = System.nanoTime();
                kafka.start();
                log("child-process kill %d ms, restart %d ms", killMs, ms(t0));
                sendAll(producer, "killed", seq, 1_000);
                producer.flush();
            }
            List<ConsumerRecord<String, byte[]>> got = kafka.consumeAll("killed", 3_000, Duration.ofSeconds(30));
            Check check = Check.of(got);
            assertEquals(3_000, check.distinct, "records before, during and after the kill");
            assertEquals(0, check.duplicates);
            assertEquals(0, check.orderViolations);
            assertEquals(2, kafka.starts());
            assertTrue(Files.exists(kafka.logDir().resolve("broker-2.log")), "one console log per start");
        }
    }

    /** A broker that cannot bind its port fails start() with a reason and leaves nothing running. */
    @Test
    void portTakenFailsStartCleanly() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        for (KafkaBroker kafka : List.of(KafkaBroker.inProcess(tmp.resolve("in")),
                KafkaBroker.childProcess(tmp.resolve("child")))) {
            int port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().indexOf(':') + 1));
            try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                long t0 = System.nanoTime();
                Exception e = assertThrows(Exception.class, kafka::start);
                log("%s with its port taken: %s after %d ms", kafka.getClass().getSimpleName(), e, ms(t0));
                assertFalse(kafka.isRunning());
            } finally {
                kafka.close();
            }
        }
        assertEquals(List.of(), newThreads(before), "threads left running after a failed start");
    }

    /**
     * Threads started since {@code before} and still alive, but for Yammer's metric tick threads (daemons, one pair
     * per JVM, reused by the next broker) and the JDK's "process reaper" (a daemon, idle after 60 s).
     */
    static List<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)).filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> !n.startsWith("metrics-meter-tick-thread") && !n.equals("process reaper"))
                .collect(Collectors.toList());
    }

    static void sendAll(KafkaProducer<String, byte[]> producer, String topic, Map<String, Integer> seq, int count) {
        for (int i = 0; i < count; i++) {
            String key = "key-" + (i % KEYS);
            int n = seq.merge(key, 1, Integer::sum) - 1;
            producer.send(new ProducerRecord<>(topic, key, bytes(key + ":" + n)));
        }
    }

    /** Records whose values are {@code key:n}, n counting up per key from 0. */
    record Check(int distinct, int duplicates, int orderViolations) {

        static Check of(List<ConsumerRecord<String, byte[]>> records) {
            Map<String, Integer> last = new HashMap<>();
            Set<String> seen = new HashSet<>();
            int duplicates = 0;
            int violations = 0;
            for (ConsumerRecord<String, byte[]> r : records) { // in offset order within each partition
                String value = new String(r.value(), StandardCharsets.UTF_8);
                int n = Integer.parseInt(value.substring(value.indexOf(':') + 1));
                if (!seen.add(value)) {
                    duplicates++;
                    continue;
                }
                int previous = last.getOrDefault(r.key(), -1);
                if (n != previous + 1) {
                    violations++;
                }
                last.put(r.key(), Math.max(previous, n));
            }
            return new Check(seen.size(), duplicates, violations);
        }
    }

    static long recordsInTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            List<Long> ends = new ArrayList<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().forEach(i -> ends.add(i.offset()));
            return ends.stream().mapToLong(Long::longValue).sum(); // no transactions: no control records
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static void log(String format, Object... args) {
        System.out.printf("[KafkaBrokerTest] " + format + "%n", args);
    }
}
