package io.pbxbridge.sandbox.metasec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import io.pbxbridge.sandbox.SimulatorHttpServer;
import io.pbxbridge.sandbox.metasec.MetasecBackend.Answer;
import io.pbxbridge.sandbox.metasec.MetasecBackend.ChannelFormat;
import io.pbxbridge.sandbox.metasec.MetasecBackend.Jpeg;
import io.pbxbridge.sandbox.metasec.MetasecBackend.Lines;
import io.pbxbridge.sandbox.metasec.MetasecBackend.Mjpeg;
import io.pbxbridge.sandbox.metasec.MetasecBackend.Text;
import io.pbxbridge.sandbox.metasec.MetasecBackend.Wav;

/**
 * An in-process METASEC WebTAPI ({@code metasec-webtapi.txt}, 2013.01.22): one {@code webtapi.php} endpoint (default
 * path {@value #DEFAULT_PATH}, as the spec's URLs) on 127.0.0.1 serving the 30 actions and the login with real state
 * ({@link MetasecBackend}: extensions, calls that ring and are answered and bridged, recordings, queues with agents
 * and waiting callers, conferences, cameras, relays) and {@link MetasecFaults fault injection}.
 *
 * <h2>What the spec says, and how it is served</h2>
 * <ul>
 * <li>Parameters are read as PHP's {@code $_REQUEST} reads them: query parameters and
 * {@code application/x-www-form-urlencoded} fields of a POST, a field winning over a parameter of the same name.
 * Names are case-sensitive, as the spec writes them ({@code SID}, {@code CAMID}, {@code action}, {@code q_name}...).</li>
 * <li>{@code login}: only a POST whose form has {@code AUTH[user]} and {@code AUTH[pass]} logs in; it answers a
 * session id (32 lower-case hex digits) or {@code 0}. The action is {@code action=login} (query or form), or no
 * action at all with {@code AUTH[...]} fields. A GET login, or credentials in the query string, answers {@code 0}
 * (the spec: the login MUST be a POST, so the password is never in a URL).</li>
 * <li>Every other action needs {@code SID}: a missing, unknown or expired one answers {@code 0} and does nothing
 * (sessions expire by {@link MetasecFaults#expireSessions()}, or after {@link Builder#sessionIdleTimeout} unused).
 * An unknown action answers {@code 0} too.</li>
 * <li>Actions answer {@code 1} or {@code 0}; {@code call_record_start} the file name used; lists one line each,
 * every line ending with {@code \n}, an empty list an empty body; {@code call_record_get} the WAV file
 * ({@code audio/x-wav}); {@code vmx_cam_get_pic} a JPEG. Text answers are {@code text/html; charset=UTF-8}, PHP's
 * default.</li>
 * </ul>
 *
 * <h2>Where the spec is silent (the simulator's choices)</h2>
 * <ul>
 * <li>Channel lines ({@code call_list}, {@code call_list_all}, {@code q_call_list}) as the spec's q_call_list sample
 * (13 {@code !}-separated fields, no priority; {@link Builder#asteriskChannelLines} switches to Asterisk's own 14):
 * {@code channel!context!exten!state!application!data!cid_num!cid_name!accountcode!amaflags!duration!bridged!uniqueid};
 * {@code (None)} when not bridged. {@code call_list} lists the channels of the session user's extension (the user
 * name is the extension, as the spec's "$src = User Login Name, mostly the voip extension") and the legs they talk
 * to or ring.</li>
 * <li>{@code call_status_get}: {@code extension!state} per line, Asterisk's extension states (-1 not found, 0 idle,
 * 1 in use, 2 busy, 4 unavailable, 8 ringing, 9 in use and ringing, 16 on hold), every extension without
 * {@code filter}.</li>
 * <li>{@code q_list}: {@code name!extension!strategy!waiting!members}; {@code agent_list}:
 * {@code interface!name!state!paused!calls_taken!last_call} (state as call_status_get, last call in epoch
 * seconds); {@code q_waiting_list}: {@code position!channel!cid_num!cid_name!wait_seconds!uniqueid}.</li>
 * <li>{@code agent_login} / {@code agent_logout}: the agent is the session user's extension ({@code 0} when already
 * in / not in the queue).</li>
 * <li>{@code q_shift_caller}: {@code q_name}, {@code chan} (the waiting caller), {@code position} (its new place,
 * 1 = first); {@code q_caller_del}: {@code q_name}, {@code chan}: the caller is hung up.</li>
 * <li>{@code vmx_cam_list}: {@code CAMID!name!online|offline}. {@code vmx_cam_get_stream}: {@code CAMID}; a
 * {@code multipart/x-mixed-replace; boundary=webtapiframe} stream of JPEG parts (MJPEG, as IP cameras serve it),
 * {@link Builder#streamFrames} of them {@link Builder#streamFrameInterval} apart, then the closing boundary; chunked.
 * {@code vmx_cam_s_record}: {@code CAMID}, {@code duration} (seconds, optional, default 30) → 1|0;
 * {@code vmx_cam_p_save}: {@code CAMID} → 1|0.</li>
 * <li>{@code relay_list}: {@code relay_id!name!status}; {@code relay_status_get}: the bare status ({@code 0} or
 * {@code 1}): so an open contact's {@code 0} looks like an error, as it would on the real thing.</li>
 * <li>{@code call_record_start} without {@code monitor_file} names the file {@code md5(uniqueid)_epoch.wav} (the
 * spec's sample shape); with one, that name plus {@code .wav} when it has no extension. Recordings are small
 * WAV files (at most 5 s of a tone) made as they are sent.</li>
 * <li>{@code call}: {@code src} is rung first (its channel in context {@code Callme}, as the spec's sample), then
 * {@code dst}; a call to a queue's extension ({@code 7777} = VMX, {@code 7778} = HOTLINE) waits in the queue.
 * {@code call_prio}: the session user calls {@code dst} after every channel of {@code dst} was closed, answering
 * {@link Builder#prioCloseTime} later when there were some. {@code call_create_conf}: every station is rung into a
 * ConfBridge room; with a station busy and {@code break} not {@code true} it answers {@code 0}.</li>
 * </ul>
 *
 * <p>Sample data: user {@code 1004} / {@code sandbox-secret}; extensions 1001-1006; queues VMX (agent 1001) and
 * HOTLINE; cameras 44, 45, 46; relays 17 (Tuer), 18 (Tor), 19 (Licht, on). Nothing logged holds a password or a
 * session id.
 */
public final class MetasecSimulator implements AutoCloseable {

    public static final String DEFAULT_PATH = "/webtapi/webtapi.php";
    public static final String DEFAULT_USER = "1004";
    public static final String DEFAULT_PASSWORD = "sandbox-secret";

    private static final Logger LOG = LoggerFactory.getLogger(MetasecSimulator.class);
    private static final String TEXT = "text/html; charset=UTF-8";
    private static final String BOUNDARY = "webtapiframe";
    /** List actions: the malformed-line fault applies to them. */
    private static final Set<String> ACTIONS = Set.of("call", "call_pick", "call_hangup", "call_prio", "call_list",
            "call_list_all", "call_record_start", "call_record_stop", "call_record_list", "call_record_get",
            "call_status_get", "call_create_conf", "q_list", "agent_list", "agent_login", "agent_logout",
            "q_call_list", "q_waiting_list", "q_shift_caller", "q_caller_del", "vmx_cam_list", "vmx_cam_get_pic",
            "vmx_cam_get_stream", "vmx_cam_s_record", "vmx_cam_p_save", "chan_play_dtmf", "chan_monitor",
            "relay_list", "relay_status_get", "relay_status_set");

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a simulator; every one has a default. */
    public static final class Builder {
        private int port;
        private String path = DEFAULT_PATH;
        private final Map<String, String> users = new LinkedHashMap<>();
        private Duration callTrickle;
        private Duration ringTime = Duration.ofSeconds(2);
        private Duration prioCloseTime = Duration.ofSeconds(1);
        private Duration sessionIdleTimeout;
        private int streamFrames = 5;
        private Duration streamFrameInterval = Duration.ofMillis(100);
        private boolean asteriskChannelLines;
        private long seed = 20_130_122L;

        private Builder() {
        }

        /** The port; 0 (default) = a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** The path of webtapi.php (default {@value #DEFAULT_PATH}). */
        public Builder path(String path) {
            String p = Objects.requireNonNull(path, "path").trim();
            this.path = p.startsWith("/") ? p : "/" + p;
            return this;
        }

        /**
         * Adds a user (its name is its extension). Without any, the simulator has {@value #DEFAULT_USER} /
         * {@value #DEFAULT_PASSWORD}.
         */
        public Builder user(String name, String password) {
            users.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /** Every interval, an outside call (to an extension or the VMX queue) and now and then a hang-up. */
        public Builder callTrickle(Duration interval) {
            if (interval != null && (interval.isZero() || interval.isNegative())) {
                throw new IllegalArgumentException("callTrickle " + interval);
            }
            this.callTrickle = interval;
            return this;
        }

        /**
         * How long a leg rings before it is answered, and a queue caller waits before a free agent takes it
         * (default 2 s); null: until {@link MetasecSimulator#answer}.
         */
        public Builder ringTime(Duration ringTime) {
            this.ringTime = ringTime;
            return this;
        }

        /** How much later call_prio answers when it closed channels (the spec's "additional 1 second"). */
        public Builder prioCloseTime(Duration d) {
            this.prioCloseTime = Objects.requireNonNull(d, "prioCloseTime");
            return this;
        }

        /** A session unused this long expires (PHP's session lifetime); null (default): never. */
        public Builder sessionIdleTimeout(Duration d) {
            this.sessionIdleTimeout = d;
            return this;
        }

        /** Pictures in one vmx_cam_get_stream answer (default 5). */
        public Builder streamFrames(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("streamFrames " + n);
            }
            this.streamFrames = n;
            return this;
        }

        /** Time between two pictures of a stream (default 100 ms). */
        public Builder streamFrameInterval(Duration d) {
            this.streamFrameInterval = Objects.requireNonNull(d, "streamFrameInterval");
            return this;
        }

        /** {@code true}: channel lines as Asterisk's concise list (14 fields, with priority); default the spec's 13. */
        public Builder asteriskChannelLines(boolean on) {
            this.asteriskChannelLines = on;
            return this;
        }

        /** Seed of the trickle's calls. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public MetasecSimulator build() {
            return new MetasecSimulator(this);
        }

        /** {@code build().start()}. */
        public MetasecSimulator start() {
            return build().start();
        }
    }

    private record Session(String user, long[] lastUsed) {
    }

    private final Builder options;
    private final Map<String, String> users;
    private final MetasecBackend backend;
    private final MetasecFaults faults;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> userRequestCounts = new ConcurrentHashMap<>();
    private final AtomicInteger refusedGetLogins = new AtomicInteger();
    private final SecureRandom tokens = new SecureRandom();

    private final SimulatorHttpServer http = new SimulatorHttpServer("metasec-sim"); // guarded by this
    private volatile int port = -1;

    private MetasecSimulator(Builder b) {
        this.options = b;
        this.users = b.users.isEmpty() ? Map.of(DEFAULT_USER, DEFAULT_PASSWORD) : Map.copyOf(b.users);
        this.backend = new MetasecBackend(System::currentTimeMillis, b.ringTime, b.prioCloseTime,
                b.asteriskChannelLines ? ChannelFormat.ASTERISK : ChannelFormat.SPEC, b.seed);
        this.faults = new MetasecFaults(sessions::clear);
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------

    /** Starts listening, and the trickle (idempotent); after {@link #stop()} it listens again on the same port. */
    public synchronized MetasecSimulator start() {
        if (http.listening()) {
            return this;
        }
        port = http.listen(port > 0 ? port : options.port, s -> s.createContext("/", this::handle));
        if (options.callTrickle != null) {
            http.trickle(options.callTrickle, backend::trickle);
        }
        LOG.info("METASEC simulator: WebTAPI at {}", url());
        return this;
    }

    /** Stops listening and the trickle; state and sessions are kept. */
    public synchronized void stop() {
        http.stop();
    }

    @Override
    public void close() {
        stop();
    }

    // ---- public API ---------------------------------------------------------------------------------------------

    /** {@code http://127.0.0.1:<port>}: the component's {@code address}. */
    public String address() {
        int p = port;
        if (p <= 0) {
            throw new IllegalStateException("METASEC simulator not started");
        }
        return "http://127.0.0.1:" + p;
    }

    /** The path of webtapi.php: the component's {@code path}. */
    public String path() {
        return options.path;
    }

    /** {@link #address()} and {@link #path()}. */
    public String url() {
        return address() + options.path;
    }

    public int port() {
        return port;
    }

    public MetasecFaults faults() {
        return faults;
    }

    /**
     * Requests received for {@code action} ({@code login} included, by GET or POST), whatever their outcome, counted
     * as they arrive (before the session check and the faults).
     */
    public int requestCount(String action) {
        AtomicInteger n = requestCounts.get(action);
        return n == null ? 0 : n.get();
    }

    /**
     * Requests for {@code action} made in a valid session of {@code user}: which of several clients, each logged in
     * as a user of its own, sends them.
     */
    public int requestCount(String action, String user) {
        AtomicInteger n = userRequestCounts.get(user + "/" + action);
        return n == null ? 0 : n.get();
    }

    /** Logins refused because they were not a POST with the credentials in its form. */
    public int refusedGetLogins() {
        return refusedGetLogins.get();
    }

    /** Sessions open. */
    public int sessionCount() {
        return sessions.size();
    }

    /** The session ids handed out and still valid (for tests that look for them where they must not be). */
    public Set<String> sessionIds() {
        return Set.copyOf(sessions.keySet());
    }

    /** Every channel, in creation order. */
    public List<SimChannel> channels() {
        synchronized (backend) {
            backend.advance();
            return backend.channels.values().stream().map(MetasecBackend.Chan::snapshot).toList();
        }
    }

    /** The channel with this name or unique id, or null. */
    public SimChannel channel(String nameOrUniqueId) {
        synchronized (backend) {
            backend.advance();
            MetasecBackend.Chan c = backend.find(nameOrUniqueId);
            return c == null ? null : c.snapshot();
        }
    }

    /** The channels of {@code device} (an extension, or {@code sps2} for outside callers). */
    public List<SimChannel> channelsOf(String device) {
        return channels().stream().filter(c -> c.device().equals(device)).toList();
    }

    /** An outside call from {@code number} to an extension or a queue's extension; returns the caller's channel. */
    public SimChannel incomingCall(String number, String dst) {
        return backend.incomingCall(number, dst);
    }

    /** Hangs up a channel (by name or unique id) and the leg it talks to or rings, as call_hangup does. */
    public boolean hangup(String channelOrUniqueId) {
        synchronized (backend) {
            MetasecBackend.Chan c = backend.find(channelOrUniqueId);
            return c != null && backend.hangup(c.name) == MetasecBackend.OK;
        }
    }

    /** Answers a ringing leg now, or hands a waiting queue caller to a free agent; false when neither applies. */
    public boolean answer(String channelOrUniqueId) {
        return backend.answer(channelOrUniqueId);
    }

    /** Asterisk's extension state of {@code ext} (-1 when there is none). */
    public int extensionState(String ext) {
        return backend.state(ext);
    }

    /** Marks an extension unavailable (its phone unregistered): state 4, and it can be neither called nor call. */
    public void setUnavailable(String ext, boolean unavailable) {
        synchronized (backend) {
            ext(ext).unavailable = unavailable;
        }
    }

    /** Marks an extension busy (do not disturb): state 2. */
    public void setBusy(String ext, boolean busy) {
        synchronized (backend) {
            ext(ext).busy = busy;
        }
    }

    /** Puts a channel on hold (its extension's state is 16) or takes it off. */
    public void hold(String channel, boolean held) {
        synchronized (backend) {
            MetasecBackend.Chan c = backend.find(channel);
            if (c == null) {
                throw new IllegalArgumentException("no channel " + channel);
            }
            c.held = held;
        }
    }

    /** The extensions logged in as agents of {@code queue}, in order. */
    public List<String> agents(String queue) {
        synchronized (backend) {
            return List.copyOf(queue(queue).members);
        }
    }

    /** The waiting callers' channels of {@code queue}, first first. */
    public List<String> waitingCallers(String queue) {
        synchronized (backend) {
            backend.advance();
            return queue(queue).waiting.stream().map(c -> c.name).toList();
        }
    }

    /** Names of the recordings, oldest first. */
    public List<String> recordings() {
        synchronized (backend) {
            return List.copyOf(backend.recordings.keySet());
        }
    }

    /** Whether the recording is still being made. */
    public boolean recordingActive(String name) {
        synchronized (backend) {
            MetasecBackend.Recording r = backend.recordings.get(name);
            return r != null && r.end < 0;
        }
    }

    /** Adds a finished recording of {@code length} (8 kHz 16 bit mono: 16,000 bytes a second). */
    public void addRecording(String name, Duration length) {
        backend.addRecording(name, length);
    }

    /** Conference rooms made by call_create_conf: room -> the channels rung into it. */
    public Map<String, List<String>> conferences() {
        synchronized (backend) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            backend.conferences.forEach((k, v) -> out.put(k, List.copyOf(v)));
            return out;
        }
    }

    /** Spy sessions made by chan_monitor: {@code <dst> -> <channel>}. */
    public List<String> monitors() {
        synchronized (backend) {
            return List.copyOf(backend.monitors);
        }
    }

    /** A relay's status (0 or 1). */
    public int relayStatus(String id) {
        synchronized (backend) {
            return relay(id).status;
        }
    }

    /** How often relay_status_set switched the relay. */
    public int relaySwitches(String id) {
        synchronized (backend) {
            return relay(id).switches;
        }
    }

    /** Pictures saved by vmx_cam_p_save on camera {@code id}. */
    public int savedPictures(int camera) {
        synchronized (backend) {
            return camera(camera).savedPictures;
        }
    }

    /** The durations (seconds) of the stream recordings started by vmx_cam_s_record on camera {@code id}. */
    public List<Integer> streamRecordings(int camera) {
        synchronized (backend) {
            return List.copyOf(camera(camera).streamRecordings);
        }
    }

    /** Takes a camera off line (its pictures and stream answer 0) or back. */
    public void setCameraOnline(int camera, boolean online) {
        synchronized (backend) {
            camera(camera).online = online;
        }
    }

    private MetasecBackend.Ext ext(String ext) {
        MetasecBackend.Ext e = backend.extensions.get(ext);
        if (e == null) {
            throw new IllegalArgumentException("no extension " + ext);
        }
        return e;
    }

    private MetasecBackend.Queue queue(String name) {
        MetasecBackend.Queue q = backend.queues.get(name);
        if (q == null) {
            throw new IllegalArgumentException("no queue " + name);
        }
        return q;
    }

    private MetasecBackend.Relay relay(String id) {
        MetasecBackend.Relay r = backend.relays.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no relay " + id);
        }
        return r;
    }

    private MetasecBackend.Camera camera(int id) {
        MetasecBackend.Camera c = backend.cameras.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no camera " + id);
        }
        return c;
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes(); // keep-alive needs the whole request read
            if (!options.path.equals(ex.getRequestURI().getRawPath())) {
                sendHtml(ex, 404, "Not Found");
                return;
            }
            String method = ex.getRequestMethod();
            Map<String, String> query = new LinkedHashMap<>();
            parseForm(ex.getRequestURI().getRawQuery(), query);
            Map<String, String> form = new LinkedHashMap<>();
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if ("POST".equals(method) && body.length > 0 && (contentType == null
                    || contentType.toLowerCase().startsWith("application/x-www-form-urlencoded"))) {
                parseForm(new String(body, StandardCharsets.US_ASCII), form);
            }
            Map<String, String> params = new LinkedHashMap<>(query);
            params.putAll(form); // $_REQUEST: POST over GET
            String action = params.get("action");
            boolean auth = params.containsKey("AUTH[user]") || params.containsKey("AUTH[pass]");
            if (action == null && auth) {
                action = "login";
            }
            String key = action == null ? "" : action;
            requestCounts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (!"GET".equals(method) && !"POST".equals(method)) {
                sendHtml(ex, 405, "Method Not Allowed");
                return;
            }
            Answer answer;
            MetasecFaults.Fault fault = null;
            Session session = "login".equals(action) ? null : session(params.get("SID"));
            if (session != null) {
                userRequestCounts.computeIfAbsent(session.user() + "/" + key, k -> new AtomicInteger())
                        .incrementAndGet();
            }
            if ("login".equals(action) || session != null) {
                fault = faults.take(key); // after the session check: a request answered 0 for it takes none
                if (fault != null && fault.kind() == MetasecFaults.Kind.FAIL) {
                    LOG.debug("{}: injected HTTP {}", key, fault.status());
                    sendHtml(ex, fault.status(), fault.status() == 503 ? "Service Unavailable"
                            : "Internal Server Error");
                    return;
                }
            }
            if ("login".equals(action)) {
                answer = login(method, query, form);
            } else if (session == null) {
                LOG.debug("{}: no valid session, answering 0", key);
                answer = MetasecBackend.ERROR;
            } else if (fault != null && fault.kind() == MetasecFaults.Kind.REFUSE || !ACTIONS.contains(key)) {
                answer = MetasecBackend.ERROR;
            } else {
                backend.advance();
                answer = dispatch(key, params, session.user());
            }
            Duration delay = faults.takeDelay(key);
            if (answer instanceof Text t && !t.delay().isZero()) {
                delay = delay.plus(t.delay());
            }
            sleep(delay);
            if (fault != null && fault.kind() == MetasecFaults.Kind.DROP) {
                LOG.debug("{}: processed, dropping the connection", key);
                return;
            }
            send(ex, answer);
        } catch (IOException e) {
            LOG.debug("Exchange failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("METASEC simulator failed on {} {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
        }
    }

    private Answer login(String method, Map<String, String> query, Map<String, String> form) {
        if (!"POST".equals(method) || query.containsKey("AUTH[user]") || query.containsKey("AUTH[pass]")) {
            refusedGetLogins.incrementAndGet();
            LOG.debug("login: not a POST with the credentials in its form, refused");
            return MetasecBackend.ERROR;
        }
        String user = form.get("AUTH[user]");
        String pass = form.get("AUTH[pass]");
        if (user == null || pass == null || !pass.equals(users.get(user))) {
            LOG.debug("login: wrong user or password");
            return MetasecBackend.ERROR;
        }
        byte[] t = new byte[16];
        tokens.nextBytes(t);
        String sid = HexFormat.of().formatHex(t);
        sessions.put(sid, new Session(user, new long[] { System.currentTimeMillis() }));
        LOG.debug("login: {} logged in", user);
        return new Text(sid);
    }

    private Session session(String sid) {
        Session s = sid == null ? null : sessions.get(sid);
        if (s == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        synchronized (s.lastUsed()) {
            if (options.sessionIdleTimeout != null && now - s.lastUsed()[0] > options.sessionIdleTimeout.toMillis()) {
                sessions.remove(sid);
                return null;
            }
            s.lastUsed()[0] = now;
        }
        return s;
    }

    private Answer dispatch(String action, Map<String, String> p, String user) {
        return switch (action) {
            case "call" -> backend.call(p.get("src"), p.get("dst"));
            case "call_pick" -> backend.pick(p.get("chan"), p.get("dst"));
            case "call_hangup" -> backend.hangup(p.get("chan"));
            case "call_prio" -> backend.prio(user, p.get("dst"));
            case "call_list" -> backend.callList(user);
            case "call_list_all" -> backend.callListAll();
            case "call_record_start" -> backend.recordStart(p.get("chan"), p.get("monitor_file"));
            case "call_record_stop" -> backend.recordStop(p.get("chan"));
            case "call_record_list" -> backend.recordList();
            case "call_record_get" -> backend.recordGet(p.get("monitor_file"));
            case "call_status_get" -> backend.status(p.get("filter"));
            case "call_create_conf" -> backend.conference(p.get("stations"), p.get("break"));
            case "q_list" -> backend.queueList();
            case "agent_list" -> backend.agentList(p.get("q_name"));
            case "agent_login" -> backend.agentLogin(user, p.get("q_name"));
            case "agent_logout" -> backend.agentLogout(user, p.get("q_name"));
            case "q_call_list" -> backend.queueCalls(p.get("q_name"));
            case "q_waiting_list" -> backend.queueWaiting(p.get("q_name"));
            case "q_shift_caller" -> backend.shiftCaller(p.get("q_name"), p.get("chan"), p.get("position"));
            case "q_caller_del" -> backend.deleteCaller(p.get("q_name"), p.get("chan"));
            case "vmx_cam_list" -> backend.cameraList();
            case "vmx_cam_get_pic" -> backend.picture(p.get("CAMID"));
            case "vmx_cam_get_stream" -> backend.stream(p.get("CAMID"));
            case "vmx_cam_s_record" -> backend.recordStream(p.get("CAMID"), p.get("duration"));
            case "vmx_cam_p_save" -> backend.savePicture(p.get("CAMID"));
            case "chan_play_dtmf" -> backend.dtmf(p.get("chan"), p.get("tone"));
            case "chan_monitor" -> backend.monitor(p.get("chan"), p.get("dst"));
            case "relay_list" -> backend.relayList();
            case "relay_status_get" -> backend.relayGet(p.get("relay_id"));
            case "relay_status_set" -> backend.relaySet(p.get("relay_id"), p.get("status"));
            default -> MetasecBackend.ERROR;
        };
    }

    private void send(HttpExchange ex, Answer answer) throws IOException {
        ex.getResponseHeaders().set("X-Powered-By", "PHP/5.3.3");
        if (answer instanceof Text t) {
            sendText(ex, t.body());
        } else if (answer instanceof Lines l) {
            sendText(ex, lines(l));
        } else if (answer instanceof Wav w) {
            ex.getResponseHeaders().set("Content-Type", "audio/x-wav");
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + w.name() + "\"");
            ex.sendResponseHeaders(200, Media.wavLength(w.samples()));
            try (OutputStream out = ex.getResponseBody()) {
                Media.writeWav(out, w.samples(), w.seed());
            }
        } else if (answer instanceof Jpeg j) {
            ex.getResponseHeaders().set("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, j.bytes().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(j.bytes());
            }
        } else if (answer instanceof Mjpeg m) {
            ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
            ex.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < options.streamFrames; i++) {
                    if (i > 0) {
                        sleep(options.streamFrameInterval);
                    }
                    byte[] frame = backend.frame(m.camera());
                    out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + frame.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(frame);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /** The lines of a list, each ending with a newline; with the malformed-line fault, broken lines among them. */
    private String lines(Lines l) {
        List<String> lines = l.lines();
        if (faults.malformedLines()) {
            lines = new ArrayList<>(lines);
            lines.add(Math.min(1, lines.size()), "<br />");
            lines.add(Math.min(2, lines.size()), "<b>Notice</b>:  Undefined offset: 12 in "
                    + "<b>/var/www/webtapi/webtapi.php</b> on line <b>214</b><br />");
            if (l.channels()) {
                lines.add("SIP/1009-000000ff!Callme!7777");
            }
        }
        StringBuilder b = new StringBuilder();
        lines.forEach(line -> b.append(line).append('\n'));
        return b.toString();
    }

    private static void sendText(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", TEXT);
        ex.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendHtml(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = ("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head><title>" + status + " " + text
                + "</title></head><body><h1>" + text + "</h1></body></html>\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=iso-8859-1");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
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
            into.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
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
}
