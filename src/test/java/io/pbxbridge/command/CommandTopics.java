package io.pbxbridge.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * The command topics of a test broker, by their default names: the test sends commands ({@link #send}) and reads
 * what pbx-bridge answers, the result topic and the dead-letter topic, each read from its start by a consumer of
 * its own (no consumer group) for the whole test, so that waiting for an answer costs no group join.
 */
final class CommandTopics implements AutoCloseable {

    static final String COMMANDS = "pbx-commands";
    static final String RESULTS = "pbx-command-results";
    static final String DEAD_LETTERS = "pbx-commands-dead-letter";

    private final KafkaProducer<String, byte[]> producer;
    final Reader results;
    final Reader deadLetters;

    /** Creates the topics ({@code partitions} for commands and results) and starts reading the answers. */
    CommandTopics(KafkaBroker kafka, int partitions) {
        kafka.createTopic(COMMANDS, partitions);
        kafka.createTopic(RESULTS, partitions);
        kafka.createTopic(DEAD_LETTERS, 1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1000000");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        results = new Reader(kafka, RESULTS, partitions);
        deadLetters = new Reader(kafka, DEAD_LETTERS, 1);
    }

    /** Sends a command, keyed (the target or the call), and waits until the broker has it. */
    void send(String key, byte[] value) {
        send(null, key, value);
    }

    void send(String key, CommandApp.Cmd command) {
        send(null, key, command.bytes());
    }

    /** Sends to a partition of its own choosing ({@code null}: by key). */
    void send(Integer partition, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(COMMANDS, partition, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("command not sent", e);
        }
    }

    /** The result of command {@code id}: the first one published, once it is there. */
    JsonNode result(String id) {
        return CommandApp.json(results.await(id, 1).get(0).value());
    }

    /** The results published for {@code id}, once there are {@code n}, as text. */
    List<String> results(String id, int n) {
        return results.await(id, n).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        results.close();
        deadLetters.close();
    }

    /** Every record of a topic from its start, collected by a thread of its own as they arrive. */
    static final class Reader implements AutoCloseable {
        final String topic;
        final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Reader(KafkaBroker kafka, String topic, int partitions) {
            this.topic = topic;
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> all = java.util.stream.IntStream.range(0, partitions)
                    .mapToObj(i -> new TopicPartition(topic, i)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            thread = new Thread(this::poll, "read-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        private void poll() {
            try {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ZERO);
            }
        }

        /** The records keyed {@code key} so far. */
        List<ConsumerRecord<String, byte[]>> byKey(String key) {
            return records.stream().filter(r -> key.equals(r.key())).toList();
        }

        /** Waits until there are {@code n} records keyed {@code key}; returns them all. */
        List<ConsumerRecord<String, byte[]>> await(String key, int n) {
            Await.until(CommandApp.WAIT, () -> n + " record(s) keyed " + key + " on " + topic + ", got " + byKey(key)
                    .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList(),
                    () -> byKey(key).size() >= n);
            return byKey(key);
        }

        /** The value of header {@code name} of a record, as text, or null. */
        static String header(ConsumerRecord<?, ?> r, String name) {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
