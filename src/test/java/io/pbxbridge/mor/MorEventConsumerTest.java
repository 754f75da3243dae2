package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.Direction;
import io.pbxbridge.sandbox.mor.MorCall;
import io.pbxbridge.sandbox.mor.MorFax;
import io.pbxbridge.sandbox.mor.MorSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.SeenKeys;
import io.pbxbridge.testsupport.LogCapture;

/**
 * {@code mor:missedCalls}, {@code mor:newCalls}, {@code mor:faxes} consumed against the MOR simulator: each item
 * announced once, also across restarts (the seen keys in a file, as the routes keep them); a missed call marked
 * processed at MOR only once its exchange completed, and only when asked; a failed delivery offered again.
 */
class MorEventConsumerTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    MorSimulator sim;
    CamelContext camel;
    final List<CallEvent> events = Collections.synchronizedList(new ArrayList<>());
    /** Whether MOR had the missed call marked processed while its event was being delivered. */
    final List<Boolean> processedDuringDelivery = Collections.synchronizedList(new ArrayList<>());
    volatile Consumer<CallEvent> delivery = e -> { };

    @BeforeEach
    void simulator() {
        sim = MorSimulator.builder().initialCalls(0).start();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        sim.close();
    }

    /** A context consuming {@code page} with {@code options}, its keys in {@code <tmp>/<page>-seen.txt}. */
    void start(String page, String options) throws Exception {
        if (camel != null) {
            camel.stop();
        }
        camel = new DefaultCamelContext();
        SeenKeys seen = new SeenKeys();
        seen.setPath(tmp.resolve(page + "-seen.txt").toString());
        camel.getRegistry().bind("seen", seen);
        String uri = "mor:" + page + "?address=http://127.0.0.1:" + sim.port() + "&username=demo"
                + "&password=RAW(demo-secret)&userId=2&apiSecretKey=RAW(" + sim.apiKey() + ")&requestTimeout=5000"
                + "&idempotentRepository=#seen&initialDelay=0&delay=100" + options;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("source").process(e -> {
                    CallEvent event = e.getMessage().getBody(CallEvent.class);
                    if (event.type().equals(MorEventConsumer.MISSED)) {
                        processedDuringDelivery.add(sim.user().processed(Long.parseLong(event.callId())));
                    }
                    delivery.accept(event);
                    events.add(event);
                });
            }
        });
        camel.start();
    }

    List<CallEvent> events(String type) {
        synchronized (events) {
            return events.stream().filter(e -> e.type().equals(type)).toList();
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Polls come every 100 ms: a few of them. */
    static void somePolls() throws InterruptedException {
        Thread.sleep(500);
    }

    @Test
    void missedCallsAnnouncedOnceAcrossRestartsAndMarkedProcessedOnlyAfterDelivery() throws Exception {
        Instant now = now();
        List<MorCall> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(sim.addMissedCall(now.minusSeconds(60 + i * 10), "3706000000" + i));
        }
        sim.addCall(now.minusSeconds(30), "37061111111", "101", 50, "Answered"); // answered: not missed
        start("missedCalls", "&markProcessed=true");
        Await.until(WAIT, "three missed calls announced", () -> events.size() == 3);
        Await.until(WAIT, "marked processed at MOR", () -> missed.stream().allMatch(c -> sim.user().processed(c.id())));
        assertEquals(List.of(false, false, false), processedDuringDelivery, "not processed while being delivered");

        CallEvent e = events.stream().filter(x -> x.callId().equals(Long.toString(missed.get(0).id()))).findFirst()
                .orElseThrow();
        assertEquals("call.missed", e.type());
        assertEquals("mor", e.vendor());
        assertEquals("127.0.0.1/demo", e.source());
        assertEquals("mor:127.0.0.1/demo:missed:" + missed.get(0).id(), e.id());
        assertEquals("37060000000", e.from());
        assertEquals("101", e.to());
        assertEquals(Direction.INBOUND, e.direction());
        assertEquals(missed.get(0).date(), e.timestamp());
        assertEquals("25", e.details().get("duration"));
        assertEquals("No Answer", e.details().get("hangupCause"));

        // a restart: a new context, the same seen keys; one missed call more, whose MOR flag is then cleared
        camel.stop();
        MorCall fourth = sim.addMissedCall(now().minusSeconds(5), "37069999999");
        start("missedCalls", "&markProcessed=true");
        Await.until(WAIT, "the fourth", () -> events.size() == 4);
        somePolls();
        assertEquals(4, events.size(), "each once: " + events);
        assertEquals(Set.of(missed.get(0).id(), missed.get(1).id(), missed.get(2).id(), fourth.id()),
                events.stream().map(x -> Long.parseLong(x.callId())).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void withoutMarkProcessedMorsFlagIsLeftAloneAndACallProcessedThereIsNotAnnounced() throws Exception {
        Instant now = now();
        MorCall a = sim.addMissedCall(now.minusSeconds(100), "37060000001");
        MorCall dealtWith = sim.addMissedCall(now.minusSeconds(90), "37060000002");
        // someone marked it processed at MOR before pbx-bridge looked
        camel = new DefaultCamelContext();
        camel.start();
        camel.createProducerTemplate().requestBodyAndHeader("mor:processMissedCall?address=http://127.0.0.1:"
                + sim.port() + "&username=demo&password=RAW(demo-secret)&userId=2&apiSecretKey=RAW(" + sim.apiKey()
                + ")", null, MorConstants.CALL_ID, Long.toString(dealtWith.id()));
        assertTrue(sim.user().processed(dealtWith.id()));
        start("missedCalls", "");
        Await.until(WAIT, "one missed call", () -> events.size() == 1);
        somePolls();
        assertEquals(List.of(Long.toString(a.id())), events.stream().map(CallEvent::callId).toList());
        assertFalse(sim.user().processed(a.id()), "markProcessed is off: MOR's flag left alone");
    }

    @Test
    void aFailedDeliveryIsNeitherKeptNorMarkedAndComesAgain() throws Exception {
        MorCall c = sim.addMissedCall(now().minusSeconds(30), "37060000003");
        AtomicInteger attempts = new AtomicInteger();
        delivery = e -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("the stream is down");
            }
        };
        start("missedCalls", "&markProcessed=true");
        Await.until(WAIT, "delivered at the third attempt", () -> events.size() == 1);
        assertTrue(attempts.get() >= 3);
        Await.until(WAIT, "then marked", () -> sim.user().processed(c.id()));
        assertEquals(List.of(false, false, false), processedDuringDelivery.subList(0, 3), "never marked before "
                + "its delivery completed");
        somePolls();
        assertEquals(1, events.size());
    }

    @Test
    void aMarkThatFailsIsDoneAtALaterPollAndTheCallIsAnnouncedOnce() throws Exception {
        MorCall c = sim.addMissedCall(now().minusSeconds(30), "37060000004");
        sim.faults().failNext("processCall", 503);
        start("missedCalls", "&markProcessed=true");
        Await.until(WAIT, "announced, and marked at a later poll", () -> events.size() == 1
                && sim.user().processed(c.id()));
        assertTrue(sim.requestCount("processCall") >= 2, "the mark was tried again");
        somePolls();
        assertEquals(1, events.size());
        // the poller's calls feed the component's readiness check
        HealthCheck.Result vendor = HealthCheckHelper.invokeReadiness(camel).stream()
                .filter(r -> r.getCheck().getId().equals("vendor-mor")).findFirst().orElseThrow();
        assertNotNull(vendor.getDetails().get("operation.processMissedCall"), vendor.getDetails().toString());
        assertNotNull(vendor.getDetails().get("lastFailure"), vendor.getDetails().toString());
    }

    @Test
    void aPollMorDoesNotAnswerIsOneLineAndTheNextPollReadsThePage() throws Exception {
        MorCall c = sim.addMissedCall(now().minusSeconds(30), "37060000005");
        sim.faults().failNext("missedCallsPeriod", 503);
        try (LogCapture log = LogCapture.open()) {
            start("missedCalls", "");
            Await.until(WAIT, "announced at the next poll", () -> events.size() == 1);
            List<LogEvent> warnings = log.events(Level.WARN, "MorEventConsumer");
            assertEquals(1, warnings.size(), warnings.toString());
            String line = warnings.get(0).getMessage().getFormattedMessage();
            assertTrue(line.startsWith("mor:missedCalls 127.0.0.1/demo: not read: MOR did not answer: ")
                    && line.contains("503") && line.endsWith("; tried again at the next poll"), line);
            assertEquals(null, warnings.get(0).getThrown(), "no stack trace");
            assertTrue(log.events(Level.WARN, "ScheduledPollConsumer").isEmpty());
        }
        assertEquals(Long.toString(c.id()), events.get(0).callId());
    }

    @Test
    void newCallsOnceEach() throws Exception {
        Instant now = now();
        sim.addCall(now.minusSeconds(50), "101", "37060012345", 30, "Answered");
        sim.addCall(now.minusSeconds(40), "37061234567", "102", 12, "No Answer");
        // identical, in one second: two calls, two events
        sim.addCall(now.minusSeconds(20), "103", "37060000000", 5, "Busy");
        sim.addCall(now.minusSeconds(20), "103", "37060000000", 5, "Busy");
        start("newCalls", "");
        Await.until(WAIT, "four calls", () -> events.size() == 4);
        sim.addCall(now().minusSeconds(2), "101", "37060055555", 3, "Answered");
        Await.until(WAIT, "the fifth", () -> events.size() == 5);
        somePolls();
        assertEquals(5, events.size(), "each once: " + events);
        assertEquals(5, new TreeSet<>(events.stream().map(CallEvent::id).toList()).size());
        CallEvent first = events.get(0);
        assertEquals("call.ended", first.type());
        assertEquals(now.minusSeconds(50).plusSeconds(30), first.timestamp(), "its end");
        assertEquals(Direction.OUTBOUND, first.direction());
        assertEquals("ANSWERED", first.details().get("disposition"));
        assertTrue(first.details().get("recordKey").toString().startsWith("mor:127.0.0.1/demo:"), first.toString());
        assertTrue(first.details().get("recordKey").toString().endsWith(":" + first.callId()),
                "the same id as the call's record: " + first);
        assertEquals(Direction.INBOUND, events.get(1).direction());
    }

    @Test
    void receivedFaxesOnceEach() throws Exception {
        Instant now = now();
        MorFax a = sim.addFax(now.minusSeconds(120), "37052123456");
        sim.addFax(now.minus(Duration.ofHours(3)), "37052000000"); // older than maxAge: history
        start("faxes", "&maxAge=1h");
        Await.until(WAIT, "one fax", () -> events.size() == 1);
        MorFax b = sim.addFax(now().minusSeconds(1), "");
        Await.until(WAIT, "the second", () -> events.size() == 2);
        somePolls();
        assertEquals(2, events.size(), "each once: " + events);
        CallEvent e = events.get(0);
        assertEquals("fax.inbound", e.type());
        assertEquals("37052123456", e.from());
        assertEquals(a.device(), e.to());
        assertEquals(a.receiveTime(), e.timestamp());
        assertEquals(a.filename(), e.details().get("filename"));
        assertTrue(e.callId().startsWith("fax-"), e.callId());
        assertEquals(b.device(), events.get(1).details().get("device"));
    }
}
