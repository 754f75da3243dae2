package io.pbxbridge.cdr.sink;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings of the CDR sink: its own (brokers, an idempotent producer with {@code acks=all}, String
 * keys, byte[] values) and the operator's extra ones (security, batching, timeouts). The producer takes every extra
 * but those only a consumer knows; the read-back consumer takes the extras a consumer knows (security, timeouts)
 * but never a group: it reads with {@code assign}/{@code seek} and commits nothing.
 */
final class KafkaClientSettings {

    /** Set by the sink; an extra may not set them. */
    private static final Set<String> OWN = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    /** Consumer settings the read-back decides itself. */
    private static final Set<String> READ_BACK_OWN = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG);

    private final Properties producer = new Properties();
    private final Properties consumer = new Properties();

    /**
     * @param brokers bootstrap servers, {@code host:port,...}
     * @param extra   further client settings (Kafka's names), or null
     * @throws IllegalArgumentException for an extra the sink sets itself, or one that would weaken its delivery
     */
    KafkaClientSettings(String brokers, Map<String, ?> extra) {
        if (brokers == null || brokers.isBlank()) {
            throw new IllegalArgumentException("CDR Kafka sink: no brokers (bootstrap servers, host:port,...)");
        }
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "5"); // Kafka 4's default: full requests at no cost in latency
        if (extra != null) {
            extra.forEach(this::extra);
        }
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.trim());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.trim());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // an offset before the log start (retention) reads from the start: more than needed, never less
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    }

    private void extra(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("CDR Kafka sink: client property " + key + " has no value");
        }
        String v = value.toString().trim();
        if (OWN.contains(key)) {
            throw new IllegalArgumentException("CDR Kafka sink: client property " + key + " is the sink's own "
                    + "(brokers, serializers; no transactions), leave it out");
        }
        if (key.equals(ProducerConfig.ACKS_CONFIG) && !v.equals("all") && !v.equals("-1")
                || key.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG) && !v.equalsIgnoreCase("true")) {
            throw new IllegalArgumentException("CDR Kafka sink: client property " + key + "=" + v + " would let a "
                    + "call record be lost or written twice; the sink sends with acks=all and idempotence");
        }
        boolean consumerOnly = ConsumerConfig.configNames().contains(key)
                && !ProducerConfig.configNames().contains(key);
        if (!consumerOnly) {
            producer.put(key, v);
        }
        if (ConsumerConfig.configNames().contains(key) && !READ_BACK_OWN.contains(key)) {
            consumer.put(key, v);
        }
    }

    /** A copy of the producer's settings. */
    Properties producer() {
        Properties p = new Properties();
        p.putAll(producer);
        return p;
    }

    /** A copy of the read-back consumer's settings. */
    Properties consumer() {
        Properties p = new Properties();
        p.putAll(consumer);
        return p;
    }

    /** How long the read-back waits for the broker before it gives up: the consumer's default API timeout. */
    long readTimeoutMillis() {
        Object v = consumer.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        try {
            return v == null ? 60_000 : Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CDR Kafka sink: client property "
                    + ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG + " must be milliseconds, not '" + v + "'");
        }
    }
}
