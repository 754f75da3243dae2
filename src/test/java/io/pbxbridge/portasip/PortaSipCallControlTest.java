package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.sandbox.portasip.PortaSipFaults.ErrorEnvelope;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.DebugLog;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.vendor.VendorException.Kind;

/**
 * Every Call Control method of the portasip component against the simulator's WebSocket: results, the calls' state
 * as the notifications show it, both error envelopes, a reply that never comes, a dropped socket, session renewal,
 * TLS, no secret in the log.
 */
class PortaSipCallControlTest {

    static final long I_ACCOUNT = 1001; // 123001
    static final long I_CUSTOMER = 30;
    static final long I_IVR_AN = 77;

    static PortaSipSimulator sim;
    static CamelContext camel;
    static ProducerTemplate template;
    static PortaSipCallControl socket;
    static final List<String> frames = new CopyOnWriteArrayList<>();
    static final AtomicInteger connected = new AtomicInteger();
    static final AtomicInteger disconnected = new AtomicInteger();

    @BeforeAll
    static void start() {
        sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(40)).promptDuration(Duration.ofMillis(80))
                .start();
        camel = new DefaultCamelContext();
        PortaSipComponent component = new PortaSipComponent();
        PortaSipConfiguration c = component.getConfiguration();
        c.setAddress(sim.address());
        c.setLogin("123001");
        c.setDomain("sip.example.com");
        c.setPassword("secret001");
        c.setCallControlTimeout(3000);
        camel.addComponent("portasip", component);
        camel.start();
        template = camel.createProducerTemplate();
        socket = camel.getEndpoint("portasip:getSipCallsList", PortaSipEndpoint.class).callControl();
        socket.addNotificationListener(frames::add);
        socket.addConnectionListener(new PortaSipCallControl.ConnectionListener() {
            @Override
            public void onConnected(PortaSipCallControl cc) {
                connected.incrementAndGet();
                // subscriptions are per socket: a listener subscribes again before anything else is sent
                cc.enableNotifications(PortaSipCallControl.Scope.customer(I_CUSTOMER), Duration.ofSeconds(3));
            }

            @Override
            public void onDisconnected(PortaSipCallControl cc, String reason) {
                disconnected.incrementAndGet();
            }
        });
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

    static <T> T call(String uri, Map<String, Object> headers, Class<T> type) {
        return template.requestBodyAndHeaders("portasip:" + uri, null, headers, type);
    }

    static PortaSipException failure(String uri, Map<String, Object> headers) {
        Exchange ex = template.request("portasip:" + uri, e -> e.getIn().setHeaders(new HashMap<>(headers)));
        assertNotNull(ex.getException(), "expected " + uri + " to fail");
        return assertInstanceOf(PortaSipException.class, ex.getException());
    }

    static Map<String, Object> leg(SipCallInfo leg) {
        return Map.of(PortaSipConstants.CALL_ID, leg.call().id(), PortaSipConstants.CALL_TAG, leg.call().tag(),
                PortaSipConstants.TRANSPORT_ID, leg.transportId());
    }

    /** The legs the notifications showed, in order. */
    static List<SipCallInfo> notified() {
        List<SipCallInfo> out = new ArrayList<>();
        for (String f : frames) {
            try {
                JsonNode n = PortaSipInputs.normalized(Json.MAPPER.readTree(f));
                JsonNode info = n.path("result").path("call_info");
                if (info.isMissingNode()) {
                    info = n.path("call_info");
                }
                if (info.isObject()) {
                    out.add(Json.MAPPER.treeToValue(info, SipCallInfo.class));
                }
            } catch (Exception e) {
                // not a notification
            }
        }
        return out;
    }

    static SipCallInfo await(String what, Predicate<SipCallInfo> p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            for (SipCallInfo i : notified()) {
                if (p.test(i)) {
                    return i;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no notification of " + what + " in " + notified());
    }

    static Predicate<SipCallInfo> state(String legId, String state) {
        return i -> i.call() != null && legId.equals(i.call().id()) && state.equals(i.state());
    }

    /** Originates 123001 -> callee and waits until both legs are connected; returns leg A (123001's) and leg B. */
    static SipCallInfo[] connectedCall(String callee) throws InterruptedException {
        OriginateResult r = call("originateAdvancedCall", Map.of(PortaSipConstants.BILL_ID, "123001",
                PortaSipConstants.CALLER_ID, "123001", PortaSipConstants.CALLEE_ID, callee), OriginateResult.class);
        String id = r.callId();
        return new SipCallInfo[] { await(id + " connected", state(id, "connected")),
            await(id + "~10 connected", state(id + "~10", "connected")) };
    }

    // ---- the methods ------------------------------------------------------------------------------------------

    @Test
    void subscribeOriginateListAndTerminateFollowingBothLegs() throws Exception {
        assertTrue(call("enableApiNotifications?iAccount=" + I_ACCOUNT, Map.of(), PortaSipSuccess.class).isSuccess());
        OriginateResult r = call("originate_advanced_call", Map.of(PortaSipConstants.BILL_ID, "123001",
                PortaSipConstants.CALLER_ID, "123001", PortaSipConstants.CALLEE_ID, "123002",
                PortaSipConstants.CALLEE_AUTO_PICKUP, true), OriginateResult.class);
        assertEquals(1, r.success());
        String id = r.callId();
        assertTrue(id.contains("@"), id);
        SipCallInfo a = await("leg A connected", state(id, "connected"));
        SipCallInfo b = await("leg B connected", state(id + "~10", "connected"));
        assertEquals(id, b.call().callKey());
        assertNotNull(a.connectDateTime());
        assertNotNull(a.transportId());
        // trying and ringing came before connected, on leg A
        List<String> aStates = notified().stream().filter(i -> id.equals(i.call().id())).map(SipCallInfo::state)
                .distinct().toList();
        assertTrue(aStates.indexOf("trying") < aStates.indexOf("connected"), aStates.toString());

        List<?> calls = call("getSipCallsList", Map.of(PortaSipConstants.I_ACCOUNT, I_ACCOUNT), List.class);
        assertTrue(calls.stream().map(SipCallInfo.class::cast).anyMatch(i -> id.equals(i.call().id())
                && "connected".equals(i.state()) && i.caller() != null), calls.toString());

        assertTrue(call("terminateCall", leg(a), PortaSipSuccess.class).isSuccess());
        SipCallInfo ended = await("leg B terminated", state(id + "~10", "terminated"));
        assertNotNull(ended.duration());
        await("leg A terminated", state(id, "terminated"));
        assertTrue(call("disableApiNotifications?iAccount=" + I_ACCOUNT, Map.of(), PortaSipSuccess.class).isSuccess());
        // the typed calls the events consumer makes on the socket
        assertTrue(socket.callsList(PortaSipCallControl.Scope.customer(I_CUSTOMER), Duration.ofSeconds(3)).stream()
                .noneMatch(i -> id.equals(i.call().id()) && !"terminated".equals(i.state())));
        assertTrue(socket.disableNotifications(PortaSipCallControl.Scope.ivrAccessNumber(I_IVR_AN),
                Duration.ofSeconds(3)).isSuccess());
    }

    @Test
    void holdUnholdTransferAndJoin() throws Exception {
        SipCallInfo[] first = connectedCall("123002");
        SipCallInfo a = first[0];
        assertTrue(call("holdCall", leg(a), PortaSipSuccess.class).isSuccess());
        await("held", i -> first[1].call().id().equals(i.call().id()) && "held".equals(i.state())
                || a.call().id().equals(i.call().id()) && "holding".equals(i.state()));
        assertTrue(call("unholdCall", leg(a), PortaSipSuccess.class).isSuccess());

        // join: 123001 has a call with 123002 and one with 123003, and joins them (attended transfer)
        SipCallInfo[] second = connectedCall("123003");
        Map<String, Object> join = new HashMap<>(leg(a));
        join.put(PortaSipConstants.TO_CALL, second[0].call());
        assertTrue(call("joinCalls", join, PortaSipSuccess.class).isSuccess());
        await("a leg of the joined calls ends", i -> (a.call().id().equals(i.call().id())
                || second[0].call().id().equals(i.call().id())) && "terminated".equals(i.state()));

        // blind transfer: 123001 transfers 123002 to 123007
        SipCallInfo[] third = connectedCall("123002");
        Map<String, Object> transfer = new HashMap<>(leg(third[0]));
        transfer.put(PortaSipConstants.CLD, "123007");
        assertTrue(call("transferCall", transfer, PortaSipSuccess.class).isSuccess());
        SipCallInfo gone = await("the transferor's leg ends", state(third[0].call().id(), "terminated"));
        assertEquals("blind transfer", gone.reason());
    }

    @Test
    void answerPromptsAndDtmfOnAnIvrCall() throws Exception {
        assertTrue(call("enableApiNotifications", Map.of(PortaSipConstants.I_IVR_AN, I_IVR_AN), PortaSipSuccess.class)
                .isSuccess());
        String id = sim.ivrCall("123002", I_IVR_AN);
        SipCallInfo ringing = await("the IVR leg rings", i -> i.call().id().startsWith(id.split("~")[0])
                && "ringing".equals(i.state()));
        Map<String, Object> leg = new HashMap<>(leg(ringing));
        leg.put(PortaSipConstants.CALLEE_ANSWER_MODE, "Notify");
        assertTrue(call("answerCall", leg, PortaSipSuccess.class).isSuccess());
        await("answered", state(ringing.call().id(), "connected"));

        Map<String, Object> play = new HashMap<>(leg(ringing));
        play.put(PortaSipConstants.URL, "https://prompts.example.com/welcome");
        play.put(PortaSipConstants.ORDER, 3);
        assertTrue(call("playPrompt?repeat=1", play, PortaSipSuccess.class).isSuccess());
        SipCallInfo done = await("play_prompt_completed", i -> ringing.call().id().equals(i.call().id())
                && "play_prompt_completed".equals(i.ivrEvent()));
        assertEquals(3, done.order());
        assertTrue(call("stopPlayPrompt?order=2", leg(ringing), PortaSipSuccess.class).isSuccess());

        assertTrue(call("startDtmfDetect", leg(ringing), PortaSipSuccess.class).isSuccess());
        assertTrue(sim.faults().sendDtmf(ringing.call().id(), "7") > 0);
        SipCallInfo digit = await("dtmf", i -> "dtmf_digit_detected".equals(i.ivrEvent()));
        assertEquals("7", digit.dtmfDigit());
        assertTrue(call("stopDtmfDetect", leg(ringing), PortaSipSuccess.class).isSuccess());
        call("terminateCall", leg(ringing), PortaSipSuccess.class);
        call("disableApiNotifications", Map.of(PortaSipConstants.I_IVR_AN, I_IVR_AN), PortaSipSuccess.class);
    }

    // ---- errors -------------------------------------------------------------------------------------------------

    @Test
    void errorsInBothEnvelopesAreTyped() {
        Map<String, Object> nobody = Map.of(PortaSipConstants.CALL, Map.of("id", "nobody@10.0.0.1", "tag", "x"),
                PortaSipConstants.TRANSPORT_ID, "10.0.0.1:5060");
        for (ErrorEnvelope envelope : ErrorEnvelope.values()) {
            sim.faults().errorEnvelope(envelope);
            PortaSipCallControlException e = assertInstanceOf(PortaSipCallControlException.class,
                    failure("holdCall", nobody));
            assertEquals("sip.call_not_found", e.getCode(), envelope + ": " + e.getMessage());
            assertEquals(Kind.REFUSED, e.getKind());
            assertEquals("hold_call", e.getOperation());
            assertTrue(e.getMessage().contains("cseq " + e.getCseq()), e.getMessage());
            assertNotNull(e.getDetails());

            PortaSipCallControlException list = assertInstanceOf(PortaSipCallControlException.class,
                    failure("getSipCallsList?iIvrAn=" + I_IVR_AN, Map.of()));
            assertEquals("Server.CallControl.get_sip_calls_list.not_subscribed", list.getCode());
            PortaSipCallControlException denied = assertInstanceOf(PortaSipCallControlException.class,
                    failure("enableApiNotifications?iCustomer=31", Map.of()));
            assertEquals("Server.CallControl.enable_api_notifications.access_denied", denied.getCode());
        }
        sim.faults().socketError("terminate_call", "internal_error", "Internal server error", "boom");
        PortaSipException internal = failure("terminateCall", nobody);
        assertEquals("internal_error", internal.getCode());
        assertEquals(Kind.NO_ANSWER, internal.getKind(), "an internal error: carried out or not, unknown");
        sim.faults().callControlDisabled(true);
        assertEquals("sip.call_control_disabled", failure("holdCall", nobody).getCode());
        sim.faults().callControlDisabled(false);
        // the server's own parameter check
        assertEquals("sip.wrong_parameters", failure("originateAdvancedCall?billId=999999&callerId=123001"
                + "&calleeId=123002", Map.of()).getCode());
        // refused before sending
        assertEquals(Kind.INVALID_REQUEST, failure("holdCall", Map.of()).getKind());
        assertEquals(Kind.INVALID_REQUEST, failure("getSipCallsList", Map.of()).getKind());
        assertEquals(Kind.INVALID_REQUEST, failure("getSipCallsList?iAccount=1&iCustomer=2", Map.of()).getKind());
        assertEquals(Kind.INVALID_REQUEST, failure("playPrompt?order=4&url=x", nobody).getKind());
    }

    @Test
    void aReplyThatNeverComesTimesOutNamingTheMethodAndCseq() {
        sim.faults().neverAnswer("hold_call");
        long start = System.nanoTime();
        PortaSipException e = failure("holdCall?callControlTimeout=300&callId=x@1&callTag=t", Map.of());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
        assertInstanceOf(PortaSipConnectionException.class, e);
        assertEquals(Kind.NO_ANSWER, e.getKind());
        assertEquals("TIMEOUT", e.getCode());
        assertTrue(e.getMessage().contains("hold_call") && e.getMessage().contains("cseq"), e.getMessage());
        assertEquals(0, socket.pendingRequests());
        // the socket goes on
        assertTrue(call("enableApiNotifications?iAccount=" + I_ACCOUNT, Map.of(), PortaSipSuccess.class).isSuccess());
    }

    @Test
    void aDroppedSocketFailsWhatWaitsAndTheNextRequestReconnects() throws Exception {
        call("enableApiNotifications?iAccount=" + I_ACCOUNT, Map.of(), PortaSipSuccess.class);
        long sockets = socket.connectionCount();
        int ups = connected.get();
        int downs = disconnected.get();
        sim.faults().neverAnswer("get_sip_calls_list");
        CompletableFuture<PortaSipException> waiting = CompletableFuture.supplyAsync(
                () -> failure("getSipCallsList?callControlTimeout=10000&iAccount=" + I_ACCOUNT, Map.of()));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (socket.pendingRequests() == 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        sim.faults().dropSockets();
        PortaSipException e = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(Kind.NO_ANSWER, e.getKind(), e.getMessage());
        assertEquals("SOCKET_CLOSED", e.getCode());
        assertTrue(e.getMessage().contains("get_sip_calls_list"), e.getMessage());
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (disconnected.get() == downs && System.nanoTime() < end) {
            Thread.sleep(5); // told on the event loop, after the waiting request was failed
        }
        assertEquals(downs + 1, disconnected.get());

        // the next request opens a new socket, logs in, and the listener subscribes before it is sent
        List<?> calls = call("getSipCallsList?iCustomer=" + I_CUSTOMER, Map.of(), List.class);
        assertNotNull(calls);
        assertEquals(sockets + 1, socket.connectionCount());
        assertEquals(ups + 1, connected.get());
        assertEquals(1, sim.connections());
    }

    @Test
    void aRefusedConnectionIsUnreachableAndTheNextRequestTriesAgain() {
        socket.disconnect();
        sim.faults().refuseConnections(true);
        PortaSipException e = failure("getSipCallsList?iCustomer=" + I_CUSTOMER, Map.of());
        assertInstanceOf(PortaSipConnectionException.class, e);
        assertEquals(Kind.UNREACHABLE, e.getKind(), e.getMessage());
        sim.faults().refuseConnections(false);
        assertNotNull(call("getSipCallsList?iCustomer=" + I_CUSTOMER, Map.of(), List.class));
        assertTrue(socket.isConnected());
    }

    @Test
    void anExpiredSessionLogsTheSocketInAgainOnce() {
        call("enableApiNotifications?iAccount=" + I_ACCOUNT, Map.of(), PortaSipSuccess.class);
        long sockets = socket.connectionCount();
        int logins = sim.requestCount("Session", "login");
        sim.faults().expireSessions();
        assertTrue(call("enableApiNotifications?iAccount=" + I_ACCOUNT, Map.of(), PortaSipSuccess.class).isSuccess());
        assertEquals(logins + 1, sim.requestCount("Session", "login"));
        assertEquals(sockets, socket.connectionCount(), "the same socket");
    }

    @Test
    void oneSocketForEveryEndpointAndParallelRequestsPairedByCseq() throws Exception {
        call("enableApiNotifications?iAccount=" + I_ACCOUNT, Map.of(), PortaSipSuccess.class);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String uri = i % 2 == 0 ? "getSipCallsList?iAccount=" + I_ACCOUNT
                        : "enableApiNotifications?callControlTimeout=4000&iAccount=" + I_ACCOUNT;
                Class<?> type = i % 2 == 0 ? List.class : PortaSipSuccess.class;
                results.add(pool.submit(() -> call(uri, Map.of(), type)));
            }
            for (int i = 0; i < results.size(); i++) {
                Object r = results.get(i).get(10, TimeUnit.SECONDS);
                assertTrue(i % 2 == 0 ? r instanceof List : r instanceof PortaSipSuccess, i + ": " + r);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, sim.connections(), "one socket for every endpoint of 123001");
    }

    @Test
    void framesWithoutCseqGoToTheListeners() throws Exception {
        socket.connect();
        sim.faults().sendRaw("not json at all");
        sim.faults().sendRaw("{\"action\":\"update\",\"event\":\"x\"}");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(frames.contains("not json at all") && frames.contains("{\"action\":\"update\",\"event\":\"x\"}"))
                && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue(frames.contains("not json at all"));
    }

    // ---- TLS, log -----------------------------------------------------------------------------------------------

    @Test
    void wssWithATrustStoreAndNeverWithout(@TempDir Path dir) throws Exception {
        try (PortaSipSimulator tls = PortaSipSimulator.builder().tls().start()) {
            Path store = dir.resolve("trust.p12");
            tls.writeTrustStore(store, "pw-1234".toCharArray());
            String base = "enableApiNotifications?iAccount=1002&address=" + tls.address()
                    + "&login=123002&password=RAW(secret002)";
            assertTrue(call(base + "&trustStore=" + store + "&trustStorePassword=RAW(pw-1234)", Map.of(),
                    PortaSipSuccess.class).isSuccess());
            PortaSipException e = failure(base + "&connectTimeout=2000", Map.of());
            assertEquals(Kind.UNREACHABLE, e.getKind(), e.getMessage());
            assertTrue(e.getMessage().contains("trustStore"), e.getMessage());
        }
    }

    @Test
    void noPasswordOrSessionIdInTheLog() {
        List<String> lines = new ArrayList<>();
        try (DebugLog debug = DebugLog.of("io.pbxbridge"); LogCapture log = LogCapture.open()) {
            String me = "&login=123003&password=RAW(secret003)";
            call("enableApiNotifications?iAccount=1003" + me, Map.of(), PortaSipSuccess.class);
            sim.faults().expireSessions();
            call("getSipCallsList?iAccount=1003" + me, Map.of(), List.class);
            lines.add(failure("getSipCallsList?iAccount=1003&login=123007&password=RAW(bad-password-7)",
                    Map.of()).getMessage());
            for (Level level : new Level[] { Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR }) {
                for (LogEvent e : log.events(level, "")) {
                    lines.add(e.getMessage().getFormattedMessage());
                    if (e.getThrown() != null) {
                        lines.add(String.valueOf(e.getThrown().getMessage()));
                    }
                }
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("get_sip_calls_list")), lines.toString());
        for (String l : lines) {
            assertFalse(l.contains("secret003") || l.contains("bad-password-7"), "a password in: " + l);
            assertFalse(l.matches("(?s).*\\b[0-9a-f]{32}\\b.*"), "something like a session id in: " + l);
        }
    }
}
