package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/**
 * MOR's session cookie: logged in on first use, once for all the calls that need it; a page answered with the login
 * page (session expired) makes one re-login and is sent again once, a write included (MOR did not carry it out).
 */
class MorSessionTest {

    MorSim mor;

    @BeforeEach
    void start() {
        mor = MorSim.start();
    }

    @AfterEach
    void stop() {
        mor.close();
    }

    int logins() {
        return mor.sim.requestCount("login");
    }

    @Test
    void theFirstCallLogsInAndTheOthersUseItsSession() {
        assertEquals(0, logins());
        mor.call("mainPage", MainPage.class);
        mor.call("devices", Devices.class);
        mor.call("callsPeriod", MorComponentTest.week(), CallList.class);
        assertEquals(1, logins());
        assertEquals(1, mor.sim.sessionCount());
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheReadSentAgain() {
        mor.call("mainPage", MainPage.class);
        mor.sim.faults().expireSessions();
        MainPage again = mor.call("mainPage", MainPage.class);
        assertEquals("2", again.userId());
        assertEquals(2, logins());
        assertEquals(3, mor.sim.requestCount("main"), "one answered with the login page, sent again once");
    }

    @Test
    void aWriteAnsweredWithTheLoginPageWasNotDoneAndIsSentAgainOnce() {
        mor.call("mainPage", MainPage.class);
        int entries = mor.sim.user().phonebook().size();
        mor.sim.faults().expireSessions();
        MorAction added = mor.call("addPhonebookEntry?number=37065550000&name=Renewed", MorAction.class);
        assertEquals("Record added", added.statusMessage());
        assertEquals(entries + 1, mor.sim.user().phonebook().size(), "added once");
        assertEquals(2, mor.sim.requestCount("addPhonebookEntry"));
        assertEquals(2, logins());

        int callbacks = mor.sim.callbacks().size();
        mor.sim.faults().expireSessions();
        mor.call("callback?src=37061111111&dst=12125550000&deviceId=1", MorAction.class);
        assertEquals(callbacks + 1, mor.sim.callbacks().size(), "one callback, not two");
    }

    @Test
    void anExportAnsweredWithTheLoginPageToo() throws Exception {
        mor.call("mainPage", MainPage.class);
        mor.sim.faults().expireSessions();
        try (MorExport csv = mor.call("exportRatesCsv", MorExport.class)) {
            assertTrue(new String(csv.readAllBytes()).startsWith("ratename,"));
        }
        assertEquals(2, logins());
    }

    @Test
    void eightThreadsLogInOnceAndAfterExpiryOnceAgain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            runTogether(pool, 8);
            assertEquals(1, logins());
            mor.sim.faults().expireSessions();
            runTogether(pool, 8);
            assertEquals(2, logins());
        } finally {
            pool.shutdownNow();
        }
    }

    private void runTogether(ExecutorService pool, int n) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<MainPage>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return mor.call("mainPage", MainPage.class);
            }));
        }
        go.countDown();
        for (Future<MainPage> f : calls) {
            assertEquals("2", f.get(10, TimeUnit.SECONDS).userId());
        }
    }

    /**
     * A MOR that accepts the login but never the cookie (a proxy that drops it, another path): the page is sent again
     * once after one re-login, then the login page is the caller's failure, not a loop. A redirect to the login page
     * (a Rails application's answer without a session) is read the same way.
     */
    @Test
    void aLoginPageAfterAFreshLoginIsThrownNotLooped() throws Exception {
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger pages = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String path = ex.getRequestURI().getPath();
                byte[] body;
                if (path.equals("/api/login")) {
                    logins.incrementAndGet();
                    ex.getResponseHeaders().add("Set-Cookie", "_mor_session=" + logins.get() + "; Path=/; HttpOnly");
                    body = ("<?xml version=\"1.0\" encoding=\"utf-8\">\n<action><name>login</name><status>ok"
                            + "</status><status_message>Succesfully logged in</status_message></action>").getBytes();
                } else if (path.equals("/devices/user_devices")) {
                    pages.incrementAndGet();
                    ex.getResponseHeaders().add("Location", "http://127.0.0.1/callc/login");
                    ex.sendResponseHeaders(302, -1);
                    return;
                } else {
                    pages.incrementAndGet();
                    body = MorXmlReaderTest.sample("login-form").getBytes();
                }
                ex.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            String at = "?address=http://127.0.0.1:" + server.getAddress().getPort();
            MorLoggedOutException e = assertInstanceOf(MorLoggedOutException.class, mor.failure("mainPage" + at));
            assertEquals(MorLoggedOutException.CODE, e.getCode());
            assertTrue(e.getMessage().contains("login page"), e.getMessage());
            assertTrue(e.provesNotExecuted());
            assertEquals(2, logins.get());
            assertEquals(2, pages.get());

            MorLoggedOutException redirected = assertInstanceOf(MorLoggedOutException.class,
                    mor.failure("devices" + at));
            assertTrue(redirected.getMessage().contains("redirected to its login page"), redirected.getMessage());
            assertEquals(4, logins.get(), "a login for the call (the last session was dropped), one renewal");
            assertEquals(4, pages.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aFailingLoginIsThrownToEveryCallWaitingForIt() {
        MorAuthenticationException e = assertInstanceOf(MorAuthenticationException.class,
                mor.failure("devices?password=not-the-password"));
        assertEquals(MorAuthenticationException.LOGIN_FAILED, e.getCode());
        assertEquals(0, mor.sim.requestCount("devices"), "not sent without a session");
    }
}
