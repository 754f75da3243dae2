package io.pbxbridge.sandbox.portasip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.sandbox.Loopback;
import io.pbxbridge.sandbox.portasip.HttpApi.Result;
import io.pbxbridge.sandbox.portasip.HttpApi.Upload;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;

/**
 * An in-process PortaSIP Media Server on one Vert.x HTTP server on 127.0.0.1 (optionally TLS with a self-signed
 * certificate made at start): the JSON API and the Call Control WebSocket, with real state. {@link #faults()} injects
 * failures.
 *
 * <p><b>JSON API</b>: {@code POST /rest/<Service>/<method>/}, also without the trailing slash and under
 * {@code /UM/rest/...} (the spec's curl sample). Form fields {@code auth_info} and {@code params}, each a JSON string,
 * in an {@code application/x-www-form-urlencoded} or {@code multipart/form-data} body (audio uploads: a file part
 * {@code upload_file}); leniently also a JSON body {@code {"auth_info": {...}, "params": {...}}} and the spec's GET form
 * {@code /rest/<Service>/<method>/<auth_info>/<params>}. Answers: 200 with a JSON object, {@code multipart/mixed}
 * (the JSON, then the file) for the methods that get audio, or HTTP 500 {@code {"faultcode", "faultstring"}}
 * ({@link ApiFault} lists the codes, {@link HttpApi} the methods and the decisions where the spec is silent).
 *
 * <p><b>Call Control</b>: {@code ws(s)://127.0.0.1:<port>/ws} (also {@code /ws/CallControl}), JSON-RPC frames paired by
 * {@code cseq} ({@link CallControl}); calls move on timers ({@link CallEngine}) and every change of a leg is pushed to
 * the subscribed sockets ({@link Frames} has the frame, the IVR field names and the damaged form).
 *
 * <p>Decisions where the spec is silent (the {@code portasip} client follows them):
 * <ul>
 * <li>Session ids: 32 lowercase hex characters; sessions belong to an account and are shared by HTTP and socket;
 * credentials in {@code auth_info} open a new session each time.</li>
 * <li>Audio: set methods take multipart/form-data with a file part {@code upload_file}; get methods answer
 * multipart/mixed (application/json first, then the file with its type and
 * {@code Content-Disposition: attachment; filename="..."}); never stored = {@code not_found}.</li>
 * <li>Dry run ({@code params.aux_info.dry_run} 1 or true): checked, nothing changed, answer
 * {@code {"success":1,"dry_run":1}}.</li>
 * <li>DialDirectory: {@code get_dir_info -> {dir_list}}, {@code create_dir_entry -> {i_entry}},
 * {@code update_dir_entry -> {i_entry}}, {@code get_dir_entry -> {dir_entry_info}}, {@code del_dir_entry -> {i_entry}}.
 * </li>
 * <li>Socket errors: {@code {"cseq":N,"error":{"code","message","details"}}} by default, or
 * {@code {"cseq":N,"success":0,"code","message","details"}} ({@link PortaSipFaults#errorEnvelope}). No answer to a
 * frame without cseq or that is not a JSON object. Not logged in: {@code Server.Session.check_auth.auth_failed};
 * bad login: {@code Server.Session.login.auth_failed}; unknown service or method: {@code sip.unsupported_method}.</li>
 * <li>Subscriptions are per socket; a listing shows the live legs the subscription was told of (calls begun before it
 * appear from their next change on); a subscription that took no effect (silent) lists as not_subscribed.</li>
 * <li>Call ids {@code <28 chars of [A-Za-z0-9!]>@192.168.243.133} (the length of the spec's sample), leg B
 * {@code id~10}, tags {@code <16 chars>.o}, transport_id {@code 192.168.243.133:5070}; times
 * {@code yyyy-MM-dd HH:mm:ss} in UTC (builder: {@code timeZone}). A blind transfer's new leg keeps the transferor
 * leg's id with a new tag (as the spec's sample). Reasons: "normal clearing" (16), "cancelled" (487),
 * "blind transfer" and "attended transfer" (reason_code null).</li>
 * <li>IVR notification fields: {@code ivr_event}, {@code order}, {@code dtmf_digit}, {@code dtmf_duration}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (PortaSipSimulator sim = PortaSipSimulator.builder().tls().start()) {
 *     String api = sim.address();      // https://127.0.0.1:<port>
 *     String socket = sim.wsAddress(); // wss://127.0.0.1:<port>/ws
 *     KeyStore trust = sim.trustStore();
 * }
 * }</pre>
 *
 * Sample data: accounts 123001, 123002, 123003, 123007 (domain sip.example.com, passwords secret001, secret002,
 * secret003, secret007; i_account 1001, 1002, 1003, 1007; customer 30, a branch of main office 29) and 124001
 * (password other001, i_account 2001, customer 31); IVR access numbers 77 ("800100", customer 30) and 78 ("800200",
 * customer 31). Each account has voicemail settings and the standard greeting, folder and display preferences, menus
 * ROOT and "After hours" with transitions, the conference "Weekly sync" and two directory entries.
 */
public final class PortaSipSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PortaSipSimulator.class);
    static final ObjectMapper JSON = new ObjectMapper();

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a simulator; every one has a default. */
    public static final class Builder {
        private int port;
        private long seed = 20_190_101L;
        private boolean tls;
        private byte[] keyStore;
        private String keyStoreType;
        private String keyStorePassword;
        private Duration callStep = Duration.ofMillis(100);
        private Duration promptLength = Duration.ofMillis(200);
        private boolean autoAnswer = true;
        private Duration callTrickle;
        private Duration trickleCallLength = Duration.ofSeconds(3);
        private ZoneId timeZone = ZoneOffset.UTC;

        private Builder() {
        }

        /** Time between two states of a call (trying -> ringing -> connected); default 100 ms, 0 = at once. */
        public Builder callStepDelay(Duration step) {
            this.callStep = step;
            return this;
        }

        /** How long a prompt plays (play_prompt_completed comes after repeat x this); default 200 ms. */
        public Builder promptDuration(Duration length) {
            this.promptLength = length;
            return this;
        }

        /**
         * {@code true} (default): a ringing leg is answered by its UA one step later; {@code false}: legs ring until
         * answer_call. Calls to an IVR access number always wait for answer_call.
         */
        public Builder autoAnswer(boolean autoAnswer) {
            this.autoAnswer = autoAnswer;
            return this;
        }

        /**
         * Sandbox mode: a call every {@code interval} for the sample accounts, in turn from an outside number to
         * 123001, from 123002 to 123003, through call queue 5 to 123007, and to the IVR access number 800100; each
         * ends after {@link #trickleCallLength}. Null (default) = off.
         */
        public Builder callTrickle(Duration interval) {
            this.callTrickle = interval;
            return this;
        }

        /** How long a trickle call lasts before the caller hangs up; default 3 s. */
        public Builder trickleCallLength(Duration length) {
            this.trickleCallLength = length;
            return this;
        }

        /** The zone of the times in the frames (written without a zone); default UTC. */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = zone;
            return this;
        }

        /** The port of the API and the socket; 0 (default) = a free port (kept across stop and start). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Seed of generated ids (session ids, call ids, tags). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** HTTPS and WSS with a self-signed certificate made at start (see {@link #trustStore()}). */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** HTTPS and WSS with the key and certificate in {@code keyStore} (PKCS12 or JKS). */
        public Builder tls(Path keyStore, String type, String password) {
            try {
                this.keyStore = Files.readAllBytes(keyStore);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read the key store " + keyStore, e);
            }
            this.keyStoreType = type;
            this.keyStorePassword = password;
            this.tls = true;
            return this;
        }

        public PortaSipSimulator build() {
            return new PortaSipSimulator(this);
        }

        public PortaSipSimulator start() {
            return build().start();
        }
    }

    private final Builder options;
    private final PortaSipState state;
    private final HttpApi api;
    private final PortaSipFaults faults = new PortaSipFaults(this);
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final SelfSignedTls selfSigned;
    private final CallEngine engine;
    private final CallControl callControl;
    private final Vertx vertx;
    private HttpServer server;
    private long trickleTimer = -1;
    private int trickleTurn;
    private volatile boolean closed;
    private volatile int port = -1;

    private PortaSipSimulator(Builder b) {
        this.options = b;
        this.state = new PortaSipState(b.seed);
        this.api = new HttpApi(state);
        this.selfSigned = b.tls && b.keyStore == null ? SelfSignedTls.generate() : null;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2)
                .setBlockedThreadCheckInterval(10_000));
        this.engine = new CallEngine(b.seed + 1, b.timeZone, b.callStep.toMillis(), b.promptLength.toMillis(),
                b.autoAnswer, this::schedule);
        this.callControl = new CallControl(this, state, engine, faults);
    }

    private void schedule(long millis, Runnable task) {
        if (closed) {
            return;
        }
        vertx.setTimer(millis, t -> {
            synchronized (engine) {
                task.run();
            }
        });
    }

    /** Starts listening (idempotent); after {@link #stop()}, on the same port again. */
    public synchronized PortaSipSimulator start() {
        if (server != null) {
            return this;
        }
        if (closed) {
            throw new IllegalStateException("PortaSIP simulator closed");
        }
        server = Loopback.bind(port > 0 ? port : options.port, this::listen);
        port = server.actualPort();
        if (options.callTrickle != null) {
            trickleTimer = vertx.setPeriodic(Math.max(1, options.callTrickle.toMillis()), t -> trickle());
        }
        LOG.info("PortaSIP simulator: API at {}, Call Control at {}", address(), wsAddress());
        return this;
    }

    private void trickle() {
        try {
            String id;
            synchronized (engine) {
                id = switch (trickleTurn++ % 4) {
                    case 0 -> engine.incoming(SimParty.outside("+3222334455"), callControl.party("123001"), false);
                    case 1 -> engine.incoming(callControl.party("123002"), callControl.party("123003"), false);
                    case 2 -> engine.incoming(SimParty.outside("+3222334466"), callControl.party("123007"), true);
                    default -> engine.ivrCall(SimParty.outside("+3222334477"), state.ivrAccessNumbers.get(77L));
                };
            }
            schedule(Math.max(1, options.trickleCallLength.toMillis()), () -> engine.hangUpCall(id));
        } catch (RuntimeException e) {
            LOG.warn("Call trickle failed", e);
        }
    }

    private HttpServer listen(InetSocketAddress at) throws IOException {
        HttpServerOptions o = new HttpServerOptions().setHost(at.getHostString()).setPort(at.getPort())
                .setCompressionSupported(false).setMaxWebSocketFrameSize(1 << 20)
                .setMaxWebSocketMessageSize(4 << 20);
        if (options.tls) {
            if (options.keyStore != null) {
                o.setSsl(true).setKeyCertOptions("JKS".equalsIgnoreCase(options.keyStoreType)
                        ? new io.vertx.core.net.JksOptions().setValue(Buffer.buffer(options.keyStore))
                                .setPassword(options.keyStorePassword)
                        : new PfxOptions().setValue(Buffer.buffer(options.keyStore))
                                .setPassword(options.keyStorePassword));
            } else {
                o.setSsl(true).setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(selfSigned.pkcs12()))
                        .setPassword(SelfSignedTls.PASSWORD));
            }
        }
        HttpServer s = vertx.createHttpServer(o);
        s.requestHandler(this::handle);
        try {
            return s.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (TimeoutException e) {
            throw new IOException("Vert.x did not listen in time", e);
        }
    }

    /**
     * Stops listening and closes every connection (sockets included); the state (sessions, calls) is kept and calls
     * go on moving.
     */
    public synchronized void stop() {
        if (trickleTimer >= 0) {
            vertx.cancelTimer(trickleTimer);
            trickleTimer = -1;
        }
        if (server != null) {
            await(server.close());
            server = null;
            callControl.stopped();
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (!closed) {
            closed = true;
            await(vertx.close());
        }
    }

    private static void await(io.vertx.core.Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("PortaSIP simulator: {}", e.toString());
        }
    }

    // ---- public API ---------------------------------------------------------------------------------------

    /** {@code http://127.0.0.1:<port>} or {@code https://...}: the base of {@code /rest/<Service>/<method>/}. */
    public String address() {
        return (options.tls ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** {@code ws://127.0.0.1:<port>/ws} or {@code wss://...}: the Call Control socket ({@code /ws/CallControl} too). */
    public String wsAddress() {
        return (options.tls ? "wss" : "ws") + "://127.0.0.1:" + port() + "/ws";
    }

    public int port() {
        if (port <= 0) {
            throw new IllegalStateException("PortaSIP simulator not started");
        }
        return port;
    }

    public boolean tls() {
        return options.tls;
    }

    /** The self-signed certificate made at start (with {@code tls()}), else null. */
    public X509Certificate certificate() {
        return selfSigned == null ? null : selfSigned.certificate();
    }

    /** A trust store (PKCS12, in memory) with the self-signed certificate. */
    public KeyStore trustStore() {
        return SelfSignedTls.trustStore(requireSelfSigned());
    }

    /** Writes {@link #trustStore()} to {@code file} (PKCS12, with {@code password}). */
    public void writeTrustStore(Path file, char[] password) throws IOException {
        SelfSignedTls.writeTrustStore(requireSelfSigned(), file, password);
    }

    /** The self-signed certificate in PEM. */
    public String certificatePem() {
        return SelfSignedTls.pem(requireSelfSigned());
    }

    private X509Certificate requireSelfSigned() {
        if (selfSigned == null) {
            throw new IllegalStateException("The simulator has no self-signed certificate (build it with tls())");
        }
        return selfSigned.certificate();
    }

    public PortaSipFaults faults() {
        return faults;
    }

    /**
     * Requests received for {@code service}/{@code method} (HTTP and socket alike), whatever their outcome; the typo
     * {@code set_menu_transition_promt} and its fixed spelling count apart, as sent.
     */
    public int requestCount(String service, String method) {
        AtomicInteger n = requestCounts.get(service + "/" + method);
        return n == null ? 0 : n.get();
    }

    /** The sample accounts: 123001, 123002, 123003, 123007 (customer 30) and 124001 (customer 31). */
    public List<SimAccount> accounts() {
        synchronized (state) {
            return List.copyOf(state.accounts.values());
        }
    }

    public SimAccount account(String login) {
        synchronized (state) {
            return state.accounts.get(login);
        }
    }

    /** IVR access numbers: 77 ("800100", customer 30) and 78 ("800200", customer 31). */
    public List<IvrAccessNumber> ivrAccessNumbers() {
        synchronized (state) {
            return List.copyOf(state.ivrAccessNumbers.values());
        }
    }

    /** Sessions open now. */
    public int sessionCount() {
        synchronized (state) {
            return state.sessions.size();
        }
    }

    /** Sessions opened since creation (by login and by credentials in auth_info). */
    public int sessionsCreated() {
        synchronized (state) {
            return state.sessionsCreated();
        }
    }

    /** A copy of the voicemail settings of {@code login}, as JSON text. */
    public String vmSettings(String login) {
        synchronized (state) {
            return state.data.get(login).vmSettings.toString();
        }
    }

    /** Open Call Control sockets. */
    public int connections() {
        return callControl.connections();
    }

    /**
     * A call from {@code from} (a sample account's login or extension, an outside number) to the account
     * {@code to}: two legs, trying -> ringing -> connected; through call queue 5 (queued, dequeued) if
     * {@code queued}. Returns the call id.
     */
    public String incomingCall(String from, String to, boolean queued) {
        synchronized (engine) {
            return engine.incoming(callControl.party(from), callControl.party(to), queued);
        }
    }

    /** A call from {@code from} to the IVR access number {@code iIvrAn}; it rings until answer_call. */
    public String ivrCall(String from, long iIvrAn) {
        synchronized (engine) {
            IvrAccessNumber an;
            synchronized (state) {
                an = state.ivrAccessNumbers.get(iIvrAn);
            }
            if (an == null) {
                throw new IllegalArgumentException("No IVR access number " + iIvrAn);
            }
            return engine.ivrCall(callControl.party(from), an);
        }
    }

    /** The other end hangs up call {@code callId} (a leg id or the call id: all its legs); false if none is live. */
    public boolean hangUp(String callId) {
        synchronized (engine) {
            return engine.hangUpCall(callId);
        }
    }

    /**
     * {@code calls} complete calls from an outside number to 123001 at once (no delay between states), for a
     * benchmark: 8 notifications a call (both legs trying, ringing, connected, terminated). Returns how many
     * notifications were made (each goes to every socket subscribed to 123001's scopes).
     */
    public int floodCalls(int calls) {
        synchronized (engine) {
            return engine.flood(calls, SimParty.outside("+3222000000"), callControl.party("123001"));
        }
    }

    /** The live legs, as {@code "<id> <tag> <state>"} lines in order of creation (for tests and logs). */
    public List<String> liveLegs() {
        synchronized (engine) {
            List<String> out = new ArrayList<>();
            engine.legs.values().forEach(l -> out.add(l.id + " " + l.tag + " " + l.state));
            return out;
        }
    }

    int sendDtmf(String callId, String digit) {
        synchronized (engine) {
            return engine.dtmf(callId, digit, 100);
        }
    }

    CallControl callControl() {
        return callControl;
    }

    boolean expireSessions(String id) {
        synchronized (state) {
            if (id == null) {
                boolean any = !state.sessions.isEmpty();
                state.sessions.clear();
                return any;
            }
            return state.sessions.remove(id) != null;
        }
    }

    void count(String service, String method) {
        requestCounts.computeIfAbsent(service + "/" + method, k -> new AtomicInteger()).incrementAndGet();
    }

    PortaSipState state() {
        return state;
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            if (!path.equals("/ws") && !path.equals("/ws/") && !path.equals("/ws/CallControl")) {
                req.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found\n");
            } else if (faults.refusing()) {
                req.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                        .end("Service Unavailable\n");
            } else {
                req.toWebSocket().onSuccess(ws -> callControl.accept(ws, req.connection()))
                        .onFailure(e -> LOG.debug("PortaSIP simulator: handshake failed: {}", e.toString()));
            }
            return;
        }
        String p = path.startsWith("/UM/") ? path.substring(3) : path;
        if (!p.startsWith("/rest/")) {
            req.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found\n");
            return;
        }
        String[] seg = p.substring("/rest/".length()).split("/", -1);
        if (seg.length < 2 || seg[0].isEmpty() || seg[1].isEmpty()) {
            req.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found\n");
            return;
        }
        String service = decode(seg[0]);
        String method = decode(seg[1]);
        String pathAuth = seg.length >= 4 ? decode(seg[2]) : null;
        String pathParams = seg.length >= 4 ? decode(seg[3]) : null;
        String ct = String.valueOf(req.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
        if (req.method() == HttpMethod.POST && (ct.startsWith("multipart/form-data")
                || ct.startsWith("application/x-www-form-urlencoded"))) {
            req.setExpectMultipart(true);
            List<Upload> uploads = new ArrayList<>();
            req.uploadHandler(up -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                up.handler(b -> bytes.writeBytes(b.getBytes()));
                up.endHandler(v -> {
                    synchronized (uploads) {
                        uploads.add(new Upload(up.name(), up.filename(), up.contentType(), bytes.toByteArray()));
                    }
                });
            });
            req.endHandler(v -> {
                MultiMap form = req.formAttributes();
                List<Upload> files;
                synchronized (uploads) {
                    files = List.copyOf(uploads);
                }
                answer(req, service, method, form.get("auth_info"), form.get("params"), form.get("aux_info"), files,
                        null);
            });
        } else {
            req.body().onSuccess(body -> {
                String auth = pathAuth;
                String params = pathParams;
                String aux = null;
                String problem = null;
                if (pathAuth == null && req.method() == HttpMethod.GET) {
                    auth = req.getParam("auth_info");
                    params = req.getParam("params");
                } else if (pathAuth == null && body.length() > 0) {
                    // lenient: a JSON body {"auth_info": {...}, "params": {...}}
                    try {
                        JsonNode root = JSON.readTree(body.getBytes());
                        auth = root.has("auth_info") ? root.get("auth_info").toString() : null;
                        params = root.has("params") ? root.get("params").toString() : null;
                        aux = root.has("aux_info") ? root.get("aux_info").toString() : null;
                    } catch (IOException e) {
                        problem = "the body must be application/x-www-form-urlencoded or multipart/form-data"
                                + " with the fields auth_info and params (Content-Type " + ct + ")";
                    }
                }
                answer(req, service, method, auth, params, aux, List.of(), problem);
            });
        }
    }

    private void answer(HttpServerRequest req, String service, String method, String authText, String paramsText,
                        String auxText, List<Upload> uploads, String bodyProblem) {
        count(service, method);
        try {
            PortaSipFaults.HttpFault injected = faults.takeHttpFault(service, method);
            if (injected != null) {
                throw new ApiFault(injected.faultcode(), injected.faultstring());
            }
            String m = HttpApi.canonical(service, method);
            if (m == null) {
                throw ApiFault.unknownMethod(service, method);
            }
            if (bodyProblem != null) {
                throw ApiFault.validation(service, m, bodyProblem);
            }
            JsonNode params = parse(paramsText, () -> ApiFault.validation(service, m, "params is not JSON"));
            JsonNode aux = parse(auxText, () -> ApiFault.validation(service, m, "aux_info is not JSON"));
            JsonNode auth = parse(authText, ApiFault::authFailed);
            Result r = api.call(service, method, auth, params, aux, uploads);
            String json = JSON.writeValueAsString(r.json());
            if (r.audio() != null) {
                Multipart mp = Multipart.mixed(json, r.audio());
                req.response().setStatusCode(200).putHeader("Content-Type", mp.contentType()).end(mp.body);
            } else {
                req.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(json);
            }
        } catch (ApiFault f) {
            ObjectNode o = JSON.createObjectNode();
            o.put("faultcode", f.faultcode);
            o.put("faultstring", f.faultstring);
            req.response().setStatusCode(500).putHeader("Content-Type", "application/json").end(o.toString());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("PortaSIP simulator failed on {}/{}", service, method, e);
            req.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                    .end("{\"faultcode\":\"Server.internal_error\",\"faultstring\":\"Internal server error\"}");
        }
    }

    private static JsonNode parse(String text, java.util.function.Supplier<ApiFault> fault) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw fault.get();
        }
    }

    /** Percent-decoding of a path segment ('+' stays '+'). */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
