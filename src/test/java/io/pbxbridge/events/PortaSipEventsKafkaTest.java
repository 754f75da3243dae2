package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.portasip.OriginateResult;
import io.pbxbridge.portasip.PortaSipCallLookup;
import io.pbxbridge.portasip.PortaSipComponent;
import io.pbxbridge.portasip.PortaSipConstants;
import io.pbxbridge.portasip.PortaSipEventConsumer;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * PortaSIP's call events through pbx-bridge's shipped routes ({@code source-portasip} in
 * routes/events-sources.camel.yaml) onto a real Kafka topic: a call's whole life on both legs (originated, answered,
 * held, resumed, terminated by the Call Control producers, the legs found by the consumer's lookup) arrives in order
 * under one key, the call id without its leg suffix; and a socket dropped while a call ends is reconnected,
 * subscribed again and reconciled, so the call's end is on the topic too once its hold is over, marked reconciled and
 * its end unknown.
 */
@Tag("kafka")
class PortaSipEventsKafkaTest {

    static final String TOPIC = "pbx-events";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;
    static KafkaBroker broker;
    static PortaSipSimulator sim;
    static EventAppHarness app;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
        broker.createTopic(TOPIC, 3);
        // legs ring until answer_call: the test answers them
        sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(30)).autoAnswer(false).start();
        app = new EventAppHarness(tmp, null).withPortaSip(sim)
                .with("events.ndjson.enabled", "false")
                .with("events.kafka.enabled", "true")
                .with("events.kafka.brokers", broker.bootstrapServers())
                .with("events.kafka.topic", TOPIC)
                .with("events.kafka.linger-ms", "1")
                .with("camel.component.portasip.unconfirmed-call-timeout", "1000")
                .start();
        Await.until(WAIT, "the PortaSIP events subscribed", () -> consumer().isSubscribed());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static PortaSipEventConsumer consumer() {
        return (PortaSipEventConsumer) app.main.getCamelContext().getRoute("source-portasip").getConsumer();
    }

    static PortaSipCallLookup lookup() {
        return app.main.getCamelContext().getComponent("portasip", PortaSipComponent.class)
                .callLookup(sim.address(), "123001");
    }

    /** The leg {@code n} (0 = A) of call {@code id} once it is in {@code state}. */
    static PortaSipCallLookup.Leg leg(String id, int n, String state) {
        PortaSipCallLookup.Leg[] found = new PortaSipCallLookup.Leg[1];
        Await.until(WAIT, () -> "leg " + n + " of " + id + " " + state + ": " + lookup().find(id), () -> {
            List<PortaSipCallLookup.Leg> legs = lookup().find(id).orElse(List.of());
            if (legs.size() > n && legs.get(n).state().equals(state)) {
                found[0] = legs.get(n);
                return true;
            }
            return false;
        });
        return found[0];
    }

    static void call(String operation, PortaSipCallLookup.Leg leg) {
        app.template().requestBodyAndHeaders("portasip:" + operation, null, Map.of(PortaSipConstants.CALL_ID,
                leg.call().id(), PortaSipConstants.CALL_TAG, leg.call().tag(), PortaSipConstants.TRANSPORT_ID,
                leg.transportId()));
    }

    /** The records of key {@code id} on the topic, in partition order, once there are {@code n}. */
    static List<ConsumerRecord<String, byte[]>> records(String id, int n) {
        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            mine.clear();
            for (ConsumerRecord<String, byte[]> r : broker.consumeAll(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(2))) {
                if (id.equals(r.key())) {
                    mine.add(r);
                }
            }
            if (mine.size() >= n) {
                break;
            }
        }
        mine.sort(Comparator.comparingLong(ConsumerRecord::offset));
        return mine;
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static JsonNode data(ConsumerRecord<String, byte[]> r) {
        try {
            return Json.MAPPER.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** "leg type state" of each record. */
    static List<String> lines(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> {
            JsonNode d = data(r);
            return d.path("details").path("leg").asText() + " " + d.path("type").asText() + " "
                    + d.path("state").asText();
        }).toList();
    }

    @Test
    void aCallsWholeLifeOnBothLegsInOrderUnderOneKey() {
        OriginateResult originated = app.template().requestBodyAndHeaders("portasip:originateAdvancedCall", null,
                Map.of(PortaSipConstants.BILL_ID, "123001", PortaSipConstants.CALLER_ID, "123002",
                        PortaSipConstants.CALLEE_ID, "123003"), OriginateResult.class);
        String id = originated.callId();
        assertNotNull(id);

        call("answerCall", leg(id, 0, "ringing"));
        call("answerCall", leg(id, 1, "ringing")); // leg B is placed once A answers
        PortaSipCallLookup.Leg a = leg(id, 0, "connected");
        leg(id, 1, "connected");
        call("holdCall", a);
        leg(id, 1, "held");
        call("unholdCall", a);
        leg(id, 1, "connected");
        call("terminateCall", a);
        Await.until(WAIT, "the call gone from the table", () -> lookup().find(id).isEmpty());

        List<ConsumerRecord<String, byte[]>> records = records(id, 12);
        assertEquals(List.of("A call.ringing trying", "A call.ringing ringing", "A call.answered connected",
                "B call.ringing trying", "B call.ringing ringing", "B call.answered connected",
                "A call.held holding", "B call.held held", "A call.resumed connected", "B call.resumed connected",
                "A call.ended terminated", "B call.ended terminated"), lines(records));
        assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(), "one key, one partition");
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            assertEquals(Integer.toString(i + 1), header(r, "ce_sequence"), "the call's sequence");
            assertEquals("pbx." + data(r).path("type").asText(), header(r, "ce_type"));
            assertEquals("/portasip/127.0.0.1/123001", header(r, "ce_source"));
            assertEquals(id, header(r, "ce_subject"));
            assertEquals("portasip", header(r, "ce_pbxvendor"));
            assertEquals(id, data(r).path("callId").asText());
            assertTrue(data(r).path("legId").asText().startsWith(id), data(r).toString());
        }
        JsonNode end = data(records.get(10));
        assertEquals("normal clearing", end.path("details").path("reason").asText());
        assertEquals(16, end.path("details").path("reasonCode").asInt());
        assertTrue(end.path("details").has("duration"));
        assertEquals("INTERNAL", end.path("direction").asText(), "123003 and 123002, both of centrex 30");
    }

    @Test
    void aSocketDroppedWhileTheCallEndsLosesNotTheEnd() {
        OriginateResult originated = app.template().requestBodyAndHeaders("portasip:originateAdvancedCall", null,
                Map.of(PortaSipConstants.BILL_ID, "123001", PortaSipConstants.CALLER_ID, "123001",
                        PortaSipConstants.CALLEE_ID, "+3222334455"), OriginateResult.class);
        String id = originated.callId();
        call("answerCall", leg(id, 0, "ringing"));
        call("answerCall", leg(id, 1, "ringing"));
        leg(id, 1, "connected");
        long connects = consumer().getConnectCount();

        sim.faults().refuseConnections(true); // the socket dropped, and no new one until the call has ended
        Await.until(WAIT, "disconnected", () -> !consumer().isSubscribed());
        assertTrue(sim.hangUp(id), "the far end hangs up meanwhile");
        sim.faults().refuseConnections(false);
        Await.until(WAIT, "reconnected and subscribed", () -> consumer().getConnectCount() > connects
                && consumer().isSubscribed());

        List<ConsumerRecord<String, byte[]>> records = records(id, 8);
        assertEquals(List.of("A call.ringing trying", "A call.ringing ringing", "A call.answered connected",
                "B call.ringing trying", "B call.ringing ringing", "B call.answered connected"),
                lines(records).subList(0, 6));
        assertEquals(8, records.size(), lines(records).toString());
        for (ConsumerRecord<String, byte[]> r : records.subList(6, 8)) {
            JsonNode d = data(r);
            assertEquals("call.ended", d.path("type").asText());
            assertEquals("terminated", d.path("state").asText());
            assertTrue(d.path("details").path("reconciled").asBoolean(), d.toString());
            assertTrue(d.path("details").path("endUnknown").asBoolean(), d.toString());
            assertTrue(d.path("details").path("duration").isMissingNode(), "none invented: " + d);
            assertEquals("pbx.call.ended", header(r, "ce_type"));
        }
        assertEquals(java.util.Set.of("A", "B"), java.util.Set.of(data(records.get(6)).path("details").path("leg")
                .asText(), data(records.get(7)).path("details").path("leg").asText()));
        assertTrue(lookup().find(id).isEmpty());
    }
}
