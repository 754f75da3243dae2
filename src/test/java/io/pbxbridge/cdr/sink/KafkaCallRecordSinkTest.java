package io.pbxbridge.cdr.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * The CDR Kafka sink against a real KRaft broker (one for the class, a topic per test): keyed JSON records, and no
 * key twice on the topic when an uncommitted run comes again, to a restarted sink or to the same one, with the
 * broker away in between.
 */
@Tag("kafka")
class KafkaCallRecordSinkTest {

    static final String SOURCE = "monema:127.0.0.1/acme";
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;
    static CamelContext camel;

    @TempDir
    Path tmp;
    String topic;
    FileHarvestCheckpoints checkpoints;
    List<KafkaCallRecordSink> sinks = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.inProcess(brokerDir.resolve("kafka")).start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        camel.close();
        broker.close();
    }

    @BeforeEach
    void topic(TestInfo test) {
        topic = "cdr-" + test.getTestMethod().orElseThrow().getName();
        broker.createTopic(topic, 3);
        checkpoints = new FileHarvestCheckpoints(tmp.resolve("checkpoints"));
    }

    @AfterEach
    void stopSinks() {
        sinks.forEach(KafkaCallRecordSink::stop);
    }

    /** Short timeouts: a broker that is away fails a batch within seconds (the others keep Kafka's defaults). */
    static Map<String, Object> shortTimeouts() {
        Map<String, Object> p = new HashMap<>();
        p.put("max.block.ms", 2000);
        p.put("request.timeout.ms", 1000);
        p.put("delivery.timeout.ms", 3000);
        p.put("default.api.timeout.ms", 3000);
        p.put("reconnect.backoff.max.ms", 200);
        p.put("retry.backoff.ms", 100);
        return p;
    }

    /** A new sink (as after a restart) over this test's journal folder and checkpoints. */
    KafkaCallRecordSink sink() {
        return sink(Map.of());
    }

    KafkaCallRecordSink sink(Map<String, Object> clientProperties) {
        KafkaCallRecordSink sink = new KafkaCallRecordSink(broker.bootstrapServers(), topic, clientProperties,
                tmp.resolve("journal"), checkpoints);
        sink.start();
        sinks.add(sink);
        return sink;
    }

    static CallRecord record(int i) {
        Instant start = T0.plusSeconds(60L * i);
        return new CallRecord(CallRecord.key("monema", "127.0.0.1/acme", Integer.toString(i)), "monema",
                "127.0.0.1/acme", "1714557600." + i, start, start.plusSeconds(5), start.plusSeconds(65), 65L, 60L,
                "0470" + i, "102", Direction.INBOUND, Disposition.ANSWERED, new BigDecimal("0.12"), "EUR", null,
                Map.of("id", i, "accountcode", 4711));
    }

    static List<CallRecord> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(KafkaCallRecordSinkTest::record).toList();
    }

    /** A batch as the cdr consumer emits it: batch {@code index} of run {@code run}. */
    static Exchange batch(CamelContext camel, long run, int index, List<CallRecord> records) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(records);
        e.getMessage().setHeader(CdrConstants.SOURCE, SOURCE);
        e.getMessage().setHeader(CdrConstants.RUN, run);
        e.getMessage().setHeader(CdrConstants.BACKFILL, false);
        e.setProperty(Exchange.BATCH_INDEX, index);
        return e;
    }

    /** The same, saying whether it is the run's last batch ({@link Exchange#BATCH_COMPLETE}), as the consumer does. */
    static Exchange batch(CamelContext camel, long run, int index, List<CallRecord> records, boolean last) {
        Exchange e = batch(camel, run, index, records);
        e.setProperty(Exchange.BATCH_COMPLETE, last);
        return e;
    }

    static void send(KafkaCallRecordSink sink, long run, int index, List<CallRecord> records) throws Exception {
        sink.send(batch(camel, run, index, records));
    }

    void commit(long run) throws Exception {
        checkpoints.commit(new HarvestCheckpoint(SOURCE, run, T0, Map.of(), Instant.now()));
    }

    /** Every record on the topic. */
    static List<ConsumerRecord<String, byte[]>> onTopic(KafkaBroker broker, String topic) throws Exception {
        long total = endOffsets(broker, topic).values().stream().mapToLong(Long::longValue).sum();
        List<ConsumerRecord<String, byte[]>> got = broker.consumeAll(topic, (int) total, Duration.ofSeconds(30));
        assertEquals(total, got.size(), "all records of " + topic + " read");
        return got;
    }

    static Map<Integer, Long> endOffsets(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<Integer, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        }
    }

    /** Asserts that the keys on the topic are those of records [0, n), each once. */
    static void assertEachKeyOnce(KafkaBroker broker, String topic, int n) throws Exception {
        Map<String, Long> counts = onTopic(broker, topic).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        Map<String, Long> twice = new HashMap<>(counts);
        twice.values().removeIf(c -> c == 1);
        assertEquals(Map.of(), twice, "keys on the topic more than once");
        assertEquals(records(0, n).stream().map(CallRecord::key).collect(Collectors.toSet()), counts.keySet());
    }

    KafkaRunJournal journal() throws IOException {
        return KafkaRunJournal.load(KafkaRunJournal.file(tmp.resolve("journal"), SOURCE));
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aRouteStepPutsKeyedJsonRecordsWithTheirSource() throws Exception {
        KafkaCallRecordSink sink = new KafkaCallRecordSink(broker.bootstrapServers(), topic, Map.of(),
                tmp.resolve("journal"), checkpoints);
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("cdrKafkaSink", sink);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:cdr").bean("cdrKafkaSink"); // no method named: the @Handler
                }
            });
            context.start();
            assertTrue(sink.isStarted(), "the bean step starts the sink");
            Exchange done = context.createProducerTemplate().send("direct:cdr",
                    e -> e.getIn().copyFrom(batch(context, 1, 0, records(0, 3)).getIn()));
            assertNull(done.getException());
        }
        assertTrue(sink.isStopped(), "stopped with its route");
        Map<String, ConsumerRecord<String, byte[]>> byKey = onTopic(broker, topic).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
        assertEquals(records(0, 3).stream().map(CallRecord::key).collect(Collectors.toSet()), byKey.keySet());
        ConsumerRecord<String, byte[]> r = byKey.get("monema:127.0.0.1/acme:2");
        JsonNode json = Json.MAPPER.readTree(r.value());
        assertEquals("monema:127.0.0.1/acme:2", json.get("key").asText());
        assertEquals("2024-05-01T10:02:00Z", json.get("start").asText());
        assertEquals("ANSWERED", json.get("disposition").asText());
        assertEquals(4711, json.get("raw").get("accountcode").asInt(), "the vendor's record is kept");
        assertEquals(record(2), Json.MAPPER.readValue(r.value(), CallRecord.class), "reads back as the record");
        assertEquals(SOURCE, header(r, KafkaCallRecordSink.SOURCE_HEADER));
        assertEquals("1", header(r, KafkaCallRecordSink.RUN_HEADER));
        assertEquals("application/json", header(r, "content-type"));
        assertNull(header(r, KafkaCallRecordSink.BACKFILL_HEADER));
        KafkaRunJournal journal = journal();
        assertEquals(1, journal.run());
        assertEquals(topic, journal.topic());
        assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L), journal.offsets(), "the topic's end before the first record");
    }

    @Test
    void aRestartedSinkDoesNotSendAgainWhatAnUncommittedRunPutOnTheTopic() throws Exception {
        KafkaCallRecordSink before = sink();
        send(before, 1, 0, records(0, 50));
        send(before, 1, 1, records(50, 80));
        before.stop(); // the process dies: run 1 never commits

        KafkaCallRecordSink after = sink();
        send(after, 1, 0, records(0, 50)); // the harvest runs 1 again, the same records
        send(after, 1, 1, records(50, 100));
        assertEachKeyOnce(broker, topic, 100);
        assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L), journal().offsets(), "the journal keeps the first offsets");

        commit(1);
        send(after, 2, 0, records(100, 120));
        assertEachKeyOnce(broker, topic, 120);
    }

    @Test
    void aBackfillsRecordsSaySo() throws Exception {
        Exchange backfill = batch(camel, 1, 0, records(0, 2));
        backfill.getMessage().setHeader(CdrConstants.BACKFILL, true);
        sink().send(backfill);
        List<ConsumerRecord<String, byte[]>> got = onTopic(broker, topic);
        assertEquals(2, got.size());
        got.forEach(r -> assertEquals("true", header(r, KafkaCallRecordSink.BACKFILL_HEADER)));
    }

    /** The broker creates the topic on the first record; the journal before it has no offsets: read from the start. */
    @Test
    void aRunReplayedOnATopicItCreatedReadsItFromTheStart() throws Exception {
        topic = topic + "-new";
        KafkaCallRecordSink before = sink();
        send(before, 1, 0, records(0, 30));
        assertEquals(Map.of(), journal().offsets(), "no topic, no offsets");
        before.stop();
        send(sink(), 1, 0, records(0, 40));
        assertEachKeyOnce(broker, topic, 40);
    }

    @Test
    void aCommittedRunsJournalIsReplacedWithoutReadingTheTopic() throws Exception {
        KafkaCallRecordSink sink = sink();
        send(sink, 1, 0, records(0, 10));
        commit(1);
        Map<Integer, Long> ends = endOffsets(broker, topic);

        // records 5..9 again: the harvest would have dropped them as the overlap's; a read-back would skip them
        send(sink(), 2, 0, records(5, 15));
        Map<String, Long> counts = onTopic(broker, topic).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertEquals(15, counts.size());
        assertEquals(5, counts.values().stream().filter(c -> c == 2).count(), "run 2 was sent as it came");
        KafkaRunJournal journal = journal();
        assertEquals(2, journal.run());
        assertEquals(ends, journal.offsets(), "run 2's journal: the topic's end after run 1");
    }

    @Test
    void anAttemptRetriedByTheSameSinkSkipsWhatTheFailedOneSent() throws Exception {
        KafkaCallRecordSink sink = sink();
        send(sink, 1, 0, records(0, 10));
        send(sink, 1, 1, records(10, 20));
        // a page of the vendor could not be read: run 1 ends, uncommitted, and starts again from its first batch
        send(sink, 1, 0, records(0, 15));
        send(sink, 1, 1, records(15, 30));
        assertEachKeyOnce(broker, topic, 30);
        assertEquals(1, journal().run());
    }

    /** Without batch numbers (a route that re-batches): a failed exchange still makes the next one read back. */
    @Test
    void aFailureLaterInTheRouteMakesTheNextBatchReadBack() throws Exception {
        KafkaCallRecordSink sink = sink();
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("cdrKafkaSink", sink);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:cdr").bean("cdrKafkaSink").process(e -> {
                        if (e.getIn().getHeader("failAfterKafka", false, Boolean.class)) {
                            throw new IllegalStateException("the next sink is down");
                        }
                    });
                }
            });
            context.start();
            Exchange failed = context.createProducerTemplate().send("direct:cdr", e -> {
                e.getIn().copyFrom(batch(context, 1, 0, records(0, 10)).getIn());
                e.getIn().setHeader("failAfterKafka", true);
            });
            assertTrue(failed.isFailed());
            Exchange retried = context.createProducerTemplate().send("direct:cdr",
                    e -> e.getIn().copyFrom(batch(context, 1, 0, records(0, 20)).getIn()));
            assertNull(retried.getException());
        }
        assertEachKeyOnce(broker, topic, 20);
    }

    @Test
    void aBrokerAwayFailsTheBatchClearlyAndTheRetrySendsEachKeyOnce() throws Exception {
        KafkaCallRecordSink sink = sink(shortTimeouts());
        send(sink, 1, 0, records(0, 10));
        broker.stop();
        try {
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> send(sink, 1, 1, records(10, 20)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 10_000, "failed within the delivery timeout: " + ms + " ms");
            assertTrue(e.getMessage().contains("topic " + topic + " at " + broker.bootstrapServers()), e.getMessage());
            assertTrue(e.getMessage().contains("did not acknowledge 10 of 10 call records of " + SOURCE + " run 1"),
                    e.getMessage());

            // the harvest tries run 1 again while the broker is still away: the read-back fails, nothing is sent
            IOException again = assertThrows(IOException.class, () -> send(sink, 1, 0, records(0, 20)));
            assertTrue(again.getMessage().contains("topic " + topic + " at " + broker.bootstrapServers()),
                    again.getMessage());
            assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L), journal().offsets(), "the journal is kept as it was");
        } finally {
            broker.start();
        }
        send(sink, 1, 0, records(0, 20));
        assertEachKeyOnce(broker, topic, 20);
        commit(1);
        send(sink, 2, 0, records(20, 25));
        assertEachKeyOnce(broker, topic, 25);
    }

    /**
     * A batch that is not its run's last returns without waiting for Kafka; a record of it that is not acknowledged
     * fails the run's last batch, so the run does not commit, and its retry sends each key once.
     */
    @Test
    void aRecordNotAcknowledgedInAnEarlierBatchFailsTheRunsLastBatch() throws Exception {
        KafkaCallRecordSink sink = sink(shortTimeouts());
        sink.send(batch(camel, 1, 0, records(0, 10), false));
        broker.stop();
        try {
            long t0 = System.nanoTime();
            sink.send(batch(camel, 1, 1, records(10, 20), false));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "a batch before the last does not wait");
            IOException e = assertThrows(IOException.class, () -> sink.send(batch(camel, 1, 2, List.of(), true)));
            assertTrue(e.getMessage().contains("did not acknowledge") && e.getMessage().contains(" call records of "
                    + SOURCE + " run 1"), e.getMessage());
        } finally {
            broker.start();
        }
        sink.send(batch(camel, 1, 0, records(0, 15), false));
        sink.send(batch(camel, 1, 1, records(15, 30), true));
        assertEachKeyOnce(broker, topic, 30);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() throws Exception {
        KafkaCallRecordSink sink = sink();
        Exchange noSource = batch(camel, 1, 0, records(0, 2));
        noSource.getMessage().removeHeader(CdrConstants.SOURCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sink.send(noSource));
        assertTrue(e.getMessage().contains(CdrConstants.SOURCE), e.getMessage());

        Exchange mixed = batch(camel, 1, 0, List.of());
        mixed.getMessage().setBody(List.of(record(0), "monema:127.0.0.1/acme:1"));
        e = assertThrows(IllegalArgumentException.class, () -> sink.send(mixed));
        assertTrue(e.getMessage().contains("element 1 of the batch is a java.lang.String, not a CallRecord"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("journal")), "no journal: nothing was about to be sent");
        assertEquals(0, onTopic(broker, topic).size());

        e = assertThrows(IllegalArgumentException.class, () -> new KafkaCallRecordSink(broker.bootstrapServers(),
                topic, Map.of("linger.ms", 5, "acks", "1"), tmp, checkpoints));
        assertTrue(e.getMessage().contains("acks=1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KafkaCallRecordSink(broker.bootstrapServers(),
                topic, Map.of("bootstrap.servers", "elsewhere:9092"), tmp, checkpoints));
        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }

    // a backfill lists again records of any age, of which the topic has most already: only those it does not have
    // are sent, marked as backfilled, also when the backfill takes the number of a live run that did not commit

    static void send(KafkaCallRecordSink sink, long run, int index, boolean backfill, List<CallRecord> records)
            throws Exception {
        Exchange e = batch(camel, run, index, records);
        e.getMessage().setHeader(CdrConstants.BACKFILL, backfill);
        sink.send(e);
    }

    @Test
    void aBackfillSendsOnlyTheRecordsTheTopicDoesNotHave() throws Exception {
        KafkaCallRecordSink sink = sink();
        send(sink, 1, 0, false, records(0, 10));
        commit(1);
        send(sink, 2, 0, true, records(0, 8));
        send(sink, 2, 1, true, records(8, 15));
        commit(2);

        assertEachKeyOnce(broker, topic, 15);
        Set<String> backfilled = onTopic(broker, topic).stream()
                .filter(r -> "true".equals(header(r, KafkaCallRecordSink.BACKFILL_HEADER)))
                .map(ConsumerRecord::key).collect(Collectors.toSet());
        assertEquals(records(10, 15).stream().map(CallRecord::key).collect(Collectors.toSet()), backfilled);
    }

    @Test
    void aBackfillAfterALiveRunThatDidNotCommitSkipsWhatEitherPutOnTheTopic() throws Exception {
        KafkaCallRecordSink sink = sink();
        send(sink, 1, 0, false, records(0, 10));
        commit(1);
        send(sink, 2, 0, false, records(10, 14)); // run 2 fails after this batch: no commit
        send(sink, 2, 0, true, records(0, 20)); // the backfill has the number of the run that did not commit
        commit(2);

        assertEachKeyOnce(broker, topic, 20);
    }
}
