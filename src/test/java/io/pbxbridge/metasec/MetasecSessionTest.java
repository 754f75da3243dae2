package io.pbxbridge.metasec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.testsupport.DebugLog;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.vendor.VendorException;

/**
 * Sessions against the simulator, counting its requests: the login is a POST, done once and shared; after an expired
 * session (a bare 0) an action safe to repeat logs in again and is sent once more, an action with effects is sent
 * once and fails; an idle session is renewed before anything is sent; a dropped or slow answer is never repeated;
 * files are streamed; neither the password nor a session id reaches the log.
 */
class MetasecSessionTest {

    MetasecSimulator sim;
    CamelContext camel;
    ProducerTemplate template;

    void start(MetasecSimulator.Builder b, long sessionIdleTimeout, int requestTimeout) {
        sim = b.start();
        camel = new DefaultCamelContext();
        MetasecComponent component = new MetasecComponent();
        MetasecConfiguration c = component.getConfiguration();
        c.setAddress(sim.address());
        c.setPath(sim.path());
        c.setUser(MetasecSimulator.DEFAULT_USER);
        c.setPassword(MetasecSimulator.DEFAULT_PASSWORD);
        c.setRequestTimeout(requestTimeout);
        c.setSessionIdleTimeout(sessionIdleTimeout);
        camel.addComponent("metasec", component);
        camel.start();
        template = camel.createProducerTemplate();
    }

    void start() {
        start(MetasecSimulator.builder().ringTime(null).prioCloseTime(Duration.ofMillis(10)), 0, 3000);
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    Exchange send(String uri) {
        return template.request("metasec:" + uri, e -> {
        });
    }

    Object ok(String uri) {
        Exchange ex = send(uri);
        if (ex.getException() != null) {
            throw new AssertionError(uri, ex.getException());
        }
        return ex.getMessage().getBody();
    }

    MetasecException failed(String uri) {
        Exchange ex = send(uri);
        assertNotNull(ex.getException(), uri + " did not fail");
        return assertInstanceOf(MetasecException.class, ex.getException());
    }

    @Test
    void oneLoginByPostForEveryEndpoint() {
        start();
        ok("q_list");
        ok("relay_list");
        ok("call?dst=1001");
        ok("call_status_get?filter=1001");
        assertEquals(1, sim.requestCount("login"), "one session for every endpoint");
        assertEquals(0, sim.refusedGetLogins(), "the login is a POST with the credentials in its form");
        assertEquals(1, sim.sessionCount());
    }

    @Test
    void anExpiredSessionIsRenewedOnceForASafeAction() {
        start();
        ok("call?dst=1001");
        sim.faults().expireSessions();
        MetasecList<?> calls = (MetasecList<?>) ok("call_list_all");
        assertEquals(2, calls.size());
        assertEquals(2, sim.requestCount("call_list_all"), "sent again once, with the new session");
        assertEquals(2, sim.requestCount("login"));

        // answered 0 with the new session too: that failure is thrown, not a third request
        sim.faults().expireSessions();
        sim.faults().refuseNext("call_list_all");
        MetasecRefusedException twice = assertInstanceOf(MetasecRefusedException.class, failed("call_list_all"));
        assertTrue(twice.sessionMayHaveExpired());
        assertEquals(4, sim.requestCount("call_list_all"));
        assertEquals(3, sim.requestCount("login"));
    }

    @ParameterizedTest
    @CsvSource({ "call?dst=1001, call", "call_prio?dst=1002, call_prio", "call_hangup?chan=SIP/1004-00000010, call_hangup",
        "relay_status_set?relayId=17&relayStatus=1, relay_status_set", "agent_login?queue=VMX, agent_login",
        "'call_create_conf?stations=1001,1002&breakCalls=true', call_create_conf" })
    void anActionWithEffectsIsNeverSentTwice(String uri, String action) {
        start();
        ok("q_list"); // logged in
        int channels = sim.channels().size();
        sim.faults().expireSessions();
        MetasecRefusedException e = assertInstanceOf(MetasecRefusedException.class, failed(uri));
        assertEquals(action, e.getAction());
        assertEquals(VendorException.Kind.REFUSED, e.getKind());
        assertTrue(e.sessionMayHaveExpired());
        assertEquals(1, sim.requestCount(action), "not sent again after the 0");
        assertEquals(1, sim.requestCount("login"), "no login between");
        assertEquals(channels, sim.channels().size());
        assertEquals(0, sim.relaySwitches("17"));
        // the session was dropped: the next request logs in first
        ok("q_list");
        assertEquals(2, sim.requestCount("login"));
    }

    @Test
    void anIdleSessionIsRenewedBeforeAnActionWithEffects() throws Exception {
        start(MetasecSimulator.builder().ringTime(null).sessionIdleTimeout(Duration.ofMillis(200)), 150, 3000);
        ok("q_list");
        Thread.sleep(300); // the server forgot the session; the component knows it was idle
        ok("call?dst=1001");
        assertEquals(1, sim.requestCount("call"));
        assertEquals(2, sim.requestCount("login"));
        assertEquals(2, sim.channels().size());
    }

    @Test
    void aDroppedOrSlowAnswerIsNotRepeated() {
        start(MetasecSimulator.builder().ringTime(null), 0, 500);
        sim.faults().dropNext("call");
        MetasecConnectionException dropped = assertInstanceOf(MetasecConnectionException.class, failed("call?dst=1001"));
        assertEquals(VendorException.Kind.NO_ANSWER, dropped.getKind());
        assertFalse(dropped.provesNotExecuted());
        assertEquals(1, sim.requestCount("call"));
        assertEquals(2, sim.channels().size(), "carried out, the answer lost");

        sim.faults().slowNext("call_list_all", Duration.ofMillis(1500));
        MetasecConnectionException slow = assertInstanceOf(MetasecConnectionException.class, failed("call_list_all"));
        assertTrue(slow.isTransient());
        assertEquals(1, sim.requestCount("call_list_all"), "a timeout is no expired session: not sent again");

        sim.faults().failNext("relay_status_set", 503);
        MetasecConnectionException unavailable = assertInstanceOf(MetasecConnectionException.class,
                failed("relay_status_set?relayId=17&relayStatus=1"));
        assertEquals("HTTP 503", unavailable.getCode());
        assertEquals(1, sim.requestCount("relay_status_set"));
    }

    @Test
    void malformedLinesAreReportedAndTheRestRead() {
        start();
        ok("call?dst=1001");
        sim.faults().malformedLines(true);
        try (LogCapture log = LogCapture.open()) {
            MetasecList<?> calls = (MetasecList<?>) ok("call_list_all");
            assertEquals(2, calls.size());
            assertFalse(calls.complete());
            assertEquals(List.of("<br />", "<b>Notice</b>:  Undefined offset: 12 in <b>/var/www/webtapi/webtapi.php</b> "
                    + "on line <b>214</b><br />", "SIP/1009-000000ff!Callme!7777"), calls.malformed());
            List<String> warnings = log.messages(Level.WARN, "MetasecClient");
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("call_list_all: 3 of 5 lines"), warnings.get(0));
            MetasecList<?> relays = (MetasecList<?>) ok("relay_list");
            assertEquals(3, relays.size());
            assertEquals(2, relays.malformed().size());
        }
    }

    @Test
    void filesAreHandedOverAsTheyArrive() throws Exception {
        start(MetasecSimulator.builder().streamFrames(20).streamFrameInterval(Duration.ofMillis(100)), 0, 3000);
        long start = System.nanoTime();
        try (MetasecFile stream = (MetasecFile) ok("vmx_cam_get_stream?camId=44")) {
            long handedOver = System.nanoTime() - start;
            assertTrue(handedOver < 1_500_000_000L, "the 2 s stream was handed over after " + handedOver / 1_000_000
                    + " ms");
            byte[] first = stream.readNBytes(200);
            assertTrue(new String(first, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("--webtapiframe"));
            // closing without reading the rest gives up the stream
        }
        assertTrue(System.nanoTime() - start < 1_900_000_000L);

        sim.addRecording("long.wav", Duration.ofSeconds(120)); // 1.9 MB
        try (MetasecFile wav = (MetasecFile) ok("call_record_get?monitorFile=long.wav")) {
            assertEquals(44 + 120 * 16_000, wav.contentLength());
            assertTrue(wav.available() < wav.contentLength(), "the recording was read whole before it was handed over");
            long total = 0;
            byte[] buffer = new byte[8192];
            for (int n; (n = wav.read(buffer)) > 0;) {
                total += n;
            }
            assertEquals(wav.contentLength(), total);
        }
    }

    @Test
    void neitherThePasswordNorASessionIdIsLogged() throws Exception {
        List<String> seen = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        try (DebugLog a = DebugLog.of("io.pbxbridge"); DebugLog b = DebugLog.of("org.apache.camel");
             LogCapture log = LogCapture.open()) {
            start();
            ok("q_list");
            sids.addAll(sim.sessionIds());
            sim.faults().expireSessions();
            ok("relay_list"); // re-login, retried
            sids.addAll(sim.sessionIds());
            sim.faults().expireSessions();
            seen.add(failed("call?dst=1001").getMessage()); // 0 with an expired session
            ok("q_list");
            sids.addAll(sim.sessionIds());
            sim.faults().malformedLines(true);
            ok("call_list_all");
            sim.faults().failNext("q_list", 500);
            seen.add(failed("q_list").getMessage());
            seen.add(failed("login?user=1001&password=not-the-password").getMessage());
            for (Level level : List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
                for (LogEvent e : log.events(level, "")) {
                    seen.add(e.getMessage().getFormattedMessage());
                    for (Throwable t = e.getThrown(); t != null; t = t.getCause()) {
                        seen.add(String.valueOf(t.getMessage()));
                    }
                }
            }
        }
        assertTrue(sids.size() >= 3, sids.toString());
        assertTrue(seen.stream().anyMatch(m -> m.contains("SID=xxxxxx")), "the requests were logged, masked");
        for (String m : seen) {
            assertFalse(m.contains(MetasecSimulator.DEFAULT_PASSWORD), m);
            assertFalse(m.contains("not-the-password"), m);
            for (String sid : sids) {
                assertFalse(m.contains(sid), m);
            }
        }
    }

    @Test
    void theSessionIsSharedAndRenewedOnceUnderConcurrentCalls() throws Exception {
        start();
        ok("q_list");
        sim.faults().expireSessions();
        List<Thread> threads = new ArrayList<>();
        List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> results.add(send("relay_list").getException() == null));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(8, results.size());
        assertTrue(results.stream().allMatch(Boolean.TRUE::equals), results.toString());
        assertEquals(2, sim.requestCount("login"), "one new login for every call that met the expired session");
    }
}
