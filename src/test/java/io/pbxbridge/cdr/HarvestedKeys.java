package io.pbxbridge.cdr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.pbxbridge.testsupport.Postgres;

/**
 * The call-record keys each CDR sink holds, counted (a key held twice counts 2), read the way a user of that store
 * reads it: the PostgreSQL table, every CSV file under the sink's folder (parsed as RFC 4180, independently of the
 * sink's own code), the Kafka topic from its beginning to its end. And the comparison of one of them with the keys the
 * simulators hold, in words: what is missing, what is extra, what is there twice.
 */
public final class HarvestedKeys {

    static final String CSV_HEADER = "key,vendor,source,callId,start,answer,end,duration,billsec,from,to,direction,"
            + "disposition,cost,currency,recording";
    private static final int CSV_COLUMNS = CSV_HEADER.split(",").length;

    private HarvestedKeys() {
    }

    /** The keys of {@code table}, by count. */
    public static Map<String, Integer> postgres(Postgres pg, String table) throws SQLException {
        Map<String, Integer> keys = new TreeMap<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key FROM " + table)) {
            while (rs.next()) {
                keys.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        return keys;
    }

    /**
     * The first column of every record of every {@code .csv} file under {@code folder}, by count; a file that is not
     * whole CSV (no header, a record of another number of fields, an open quote at its end) fails.
     */
    public static Map<String, Integer> csv(Path folder) throws IOException {
        Map<String, Integer> keys = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return keys;
        }
        List<Path> files;
        try (Stream<Path> tree = Files.walk(folder)) {
            files = tree.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        for (Path file : files) {
            List<List<String>> records = parseCsv(Files.readString(file, StandardCharsets.UTF_8), file);
            if (records.isEmpty() || !String.join(",", records.get(0)).equals(CSV_HEADER)) {
                throw new AssertionError(file + " does not start with the header row " + CSV_HEADER);
            }
            for (int i = 1; i < records.size(); i++) {
                List<String> r = records.get(i);
                if (r.size() != CSV_COLUMNS) {
                    throw new AssertionError(file + ": record " + i + " has " + r.size() + " fields, not "
                            + CSV_COLUMNS + ": " + r);
                }
                keys.merge(r.get(0), 1, Integer::sum);
            }
        }
        return keys;
    }

    /** RFC 4180: CRLF between records (the last one ends with it too), quoted fields with doubled quotes. */
    static List<List<String>> parseCsv(String text, Path file) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                i++;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i += 2;
            } else {
                field.append(c);
                i++;
            }
        }
        if (quoted || !field.isEmpty() || !record.isEmpty()) {
            throw new AssertionError(file + " ends with a record cut short: " + record + " " + field);
        }
        return records;
    }

    /** The message keys of {@code topic}, every partition from its beginning to its end now, by count. */
    static Map<String, Integer> kafka(String brokers, String topic, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "harvested-keys-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<String, Integer> keys = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " not read to its end " + end + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.merge(r.key(), 1, Integer::sum));
            }
        }
        return keys;
    }

    /**
     * What is wrong with {@code got} (a sink's keys by count) next to {@code expected} (the simulators' keys), or
     * null when it holds each expected key once and nothing else.
     */
    public static String problems(String sink, Collection<String> expected, Map<String, Integer> got) {
        Set<String> want = new TreeSet<>(expected);
        Set<String> missing = new TreeSet<>(want);
        missing.removeAll(got.keySet());
        Set<String> extra = new TreeSet<>(got.keySet());
        extra.removeAll(want);
        Map<String, Integer> twice = got.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        if (missing.isEmpty() && extra.isEmpty() && twice.isEmpty()) {
            return null;
        }
        return sink + " (" + got.values().stream().mapToInt(Integer::intValue).sum() + " records, " + got.size()
                + " keys; the simulators hold " + want.size() + "): " + missing.size() + " missing " + sample(missing)
                + ", " + extra.size() + " extra " + sample(extra) + ", " + twice.size() + " more than once "
                + sample(twice.entrySet());
    }

    private static String sample(Collection<?> items) {
        return items.stream().limit(10).map(String::valueOf)
                .collect(Collectors.joining(", ", "[", items.size() > 10 ? ", ...]" : "]"));
    }
}
