package io.pbxbridge.sandbox.mor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import io.pbxbridge.sandbox.SimulatorHttpServer;
import io.pbxbridge.sandbox.mor.MorPages.Answer;
import io.pbxbridge.sandbox.mor.MorPages.Req;

/**
 * An in-process MOR (Kolmisoft) server of the "API by pages" ({@code mor-xml-api.txt}: 17 sections, 33
 * operations, see {@link MorOperation}) on a real socket bound to 127.0.0.1, with real state per user
 * ({@link MorUser}) and {@link MorFaults fault injection}. It follows the spec and mor-common.md:
 * <ul>
 * <li>Every page sits under a configurable base path ({@link Builder#basePath}; default empty, real installations
 * {@code /billing}); with the default one, {@code /billing/stats/user_stats} (the spec's own link) is Detailed
 * statistics too. GET and POST are accepted everywhere; parameters are query parameters and form fields
 * ({@code application/x-www-form-urlencoded}), a form field winning over a query parameter of the same name.</li>
 * <li>Login: {@code <base>/api/login?u=&p=} (credentials in the query; form fields accepted too) answers
 * {@code <action>} login ok with the cookie {@code _mor_session=<32 hex>; Path=/; HttpOnly}, or status failed
 * "Invalid username or password" without a cookie. {@code <base>/callc/login} is the login form.</li>
 * <li>Every other page needs the session cookie: without a valid one (none, unknown, expired by
 * {@link MorFaults#expireSessions()}) it answers HTTP 200 with the login form page and does nothing.</li>
 * <li>Then, while {@link #requireHash(boolean)} is on (default), {@code user_id} must be the session's user
 * (else {@code <page><error>User was not found</error></page>}, also for a missing or unknown one) and {@code hash}
 * the lowercase hex SHA-1 of the values of {@code user_id} and the operation's
 * {@link MorOperation#hashedParameters() hashed parameters} (absent or empty ones skipped), then the API secret
 * key (else {@code <page><error>Incorrect hash</error></page>}); nothing is done. While it is off, {@code user_id}
 * and {@code hash} are not looked at: the session names the user.</li>
 * <li>Unknown paths answer 404 with an HTML page, as Rails does.</li>
 * </ul>
 * The pages and the decisions the spec leaves open are described in {@link MorPages}. Answers are
 * {@code text/xml; charset=utf-8}; call lists and CSV exports are written as they are made (chunked), never held
 * whole. Nothing logged holds a password, the API key, a hash or a query string.
 *
 * <p>Sample data ({@link Builder} defaults): user {@code demo} / {@code demo-secret}, user_id 2, API secret key
 * {@code sandbox-api-key}, balance 100 USD, credit 50 USD, devices SIP/101 (id 1), FAX/102 (id 2), IAX2/103 (id 3)
 * with their call flows, 40 calls over the last 7 days (some missed, the older ones partly processed), CLIs,
 * phonebook entries, faxes, payments, invoices, subscriptions. Calls for harvest tests: {@link #addCalls},
 * {@link #addCall} (an older date is a call written late; two identical calls in the same second are two calls);
 * in sandbox mode {@link Builder#callTrickle} adds a call (now and then a fax) every interval.
 *
 * <pre>{@code
 * try (MorSimulator sim = MorSimulator.builder().start()) {
 *     String login = sim.address() + "/api/login?u=demo&p=demo-secret";
 *     ...
 * }
 * }</pre>
 */
public final class MorSimulator implements AutoCloseable {

    /** The session cookie's name. */
    public static final String COOKIE = "_mor_session";
    public static final String DEFAULT_API_KEY = "sandbox-api-key";

    private static final Logger LOG = LoggerFactory.getLogger(MorSimulator.class);
    private static final String TEXT_HTML = "text/html; charset=utf-8";

    public static Builder builder() {
        return new Builder();
    }

    private record UserSpec(int id, String username, String password) {
    }

    /** Options of a simulator; every one has a default. */
    public static final class Builder {
        private int port;
        private String basePath = "";
        private String apiKey = DEFAULT_API_KEY;
        private final List<UserSpec> users = new ArrayList<>();
        private boolean requireHash = true;
        private Duration callTrickle;
        private long seed = 20_240_601L;
        private int initialCalls = 40;
        private ZoneId zone = ZoneOffset.UTC;
        private Clock clock = Clock.systemUTC();
        private Duration newCallsWindow = Duration.ofHours(1);

        private Builder() {
        }

        /** The port to listen on; 0 (default) = a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** The path every page is under, e.g. {@code /billing}; default empty. */
        public Builder basePath(String basePath) {
            String b = Objects.requireNonNull(basePath, "basePath").trim();
            while (b.endsWith("/")) {
                b = b.substring(0, b.length() - 1);
            }
            if (!b.isEmpty() && !b.startsWith("/")) {
                b = "/" + b;
            }
            this.basePath = b;
            return this;
        }

        /** The API secret key of the hashes (default {@value #DEFAULT_API_KEY}). */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * Adds a user. Without any call to this method the simulator has one, {@code demo} / {@code demo-secret},
         * user_id 2; with calls, exactly the users added (the first is the one {@link MorSimulator}'s shortcuts act
         * on).
         */
        public Builder user(int id, String username, String password) {
            if (id <= 0) {
                throw new IllegalArgumentException("user id " + id);
            }
            users.add(new UserSpec(id, Objects.requireNonNull(username, "username"),
                    Objects.requireNonNull(password, "password")));
            return this;
        }

        /** Whether {@code user_id} and {@code hash} are checked (default true); see {@link MorSimulator#requireHash}. */
        public Builder requireHash(boolean requireHash) {
            this.requireHash = requireHash;
            return this;
        }

        /** A new call for every user (now and then a fax) every {@code interval}; null (default) = off. */
        public Builder callTrickle(Duration interval) {
            if (interval != null && (interval.isZero() || interval.isNegative())) {
                throw new IllegalArgumentException("callTrickle interval must be positive: " + interval);
            }
            this.callTrickle = interval;
            return this;
        }

        /** Seed of the generated data (numbers, outcomes, durations, device passwords). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Calls in each user's list at start, over the last 7 days (default 40). */
        public Builder initialCalls(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("initialCalls " + n);
            }
            this.initialCalls = n;
            return this;
        }

        /** The server's time zone: dates in pages and "today" (default UTC). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The server's clock (default the system's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a call that reached the server stays on the New calls page (default 1 hour). */
        public Builder newCallsWindow(Duration window) {
            this.newCallsWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        public MorSimulator build() {
            return new MorSimulator(this);
        }

        /** {@code build().start()}. */
        public MorSimulator start() {
            return build().start();
        }
    }

    private final int requestedPort;
    private final String basePath;
    private final String apiKey;
    private final Duration callTrickle;
    private final Map<Integer, MorUser> users = new LinkedHashMap<>();
    private final MorUser first;
    private final MorPages pages;
    private final MorFaults faults;
    private final Map<String, Integer> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final SecureRandom tokens = new SecureRandom();
    private volatile boolean requireHash;

    // guarded by this
    private final SimulatorHttpServer http = new SimulatorHttpServer("mor-sim");
    private volatile int port = -1;

    private MorSimulator(Builder b) {
        this.requestedPort = b.port;
        this.basePath = b.basePath;
        this.apiKey = b.apiKey;
        this.callTrickle = b.callTrickle;
        this.requireHash = b.requireHash;
        List<UserSpec> specs = b.users.isEmpty() ? List.of(new UserSpec(2, "demo", "demo-secret")) : b.users;
        MorUser.Env env = new MorUser.Env(b.clock, b.zone, new AtomicLong(1000), new AtomicInteger(),
                new SynchronizedRandom(b.seed));
        int index = 0;
        for (UserSpec s : specs) {
            if (users.containsKey(s.id())) {
                throw new IllegalArgumentException("Two users with id " + s.id());
            }
            users.put(s.id(), new MorUser(s.id(), s.username(), s.password(), index++, env, b.initialCalls));
        }
        this.first = users.values().iterator().next();
        this.pages = new MorPages(b.clock, b.zone, b.newCallsWindow);
        this.faults = new MorFaults(basePath, sessions::clear);
    }

    /** A Random whose draws are serialised (the trickle and requests draw from it). */
    private static final class SynchronizedRandom extends Random {
        private static final long serialVersionUID = 1L;

        SynchronizedRandom(long seed) {
            super(seed);
        }

        @Override
        protected synchronized int next(int bits) {
            return super.next(bits);
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------

    /** Starts listening, and the trickle (idempotent); after {@link #stop()} it listens again on the same port. */
    public synchronized MorSimulator start() {
        if (http.listening()) {
            return this;
        }
        port = http.listen(port > 0 ? port : requestedPort, s -> s.createContext("/", this::handle));
        if (callTrickle != null) {
            http.trickle(callTrickle, ms -> users.values().forEach(MorUser::trickle));
        }
        LOG.info("MOR simulator listening on {}", address());
        return this;
    }

    /** Stops listening and the trickle; state (and sessions) are kept. */
    public synchronized void stop() {
        http.stop();
    }

    @Override
    public void close() {
        stop();
    }

    // ---- public API ---------------------------------------------------------------------------------------------

    /** The port listened on. */
    public int port() {
        int p = port;
        if (p <= 0) {
            throw new IllegalStateException("MOR simulator not started");
        }
        return p;
    }

    /** {@code http://127.0.0.1:<port><basePath>}: the spec's paths go after it ({@code address() + "/callc/main"}). */
    public String address() {
        return "http://127.0.0.1:" + port() + basePath;
    }

    /** The base path ("" or e.g. {@code /billing}). */
    public String basePath() {
        return basePath;
    }

    /** The API secret key of the hashes. */
    public String apiKey() {
        return apiKey;
    }

    public MorFaults faults() {
        return faults;
    }

    /** Switches the {@code user_id} + {@code hash} check on (default) or off, at once. */
    public void requireHash(boolean on) {
        this.requireHash = on;
    }

    public boolean requireHash() {
        return requireHash;
    }

    /** The first user (demo, by default): the one the shortcuts below act on. */
    public MorUser user() {
        return first;
    }

    /** The user with this id; IllegalArgumentException if there is none. */
    public MorUser user(int userId) {
        MorUser u = users.get(userId);
        if (u == null) {
            throw new IllegalArgumentException("No user " + userId);
        }
        return u;
    }

    /** The users, in the order they were added. */
    public List<MorUser> users() {
        return List.copyOf(users.values());
    }

    /** Open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Requests received whatever their outcome, by operation name ({@code callsPeriod}), by the spec's path
     * ({@code /stats/call_list}: every operation on it) or by exact path ({@code /devices/callflow/1}); paths with or
     * without the base path. Counted as they arrive, before the session, the hash and the faults.
     */
    public int requestCount(String key) {
        AtomicInteger n = requestCounts.get(normalizeKey(key));
        return n == null ? 0 : n.get();
    }

    /** {@link MorUser#addCalls} of the first user. */
    public void addCalls(int n, Instant from, Instant to) {
        first.addCalls(n, from, to);
    }

    /** {@link MorUser#addCall(Instant)} of the first user. */
    public MorCall addCall(Instant date) {
        return first.addCall(date);
    }

    /** {@link MorUser#addCall(Instant, String, String, int, String)} of the first user. */
    public MorCall addCall(Instant date, String from, String to, int durationSeconds, String hangupCause) {
        return first.addCall(date, from, to, durationSeconds, hangupCause);
    }

    /** {@link MorUser#addMissedCall} of the first user. */
    public MorCall addMissedCall(Instant date, String from) {
        return first.addMissedCall(date, from);
    }

    /** {@link MorUser#calls()} of the first user. */
    public List<MorCall> calls() {
        return first.calls();
    }

    /** {@link MorUser#addFax} of the first user. */
    public MorFax addFax(Instant time, String sender) {
        return first.addFax(time, sender);
    }

    /** The callbacks activated, of every user, in order. */
    public List<MorCallback> callbacks() {
        List<MorCallback> all = new ArrayList<>();
        users.values().forEach(u -> all.addAll(u.callbacks()));
        all.sort((a, b) -> Long.compare(a.callId(), b.callId()));
        return all;
    }

    /** The hash of {@code values} (user_id first, then the hashed parameters in order) with {@code apiKey}. */
    public static String hash(String apiKey, String... values) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String v : values) {
                if (v != null) {
                    sha1.update(v.getBytes(StandardCharsets.UTF_8));
                }
            }
            sha1.update(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash a request of {@code op} with these parameters must carry (user_id taken from them). */
    public String expectedHash(MorOperation op, Map<String, String> params) {
        List<String> values = new ArrayList<>();
        values.add(params.getOrDefault("user_id", ""));
        for (String name : op.hashedParameters()) {
            String v = params.get(name);
            if (v != null && !v.isEmpty()) {
                values.add(v);
            }
        }
        return hash(apiKey, values.toArray(String[]::new));
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private String normalizeKey(String key) {
        String k = Objects.requireNonNull(key, "key");
        if (!basePath.isEmpty() && k.startsWith(basePath + "/")) {
            k = k.substring(basePath.length());
        }
        while (k.length() > 1 && k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        return k;
    }

    private void count(String key) {
        requestCounts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes(); // keep-alive needs the whole request read
            String full = ex.getRequestURI().getRawPath();
            String path = full;
            if (!basePath.isEmpty()) {
                path = full.startsWith(basePath + "/") ? full.substring(basePath.length()) : null;
            }
            if (path != null) {
                path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
                while (path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
            }
            if (path != null && basePath.isEmpty() && path.equals("/billing/stats/user_stats")) {
                path = "/stats/user_stats"; // the spec's own link of Change dates
            }
            // route: an exact spec path, or a spec path and its segment
            String specPath = null;
            String segment = null;
            if (path != null && MorOperation.knownPath(path)) {
                specPath = path;
            } else if (path != null && path.lastIndexOf('/') > 0) {
                String prefix = path.substring(0, path.lastIndexOf('/'));
                if (MorOperation.knownPath(prefix)) {
                    specPath = prefix;
                    segment = path.substring(path.lastIndexOf('/') + 1);
                }
            }
            Map<String, String> params = params(ex.getRequestURI().getRawQuery(), body,
                    ex.getRequestHeaders().getFirst("Content-Type"));
            MorOperation op = specPath == null ? null : resolve(specPath, segment, params);
            if (path != null) {
                count(path);
            }
            if (op != null) {
                if (!specPath.equals(path)) {
                    count(specPath);
                }
                count(op.operationName());
            }
            List<String> keys = new ArrayList<>(3);
            if (path != null) {
                keys.add(path);
            }
            if (op != null) {
                if (!specPath.equals(path)) {
                    keys.add(specPath);
                }
                keys.add(op.operationName());
            }
            sleep(faults.takeDelay(keys));
            if (op == null || !("GET".equals(method) || "POST".equals(method))) {
                sendHtml(ex, 404, "The page you were looking for doesn't exist.");
                return;
            }
            Answer answer;
            MorUser user = null;
            if (op.authenticated()) {
                user = sessionUser(ex);
                if (user == null) {
                    LOG.debug("{}: no session, answering the login page", op.operationName());
                    send(ex, MorPages.loginPage(""), false);
                    return;
                }
                if (requireHash) {
                    String userId = params.get("user_id");
                    if (userId == null || !userId.trim().equals(Integer.toString(user.id()))) {
                        LOG.debug("{}: user_id is not the session's user", op.operationName());
                        send(ex, MorPages.error("User was not found"), false);
                        return;
                    }
                    String hash = params.get("hash");
                    if (hash == null || !MessageDigest.isEqual(hash.trim().getBytes(StandardCharsets.US_ASCII),
                            expectedHash(op, params).getBytes(StandardCharsets.US_ASCII))) {
                        LOG.debug("{}: incorrect hash", op.operationName());
                        send(ex, MorPages.error("Incorrect hash"), false);
                        return;
                    }
                }
            }
            MorFaults.Fault fault = faults.take(keys);
            if (fault != null && fault.kind() == MorFaults.Kind.FAIL) {
                LOG.debug("{}: injected HTTP {}", op.operationName(), fault.status());
                sendHtml(ex, fault.status(), fault.status() == 503
                        ? "The server is temporarily unable to service your request." : "We're sorry, but something went wrong.");
                return;
            }
            boolean broken = faults.brokenXml();
            Req req = new Req(method, specPath, segment, params);
            if (op == MorOperation.LOGIN) {
                answer = login(ex, req, broken);
            } else {
                answer = pages.handle(op, req, user, broken);
            }
            if (fault != null && fault.kind() == MorFaults.Kind.DROP) {
                LOG.debug("{}: processed, dropping the connection", op.operationName());
                return; // closing the exchange before the headers closes the connection
            }
            send(ex, answer, fault != null && fault.kind() == MorFaults.Kind.TRUNCATE);
        } catch (IOException e) {
            LOG.debug("Exchange failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("MOR simulator failed on {} {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
        }
    }

    /** Which of the operations on {@code specPath} the parameters ask for. */
    private static MorOperation resolve(String specPath, String segment, Map<String, String> params) {
        List<MorOperation> candidates = new ArrayList<>();
        for (MorOperation op : MorOperation.values()) {
            if (op.path().equals(specPath)) {
                candidates.add(op);
            }
        }
        MorOperation chosen = switch (specPath) {
            case "/tariffs/user_rates" -> present(params, "currency") ? MorOperation.CHANGE_CURRENCY : MorOperation.RATES;
            case "/stats/call_list" -> present(params, "search_on", "period_start", "period_end", "direction",
                    "calltype", "device") ? MorOperation.CALLS_PERIOD : MorOperation.CALLS;
            case "/stats/missed_calls" -> present(params, "call_id", "processed") ? MorOperation.PROCESS_CALL
                    : present(params, "search_on", "period_start", "period_end") ? MorOperation.MISSED_CALLS_PERIOD
                    : MorOperation.MISSED_CALLS;
            case "/stats/user_stats" -> present(params, "period_start", "period_end") ? MorOperation.USER_STATS_PERIOD
                    : MorOperation.USER_STATS;
            case "/stats/faxes_list" -> present(params, "search_on", "period_start", "period_end", "fax_status",
                    "device_id") ? MorOperation.FAXES_PERIOD : MorOperation.FAXES;
            case "/devices/callflow_edit" -> present(params, "cf_action", "whattodo") ? MorOperation.CALLFLOW_UPDATE
                    : MorOperation.CALLFLOW_EDIT;
            default -> candidates.get(0);
        };
        if (segment != null && chosen.pathParameter() == null) {
            return null; // e.g. /callc/login/5
        }
        return chosen;
    }

    private static boolean present(Map<String, String> params, String... names) {
        for (String n : names) {
            if (params.containsKey(n)) {
                return true;
            }
        }
        return false;
    }

    private MorUser sessionUser(HttpExchange ex) {
        List<String> cookies = ex.getRequestHeaders().get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String header : cookies) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    Integer id = sessions.get(p.substring(COOKIE.length() + 1));
                    if (id != null) {
                        return users.get(id);
                    }
                }
            }
        }
        return null;
    }

    private Answer login(HttpExchange ex, Req req, boolean broken) {
        String u = req.params().get("u");
        String p = req.params().get("p");
        MorUser found = null;
        for (MorUser user : users.values()) {
            if (user.username().equals(u) && user.password().equals(p)) {
                found = user;
            }
        }
        if (found == null) {
            LOG.debug("login: invalid username or password");
            return MorPages.action(broken, true, "login", false, "Invalid username or password");
        }
        byte[] t = new byte[16];
        tokens.nextBytes(t);
        String token = HexFormat.of().formatHex(t);
        sessions.put(token, found.id());
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly");
        LOG.debug("login: user {} logged in", found.id());
        return MorPages.action(broken, true, "login", true, "Succesfully logged in");
    }

    /** Query parameters, then form fields (a form field wins); the first value of a name. */
    private static Map<String, String> params(String rawQuery, byte[] body, String contentType) {
        Map<String, String> params = new LinkedHashMap<>();
        parseForm(rawQuery, params);
        boolean form = contentType == null || contentType.toLowerCase().startsWith("application/x-www-form-urlencoded");
        if (body.length > 0 && form) {
            Map<String, String> fields = new LinkedHashMap<>();
            parseForm(new String(body, StandardCharsets.US_ASCII), fields);
            params.putAll(fields);
        }
        return params;
    }

    private static void parseForm(String raw, Map<String, String> into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            into.putIfAbsent(name, value);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private void send(HttpExchange ex, Answer a, boolean truncate) throws IOException {
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (a.streamed()) {
            ex.sendResponseHeaders(a.status(), 0);
            try (OutputStream out = ex.getResponseBody()) {
                a.body().write(out, truncate);
            }
            return;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        a.body().write(buf, false);
        byte[] bytes = buf.toByteArray();
        if (truncate) {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        }
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendHtml(HttpExchange ex, int status, String text) throws IOException {
        String title = status == 404 ? "The page you were looking for doesn't exist (404)"
                : status == 503 ? "Service Unavailable (503)" : "We're sorry, but something went wrong (" + status + ")";
        byte[] bytes = ("<!DOCTYPE html>\n<html>\n<head>\n<title>" + title + "</title>\n</head>\n<body>\n<h1>" + text
                + "</h1>\n</body>\n</html>\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", TEXT_HTML);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Convenience for tests and the sandbox: the first user's balance in USD. */
    public BigDecimal balance() {
        return first.balance();
    }
}
