package io.pbxbridge.cdr.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the CDR topic for the sink's journal: its end offsets when a run begins, and after a run that did not commit,
 * the keys its source put on the topic since, so that the replay does not send them again. Each call has a consumer
 * of its own (no group, nothing committed, values never decoded), closed at once: it serves once per run, and
 * sources run in parallel.
 */
final class KafkaReadBack {

    private final KafkaClientSettings settings;
    private final String topic;
    private final String brokers;
    private final Duration timeout;

    KafkaReadBack(KafkaClientSettings settings, String topic, String brokers) {
        this.settings = settings;
        this.topic = topic;
        this.brokers = brokers;
        this.timeout = Duration.ofMillis(settings.readTimeoutMillis());
    }

    /** Partition to end offset now (none when the topic does not exist yet). */
    Map<Integer, Long> endOffsets() throws IOException {
        try (KafkaConsumer<String, Void> consumer = consumer()) {
            Map<Integer, Long> ends = new TreeMap<>();
            ends(consumer).forEach((tp, end) -> ends.put(tp.partition(), end));
            return ends;
        } catch (KafkaException e) {
            throw failure("cannot read the end offsets of", e);
        }
    }

    /**
     * The keys of {@code source}'s records from {@code from} (partition to offset; a partition not in it from its
     * start) to the end: those with the sink's source header, or without one, a key {@code <source>:...}.
     */
    Set<String> keysOf(String source, Map<Integer, Long> from) throws IOException {
        byte[] sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        String keyPrefix = source + ":";
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, Void> consumer = consumer()) {
            Map<TopicPartition, Long> ends = ends(consumer);
            Map<TopicPartition, Long> left = new HashMap<>();
            Map<TopicPartition, Long> starts = new HashMap<>();
            ends.forEach((tp, end) -> {
                long start = from.getOrDefault(tp.partition(), 0L);
                // beyond the end: the topic was deleted and created again since; all of it is after the journal
                start = start > end ? 0 : start;
                if (start < end) {
                    left.put(tp, end);
                    starts.put(tp, start);
                }
            });
            consumer.assign(left.keySet());
            starts.forEach(consumer::seek);
            long lastProgress = System.nanoTime();
            while (!left.isEmpty()) {
                boolean progress = false;
                for (ConsumerRecord<String, Void> r : consumer.poll(Duration.ofMillis(200))) {
                    progress = true;
                    Long end = left.get(new TopicPartition(r.topic(), r.partition()));
                    if (end != null && r.offset() < end && r.key() != null
                            && isOf(r.headers(), r.key(), sourceBytes, keyPrefix)) {
                        keys.add(r.key());
                    }
                }
                List<TopicPartition> done = left.entrySet().stream()
                        .filter(e -> consumer.position(e.getKey(), timeout) >= e.getValue()).map(Map.Entry::getKey)
                        .toList();
                done.forEach(left::remove);
                consumer.pause(done);
                if (progress || !done.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                    throw new IOException("CDR Kafka sink: reading back topic " + topic + " at " + brokers
                            + " made no progress for " + timeout.toMillis() + " ms; still to read: " + left);
                }
            }
        } catch (KafkaException e) {
            throw failure("cannot read back", e);
        }
        return keys;
    }

    private static boolean isOf(Headers headers, String key, byte[] source, String keyPrefix) {
        Header h = headers.lastHeader(KafkaCallRecordSink.SOURCE_HEADER);
        return h != null ? Arrays.equals(h.value(), source) : key.startsWith(keyPrefix);
    }

    private Map<TopicPartition, Long> ends(KafkaConsumer<String, Void> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        return partitions.isEmpty() ? Map.of() : consumer.endOffsets(partitions, timeout);
    }

    private IOException failure(String what, KafkaException e) {
        return new IOException("CDR Kafka sink: " + what + " topic " + topic + " at " + brokers + " ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }

    private KafkaConsumer<String, Void> consumer() {
        return new KafkaConsumer<>(settings.consumer(), new StringDeserializer(), IGNORED);
    }

    /** The values are not needed: not even copied out of the fetched buffers. */
    private static final Deserializer<Void> IGNORED = new Deserializer<>() {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, Headers headers, ByteBuffer data) {
            return null;
        }
    };
}
