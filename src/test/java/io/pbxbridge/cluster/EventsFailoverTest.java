package io.pbxbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.NumberedCalls;
import io.pbxbridge.testsupport.NumberedCalls.Report;

/**
 * Two instances of pbx-bridge, each its own JVM, on one Escaux event stream and a real Kafka broker: one instance at a
 * time holds the socket (the simulator never sees two), the leader is killed with SIGKILL in turn, the other takes
 * over within the stated bound, and every event the simulator wrote while a leader was connected reaches Kafka with
 * per-call order kept and no sequence number reused. What a push stream loses during the takeover (events written
 * while nobody was connected, or into the socket of the killed leader) is counted and printed.
 */
class EventsFailoverTest {

    static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    KafkaBroker kafka;
    EscauxSimulator escaux;
    ClusterInstances cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        if (escaux != null) {
            escaux.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void oneInstanceHoldsTheStreamAndAnotherTakesOverAfterAKill() throws Exception {
        kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
        kafka.createTopic("pbx-events", 3);
        escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).build().start();
        cluster = new ClusterInstances(tmp).withEscaux(escaux).withKafkaEvents(kafka.bootstrapServers(), "pbx-events");
        Instance a = cluster.instance("a");
        Instance b = cluster.instance("b");
        // started together: never two sockets, also while both start
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                most.accumulateAndGet(escaux.eventClients(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        a.start();
        b.start();
        Await.until(WAIT, "one instance connected to the event stream", () -> escaux.eventClients() == 1);
        Await.until(WAIT, "one instance says it leads source-escaux, the other is ready",
                () -> cluster.leaders("source-escaux").size() == 1 && a.readiness() == 200 && b.readiness() == 200);

        // numbered events at about 100/s; which were written while someone was connected
        List<Integer> whileConnected = new ArrayList<>();
        List<Integer> whileNobody = new ArrayList<>();
        ConcurrentLinkedQueue<Integer> emitted = new ConcurrentLinkedQueue<>();
        AtomicBoolean emitting = new AtomicBoolean(true);
        Thread emitter = new Thread(() -> {
            int i = 0;
            while (emitting.get()) {
                boolean connected = escaux.eventClients() > 0;
                escaux.emit(NumberedCalls.event("fo", i));
                (connected ? whileConnected : whileNobody).add(i);
                emitted.add(i);
                i++;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        emitter.start();
        List<Long> takeovers = new ArrayList<>();
        List<Integer> killedAt = new ArrayList<>();
        for (int kill = 0; kill < 2; kill++) {
            Thread.sleep(2000);
            Instance leader = cluster.leaders("source-escaux").get(0);
            Instance standby = leader == a ? b : a;
            int connections = escaux.eventConnections();
            killedAt.add(emitted.size());
            long killed = System.nanoTime();
            leader.kill();
            // the simulator notices the dead socket only when a write to it fails, as a real SOP would
            Await.until(WAIT, "the standby connected", () -> escaux.eventConnections() > connections
                    && escaux.eventClients() == 1);
            takeovers.add((System.nanoTime() - killed) / 1_000_000);
            Await.until(WAIT, standby + " says it leads", () -> standby.leads("source-escaux"));
            leader.start(); // back as the standby: replays what its spool held, takes nothing over
            Await.until(WAIT, leader + " back and ready", () -> leader.readiness() == 200);
            assertTrue(!leader.leads("source-escaux"), leader + " came back as the standby");
        }
        Thread.sleep(2000);
        emitting.set(false);
        emitter.join();
        watching.set(false);
        watcher.join();

        // the events written while nobody was connected never come: wait for the others (but the few a killed
        // leader's socket may have swallowed), not for every event emitted
        kafka.consumeAll("pbx-events", whileConnected.size() - 10 * takeovers.size(), WAIT);
        Thread.sleep(3000); // late replays, should any come
        List<ConsumerRecord<String, byte[]>> records = kafka.consumeAll("pbx-events", Integer.MAX_VALUE,
                Duration.ofSeconds(5));
        List<NumberedCalls.Delivery> deliveries = records.stream().map(NumberedCalls::fromKafka).toList();
        Report report = NumberedCalls.check(emitted, deliveries);
        List<Integer> lost = report.lost();
        long lostWhileConnected = lost.stream().filter(whileConnected::contains).count();
        System.out.printf("failover: takeovers %s ms; emitted %d (%d while nobody was connected); %s; lost while "
                + "connected: %d (written into the socket of a killed leader)%n", takeovers, emitted.size(),
                whileNobody.size(), report, lostWhileConnected);

        assertEquals(1, most.get(), "never two instances on the event stream");
        for (long t : takeovers) {
            assertTrue(t < TAKEOVER_BOUND.toMillis(), "takeover within " + TAKEOVER_BOUND + ": " + takeovers);
        }
        assertEquals(List.of(), report.outOfOrder(), "per-call order");
        assertEquals(List.of(), report.sequenceRepeats(), "no sequence number reused");
        // a push stream without replay loses what was written into the killed leader's socket (a few events at
        // most at 100/s) and what was written while nobody was connected; nothing else
        assertTrue(lostWhileConnected <= 10 * takeovers.size(), "lost while a leader was connected: " + report);
    }
}
