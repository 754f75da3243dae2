package io.pbxbridge.cdr.sink;

import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.batch;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.records;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * Not a test: the sink (batches of {@code cdrBatchSize}, each acknowledged before the next) next to a plain
 * KafkaProducer that sends the same records as JSON with the same settings, all at once then flush. Run with
 * {@code mvn -o -Pbench test -Dtest=KafkaCallRecordSinkBenchTest}; {@code -Dbench.records=}, {@code -Dbench.batch=}.
 */
@Tag("bench")
class KafkaCallRecordSinkBenchTest {

    static final int RECORDS = Integer.getInteger("bench.records", 200_000);
    static final int BATCH = Integer.getInteger("bench.batch", 1000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    /** Rounds not counted: the JIT of the client, the sink and the broker. */
    static final int WARM_UP = Integer.getInteger("bench.warmup", 3);

    @TempDir
    Path tmp;

    @Test
    void sinkNextToAPlainProducer() throws Exception {
        List<CallRecord> all = records(0, RECORDS);
        try (KafkaBroker broker = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
                CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            List<Double> sink = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 1 - WARM_UP; round <= ROUNDS; round++) {
                String topic = "bench-" + (round + WARM_UP);
                broker.createTopic(topic + "-sink", 3);
                broker.createTopic(topic + "-plain", 3);
                // in turn first and second: a busy machine favours neither
                double s;
                double p;
                if (round % 2 == 0) {
                    s = sink(broker, camel, topic + "-sink", all);
                    p = plain(broker, topic + "-plain", all);
                } else {
                    p = plain(broker, topic + "-plain", all);
                    s = sink(broker, camel, topic + "-sink", all);
                }
                System.out.printf("[bench] round %d: sink %,.0f records/s, plain KafkaProducer %,.0f records/s "
                        + "(%.0f %%)%n", round, s, p, 100 * s / p);
                if (round > 0) {
                    sink.add(s);
                    plain.add(p);
                    ratios.add(s / p);
                }
            }
            System.out.printf("[bench] CDR Kafka sink, batches of %d: median %,.0f records/s; plain KafkaProducer "
                    + "median %,.0f records/s; the sink's share per round, median: %.0f %%%n", BATCH, median(sink),
                    median(plain), 100 * median(ratios));
        }
    }

    double sink(KafkaBroker broker, CamelContext camel, String topic, List<CallRecord> all) throws Exception {
        Path folder = tmp.resolve(topic);
        KafkaCallRecordSink sink = new KafkaCallRecordSink(broker.bootstrapServers(), topic, Map.of(),
                folder.resolve("journal"), new FileHarvestCheckpoints(folder.resolve("checkpoints")));
        sink.start();
        try {
            sink.send(batch(camel, 1, 0, all.subList(0, 1))); // connection, metadata and journal before the clock
            long t0 = System.nanoTime();
            for (int i = 1; i < all.size(); i += BATCH) {
                sink.send(batch(camel, 1, 1 + i / BATCH, all.subList(i, Math.min(all.size(), i + BATCH))));
            }
            return (all.size() - 1) * 1e9 / (System.nanoTime() - t0);
        } finally {
            sink.stop();
        }
    }

    static double plain(KafkaBroker broker, String topic, List<CallRecord> all) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        List<Header> headers = List.of(
                new RecordHeader(KafkaCallRecordSink.SOURCE_HEADER, bytes(KafkaCallRecordSinkTest.SOURCE)),
                new RecordHeader(KafkaCallRecordSink.RUN_HEADER, bytes("1")),
                new RecordHeader("content-type", bytes("application/json")));
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            // connection, metadata and a first record (the partitions' leaders settled) before the clock
            producer.send(new ProducerRecord<>(topic, all.get(0).key(), Json.MAPPER.writeValueAsBytes(all.get(0))))
                    .get();
            long t0 = System.nanoTime();
            for (CallRecord r : all.subList(1, all.size())) {
                producer.send(new ProducerRecord<>(topic, null, r.key(), Json.MAPPER.writeValueAsBytes(r), headers),
                        (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
            double rate = (all.size() - 1) * 1e9 / (System.nanoTime() - t0);
            if (failure.get() != null) {
                throw failure.get();
            }
            return rate;
        }
    }

    static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
