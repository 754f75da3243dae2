package io.pbxbridge.cdr.sink;

import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.SOURCE;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.assertEachKeyOnce;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.header;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.onTopic;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.records;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * A backfill into the CDR Kafka sink: it lists again records of any age, of which the topic has most already; only
 * those it does not have are sent, marked as backfilled, also when the backfill takes the number of a live run that
 * did not commit.
 */
@Tag("kafka")
class KafkaCallRecordSinkBackfillTest {

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;
    static CamelContext camel;

    @TempDir
    Path tmp;
    String topic;
    FileHarvestCheckpoints checkpoints;
    KafkaCallRecordSink sink;

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
    void start(TestInfo test) {
        topic = "cdr-" + test.getTestMethod().orElseThrow().getName();
        broker.createTopic(topic, 3);
        checkpoints = new FileHarvestCheckpoints(tmp.resolve("checkpoints"));
        sink = new KafkaCallRecordSink(broker.bootstrapServers(), topic, Map.of(), tmp.resolve("journal"),
                checkpoints);
        sink.start();
    }

    @AfterEach
    void stop() {
        sink.stop();
    }

    void send(long run, int index, boolean backfill, List<CallRecord> records) throws Exception {
        Exchange e = KafkaCallRecordSinkTest.batch(camel, run, index, records);
        e.getMessage().setHeader(io.pbxbridge.cdr.CdrConstants.BACKFILL, backfill);
        sink.send(e);
    }

    void commit(long run) throws Exception {
        checkpoints.commit(new HarvestCheckpoint(SOURCE, run, Instant.now(), Map.of(), Instant.now()));
    }

    @Test
    void aBackfillSendsOnlyTheRecordsTheTopicDoesNotHave() throws Exception {
        send(1, 0, false, records(0, 10));
        commit(1);
        send(2, 0, true, records(0, 8));
        send(2, 1, true, records(8, 15));
        commit(2);

        assertEachKeyOnce(broker, topic, 15);
        Set<String> backfilled = onTopic(broker, topic).stream()
                .filter(r -> "true".equals(header(r, KafkaCallRecordSink.BACKFILL_HEADER)))
                .map(ConsumerRecord::key).collect(Collectors.toSet());
        assertEquals(records(10, 15).stream().map(CallRecord::key).collect(Collectors.toSet()), backfilled);
    }

    @Test
    void aBackfillAfterALiveRunThatDidNotCommitSkipsWhatEitherPutOnTheTopic() throws Exception {
        send(1, 0, false, records(0, 10));
        commit(1);
        send(2, 0, false, records(10, 14)); // run 2 fails after this batch: no commit
        send(2, 0, true, records(0, 20)); // the backfill has the number of the run that did not commit
        commit(2);

        assertEachKeyOnce(broker, topic, 20);
    }
}
