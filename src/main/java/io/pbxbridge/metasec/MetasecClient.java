package io.pbxbridge.metasec;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.LogSafe;
import io.pbxbridge.support.SecretMasking;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpResponse;
import io.pbxbridge.vendor.http.VendorHttpSettings;
import io.pbxbridge.vendor.http.VendorHttpStream;
import io.pbxbridge.vendor.session.SessionExpiry;
import io.pbxbridge.vendor.session.SessionKey;
import io.pbxbridge.vendor.session.SessionLogout;
import io.pbxbridge.vendor.session.SessionManager;
import io.pbxbridge.vendor.session.SessionToken;

/**
 * Typed calls to a METASEC WebTAPI, one method per action, over the vendor HTTP transport: the login is a POST of
 * {@code action=login}, {@code AUTH[user]} and {@code AUTH[pass]} (form fields, never in a URL) answered by a session
 * id; every other action is a GET of {@code <address><path>?action=<action>&SID=<sid>&<parameters>}, sent once.
 * <p>
 * Sessions ({@link SessionManager}): logged in on first use, one per server and user, shared by every endpoint. The
 * WebTAPI reports every failure as a bare {@code 0}, so an expired session cannot be told from a refusal: on a
 * {@code 0}, an action {@link MetasecOperation#safeToRepeat() safe to repeat} (lists, status, downloads) logs in again
 * and is sent once more; any other action fails with {@link MetasecRefusedException} and is not sent again (the next
 * request logs in first). A session unused for longer than {@code sessionIdleTimeout} is renewed before a request is
 * sent with it. The session id ({@code SID}) and the password are masked wherever the transport writes a request, and
 * never put in a message here.
 * <p>
 * Lists are read as they arrive, line by line ({@link MetasecLines}); files are handed over as streams
 * ({@link MetasecFile}). Synchronous and thread-safe.
 */
public class MetasecClient {

    private static final Logger LOG = LoggerFactory.getLogger(MetasecClient.class);

    /** Parameters whose values are masked wherever the transport writes a request. */
    static final Set<String> SECRET_PARAMS = Set.of("SID", "AUTH[pass]");
    /** Bytes looked at before a file is handed over, for the WebTAPI's {@code 0} instead of the file. */
    private static final int FILE_PEEK = 16;

    private final String address;
    private final String path;
    private final String user;
    private final String password;
    private final long idleNanos;
    private final boolean relayZeroCheck;
    private final Map<String, String> wireNames;
    private final VendorHttpClient http;
    private final SessionManager<Session> sessions;
    private final SessionKey key;

    /** A session: its id (masked in {@code toString}) and when it was last used. */
    static final class Session {
        final SessionToken token;
        final AtomicLong lastUsed = new AtomicLong(System.nanoTime());

        Session(SessionToken token) {
            this.token = token;
        }

        @Override
        public String toString() {
            return "Session[" + SecretMasking.MASK + "]";
        }
    }

    /** A session left unused too long: renewed before anything is sent (never thrown out of the client). */
    private static final class SessionIdle extends MetasecException {
        SessionIdle(String action) {
            super(action, "SESSION_IDLE", "session idle", Kind.INVALID_REQUEST, action + ": the session was idle too "
                    + "long and is renewed first", null);
        }
    }

    /**
     * @param http     the transport ({@link #transport}), shared with other endpoints and closed by its owner
     * @param sessions the component's sessions ({@link #sessions()})
     */
    public MetasecClient(MetasecConfiguration c, VendorHttpClient http, SessionManager<Session> sessions) {
        String a = c.getAddress();
        if (a == null || a.isBlank()) {
            throw new IllegalArgumentException("metasec: the address of the WebTAPI is not configured");
        }
        this.address = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        String p = c.getPath() == null || c.getPath().isBlank() ? "/webtapi/webtapi.php" : c.getPath().trim();
        this.path = p.startsWith("/") ? p : "/" + p;
        this.user = c.getUser();
        this.password = c.getPassword();
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, c.getSessionIdleTimeout()));
        this.relayZeroCheck = c.isRelayZeroCheck();
        this.wireNames = MetasecOperation.wireNames(c.getWireNames());
        this.http = http;
        this.sessions = sessions;
        this.key = new SessionKey(address + path, user == null ? "" : user);
    }

    /** The HTTP transport of METASEC: its exceptions and its secret parameters. */
    static VendorHttpClient transport(VendorHttpSettings settings) {
        return VendorHttpClient.builder(MetasecComponent.SCHEME).settings(settings)
                .failures(MetasecHttpFailures.INSTANCE).secretParameters(SECRET_PARAMS).build();
    }

    /** The sessions of a component: a {@code 0} may be an expired session, an idle one is renewed first. */
    static SessionManager<Session> sessions() {
        return new SessionManager<>(MetasecComponent.SCHEME, failure -> {
            if (failure instanceof SessionIdle) {
                return SessionExpiry.EXPIRED_NOT_EXECUTED;
            }
            if (failure instanceof MetasecRefusedException r && r.sessionMayHaveExpired()) {
                return SessionExpiry.EXPIRED_OUTCOME_UNKNOWN;
            }
            return SessionExpiry.NOT_EXPIRED;
        }, SessionLogout.none());
    }

    /** {@code address} + {@code path}. */
    public String url() {
        return address + path;
    }

    public String user() {
        return user;
    }

    // ---- login --------------------------------------------------------------------------------------------------

    /** Makes sure a session is held (logging in when none is); never returns the session id. */
    public MetasecSessionInfo login() {
        return session(MetasecOperation.login, s -> new MetasecSessionInfo(user, url()));
    }

    private Session login(SessionKey k) {
        String action = MetasecOperation.login.wireName();
        if (user == null || user.isBlank() || password == null) {
            throw new MetasecValidationException(action, "needs the user and password options");
        }
        VendorHttpRequest request = VendorHttpRequest.post(address, path).operation(action)
                .form("action", action).form("AUTH[user]", user).form("AUTH[pass]", password)
                .secret("AUTH[pass]").build();
        VendorHttpResponse response = http.sendForSuccess(request);
        String body = response.bodyAsString().strip();
        if ("0".equals(body)) {
            throw new MetasecLoginException(user, action);
        }
        if (body.isEmpty() || body.length() > 256 || !body.chars().allMatch(ch -> ch > 32 && ch < 127)
                || body.indexOf('<') >= 0) {
            // the answer is not quoted: it could be a session id with something around it
            throw new MetasecResponseException(action, "not a session id (" + body.length() + " characters"
                    + (body.indexOf('<') >= 0 ? ", HTML" : "") + ")");
        }
        LOG.debug("metasec: {} logged in at {}", user, url());
        return new Session(new SessionToken(body));
    }

    // ---- calls --------------------------------------------------------------------------------------------------

    /** @param src the calling party (rung first); null: the user */
    public MetasecAck call(String src, String dst) {
        return ack(MetasecOperation.call, params().add("src", src != null ? src : user).add("dst", dst));
    }

    public MetasecAck callPick(String chan, String dst) {
        return ack(MetasecOperation.call_pick, params().add("chan", chan).add("dst", dst));
    }

    public MetasecAck callHangup(String chan) {
        return ack(MetasecOperation.call_hangup, params().add("chan", chan));
    }

    public MetasecAck callPrio(String dst) {
        return ack(MetasecOperation.call_prio, params().add("dst", dst));
    }

    public MetasecList<ChannelLine> callList() {
        return list(MetasecOperation.call_list, params(), MetasecLines::channel);
    }

    public MetasecList<ChannelLine> callListAll() {
        return list(MetasecOperation.call_list_all, params(), MetasecLines::channel);
    }

    /**
     * @param monitorFile the file name to record to, or null for one the server makes
     * @return the file name used (a bare {@code 1} from the server: {@code monitorFile} as given)
     */
    public RecordingStarted callRecordStart(String chan, String monitorFile) {
        MetasecOperation op = MetasecOperation.call_record_start;
        Params p = params().add("chan", chan).add("monitorFile", monitorFile);
        return session(op, s -> {
            String body = text(op, p, s);
            if ("1".equals(body)) {
                return new RecordingStarted(chan, monitorFile);
            }
            if (MetasecLines.recordingFile(body) == null) {
                throw new MetasecResponseException(op.wireName(), "not a file name: '" + preview(body, s) + "'");
            }
            return new RecordingStarted(chan, body);
        });
    }

    public MetasecAck callRecordStop(String chan) {
        return ack(MetasecOperation.call_record_stop, params().add("chan", chan));
    }

    public MetasecList<RecordingFile> callRecordList() {
        return list(MetasecOperation.call_record_list, params(), MetasecLines::recordingFile);
    }

    /** The recording as it arrives (a WAV file); the caller closes it. */
    public MetasecFile callRecordGet(String monitorFile) {
        MetasecOperation op = MetasecOperation.call_record_get;
        return session(op, s -> file(op, params().add("monitorFile", monitorFile), s, monitorFile));
    }

    /**
     * @param filter extensions, comma separated, or null for every one. A server that answers a single bare state for
     *               a single extension is read too (but a bare {@code 0} is the WebTAPI's error).
     */
    public MetasecList<ExtensionStatus> callStatusGet(String filter) {
        MetasecOperation op = MetasecOperation.call_status_get;
        MetasecList<ExtensionStatus> l = list(op, params().add("filter", filter), MetasecLines::extensionStatus);
        if (l.rows().isEmpty() && l.malformed().size() == 1 && filter != null && !filter.contains(",")) {
            ExtensionState bare = ExtensionState.parse(l.malformed().get(0));
            if (bare != null) {
                return new MetasecList<>(List.of(new ExtensionStatus(filter.trim(), bare)), List.of());
            }
        }
        return l;
    }

    /** @param breakCalls true: {@code break=true} (running calls of the stations are ended); otherwise not sent */
    public MetasecAck callCreateConf(String stations, Boolean breakCalls) {
        return ack(MetasecOperation.call_create_conf, params().add("stations", stations)
                .add("breakCalls", Boolean.TRUE.equals(breakCalls) ? "true" : null));
    }

    // ---- queues -------------------------------------------------------------------------------------------------

    public MetasecList<QueueInfo> qList() {
        return list(MetasecOperation.q_list, params(), MetasecLines::queue);
    }

    public MetasecList<AgentInfo> agentList(String queue) {
        return list(MetasecOperation.agent_list, params().add("queue", queue), MetasecLines::agent);
    }

    public MetasecAck agentLogin(String queue) {
        return ack(MetasecOperation.agent_login, params().add("queue", queue));
    }

    public MetasecAck agentLogout(String queue) {
        return ack(MetasecOperation.agent_logout, params().add("queue", queue));
    }

    public MetasecList<ChannelLine> qCallList(String queue) {
        return list(MetasecOperation.q_call_list, params().add("queue", queue), MetasecLines::channel);
    }

    public MetasecList<WaitingCaller> qWaitingList(String queue) {
        return list(MetasecOperation.q_waiting_list, params().add("queue", queue), MetasecLines::waitingCaller);
    }

    public MetasecAck qShiftCaller(String queue, String chan, int position) {
        return ack(MetasecOperation.q_shift_caller, params().add("queue", queue).add("chan", chan)
                .add("position", Integer.toString(position)));
    }

    public MetasecAck qCallerDel(String queue, String chan) {
        return ack(MetasecOperation.q_caller_del, params().add("queue", queue).add("chan", chan));
    }

    // ---- cameras ------------------------------------------------------------------------------------------------

    public MetasecList<Camera> vmxCamList() {
        return list(MetasecOperation.vmx_cam_list, params(), MetasecLines::camera);
    }

    /** One picture (a JPEG) as it arrives; the caller closes it. */
    public MetasecFile vmxCamGetPic(String camId) {
        MetasecOperation op = MetasecOperation.vmx_cam_get_pic;
        return session(op, s -> file(op, params().add("camId", camId), s, null));
    }

    /** The camera's stream as it arrives (multipart JPEG pictures); the caller reads what it wants and closes it. */
    public MetasecFile vmxCamGetStream(String camId) {
        MetasecOperation op = MetasecOperation.vmx_cam_get_stream;
        return session(op, s -> file(op, params().add("camId", camId), s, null));
    }

    /** @param duration seconds to record, or null for the server's default */
    public MetasecAck vmxCamSRecord(String camId, Integer duration) {
        return ack(MetasecOperation.vmx_cam_s_record, params().add("camId", camId)
                .add("duration", duration == null ? null : duration.toString()));
    }

    public MetasecAck vmxCamPSave(String camId) {
        return ack(MetasecOperation.vmx_cam_p_save, params().add("camId", camId));
    }

    // ---- channels -----------------------------------------------------------------------------------------------

    public MetasecAck chanPlayDtmf(String chan, String tone) {
        return ack(MetasecOperation.chan_play_dtmf, params().add("chan", chan).add("tone", tone));
    }

    public MetasecAck chanMonitor(String chan, String dst) {
        return ack(MetasecOperation.chan_monitor, params().add("chan", chan).add("dst", dst));
    }

    // ---- relays -------------------------------------------------------------------------------------------------

    public MetasecList<Relay> relayList() {
        return list(MetasecOperation.relay_list, params(), MetasecLines::relay);
    }

    /**
     * The relay's status. A {@code 0} is both "open" and the WebTAPI's error: with {@code relayZeroCheck} it is
     * checked with relay_list in the same session: listed, the status is relay_list's; not listed, the relay is
     * unknown ({@link MetasecRefusedException}); relay_list answering {@code 0} too, the session has expired (logged
     * in again and asked once more).
     */
    public RelayStatus relayStatusGet(String relayId) {
        MetasecOperation op = MetasecOperation.relay_status_get;
        return session(op, s -> {
            String body = raw(op, params().add("relayId", relayId), s);
            Integer status = MetasecLines.integer(body);
            if (status == null) {
                throw new MetasecResponseException(op.wireName(), "not a status: '" + preview(body, s) + "'");
            }
            if (status != 0 || !relayZeroCheck) {
                return new RelayStatus(relayId, status);
            }
            MetasecList<Relay> relays = readList(MetasecOperation.relay_list, params(), MetasecLines::relay, s);
            for (Relay r : relays) {
                if (r.id().equals(relayId)) {
                    return new RelayStatus(relayId, r.status() == null ? 0 : r.status());
                }
            }
            if (!relays.complete()) {
                throw new MetasecResponseException(op.wireName(), "0, and relay_list could not be read whole to "
                        + "tell an open contact from an unknown relay");
            }
            throw new MetasecRefusedException(op.wireName(), "0", op.wireName() + ": no relay " + relayId
                    + " (the WebTAPI answered 0, and relay_list does not list it)", false);
        });
    }

    public MetasecAck relayStatusSet(String relayId, int status) {
        return ack(MetasecOperation.relay_status_set, params().add("relayId", relayId)
                .add("relayStatus", Integer.toString(status)));
    }

    // ---- the exchange -------------------------------------------------------------------------------------------

    /** Input name -> value, in order; sent under the inputs' wire names. */
    final class Params {
        final List<String[]> values = new ArrayList<>();

        Params add(String input, String value) {
            if (value != null) {
                values.add(new String[] { wireName(input), value });
            }
            return this;
        }
    }

    private Params params() {
        return new Params();
    }

    private String wireName(String input) {
        String w = wireNames.get(input);
        if (w == null) {
            throw new IllegalStateException("no wire name for input " + input);
        }
        return w;
    }

    /** {@code call} with a session; an idle one is renewed first. */
    private <T> T session(MetasecOperation op, Function<Session, T> call) {
        return sessions.call(key, this::login, op.safeToRepeat(), s -> {
            long now = System.nanoTime();
            if (idleNanos > 0 && now - s.lastUsed.get() > idleNanos) {
                throw new SessionIdle(op.wireName());
            }
            s.lastUsed.set(now);
            return call.apply(s);
        });
    }

    private MetasecAck ack(MetasecOperation op, Params p) {
        return session(op, s -> {
            String body = text(op, p, s);
            if (!"1".equals(body)) {
                throw new MetasecResponseException(op.wireName(), "neither 1 nor 0: '" + preview(body, s) + "'");
            }
            return new MetasecAck(op.wireName());
        });
    }

    /** The answer, stripped; a bare {@code 0} is {@link MetasecRefusedException}. */
    private String text(MetasecOperation op, Params p, Session s) {
        String body = raw(op, p, s);
        if ("0".equals(body)) {
            throw new MetasecRefusedException(op.wireName());
        }
        return body;
    }

    /** The answer, stripped, whatever it is. */
    private String raw(MetasecOperation op, Params p, Session s) {
        return http.sendForSuccess(request(op, p, s)).bodyAsString().strip();
    }

    private VendorHttpRequest request(MetasecOperation op, Params p, Session s) {
        VendorHttpRequest.Builder b = VendorHttpRequest.get(address, path).operation(op.wireName())
                .query("action", op.wireName()).query("SID", s.token.value()).secret("SID");
        for (String[] v : p.values) {
            b.query(v[0], v[1]);
        }
        return b.build();
    }

    private <T> MetasecList<T> list(MetasecOperation op, Params p, Function<String, T> reader) {
        return session(op, s -> readList(op, p, reader, s));
    }

    /**
     * A list read as it arrives. A body that is a bare {@code 0} is the WebTAPI's error ({@link MetasecRefusedException});
     * an empty body an empty list; lines {@code reader} cannot read are {@link MetasecList#malformed()} (and logged
     * once per list, at WARN).
     */
    private <T> MetasecList<T> readList(MetasecOperation op, Params p, Function<String, T> reader, Session s) {
        List<T> rows = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        String held = null; // the first non-blank line, while it may be the bare 0
        int nonBlank = 0;
        try (VendorHttpStream stream = http.sendStreaming(request(op, p, s));
             BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), stream.charset()))) {
            for (String line; (line = in.readLine()) != null;) {
                if (line.isBlank()) {
                    continue;
                }
                nonBlank++;
                if (nonBlank == 1) {
                    held = line;
                    continue;
                }
                if (held != null) {
                    read(held, reader, rows, malformed);
                    held = null;
                }
                read(line, reader, rows, malformed);
            }
        } catch (IOException e) {
            throw new MetasecConnectionException(op.wireName(), VendorHttpFailures.ioCode(e), "metasec "
                    + op.wireName() + ": the list was cut off while it was read: " + VendorFailures.rootMessage(e), e);
        } catch (UncheckedIOException e) {
            throw new MetasecConnectionException(op.wireName(), VendorHttpFailures.ioCode(e.getCause()), "metasec "
                    + op.wireName() + ": the list was cut off while it was read: " + VendorFailures.rootMessage(e), e.getCause());
        }
        if (held != null) {
            if (nonBlank == 1 && "0".equals(held.strip())) {
                throw new MetasecRefusedException(op.wireName());
            }
            read(held, reader, rows, malformed);
        }
        if (!malformed.isEmpty()) {
            LOG.warn("metasec {}: {} of {} lines could not be read and are left out, e.g. '{}'", op.wireName(),
                    malformed.size(), nonBlank, LogSafe.text(preview(malformed.get(0), s)));
        }
        return new MetasecList<>(rows, malformed);
    }

    private static <T> void read(String line, Function<String, T> reader, List<T> rows, List<String> malformed) {
        T row = reader.apply(line);
        if (row != null) {
            rows.add(row);
        } else {
            malformed.add(line.strip());
        }
    }

    /**
     * A file as it arrives. Its first bytes are looked at: a body that is a bare {@code 0} is the WebTAPI's error, a
     * {@code text/*} answer that is not the file a malformed reply; otherwise it is handed over unread.
     */
    private MetasecFile file(MetasecOperation op, Params p, Session s, String name) {
        VendorHttpStream stream = http.sendStreaming(request(op, p, s));
        try {
            BufferedInputStream in = new BufferedInputStream(stream.body(), 8192);
            in.mark(FILE_PEEK + 1);
            byte[] head = in.readNBytes(FILE_PEEK);
            boolean ended = head.length < FILE_PEEK;
            String type = stream.contentType();
            if (ended && "0".equals(new String(head, StandardCharsets.ISO_8859_1).strip())) {
                stream.close();
                throw new MetasecRefusedException(op.wireName());
            }
            if (type != null && type.toLowerCase().startsWith("text/")) {
                in.reset();
                String text = new String(in.readNBytes(200), StandardCharsets.ISO_8859_1);
                stream.close();
                throw new MetasecResponseException(op.wireName(), "a text answer (" + type + ") instead of a file: '"
                        + preview(text, s) + "'");
            }
            in.reset();
            return new MetasecFile(in, stream, fileName(stream, name), type, stream.contentLength());
        } catch (IOException e) {
            closeQuietly(stream);
            throw new MetasecConnectionException(op.wireName(), VendorHttpFailures.ioCode(e), "metasec "
                    + op.wireName() + ": the file was cut off while it was read: " + VendorFailures.rootMessage(e), e);
        } catch (RuntimeException e) {
            closeQuietly(stream);
            throw e;
        }
    }

    /** The name of {@code Content-Disposition}, else the one asked for. */
    private static String fileName(VendorHttpStream stream, String asked) {
        String cd = stream.header("Content-Disposition");
        if (cd != null) {
            int i = cd.toLowerCase().indexOf("filename=");
            if (i >= 0) {
                String n = cd.substring(i + 9).trim();
                int semi = n.indexOf(';');
                n = (semi >= 0 ? n.substring(0, semi) : n).replace("\"", "").trim();
                if (!n.isEmpty() && n.indexOf('/') < 0 && n.indexOf('\\') < 0) {
                    return n;
                }
            }
        }
        return asked;
    }

    private static void closeQuietly(VendorHttpStream stream) {
        try {
            stream.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("metasec: closing a response failed: {}", e.toString());
        }
    }

    /** Some text of an answer for a message: the session id masked, control characters escaped, bounded. */
    private static String preview(String text, Session s) {
        String t = text == null ? "" : text.replace(s.token.value(), SecretMasking.MASK);
        return LogSafe.text(t, 120);
    }
}
