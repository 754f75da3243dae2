package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.LogCapture;

/**
 * {@code portasip:events} against the simulator's socket: a call's events on both legs, the lookup of a live call,
 * queue and IVR events, the spec's damaged frames (repairs reported), unreadable frames dead-lettered while the stream
 * goes on, a subscription without effect found and tried once more (no loop), a subscription PortaSIP forgot found by
 * the liveness check, a socket dropped while a call ends (reconnect, re-subscribe, reconcile: the end not lost, its
 * time unknown once the hold is over), a call in progress across a dropped socket (held unconfirmed, not ended; its
 * terminated ends it as usual), and an end whose notification was lost, found by the liveness check at once.
 */
class PortaSipEventConsumerTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a call in progress across a reconnect is held unconfirmed here. */
    static final long HOLD = 3000;
    static final String SOURCE = "127.0.0.1/123001";

    static PortaSipSimulator sim;
    static CamelContext camel;
    static ProducerTemplate template;
    static PortaSipComponent component;
    static final List<CallEvent> events = new CopyOnWriteArrayList<>();
    static final List<Exchange> rejected = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(30)).promptDuration(Duration.ofMillis(50))
                .start();
        camel = new DefaultCamelContext();
        component = new PortaSipComponent();
        PortaSipConfiguration c = component.getConfiguration();
        c.setAddress(sim.address());
        c.setLogin("123001");
        c.setDomain("sip.example.com");
        c.setPassword("secret001");
        c.setCallControlTimeout(2000);
        camel.addComponent("portasip", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("portasip:events?customers=30&deadLetterUri=direct:rejected&pingInterval=400&pingTimeout=1000"
                        + "&reconnectDelay=50&maxReconnectDelay=200&unconfirmedCallTimeout=" + HOLD).routeId("events")
                        .process(e -> events.add(e.getIn().getBody(CallEvent.class)));
                from("direct:rejected").process(e -> rejected.add(e.copy()));
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
        Await.until(WAIT, "subscribed", () -> consumer().isSubscribed());
    }

    @AfterAll
    static void stop() {
        camel.stop();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.faults().reset();
    }

    static PortaSipEventConsumer consumer() {
        return (PortaSipEventConsumer) camel.getRoute("events").getConsumer();
    }

    static List<CallEvent> of(String callId) {
        List<CallEvent> out = new ArrayList<>();
        for (CallEvent e : events) {
            if (callId.equals(e.callId())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The events of {@code callId} as "leg type state" lines. */
    static List<String> lines(String callId) {
        return of(callId).stream().map(e -> e.details().get("leg") + " " + e.type() + " " + e.state()).toList();
    }

    static void awaitEvents(String callId, int n) {
        Await.until(WAIT, () -> n + " events of " + callId + ": " + lines(callId), () -> of(callId).size() >= n);
    }

    static Map<String, Object> health() {
        return HealthCheckHelper.invoke(camel, "source-portasip-" + SOURCE, Map.of()).orElseThrow().getDetails();
    }

    @Test
    void aCallOnBothLegsAndTheLookupOfItsLegs() {
        String id = sim.incomingCall("+3222334455", "123003", false);
        awaitEvents(id, 5);
        List<PortaSipCallLookup.Leg> legs = component.callLookup(sim.address(), "123001").find(id).orElseThrow();
        assertEquals(List.of(id, id + "~10"), legs.stream().map(l -> l.call().id()).toList());
        assertEquals("192.168.243.133:5070", legs.get(0).transportId());
        assertNotNull(legs.get(1).call().tag());
        assertEquals(legs, camel.getEndpoint("portasip:holdCall", PortaSipEndpoint.class).callLookup().find(id + "~10")
                .orElseThrow(), "the same table, by a leg id too");
        awaitEvents(id, 6);
        assertEquals(List.of("A call.ringing trying", "B call.ringing trying", "B call.ringing ringing",
                "A call.ringing ringing", "B call.answered connected", "A call.answered connected"), lines(id));
        CallEvent answered = of(id).get(4);
        assertEquals(SOURCE, answered.source());
        assertEquals(id + "~10;tag=" + legs.get(1).call().tag(), answered.legId());
        assertEquals("+3222334455", answered.from());
        assertEquals("123003", answered.to());
        assertNotNull(answered.details().get("connectTime"));
        assertTrue(answered.raw().contains("\"call_info\""));

        sim.hangUp(id);
        awaitEvents(id, 8);
        assertEquals("call.ended", of(id).get(7).type());
        assertEquals("normal clearing", of(id).get(7).details().get("reason"));
        assertEquals(16, of(id).get(7).details().get("reasonCode"));
        assertTrue(component.callLookup(sim.address(), "123001").find(id).isEmpty(), "ended: gone from the table");
    }

    @Test
    void queueAndIvrEvents() {
        String queued = sim.incomingCall("+3222334466", "123007", true);
        Await.until(WAIT, () -> "queue events: " + lines(queued), () -> lines(queued).contains("A queue.left dequeued"));
        CallEvent joined = of(queued).stream().filter(e -> e.type().equals("queue.joined")).findFirst().orElseThrow();
        assertEquals(Map.of("i_c_queue", 5L, "position", 1, "operators", 2), joined.details().get("queue"));

        String ivr = sim.ivrCall("+3222334477", 77);
        awaitEvents(ivr, 2);
        PortaSipCallLookup.Leg leg = component.callLookup(sim.address(), "123001").find(ivr).orElseThrow().get(0);
        Map<String, Object> headers = Map.of(PortaSipConstants.CALL_ID, leg.call().id(), PortaSipConstants.CALL_TAG,
                leg.call().tag(), PortaSipConstants.TRANSPORT_ID, leg.transportId());
        template.requestBodyAndHeaders("portasip:answerCall", null, headers);
        template.requestBodyAndHeaders("portasip:playPrompt?url=https://prompts.example.com/welcome", null, headers);
        template.requestBodyAndHeaders("portasip:startDtmfDetect", null, headers);
        Await.until(WAIT, () -> "the prompt's end: " + lines(ivr),
                () -> lines(ivr).stream().anyMatch(l -> l.contains("ivr.prompt_completed")));
        assertEquals(1, sim.faults().sendDtmf(ivr, "5"));
        Await.until(WAIT, () -> "the digit: " + lines(ivr), () -> lines(ivr).stream().anyMatch(l -> l.contains("ivr.dtmf")));
        CallEvent dtmf = of(ivr).stream().filter(e -> e.type().equals("ivr.dtmf")).findFirst().orElseThrow();
        assertEquals("5", dtmf.details().get("dtmfDigit"));
        assertEquals(100, dtmf.details().get("dtmfDuration"));
        CallEvent done = of(ivr).stream().filter(e -> e.type().equals("ivr.prompt_completed")).findFirst()
                .orElseThrow();
        assertEquals(2, done.details().get("order"));
        assertEquals("800100", done.to());
        sim.hangUp(ivr);
        sim.hangUp(queued);
    }

    @Test
    void theSpecsDamagedFramesAreReadAndTheirRepairsReported() {
        sim.faults().damagedFrames(true);
        long repaired = consumer().getRepairedFrameCount();
        String id = sim.incomingCall("123002", "123003", false);
        awaitEvents(id, 6);
        sim.hangUp(id);
        awaitEvents(id, 8);
        assertEquals(List.of("A call.ringing trying", "B call.ringing trying", "B call.ringing ringing",
                "A call.ringing ringing", "B call.answered connected", "A call.answered connected",
                "A call.ended terminated", "B call.ended terminated"), lines(id));
        for (CallEvent e : of(id)) {
            @SuppressWarnings("unchecked")
            List<String> repairs = (List<String>) e.details().get("repairs");
            assertNotNull(repairs, e.toString());
            assertTrue(repairs.contains("call_info at the top level, not under result"), repairs.toString());
            assertTrue(repairs.contains("duplicated key call_info.callee.display_id: the last value kept"),
                    repairs.toString());
            assertEquals("192.168.243.133:5070", e.details().get("transportId"), "from \"transport id\"");
            assertEquals(io.pbxbridge.model.Direction.INTERNAL, e.direction(), "123002 to 123003, both of centrex 30");
        }
        assertTrue(consumer().getRepairedFrameCount() >= repaired + 8);
        assertEquals(List.of(), rejected.stream().filter(x -> x.getIn().getBody(String.class).contains(id)).toList());
    }

    @Test
    void unreadableFramesAreDeadLetteredAndTheStreamGoesOn() {
        int before = rejected.size();
        sim.faults().sendRaw("this is not JSON");
        sim.faults().sendRaw("{\"action\":\"update\",\"event\":\"sip.call_control_notifications\",\"result\":{}}");
        sim.faults().sendRaw("{\"action\":\"update\",\"result\":{\"call_info\":{\"call\":{\"id\":\"cut");
        String id = sim.incomingCall("+3222334455", "123001", false);
        awaitEvents(id, 6);
        Await.until(WAIT, "three dead letters", () -> rejected.size() >= before + 3);
        List<Exchange> mine = rejected.subList(before, before + 3);
        assertEquals("this is not JSON", mine.get(0).getIn().getBody(String.class));
        assertTrue(mine.get(0).getIn().getHeader(PortaSipConstants.REJECT_REASON, String.class).startsWith("NOT_JSON: "));
        assertTrue(mine.get(1).getIn().getHeader(PortaSipConstants.REJECT_REASON, String.class)
                .startsWith("NO_CALL_INFO: no call_info"));
        assertEquals(SOURCE, mine.get(1).getIn().getHeader(PortaSipConstants.SOURCE));
        assertTrue(mine.get(2).getIn().getHeader(PortaSipConstants.REJECT_REASON, String.class).startsWith("NOT_JSON"));
        assertTrue((long) health().get("rejectedFrames") >= 3);
        sim.hangUp(id);
    }

    @Test
    void aSubscriptionWithoutEffectIsFoundAndTriedOnceMore() throws Exception {
        PortaSipEventConsumer consumer = consumer();
        // once: the second subscription works
        long connects = consumer.getConnectCount();
        long resubscriptions = consumer.getResubscriptionCount();
        sim.faults().silentSubscription();
        try (LogCapture log = LogCapture.open()) {
            sim.faults().dropSockets();
            Await.until(WAIT, "subscribed again", () -> consumer.getConnectCount() > connects && consumer.isSubscribed());
            assertEquals(resubscriptions + 1, consumer.getResubscriptionCount());
            assertTrue(log.messages(Level.WARN).stream().anyMatch(m -> m.contains("the subscription of i_customer 30 "
                    + "answered success but took no effect") && m.contains("subscribing once more")),
                    log.messages(Level.WARN).toString());
            assertTrue(consumer.getSubscriptionProblems().isEmpty(), consumer.getSubscriptionProblems().toString());
        }
        String id = sim.incomingCall("+3222334455", "123001", false);
        awaitEvents(id, 6);
        sim.hangUp(id);

        // twice: said, in the health details, and not tried again (no loop)
        long connects2 = consumer.getConnectCount();
        sim.faults().silentSubscription();
        sim.faults().silentSubscription();
        int enables = sim.requestCount("CallControl", "enable_api_notifications");
        try (LogCapture log = LogCapture.open()) {
            sim.faults().dropSockets();
            Await.until(WAIT, "connected again", () -> consumer.getConnectCount() > connects2);
            Await.until(WAIT, "the problem said", () -> !consumer.getSubscriptionProblems().isEmpty());
            assertTrue(log.messages(Level.WARN).stream().anyMatch(m -> m.contains("takes no effect even after "
                    + "subscribing again") && m.contains("not subscribing again")), log.messages(Level.WARN).toString());
            Thread.sleep(1200); // three liveness checks: none subscribes again
            assertEquals(enables + 2, sim.requestCount("CallControl", "enable_api_notifications"),
                    "subscribed twice, not more");
            String problems = String.valueOf(health().get("subscriptionProblems"));
            assertTrue(problems.startsWith("i_customer 30: subscription not in effect"), problems);
        }
        // the next socket subscribes afresh
        long connects3 = consumer.getConnectCount();
        sim.faults().dropSockets();
        Await.until(WAIT, "subscribed on a new socket", () -> consumer.getConnectCount() > connects3
                && consumer.isSubscribed() && consumer.getSubscriptionProblems().isEmpty());
    }

    @Test
    void aSubscriptionPortaSipForgotIsFoundByTheLivenessCheck() {
        PortaSipEventConsumer consumer = consumer();
        long resubscriptions = consumer.getResubscriptionCount();
        sim.faults().forgetSubscriptions();
        Await.until(WAIT, "subscribed again by the liveness check",
                () -> consumer.getResubscriptionCount() > resubscriptions);
        String id = sim.incomingCall("+3222334455", "123001", false);
        awaitEvents(id, 6);
        sim.hangUp(id);
        awaitEvents(id, 8);
    }

    /** Drops the socket while {@code meanwhile} runs (no new socket until then); returns once reconciled again. */
    static void dropped(Runnable meanwhile) {
        PortaSipEventConsumer consumer = consumer();
        long connects = consumer.getConnectCount();
        sim.faults().refuseConnections(true); // drops the socket, and no new one until meanwhile has run
        Await.until(WAIT, "disconnected", () -> !consumer.isSubscribed());
        long reconciliations = consumer.getReconciliationCount();
        meanwhile.run();
        sim.faults().refuseConnections(false);
        Await.until(WAIT, "reconnected and reconciled", () -> consumer.getConnectCount() > connects
                && consumer.getReconciliationCount() > reconciliations);
    }

    @Test
    void aSocketDroppedWhileTheCallEndsIsReconciledWithItsEndUnknownAfterTheHold() {
        PortaSipEventConsumer consumer = consumer();
        String id = sim.incomingCall("+3222334455", "123003", false);
        awaitEvents(id, 6);
        long unknown = consumer.getEndUnknownCount();
        dropped(() -> assertTrue(sim.hangUp(id)));
        long reconnected = System.nanoTime();
        // PortaSIP's list after the new subscription cannot tell this call from one still in progress: held
        assertEquals(6, of(id).size(), "not ended at once: " + lines(id));
        assertEquals(1, health().get("unconfirmedCalls"));
        assertEquals(2, health().get("unconfirmedLegs"));
        assertEquals(2, component.callLookup(sim.address(), "123001").find(id).orElseThrow().size());

        awaitEvents(id, 8);
        assertTrue(System.nanoTime() - reconnected >= (HOLD - 100) * 1_000_000L, "ended after the hold");
        List<CallEvent> ends = of(id).subList(6, 8);
        for (CallEvent e : ends) {
            assertEquals("call.ended", e.type());
            assertEquals("terminated", e.state());
            assertEquals(Boolean.TRUE, e.details().get("reconciled"));
            assertEquals(Boolean.TRUE, e.details().get("endUnknown"));
            assertNotNull(e.details().get("unconfirmedSince"));
            assertNull(e.details().get("duration"), "nobody reported it");
            assertEquals("end not seen: no notification within 3s of the reconnect", e.details().get("reason"));
            assertNotNull(e.details().get("connectTime"), "what was known");
            assertNull(e.raw());
        }
        assertEquals(java.util.Set.of("A", "B"), java.util.Set.of(ends.get(0).details().get("leg"),
                ends.get(1).details().get("leg")));
        assertTrue(component.callLookup(sim.address(), "123001").find(id).isEmpty());
        assertEquals(unknown + 2, consumer.getEndUnknownCount());
        assertEquals(0, health().get("unconfirmedCalls"));
        assertTrue((long) health().get("reconciledEvents") >= 2);
        assertFalse(lines(id).stream().skip(8).findAny().isPresent(), "no more: " + lines(id));
    }

    @Test
    void aCallInProgressAcrossADroppedSocketGoesOnAndEndsWithItsRealDuration() throws Exception {
        PortaSipEventConsumer consumer = consumer();
        String id = sim.incomingCall("+3222334455", "123003", false);
        awaitEvents(id, 6);
        long reconciled = consumer.getReconciledEventCount();
        dropped(() -> { });
        assertEquals(1, health().get("unconfirmedCalls"), "not listed by the new subscription: held");
        Thread.sleep(1100); // talks on for over a second
        assertEquals(6, of(id).size(), "nothing invented: " + lines(id));
        List<PortaSipCallLookup.Leg> legs = component.callLookup(sim.address(), "123001").find(id).orElseThrow();
        assertEquals(List.of("connected", "connected"), legs.stream().map(PortaSipCallLookup.Leg::state).toList());

        assertTrue(sim.hangUp(id));
        awaitEvents(id, 8);
        for (CallEvent e : of(id).subList(6, 8)) {
            assertEquals("call.ended", e.type());
            assertNull(e.details().get("reconciled"), "the notification's end");
            assertNull(e.details().get("endUnknown"));
            assertTrue(((Number) e.details().get("duration")).longValue() >= 1, e.details().toString());
            assertEquals("normal clearing", e.details().get("reason"));
            assertNotNull(e.raw());
        }
        assertEquals(0, health().get("unconfirmedCalls"));
        Thread.sleep(HOLD + 300); // the hold is over: nothing more, no second end
        assertEquals(8, of(id).size(), lines(id).toString());
        assertEquals(reconciled, consumer.getReconciledEventCount(), "no reconciled event");
    }

    @Test
    void anEndWhoseNotificationIsLostIsFoundByTheLivenessCheckAtOnce() {
        PortaSipEventConsumer consumer = consumer();
        String id = sim.incomingCall("+3222334455", "123003", false);
        awaitEvents(id, 6);
        long missed = (long) health().get("missedChanges");
        long unknown = consumer.getEndUnknownCount();
        sim.faults().loseNotifications(true);
        long hungUp = System.nanoTime();
        assertTrue(sim.hangUp(id));
        // the subscription that told of the call lists it no more: it has ended, no hold
        awaitEvents(id, 8);
        assertTrue(System.nanoTime() - hungUp < HOLD * 1_000_000L, "before any hold");
        for (CallEvent e : of(id).subList(6, 8)) {
            assertEquals("call.ended", e.type());
            assertEquals(Boolean.TRUE, e.details().get("reconciled"));
            assertNull(e.details().get("endUnknown"));
        }
        assertEquals(unknown, consumer.getEndUnknownCount());
        assertTrue((long) health().get("missedChanges") >= missed + 2);
    }
}
