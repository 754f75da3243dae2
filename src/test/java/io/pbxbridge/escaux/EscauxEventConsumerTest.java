package io.pbxbridge.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.escaux.SimChannel;

/** escaux:events against the simulator's event socket: normalization, faults, reconnects, liveness. */
class EscauxEventConsumerTest {

    EscauxSimulator sim;
    CamelContext camel;
    final BlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Exchange> dead = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    EscauxEventConsumer startRoute(String address, int eventPort, String options) throws Exception {
        camel = new DefaultCamelContext();
        EscauxComponent escaux = new EscauxComponent();
        escaux.getConfiguration().setAddress(address);
        escaux.getConfiguration().setEventPort(eventPort);
        escaux.getConfiguration().setReconnectDelay(50);
        escaux.getConfiguration().setMaxReconnectDelay(400);
        camel.addComponent("escaux", escaux);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("escaux:events?deadLetterUri=direct:dead&" + options).routeId("events")
                        .process(e -> events.add(e.getIn().getBody(CallEvent.class)));
                from("direct:dead").process(dead::add);
            }
        });
        camel.start();
        return (EscauxEventConsumer) camel.getRoute("events").getConsumer();
    }

    CallEvent next() throws InterruptedException {
        CallEvent e = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(e, "no event within 5 s");
        return e;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * 20,000 interleaved events of 50 calls, written in blocks of 500: with workers, every call's events keep their
     * order and are routed by the workers, not the socket's thread; with batches, every exchange is a list of at most
     * {@code maxBatchSize} events (several per read), and with one worker the whole stream keeps its order.
     */
    @ParameterizedTest(name = "workers={0}, maxBatchSize={1}")
    @CsvSource({ "3, 1", "1, 50", "3, 50" })
    void workersAndBatchesKeepEveryCallsOrder(int workers, int maxBatchSize) throws Exception {
        sim = EscauxSimulator.builder().start();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.List<Integer> batchSizes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        camel = new DefaultCamelContext();
        EscauxComponent escaux = new EscauxComponent();
        escaux.getConfiguration().setAddress(sim.address());
        escaux.getConfiguration().setEventPort(sim.eventPort());
        camel.addComponent("escaux", escaux);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("escaux:events?pingInterval=0&workers=" + workers + "&maxBatchSize=" + maxBatchSize)
                        .routeId("events").process(e -> {
                            threads.add(Thread.currentThread().getName());
                            Object body = e.getIn().getBody();
                            if (maxBatchSize == 1) {
                                events.add((CallEvent) body);
                                return;
                            }
                            java.util.List<?> batch = assertInstanceOf(java.util.List.class, body);
                            batchSizes.add(batch.size());
                            batch.forEach(o -> events.add((CallEvent) o));
                        });
            }
        });
        camel.start();
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));

        // one event read alone is not held back waiting for a batch to fill
        sim.emit("<evParked><Channel>SIP/alone</Channel></evParked>\n");
        assertEquals("SIP/alone", next().callId());

        int calls = 50;
        int total = 20_000;
        for (int i = 0; i < total; i += 500) {
            StringBuilder block = new StringBuilder();
            for (int j = i; j < i + 500; j++) {
                block.append("<evParked><Channel>SIP/t-").append(j % calls).append("</Channel><Seq>").append(j)
                        .append("</Seq></evParked>\n");
            }
            sim.emit(block.toString());
        }
        java.util.Map<String, Integer> last = new java.util.HashMap<>();
        int previous = -1;
        for (int i = 0; i < total; i++) {
            CallEvent e = next();
            int seq = Integer.parseInt((String) e.details().get("Seq"));
            Integer before = last.put(e.callId(), seq);
            assertTrue(before == null || before < seq, e.callId() + ": " + before + " then " + seq);
            assertEquals(seq % calls, Integer.parseInt(e.callId().substring("SIP/t-".length())));
            if (workers == 1) {
                assertEquals(previous + 1, seq, "one worker: the stream's order");
            }
            previous = seq;
        }
        assertEquals(calls, last.size());
        assertNull(events.poll(200, TimeUnit.MILLISECONDS));
        if (workers > 1) {
            assertEquals(workers, threads.size(), "routed by the workers, not the socket's thread: " + threads);
            assertTrue(threads.stream().allMatch(t -> t.contains("-worker-")), threads::toString);
        }
        if (maxBatchSize > 1) {
            assertEquals(total + 1, batchSizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(batchSizes.stream().allMatch(n -> n >= 1 && n <= maxBatchSize), batchSizes::toString);
            assertTrue(batchSizes.size() < total / 5, "events read together go together: " + batchSizes.size()
                    + " exchanges for " + total + " events");
        }

        camel.stop();
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains("-worker-")
                && t.isAlive()), "the workers end with the route");
    }

    @Test
    void callsBecomeCallEventsAndPongsStayInside() throws Exception {
        sim = EscauxSimulator.builder().start();
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(), "pingInterval=0");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));

        SimChannel call = sim.incomingCall("+3223456789", "102");
        CallEvent ringing = next();
        assertEquals("call.ringing", ringing.type());
        assertEquals(call.id(), ringing.callId());
        assertEquals("+3223456789", ringing.from());
        assertEquals("102", ringing.to());
        assertEquals("127.0.0.1", ringing.source());
        assertTrue(ringing.raw().startsWith("<evNewOrigChannel>"));

        camel.createProducerTemplate().requestBody("escaux:ccPing", (Object) null);
        camel.createProducerTemplate().requestBodyAndHeader("escaux:ccPark", null, EscauxConstants.CHANNEL_ID, call.id());
        CallEvent parked = next(); // the pong before it was not forwarded
        assertEquals("call.parked", parked.type());
        assertEquals(sim.channel(call.id()).parkSlot(), parked.details().get("ParkSlot"));
        assertEquals(call.id(), parked.callId());
        assertEquals(1, sim.pongsSent());

        sim.emit("<evHangup><Channel>" + call.id() + "</Channel><Cause>16</Cause></evHangup>");
        CallEvent generic = next();
        assertEquals("escaux.evHangup", generic.type());
        assertEquals("16", generic.details().get("Cause"));
        assertNull(events.poll());
        assertEquals(0, consumer.getRejectedCount());
    }

    @Test
    void splitGarbageAndOversizeEventsOverTheSocket() throws Exception {
        sim = EscauxSimulator.builder().start();
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(), "pingInterval=0&maxEventSize=2048"
                + "&forwardPongs=true");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));

        sim.faults().splitEvents(3);
        sim.faults().garbageBetweenEvents("-- noise --");
        for (int i = 0; i < 20; i++) {
            sim.incomingCall("+32234567" + (10 + i), "671");
        }
        for (int i = 0; i < 20; i++) {
            CallEvent e = next();
            assertEquals("call.ringing", e.type());
            assertEquals("+32234567" + (10 + i), e.from());
        }
        await("20 garbage reports", () -> dead.size() >= 20);
        Exchange g = dead.poll();
        assertEquals("-- noise --", new String(g.getIn().getBody(byte[].class), StandardCharsets.UTF_8));
        assertTrue(g.getIn().getHeader(EscauxConstants.REJECT_REASON, String.class).startsWith("GARBAGE"));
        dead.clear();

        sim.faults().reset();
        sim.faults().sendOversizeEvent(10_000);
        camel.createProducerTemplate().requestBody("escaux:ccPing", (Object) null);
        CallEvent pong = next(); // the stream went on after the oversize event
        assertEquals("escaux.pong", pong.type());
        Exchange big = dead.poll(5, TimeUnit.SECONDS);
        assertNotNull(big);
        assertTrue(big.getIn().getHeader(EscauxConstants.REJECT_REASON, String.class).startsWith("OVERSIZE"));
        assertEquals(2048, big.getIn().getBody(byte[].class).length);
        assertEquals(21, consumer.getRejectedCount());
    }

    @Test
    void reconnectsAfterTheSocketIsDropped() throws Exception {
        sim = EscauxSimulator.builder().start();
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(), "pingInterval=0");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
        sim.incomingCall("104", "102");
        assertEquals("104", next().from());

        sim.faults().dropEventConnections();
        assertTrue(sim.awaitEventConnections(2, Duration.ofSeconds(5)), "reconnected");
        await("consumer connected", consumer::isConnected);
        sim.incomingCall("189", "102");
        assertEquals("189", next().from());

        // down for a while: refused connects back off, then it comes back
        sim.faults().refuseEventConnections(true);
        await("disconnected", () -> !consumer.isConnected());
        sim.faults().refuseEventConnections(false);
        assertTrue(sim.awaitEventConnections(3, Duration.ofSeconds(5)), "reconnected after refusal");
        await("consumer connected", consumer::isConnected);
        sim.incomingCall("555", "102");
        assertEquals("555", next().from());
        assertEquals(3, consumer.getConnectCount());
        assertTrue(camel.getRouteController().getRouteStatus("events").isStarted());
    }

    @Test
    void connectsWhenTheSopComesUpAfterTheRoute() throws Exception {
        int httpPort;
        int eventPort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            httpPort = a.getLocalPort();
            eventPort = b.getLocalPort();
        }
        EscauxEventConsumer consumer = startRoute("http://127.0.0.1:" + httpPort, eventPort, "pingInterval=0");
        assertTrue(camel.getRouteController().getRouteStatus("events").isStarted(), "the route starts anyway");
        assertFalse(consumer.isConnected());
        assertEquals(50, consumer.backoff(0));
        assertEquals(200, consumer.backoff(2));
        assertEquals(400, consumer.backoff(10));

        sim = EscauxSimulator.builder().httpPort(httpPort).eventPort(eventPort).start();
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
        await("consumer connected", consumer::isConnected);
        sim.incomingCall("067", "599");
        CallEvent e = next();
        assertEquals("067", e.from());
        assertEquals("599", e.to());
    }

    /**
     * Pings are sent, their evPongs reach the consumer (and are not routed), and a missing one costs the socket.
     * Nothing here depends on how fast a loaded machine answers: a pong late beyond pongTimeout is a reconnect too.
     */
    @Test
    void aSilentSocketIsDetectedByPingPongAndReplaced() throws Exception {
        sim = EscauxSimulator.builder().start();
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(), "pingInterval=100&pongTimeout=300");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
        await("pings answered", () -> sim.pongsSent() >= 2 && consumer.getPongCount() >= 2);
        assertNull(events.poll(), "evPongs are not routed");

        sim.faults().stopAnsweringPings(true);
        long misses = consumer.getLivenessMisses();
        int connections = sim.eventConnections();
        await("a liveness miss", () -> consumer.getLivenessMisses() > misses);
        assertTrue(sim.awaitEventConnections(connections + 1, Duration.ofSeconds(5)), "reconnected after the miss");

        sim.faults().stopAnsweringPings(false);
        await("consumer connected", consumer::isConnected);
        long pongs = consumer.getPongCount();
        await("pings answered again", () -> consumer.getPongCount() > pongs);
        sim.incomingCall("102", "104");
        assertEquals("call.ringing", next().type());
    }

    static String body(Exchange e) {
        return new String(e.getIn().getBody(byte[].class), StandardCharsets.UTF_8);
    }

    Exchange nextDeadLetter() throws InterruptedException {
        Exchange e = dead.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no dead letter within 10 s");
        return e;
    }

    static void assertReason(String reason, Exchange deadLetter) {
        String header = deadLetter.getIn().getHeader(EscauxConstants.REJECT_REASON, String.class);
        assertTrue(header.startsWith(reason), header);
    }

    /** An event the SOP cut short is ended by the next event: that one, the later ones and the evPongs arrive. */
    @Test
    void anEventCutShortDoesNotSilenceTheStream() throws Exception {
        sim = EscauxSimulator.builder().start();
        // no time bound: the next event alone ends it
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(),
                "pingInterval=0&eventTimeout=0&forwardPongs=true");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
        String cut = "<evNewOrigChannel>\n<Channel>SIP/cut-1</Channel>\n<CallerId>10";
        sim.faults().sendRaw(cut.getBytes(StandardCharsets.UTF_8));
        SimChannel call = sim.incomingCall("104", "102");
        assertEquals(call.id(), next().callId());
        camel.createProducerTemplate().requestBody("escaux:ccPing", (Object) null);
        assertEquals("escaux.pong", next().type());
        sim.incomingCall("105", "102");
        assertEquals("105", next().from());

        Exchange broken = nextDeadLetter();
        assertReason("TRUNCATED", broken);
        assertEquals(cut, body(broken));
        assertEquals(1, consumer.getRejectedCount());
        assertEquals(1, consumer.getConnectCount());
    }

    /** Asterisk writes an unknown caller as {@code <unknown>}, unescaped: that event is lost, not the stream. */
    @Test
    void anUnknownCallerWrittenAsMarkupDoesNotSilenceTheStream() throws Exception {
        sim = EscauxSimulator.builder().start();
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(),
                "pingInterval=0&eventTimeout=0&forwardPongs=true");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
        String unknown = "<evNewOrigChannel>\n<Channel>SIP/u-1</Channel>\n<CallerId><unknown></CallerId>\n"
                + "<Extension>102</Extension>\n</evNewOrigChannel>\n";
        sim.faults().sendRaw(unknown.getBytes(StandardCharsets.UTF_8));
        camel.createProducerTemplate().requestBody("escaux:ccPing", (Object) null);
        assertEquals("escaux.pong", next().type());
        sim.incomingCall("104", "102");
        assertEquals("104", next().from());

        Exchange broken = nextDeadLetter();
        assertReason("TRUNCATED", broken);
        assertEquals(unknown, body(broken));
        assertEquals(1, consumer.getRejectedCount());
    }

    /**
     * A broken event and then silence: dead-lettered after eventTimeout. Its rest, should it come later, is not taken
     * for events ({@code <Extension>} would be one): the stream resumes at the next event.
     */
    @Test
    void aBrokenEventFollowedBySilenceIsDeadLetteredAfterEventTimeout() throws Exception {
        sim = EscauxSimulator.builder().start();
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(), "pingInterval=0&eventTimeout=300");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
        String cut = "<evNewOrigChannel>\n<Channel>SIP/late-1</Channel>\n<CallerId>10";
        sim.faults().sendRaw(cut.getBytes(StandardCharsets.UTF_8));
        Exchange broken = nextDeadLetter();
        assertReason("TRUNCATED", broken);
        assertEquals(cut, body(broken));

        String rest = "4</CallerId>\n<Extension>102</Extension>\n</evNewOrigChannel>\n";
        sim.faults().sendRaw(rest.getBytes(StandardCharsets.UTF_8));
        sim.incomingCall("105", "102");
        CallEvent e = next();
        assertEquals("call.ringing", e.type());
        assertEquals("105", e.from());
        Exchange garbage = nextDeadLetter();
        assertReason("GARBAGE", garbage);
        assertEquals(rest, body(garbage));
        assertNull(events.poll(200, TimeUnit.MILLISECONDS));
        assertEquals(2, consumer.getRejectedCount());
    }

    /** Bytes keep coming, but no event and no evPong: the socket is dead all the same. */
    @Test
    void aSocketThatBringsBytesButNoEventsIsReplaced() throws Exception {
        sim = EscauxSimulator.builder().start();
        EscauxEventConsumer consumer = startRoute(sim.address(), sim.eventPort(), "pingInterval=100&pongTimeout=300");
        assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
        sim.faults().stopAnsweringPings(true);
        java.util.concurrent.atomic.AtomicBoolean noisy = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread noise = new Thread(() -> {
            while (noisy.get()) {
                sim.faults().sendRaw("noise ".getBytes(StandardCharsets.UTF_8));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        noise.start();
        try {
            await("a liveness miss", () -> consumer.getLivenessMisses() >= 1);
            assertTrue(sim.awaitEventConnections(2, Duration.ofSeconds(5)), "reconnected after the miss");
        } finally {
            noisy.set(false);
            noise.join();
        }
    }
}
