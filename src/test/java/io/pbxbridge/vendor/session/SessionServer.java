package io.pbxbridge.vendor.session;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor with sessions, over real HTTP: {@code POST /login} (form {@code user}, {@code password}) answers a new
 * session id or HTTP 403; {@code POST /logout} (form {@code sid}); {@code GET /read?sid=} and {@code POST /write}
 * (form {@code sid}) answer {@code done} with a live session. With a session that is not live they answer as
 * {@link #expiredReply} says: HTTP 401 (refused, so not carried out, as PortaSIP's {@code auth_failed} fault) or the
 * login page with HTTP 200 (as MOR: the client cannot tell what happened). Sessions expire on demand. Counts logins,
 * requests and the requests it carried out.
 */
final class SessionServer implements AutoCloseable {

    enum ExpiredReply {
        REFUSED_401,
        LOGIN_PAGE
    }

    static final String LOGIN_PAGE = "<page><pagename>Login page</pagename></page>";

    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger executed = new AtomicInteger();
    /** Every session id issued, and those logged out. */
    final List<String> issued = new CopyOnWriteArrayList<>();
    final List<String> loggedOut = new CopyOnWriteArrayList<>();

    volatile String password;
    volatile ExpiredReply expiredReply = ExpiredReply.REFUSED_401;
    /** Every session expires at its first use (it is answered as expired). */
    volatile boolean expireOnUse;
    volatile long loginDelayMillis;

    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch expiredGate;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;

    SessionServer(String password) throws IOException {
        this.password = password;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/login", this::login);
        server.createContext("/logout", this::logout);
        server.createContext("/read", ex -> request(ex, reads));
        server.createContext("/write", ex -> request(ex, writes));
        server.start();
    }

    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every live session expires now. */
    void expireAll() {
        live.clear();
    }

    /** The next {@code n} replies to an expired session wait until all {@code n} requests have come (5 s at most). */
    void holdExpiredReplies(int n) {
        expiredGate = new CountDownLatch(n);
    }

    private void login(HttpExchange ex) throws IOException {
        logins.incrementAndGet();
        Map<String, String> form = params(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        sleep(loginDelayMillis);
        if (!password.equals(form.get("password"))) {
            reply(ex, 403, "bad credentials");
            return;
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String sid = HexFormat.of().formatHex(id);
        issued.add(sid);
        live.add(sid);
        reply(ex, 200, sid);
    }

    private void logout(HttpExchange ex) throws IOException {
        String sid = params(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).get("sid");
        loggedOut.add(sid);
        live.remove(sid);
        reply(ex, 200, "1");
    }

    private void request(HttpExchange ex, AtomicInteger counter) throws IOException {
        counter.incrementAndGet();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = ex.getRequestURI().getRawQuery();
        String sid = params(query != null ? query : body).get("sid");
        if (expireOnUse) {
            live.remove(sid);
        }
        if (live.contains(sid)) {
            executed.incrementAndGet();
            reply(ex, 200, "done");
            return;
        }
        CountDownLatch gate = expiredGate;
        if (gate != null) {
            gate.countDown();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (expiredReply == ExpiredReply.REFUSED_401) {
            reply(ex, 401, "session expired");
        } else {
            reply(ex, 200, LOGIN_PAGE);
        }
    }

    private static Map<String, String> params(String encoded) {
        Map<String, String> params = new HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
