package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.NumberedCalls;

/**
 * The Kafka sink against a real KRaft broker: 10,000 events from the Escaux simulator's socket, keyed by call, with
 * the broker stopped in the middle of the stream and started again. Every event must arrive (ids and payloads
 * checked), in per-call order, with duplicates (if any) few and recognisable by event id.
 */
@Tag("kafka")
class KafkaForwardingTest {

    static final String TOPIC = "pbx-events";
    static final int EVENTS = 10_000;
    static final int CALLS = 200;

    @TempDir
    Path tmp;
    KafkaBroker broker;
    EscauxSimulator escaux;
    EventAppHarness app;

    @BeforeEach
    void setUp() {
        broker = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
        broker.createTopic(TOPIC, 3);
        escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).build().start();
        app = new EventAppHarness(tmp, escaux)
                .with("events.ndjson.enabled", "false")
                .with("events.kafka.enabled", "true")
                .with("events.kafka.brokers", broker.bootstrapServers())
                .with("events.kafka.topic", TOPIC);
    }

    @AfterEach
    void tearDown() {
        app.close();
        escaux.stop();
        broker.close();
    }

    /** Event i: the first of a call is evNewOrigChannel, the rest evParked; each carries its number as Seq. */
    static String event(int i) {
        int call = i % CALLS;
        String channel = "SIP/trunk-" + call;
        return i < CALLS
                ? "<evNewOrigChannel><Channel>" + channel + "</Channel><CallerId>+32220" + (10000 + call)
                        + "</CallerId><Extension>102</Extension><Seq>" + i + "</Seq></evNewOrigChannel>"
                : "<evParked><Channel>" + channel + "</Channel><ParkSlot>70" + (i % 10) + "</ParkSlot><Seq>" + i
                        + "</Seq></evParked>";
    }

    /** Emits the stream at about 2,500 events/s, running {@code atMiddle} when half is out. */
    void emitAll(Runnable atMiddle) throws InterruptedException {
        for (int i = 0; i < EVENTS; i++) {
            escaux.emit(event(i));
            if (i == EVENTS / 2) {
                atMiddle.run();
            }
            if (i % 250 == 249) {
                Thread.sleep(100);
            }
        }
    }

    @Test
    void brokerStoppedMidStreamLosesNothingAndKeepsPerCallOrder() throws Exception {
        app.start();
        Await.until(Duration.ofSeconds(30), "the event socket connected", () -> escaux.eventClients() == 1);
        emitAll(() -> {
            broker.stop();
            new Thread(() -> {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                broker.start(); // same port and log dir, about 2 s later
            }).start();
        });
        verify(broker.consumeAll(TOPIC, EVENTS, Duration.ofSeconds(120)));
    }

    @Test
    void outageLongerThanTheRequestTimeoutWaitsInTheSpoolInOrder() throws Exception {
        app.with("events.kafka.request-timeout-ms", "1500").with("events.kafka.linger-ms", "5").start();
        Await.until(Duration.ofSeconds(30), "the event socket connected", () -> escaux.eventClients() == 1);
        emitAll(broker::stop);
        // the broker stays down until the stream has ended and the spool holds every event (steady for 4 s)
        long[] last = { -1 };
        long[] steadySince = { System.nanoTime() };
        Await.until(Duration.ofSeconds(60), "the spool steady while the broker is down", () -> {
            long n = spooled();
            if (n != last[0]) {
                last[0] = n;
                steadySince[0] = System.nanoTime();
            }
            return n > 0 && System.nanoTime() - steadySince[0] > 4_000_000_000L;
        });
        long spooledWhileDown = spooled();
        broker.start();
        List<ConsumerRecord<String, byte[]>> records = broker.consumeAll(TOPIC, EVENTS, Duration.ofSeconds(120));
        verify(records);
        Await.until(Duration.ofSeconds(30), "the spool drained", () -> spooled() == 0);
        System.out.println("KafkaForwardingTest: " + spooledWhileDown + " events were spooled during the outage");
    }

    /**
     * Kafka goes down mid-stream and pbx-bridge is stopped gracefully while the events it took wait for it: the stop
     * ends within its budget, nothing is lost, and after a restart with Kafka back every event is on the topic, in
     * per-call order, with sequence numbers that only grow (the calls go on after the restart).
     */
    @Test
    void gracefulStopWhileKafkaIsDownLosesNothing() throws Exception {
        app.start();
        Await.until(Duration.ofSeconds(30), "the event socket connected", () -> escaux.eventClients() == 1);
        for (int i = 0; i < 1200; i++) {
            escaux.emit(NumberedCalls.event("stop", i));
            if (i == 300) {
                broker.stop();
            }
            if (i % 20 == 19) {
                Thread.sleep(20);
            }
        }
        Await.until(Duration.ofSeconds(30), () -> "the 1200 events taken: " + spooled() + " spooled, "
                + guard().delivered() + " delivered", () -> spooled() + guard().delivered() >= 1200);
        long t0 = System.nanoTime();
        int connections = escaux.eventConnections();
        app.stop();
        double stopSeconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(stopSeconds < 15, "the stop ended within camel.main.shutdown-timeout: " + stopSeconds + " s");
        broker.start();
        app.start();
        Await.until(Duration.ofSeconds(30), "connected again", () -> escaux.eventConnections() > connections);
        // the same calls go on after the restart: 1200..1499 continue the calls of 900..1199
        for (int i = 1200; i < 1500; i++) {
            escaux.emit(NumberedCalls.eventFor(NumberedCalls.call("stop", i - 300), i));
        }
        Await.until(Duration.ofSeconds(60), () -> "the spool drained: " + spooled(), () -> spooled() == 0);
        List<NumberedCalls.Delivery> got = broker.consumeAll(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(4))
                .stream().map(NumberedCalls::fromKafka).toList();
        NumberedCalls.Report report = NumberedCalls.check(java.util.stream.IntStream.range(0, 1500).boxed().toList(),
                got);
        System.out.println("KafkaForwardingTest graceful stop with Kafka down: stopped in " + stopSeconds + " s; "
                + report);
        assertEquals(List.of(), report.lost(), report.toString());
        assertEquals(List.of(), report.outOfOrder(), report.toString());
        assertEquals(List.of(), report.sequenceRepeats(), report.toString());
    }

    /**
     * pbx-bridge starts with a spool of more than two disk batches while Kafka is down: the sink hands the first batch
     * to the client and, while the client cannot take it, the second one too. Both fail; neither may leave the spool,
     * and once Kafka is back every event is on the topic, in per-call order. (The second batch's settlement used to
     * acknowledge the spool up to its own start, past the failed first batch: those 2,048 events were lost.)
     */
    @Test
    void aFailedBatchStaysInTheSpoolWhileTheNextOneIsInFlight() throws Exception {
        app.start();
        Await.until(Duration.ofSeconds(30), "the event socket connected", () -> escaux.eventClients() == 1);
        escaux.emit(NumberedCalls.event("backlog", 0));
        Await.until(Duration.ofSeconds(30), "the first event delivered", () -> guard().delivered() == 1);
        broker.stop();
        int events = 4500; // more than two of the spool's disk batches (2,048)
        for (int i = 1; i < events; i++) {
            escaux.emit(NumberedCalls.event("backlog", i));
        }
        Await.until(Duration.ofSeconds(30), () -> "the events spooled: " + spooled(), () -> spooled() == events - 1);
        app.stop();
        app.start(); // Kafka still down: the backlog is read from disk, batch after batch
        Await.until(Duration.ofSeconds(30), "the sink down", () -> guard().failedAttempts() >= 2);
        broker.start();
        Await.until(Duration.ofSeconds(60), () -> "the spool drained: " + spooled(), () -> spooled() == 0);
        List<NumberedCalls.Delivery> got = broker.consumeAll(TOPIC, events, Duration.ofSeconds(30)).stream()
                .map(NumberedCalls::fromKafka).toList();
        NumberedCalls.Report report = NumberedCalls.check(java.util.stream.IntStream.range(0, events).boxed()
                .toList(), got);
        assertEquals(List.of(), report.lost(), report.toString());
        assertEquals(List.of(), report.outOfOrder(), report.toString());
    }

    SinkGuard guard() {
        return app.main.getCamelContext().getRegistry().findByType(SinkGuard.class).stream()
                .filter(g -> "kafka".equals(g.getSink())).findFirst().orElseThrow();
    }

    long spooled() {
        return app.main.getCamelContext().getRegistry().findByType(SinkGuard.class).stream()
                .filter(g -> "kafka".equals(g.getSink())).mapToLong(SinkGuard::spooled).sum();
    }

    static void verify(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        Set<String> ids = new HashSet<>();
        Set<Integer> seqs = new HashSet<>();
        Map<String, Integer> lastSeqPerCall = new HashMap<>();
        Map<String, Long> lastCeSequencePerCall = new LinkedHashMap<>();
        int duplicates = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            String id = header(r, "ce_id");
            if (!ids.add(id)) {
                duplicates++;
                continue;
            }
            JsonNode data = Json.MAPPER.readTree(r.value());
            int seq = data.get("details").get("Seq").asInt();
            seqs.add(seq);
            assertEquals(data.get("callId").asText(), r.key(), "keyed by call");
            assertEquals(r.key(), header(r, "ce_subject"));
            assertTrue(header(r, "ce_type").startsWith("pbx.call."), header(r, "ce_type"));
            assertEquals("1.0", header(r, "ce_specversion"));
            // the CloudEvents Kafka binding and nothing else: no transport headers of the source
            assertEquals(BINDING, java.util.Arrays.stream(r.headers().toArray()).map(Header::key).sorted(HEADER_ORDER).toList());
            assertEquals(java.time.Instant.parse(data.get("timestamp").asText()),
                    java.time.Instant.parse(header(r, "ce_time")));
            Integer previous = lastSeqPerCall.put(r.key(), seq);
            assertTrue(previous == null || previous < seq, "per-call order of " + r.key() + ": " + previous + " then "
                    + seq);
            long ceSeq = Long.parseLong(header(r, "ce_sequence"));
            Long previousCe = lastCeSequencePerCall.put(r.key(), ceSeq);
            assertTrue(previousCe == null || previousCe < ceSeq, "ce_sequence grows within " + r.key());
        }
        assertEquals(EVENTS, ids.size(), "every event arrived once at least (" + records.size() + " records)");
        assertEquals(EVENTS, seqs.size(), "every emitted event is among them");
        assertTrue(duplicates <= EVENTS / 10, "duplicates are bounded: " + duplicates);
        System.out.println("KafkaForwardingTest: " + records.size() + " records, " + duplicates + " duplicates");
    }

    private static final List<String> BINDING = List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
            "ce_subject", "ce_sequence", "ce_sequencetype", "ce_pbxvendor", "content-type");
    private static final java.util.Comparator<String> HEADER_ORDER = java.util.Comparator
            .comparingInt((String k) -> BINDING.indexOf(k) < 0 ? Integer.MAX_VALUE : BINDING.indexOf(k))
            .thenComparing(k -> k);

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
