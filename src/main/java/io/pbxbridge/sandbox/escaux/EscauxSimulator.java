package io.pbxbridge.sandbox.escaux;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import io.pbxbridge.sandbox.SimulatorHttpServer;
import io.pbxbridge.sandbox.escaux.EscauxBackend.Reply;

/**
 * An in-process Escaux Fusion SOP: the XML/JSON API at {@code /xml/<operation>.php|.json} (also without extension,
 * operation names case-insensitive) with real state ({@link EscauxBackend}), and the event socket
 * ({@code evNewOrigChannel} for incoming calls, {@code evParked} after ccPark, {@code evPong} after ccPing), both
 * on 127.0.0.1. In sandbox mode a trickle of incoming calls keeps events flowing. {@link #faults()} injects
 * failures.
 *
 * <pre>{@code
 * try (EscauxSimulator sim = EscauxSimulator.builder().start()) {
 *     String address = sim.address(); // http://127.0.0.1:<port>
 *     int events = sim.eventPort();
 * }
 * }</pre>
 */
public final class EscauxSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EscauxSimulator.class);

    /** Operations that answer JSON at {@code .json}; fusionQueues* answer only JSON. */
    private static final Set<String> JSON_OPS = Set.of("dbGetDirectoryInfo", "dbGetCallflow", "dbSetProfile",
            "dbGetProfileParameters", "dbSetProfileParameters", "dbGetPhoneState", "dbGetCallHistory",
            "fusionQueuesSet", "fusionQueuesRemove");
    private static final Set<String> JSON_ONLY = Set.of("fusionQueuesSet", "fusionQueuesRemove");
    private static final List<String> OPS = List.of("dbGetDirectoryInfo", "dbGetCallflow", "dbGetNextStatus",
            "dbSetProfile", "dbGetProfileParameters", "dbSetProfileParameters", "dbGetPhoneState", "dbCheckPincode",
            "dbGetCallHistory", "dbGetParkedChannels", "dbGetQueueInfo", "dbAuthenticate", "dbGetRegistration",
            "ccOriginate", "ccHangup", "ccRedirect", "ccHold", "ccPark", "ccJoinPark", "ccPing", "ccGetChannels",
            "ccGetQueueMembers", "ccQueueAdd", "fusionQueuesSet", "ccQueueRemove", "fusionQueuesRemove",
            "ccGetQueueStatus", "ccQueuePause", "ccQueuePauseAll", "ccRecord", "ccSetVar", "ccGetVar", "pumLogin",
            "pumLogout");
    private static final Map<String, String> BY_LOWER = new LinkedHashMap<>();

    static {
        OPS.forEach(o -> BY_LOWER.put(o.toLowerCase(Locale.ROOT), o));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a simulator; every one has a default. */
    public static final class Builder {
        private int httpPort;
        private int eventPort;
        private long seed = 20_240_601L;
        private Duration callTrickle;
        private Duration pumMinInterval = Duration.ofSeconds(90);
        private ZoneId timeZone = ZoneId.systemDefault();

        private Builder() {
        }

        /** HTTP port; 0 (default) = a free port. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** Event socket port (a real SOP: 5050); 0 (default) = a free port. */
        public Builder eventPort(int port) {
            this.eventPort = port;
            return this;
        }

        /** Seed of generated data (CDRs, trickle calls). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** An incoming call every {@code interval} (and older calls end); null (default) = off. */
        public Builder callTrickle(Duration interval) {
            this.callTrickle = interval;
            return this;
        }

        /** Minimum time between PUM calls for one extension, enforced with an error (default 90 s as the spec). */
        public Builder pumMinInterval(Duration d) {
            this.pumMinInterval = d;
            return this;
        }

        /** The SOP's time zone, in which it writes CDR timestamps (local times); default this JVM's. */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = zone;
            return this;
        }

        public EscauxSimulator build() {
            return new EscauxSimulator(this);
        }

        public EscauxSimulator start() {
            return build().start();
        }
    }

    private final Builder options;
    private final EscauxFaults faults = new EscauxFaults(this);
    private final EscauxEventServer events = new EscauxEventServer(faults);
    private final EscauxBackend backend;
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final AtomicInteger pongsSent = new AtomicInteger();

    private final SimulatorHttpServer http = new SimulatorHttpServer("escaux-sim");
    private volatile int httpPort = -1;

    private EscauxSimulator(Builder b) {
        this.options = b;
        this.backend = new EscauxBackend(b.seed, b.pumMinInterval.toMillis(), events::emit, faults, b.timeZone);
    }

    /** Starts the HTTP server, the event socket and the trickle (idempotent); after stop, the same ports again. */
    public synchronized EscauxSimulator start() {
        if (http.listening()) {
            return this;
        }
        bindHttp(httpPort > 0 ? httpPort : options.httpPort);
        events.start(options.eventPort);
        if (options.callTrickle != null) {
            http.trickle(options.callTrickle, ms -> backend.trickle(TimeUnit.MILLISECONDS.toNanos(ms)));
        }
        LOG.info("Escaux simulator: API at {}, events on 127.0.0.1:{}", address(), eventPort());
        return this;
    }

    /** Stops both servers and the trickle; state is kept. */
    public synchronized void stop() {
        http.stop();
        events.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private void bindHttp(int p) {
        httpPort = http.listen(p, s -> {
            s.createContext("/xml/", this::handle);
            s.createContext("/", ex -> {
                try (ex) {
                    send(ex, 404, "text/html", "<html><body><h1>Not Found</h1></body></html>");
                }
            });
        });
    }

    // ---- public API ---------------------------------------------------------------------------------------

    /** {@code http://127.0.0.1:<port>}, the component's {@code address}. */
    public String address() {
        if (httpPort <= 0) {
            throw new IllegalStateException("Escaux simulator not started");
        }
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The event socket's port. */
    public int eventPort() {
        return events.port();
    }

    public EscauxFaults faults() {
        return faults;
    }

    /** An incoming call from {@code callerId} to {@code ext}: a channel and an {@code evNewOrigChannel} event. */
    public SimChannel incomingCall(String callerId, String ext) {
        return backend.incomingCall(callerId, ext);
    }

    /** Writes an event element (or any text) to the event sockets, with the event faults applied. */
    public void emit(String event) {
        events.emit(event);
    }

    /** Currently open event sockets. */
    public int eventClients() {
        return events.clientCount();
    }

    /** Waits until {@code n} event connections in all have been accepted since start. */
    public boolean awaitEventConnections(int n, Duration timeout) throws InterruptedException {
        return events.awaitConnections(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Event connections accepted since creation. */
    public int eventConnections() {
        return events.connections();
    }

    public int pongsSent() {
        return pongsSent.get();
    }

    /** Requests received for {@code operation} (canonical name), whatever their outcome. */
    public int requestCount(String operation) {
        AtomicInteger n = requestCounts.get(operation);
        return n == null ? 0 : n.get();
    }

    public SimUser user(String ext) {
        synchronized (backend) {
            return backend.users.get(ext);
        }
    }

    public List<SimChannel> channels() {
        synchronized (backend) {
            return List.copyOf(backend.channels.values());
        }
    }

    public SimChannel channel(String id) {
        synchronized (backend) {
            return backend.channels.get(id);
        }
    }

    /** Phones in {@code queue}: phone -> paused. */
    public Map<String, Boolean> queueMembers(String queue) {
        synchronized (backend) {
            EscauxBackend.Queue q = backend.queues.get(queue);
            Map<String, Boolean> out = new LinkedHashMap<>();
            if (q != null) {
                q.members.keySet().forEach(p -> out.put(p, q.paused.getOrDefault(p, false)));
            }
            return out;
        }
    }

    /** PUM logins: extension -> physical phone. */
    public Map<String, String> pumLogins() {
        synchronized (backend) {
            return Map.copyOf(backend.pumLogins);
        }
    }

    /** CDRs of {@code ext} (dbGetCallHistory's table). */
    public int cdrCount(String ext) {
        synchronized (backend) {
            List<EscauxBackend.Cdr> l = backend.cdrs.get(ext);
            return l == null ? 0 : l.size();
        }
    }

    /** The SOP's time zone: its CDR timestamps are local times in it. */
    public ZoneId timeZone() {
        return options.timeZone;
    }

    /**
     * Writes the CDR of a call that started at {@code start} (any time: one in the past is a CDR written late) and
     * touched {@code extensions}: a row in the history of each, with one uniqueid, as the SOP lists a call under
     * every extension involved; {@code billed} zero is a missed call. Returns the uniqueid.
     */
    public String addCallRecord(Instant start, String callerNumber, String calledNumber, Duration duration,
                                Duration billed, String... extensions) {
        return backend.callRecord(start, callerNumber, calledNumber, duration, billed, List.of(extensions));
    }

    /**
     * Writes {@code count} CDRs of incoming calls to {@code ext} at once, {@code spacing} apart from {@code first}
     * (zero: all in one second). Returns their uniqueids in that order.
     */
    public List<String> addCallRecords(String ext, Instant first, Duration spacing, int count) {
        return backend.callRecords(ext, first, spacing, count);
    }

    /**
     * Writes a CDR of {@code ext} at {@code at} whose reply shows {@code fields} instead of the real values, as they
     * are: {@code duration} "n/a", a {@code timestamp} that is no date, a null value to leave a field out (no
     * {@code uniqueid}, no {@code timestamp}). It is listed in its place for {@code at}. Returns its uniqueid.
     */
    public String addBrokenCallRecord(String ext, Instant at, Map<String, String> fields) {
        return backend.brokenCallRecord(ext, at, fields);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    EscauxEventServer eventServer() {
        return events;
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring("/xml/".length());
            boolean json = path.endsWith(".json");
            String name = path.replaceFirst("\\.(php|json)$", "");
            String op = BY_LOWER.get(name.toLowerCase(Locale.ROOT));
            if (op == null || name.contains("/") || json && !JSON_OPS.contains(op) || !json && JSON_ONLY.contains(op)) {
                send(ex, 404, "text/html", "<html><body><h1>Not Found</h1><p>" + Xml.escape(path) + "</p></body></html>");
                return;
            }
            requestCounts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            EscauxFaults.HttpFailure failure = faults.takeFailure(op);
            if (failure == EscauxFaults.HttpFailure.DROP_CONNECTION) {
                return;
            }
            if (failure == EscauxFaults.HttpFailure.HTTP_500 || failure == EscauxFaults.HttpFailure.HTTP_503) {
                int status = failure == EscauxFaults.HttpFailure.HTTP_500 ? 500 : 503;
                send(ex, status, "text/html", "<html><body><h1>" + status + "</h1></body></html>");
                return;
            }
            Map<String, String> params = query(ex.getRequestURI().getRawQuery());
            Reply r = dispatch(op, params, json);
            Duration hold = faults.takeHold(op);
            if (hold != null) {
                try {
                    faults.hold(hold); // carried out, its reply held back
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // stopping: the reply is never sent
                }
            }
            String body = r.body();
            if (failure == EscauxFaults.HttpFailure.WRONG_REPLY) {
                body = json ? "{\"Unexpected\":true}" : "<ccPingResult><Result>0</Result></ccPingResult>";
                if ("ccPing".equals(op)) {
                    body = "<ccHangupResult><Result>0</Result></ccHangupResult>";
                }
            } else if (failure == EscauxFaults.HttpFailure.TRUNCATED) {
                body = body.substring(0, body.length() / 2);
            } else if (failure == EscauxFaults.HttpFailure.ERROR_RESULT) {
                body = json ? "{\"Result\":1,\"Error\":\"database error\"}"
                        : "<" + op + "Result><Result>1</Result><Error>database error</Error></" + op + "Result>";
            }
            send(ex, r.status(), r.json() ? "application/json; charset=utf-8" : "text/xml; charset=utf-8", body);
        } catch (IOException e) {
            LOG.debug("Exchange failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Escaux simulator failed on {}", ex.getRequestURI(), e);
        }
    }

    private Reply dispatch(String op, Map<String, String> p, boolean json) {
        return switch (op) {
            case "dbGetDirectoryInfo" -> backend.dbGetDirectoryInfo(p, json);
            case "dbGetCallflow" -> backend.dbGetCallflow(p, json);
            case "dbGetNextStatus" -> backend.dbGetNextStatus(p);
            case "dbSetProfile" -> backend.dbSetProfile(p, json);
            case "dbGetProfileParameters" -> backend.dbGetProfileParameters(p, json);
            case "dbSetProfileParameters" -> backend.dbSetProfileParameters(p, json);
            case "dbGetPhoneState" -> backend.dbGetPhoneState(p, json);
            case "dbCheckPincode" -> backend.dbCheckPincode(p);
            case "dbGetCallHistory" -> backend.dbGetCallHistory(p, json);
            case "dbGetParkedChannels" -> backend.dbGetParkedChannels(p);
            case "dbGetQueueInfo" -> backend.dbGetQueueInfo();
            case "dbAuthenticate" -> backend.dbAuthenticate(p);
            case "dbGetRegistration" -> backend.dbGetRegistration();
            case "ccOriginate" -> backend.ccOriginate(p);
            case "ccHangup" -> backend.ccHangup(p);
            case "ccRedirect" -> backend.ccRedirect(p);
            case "ccHold" -> backend.ccHold(p);
            case "ccPark" -> backend.ccPark(p);
            case "ccJoinPark" -> backend.ccJoinPark(p);
            case "ccPing" -> {
                if (!faults.pingsMuted()) {
                    pongsSent.incrementAndGet();
                    events.emit("<evPong/>\n");
                }
                yield Reply.xml("<ccPingResult><Result>0</Result></ccPingResult>");
            }
            case "ccGetChannels" -> backend.ccGetChannels(p);
            case "ccGetQueueMembers" -> backend.ccGetQueueMembers(p);
            case "ccQueueAdd" -> backend.queueAdd("ccQueueAdd", p, "queue", false);
            case "fusionQueuesSet" -> backend.queueAdd("fusionQueuesSet", p, "queues", true);
            case "ccQueueRemove" -> backend.queueRemove("ccQueueRemove", p, "queue", false);
            case "fusionQueuesRemove" -> backend.queueRemove("fusionQueuesRemove", p, "queues", true);
            case "ccGetQueueStatus" -> backend.ccGetQueueStatus(p);
            case "ccQueuePause" -> backend.ccQueuePause(p);
            case "ccQueuePauseAll" -> backend.ccQueuePauseAll(p);
            case "ccRecord" -> backend.ccRecord(p);
            case "ccSetVar" -> backend.ccSetVar(p);
            case "ccGetVar" -> backend.ccGetVar(p);
            case "pumLogin" -> backend.pumLogin(p);
            case "pumLogout" -> backend.pumLogout(p);
            default -> throw new IllegalStateException(op);
        };
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Powered-By", "PHP/7.4.33");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
