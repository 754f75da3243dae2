package io.pbxbridge.vendor.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.testsupport.DebugLog;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorException.Kind;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpResponse;
import io.pbxbridge.vendor.http.VendorHttpSettings;

/** Sessions against a real HTTP server that issues session ids and expires them on demand. */
class SessionManagerTest {

    static final String PASSWORD = "s3cret-pass";

    /** The server's expiry replies: 401 proves the request was refused, the login page proves nothing. */
    static final SessionExpiryDetector DETECTOR = failure -> switch (String.valueOf(failure.getCode())) {
        case "HTTP 401" -> SessionExpiry.EXPIRED_NOT_EXECUTED;
        case "LOGIN_PAGE" -> SessionExpiry.EXPIRED_OUTCOME_UNKNOWN;
        default -> SessionExpiry.NOT_EXPIRED;
    };

    SessionServer server;
    VendorHttpClient http;
    SessionManager<SessionToken> sessions;
    SessionKey alice;

    @BeforeEach
    void start() throws IOException {
        server = new SessionServer(PASSWORD);
        http = VendorHttpClient.builder("test")
                .settings(VendorHttpSettings.of(Duration.ofSeconds(2), Duration.ofSeconds(10)))
                .secretParameters("sid").build();
        sessions = new SessionManager<>("test", DETECTOR, this::logout);
        alice = new SessionKey(server.address(), "alice");
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    // ---- the vendor's codec ----

    SessionLogin<SessionToken> login(String password) {
        return key -> new SessionToken(http.sendForSuccess(VendorHttpRequest.post(key.address(), "/login")
                .operation("login").form("user", key.account()).form("password", password).build()).bodyAsString());
    }

    void logout(SessionKey key, SessionToken sid) {
        http.sendForSuccess(VendorHttpRequest.post(key.address(), "/logout").operation("logout")
                .form("sid", sid.value()).build());
    }

    String read(SessionToken sid) {
        return reply("read", http.sendForSuccess(VendorHttpRequest.get(server.address(), "/read").operation("read")
                .query("sid", sid.value()).build()));
    }

    String write(SessionToken sid) {
        return reply("write", http.sendForSuccess(VendorHttpRequest.post(server.address(), "/write")
                .operation("write").form("sid", sid.value()).build()));
    }

    static String reply(String operation, VendorHttpResponse response) {
        String body = response.bodyAsString();
        if (body.equals(SessionServer.LOGIN_PAGE)) {
            throw new VendorException("test", operation, "LOGIN_PAGE", null, Kind.MALFORMED_REPLY,
                    "test " + operation + ": the login page came instead of the reply", null);
        }
        return body;
    }

    String read(SessionKey key) {
        return sessions.call(key, login(PASSWORD), true, this::read);
    }

    String write(SessionKey key) {
        return sessions.call(key, login(PASSWORD), false, this::write);
    }

    // ---- tests ----

    @Test
    void theFirstCallLogsInAndEveryCallOfTheAccountSharesTheSession() {
        assertEquals(0, server.logins.get());
        assertEquals("done", read(alice));
        assertEquals("done", write(alice));
        assertEquals("done", read(new SessionKey(server.address(), "alice")));
        assertEquals(1, server.logins.get());
        assertEquals("done", read(new SessionKey(server.address(), "bob")));
        assertEquals(2, server.logins.get());
    }

    @Test
    void callsThatMeetAnExpiredSessionTogetherLogInOnceAndAreEachSentOnceMore() throws Exception {
        int n = 8;
        read(alice);
        server.expireAll();
        server.holdExpiredReplies(n); // all n are sent with the expired session before any learns it expired
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean reads = i % 2 == 0;
                // 401 proves the writes were not carried out: they are sent again too
                replies.add(pool.submit(() -> reads ? read(alice) : write(alice)));
            }
            for (Future<String> r : replies) {
                assertEquals("done", r.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, server.logins.get(), "one re-login for all");
        assertEquals(1 + 2 * n, server.reads.get() + server.writes.get(), "each sent twice");
        assertEquals(1 + n, server.executed.get());
    }

    @Test
    void aRequestThatChangesStateIsNotSentAgainWhenTheReplyDoesNotProveItWasNotCarriedOut() {
        server.expiredReply = SessionServer.ExpiredReply.LOGIN_PAGE;
        read(alice);
        server.expireAll();
        VendorException e = assertThrows(VendorException.class, () -> write(alice));
        assertEquals("LOGIN_PAGE", e.getCode());
        assertEquals(1, server.writes.get(), "sent again");
        // the session is renewed for the calls after it
        assertEquals(1, server.logins.get());
        assertEquals("done", write(alice));
        assertEquals(2, server.logins.get());

        // a read is safe to repeat: sent again
        server.expireAll();
        assertEquals("done", read(alice));
        assertEquals(3, server.logins.get());
        assertEquals(1 + 2, server.reads.get());
    }

    @Test
    void aRequestThatChangesStateIsSentAgainWhenTheReplyProvesItWasNotCarriedOut() {
        read(alice);
        server.expireAll();
        assertEquals("done", write(alice));
        assertEquals(2, server.writes.get());
        assertEquals(1 + 1, server.executed.get());
        assertEquals(2, server.logins.get());
    }

    @Test
    void aSessionThatExpiresAgainAtOnceIsNotRetriedInALoop() {
        server.expireOnUse = true;
        VendorException e = assertThrows(VendorException.class, () -> read(alice));
        assertEquals("HTTP 401", e.getCode());
        assertEquals(2, server.logins.get());
        assertEquals(2, server.reads.get());

        // that session is forgotten: the next call logs in
        server.expireOnUse = false;
        assertEquals("done", read(alice));
        assertEquals(3, server.logins.get());
    }

    @Test
    void aFailingLoginSurfacesOnceToEveryCallWaitingForIt() throws Exception {
        SessionLogin<SessionToken> wrong = login("wrong-pass-9");
        VendorException refused = assertThrows(VendorException.class,
                () -> sessions.call(alice, wrong, true, this::read));
        assertEquals(Kind.REFUSED, refused.getKind());
        assertFalse(refused.isTransient());
        assertEquals("HTTP 403", refused.getCode());
        assertEquals(1, server.logins.get());
        assertEquals(0, server.reads.get());

        // calls that come while the login is under way wait for it and get its failure: one attempt
        server.loginDelayMillis = 500;
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return sessions.call(alice, wrong, true, this::read);
                }));
            }
            go.countDown();
            for (Future<String> c : calls) {
                ExecutionException failed = assertThrows(ExecutionException.class, () -> c.get(10, TimeUnit.SECONDS));
                assertEquals("HTTP 403", ((VendorException) failed.getCause()).getCode());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, server.logins.get());

        // a vendor that cannot be reached: transient, nothing sent
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        VendorException unreachable = assertThrows(VendorException.class,
                () -> read(new SessionKey("http://127.0.0.1:" + closed, "alice")));
        assertEquals(Kind.UNREACHABLE, unreachable.getKind());
        assertTrue(unreachable.isTransient());
    }

    @Test
    void closingLogsEverySessionOut() {
        read(alice);
        read(new SessionKey(server.address(), "bob"));
        sessions.close();
        assertEquals(Set.copyOf(server.issued), Set.copyOf(server.loggedOut));
        assertEquals(2, server.loggedOut.size());
        // and forgets them
        assertEquals("done", read(alice));
        assertEquals(3, server.logins.get());
        server.close();
        assertDoesNotThrow(sessions::close, "best effort");
    }

    @Test
    void sessionIdsAndPasswordsNeverReachTheLogOrAMessage() {
        List<String> messages = new ArrayList<>();
        Function<Runnable, VendorException> failure = call -> {
            VendorException e = assertThrows(VendorException.class, call::run);
            messages.add(e.getMessage());
            return e;
        };
        try (DebugLog debugLog = DebugLog.of("io.pbxbridge.vendor"); LogCapture log = LogCapture.open()) {
            read(alice);
            server.expireAll();
            write(alice); // re-login, sent again
            server.expiredReply = SessionServer.ExpiredReply.LOGIN_PAGE;
            server.expireAll();
            failure.apply(() -> write(alice)); // not sent again
            failure.apply(() -> sessions.call(new SessionKey(server.address(), "eve"), login("wrong-pass-9"), true,
                    this::read));
            read(new SessionKey(server.address(), "bob"));
            server.close();
            sessions.close(); // bob's logout fails: logged
            failure.apply(() -> read(alice));

            for (Level level : new Level[] { Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR }) {
                messages.addAll(log.messages(level));
            }
            assertTrue(log.messages(Level.DEBUG).stream().anyMatch(m -> m.contains("sid=xxxxxx")),
                    "the transport's request lines were not captured");
            assertTrue(log.messages(Level.WARN).stream().anyMatch(m -> m.contains("logging out")),
                    "the failed logout was not logged");
        }
        List<String> secrets = new ArrayList<>(server.issued);
        secrets.add(PASSWORD);
        secrets.add("wrong-pass-9");
        assertEquals(5, secrets.size(), "three sessions were issued");
        String sid = server.issued.get(0);
        messages.add(new SessionToken(sid).toString());
        messages.add(new SessionManager.Session<>(1, new SessionToken(sid)).toString());
        messages.add(new SessionManager.Session<>(1, sid).toString());
        for (String message : messages) {
            for (String secret : secrets) {
                assertFalse(message.contains(secret), message);
            }
        }
    }
}
