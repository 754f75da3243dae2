package io.pbxbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.escaux.SimChannel;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.Postgres;

/**
 * Commands from Kafka on two instances of pbx-bridge, each a JVM of its own, one consumer group on a topic of four
 * partitions, the ledger in PostgreSQL: 100 click-to-dials to the Escaux simulator (each to a number of its own, so
 * the simulator's calls say which command placed them), the SOP taking 100 ms to answer each. Both instances execute
 * some (the ledger's owner of each command says which); one is killed with SIGKILL midway, its partitions move to the
 * other, which answers what the dead one had executed from the ledger and what it was executing {@code unknown}, once
 * the dead one's heartbeat in the ledger is older than {@code commands.owner-timeout}, not after
 * {@code commands.stale-after} (left at its 5 minutes). Every command has one result (published again, byte for byte,
 * when redelivered), and no call is placed twice.
 */
class CommandsSpreadTest {

    static final int COMMANDS = 100;
    static final int PARTITIONS = 4;
    static final String GROUP = "pbx-bridge-commands";
    static final Duration OWNER_TIMEOUT = Duration.ofSeconds(3);
    static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final Postgres pg = Postgres.perTestClass();
    @TempDir
    Path tmp;
    @AutoClose
    KafkaBroker kafka;
    @AutoClose
    EscauxSimulator escaux;
    @AutoClose
    ClusterInstances cluster;

    @Test
    void commandsSpreadOverTheInstancesAndEachIsExecutedOnceThroughAKill() throws Exception {
        kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
        kafka.createTopic("pbx-commands", PARTITIONS);
        kafka.createTopic("pbx-command-results", PARTITIONS);
        kafka.createTopic("pbx-commands-dead-letter", 1);
        escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).build().start();
        for (int i = 0; i < 2 * COMMANDS; i++) {
            escaux.faults().delayNext("ccOriginate", Duration.ofMillis(100)); // placed at once, answered 100 ms later
        }
        String schema = "cluster_commands";
        cluster = new ClusterInstances(tmp).withEscaux(escaux)
                .with("commands.kafka.enabled", "true")
                .with("commands.kafka.brokers", kafka.bootstrapServers())
                .with("commands.kafka.consumers", "2")
                .with("commands.store", "postgres")
                .with("commands.postgres.url", pg.createSchema(schema))
                .with("commands.postgres.user", Postgres.USER)
                .with("commands.heartbeat", "1s")
                .with("commands.owner-timeout", OWNER_TIMEOUT.toSeconds() + "s")
                // the broker hands a dead member's partitions over once its session has timed out
                .with("commands.kafka.session-timeout", "6000")
                .with("commands.kafka.heartbeat-interval", "1000");
        Instance a = cluster.instance("a").start();
        Instance b = cluster.instance("b").start();
        Await.until(WAIT, "both ready", () -> a.readiness() == 200 && b.readiness() == 200);
        Await.until(WAIT, "four consumers in the group, a partition each", () -> consumersWithAPartition() == 4);

        Map<String, Integer> partitionOf = new HashMap<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < COMMANDS; i++) {
                String id = id(i);
                // keyed by the command: spread over the partitions
                partitionOf.put(id, producer.send(new ProducerRecord<>("pbx-commands", id, dial(id, number(i))))
                        .get().partition());
            }
        }
        Await.until(WAIT, "a third of the commands answered", () -> done() >= COMMANDS / 3);
        Map<String, String> ownersBefore = owners();
        long killed = System.currentTimeMillis();
        a.kill();
        Set<Integer> partitionsOfA = ownersBefore.entrySet().stream().filter(e -> e.getValue().equals("a"))
                .map(e -> partitionOf.get(e.getKey())).collect(Collectors.toSet());
        Await.until(WAIT, () -> "every command answered: " + done() + " of " + COMMANDS, () -> done() == COMMANDS);

        List<ConsumerRecord<String, byte[]>> results = kafka.consumeAll("pbx-command-results", COMMANDS, WAIT);
        Thread.sleep(2000); // late duplicates, should any come
        results = kafka.consumeAll("pbx-command-results", Integer.MAX_VALUE, Duration.ofSeconds(5));
        Map<String, List<String>> byId = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : results) {
            byId.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.UTF_8));
        }
        Map<String, Long> originates = escaux.channels().stream().filter(c -> c.id().startsWith("SIP/SDB20001"))
                .collect(Collectors.groupingBy(SimChannel::extension, Collectors.counting()));
        Map<String, String> owners = owners();
        Map<String, Long> byInstance = owners.values().stream().collect(Collectors.groupingBy(o -> o,
                Collectors.counting()));
        Map<String, Long> byStatus = new TreeMap<>();
        long takeover = Long.MAX_VALUE;
        List<String> unknown = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : results) {
            JsonNode result = Json.MAPPER.readTree(r.value());
            if (result.path("status").asText().equals("unknown")) {
                unknown.add(r.key());
            }
            if (r.timestamp() > killed && partitionsOfA.contains(partitionOf.get(r.key()))) {
                takeover = Math.min(takeover, r.timestamp() - killed);
            }
        }
        byId.values().forEach(answers -> byStatus.merge(status(answers.get(0)), 1L, Long::sum));
        System.out.printf("CommandsSpreadTest: %d commands, executed (claimed) per instance %s (a killed after %d "
                + "answers), results %s, %d results published for %d commands (repeats of a recorded result: %d); "
                + "ccOriginate %d; a's partitions %s answered by b %d ms after the kill%n", COMMANDS, byInstance,
                ownersBefore.size(), byStatus, results.size(), byId.size(), results.size() - byId.size(),
                escaux.requestCount("ccOriginate"), partitionsOfA, takeover);

        assertTrue(ownersBefore.containsValue("a") && ownersBefore.containsValue("b"), "both executed some before "
                + "the kill: " + ownersBefore);
        assertEquals(COMMANDS, byId.size(), "a result for each command");
        for (int i = 0; i < COMMANDS; i++) {
            String id = id(i);
            List<String> answers = byId.get(id);
            assertEquals(1, answers.stream().distinct().count(), id + ": one result, repeated as it is: " + answers);
            String status = status(answers.get(0));
            long placed = originates.getOrDefault(number(i), 0L);
            if (status.equals("unknown")) {
                assertTrue(placed <= 1, id + " placed " + placed + " times");
                assertTrue(answers.get(0).contains("instance a gave no sign of life for "),
                        "b answered the command a was executing once a was silent: " + answers.get(0));
            } else {
                assertEquals("ok", status, answers.get(0));
                assertEquals(1, placed, id + " placed once");
            }
        }
        assertTrue(unknown.size() <= 2, "unknown at most what a's two consumers were executing: " + unknown);
        assertEquals(escaux.requestCount("ccOriginate"), originates.values().stream().mapToLong(Long::longValue)
                .sum(), "the SOP was asked for no call it did not place");
        assertTrue(takeover < 20_000, "b took a's partitions over: " + takeover + " ms");
    }

    static String id(int i) {
        return String.format("dial-%03d", i);
    }

    /** The number command {@code i} dials: the simulator's call to it is that command's. */
    static String number(int i) {
        return String.format("0032475%06d", i);
    }

    static String dial(String id, String to) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"test/cluster\","
                + "\"type\":\"pbx.command.dial\",\"data\":{\"target\":\"escaux/main\","
                + "\"params\":{\"from\":\"SDB20001\",\"to\":\"" + to + "\"}}}";
    }

    static String status(String result) {
        try {
            return Json.MAPPER.readTree(result).path("status").asText();
        } catch (Exception e) {
            throw new AssertionError(result, e);
        }
    }

    KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** The members of the command consumer group that have a partition, once the group is stable. */
    int consumersWithAPartition() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                    .get(10, TimeUnit.SECONDS);
            if (group.state() != ConsumerGroupState.STABLE) {
                return 0;
            }
            return (int) group.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        } catch (Exception e) {
            return 0;
        }
    }

    /** The commands the ledger has a result of. */
    long done() {
        try {
            return pg.queryLong("SELECT count(*) FROM cluster_commands.pbx_command WHERE state = 'DONE'");
        } catch (IllegalStateException e) {
            return 0; // no table before the first command
        }
    }

    /** Each answered command's claimer, by instance name (the owner is {@code <instance>/<boot>}). */
    Map<String, String> owners() throws Exception {
        Map<String, String> owners = new TreeMap<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, owner FROM cluster_commands.pbx_command WHERE state = 'DONE'")) {
            while (rs.next()) {
                String owner = rs.getString(2);
                owners.put(rs.getString(1), owner.substring(0, owner.lastIndexOf('/')));
            }
        }
        return owners;
    }
}
