package io.pbxbridge.portasip;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.TrustOptions;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;
import io.pbxbridge.support.SecretMasking;
import io.pbxbridge.vendor.VendorException.Kind;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.http.TrustStore;
import io.pbxbridge.vendor.session.SessionToken;

/**
 * PortaSIP Call Control (JSON-RPC over a WebSocket) for one server and login: ONE socket, shared by every endpoint of
 * the component that talks to that server as that login ({@link PortaSipComponent#callControl}), and by the events
 * consumer, which listens to its notifications.
 * <p>
 * <b>The socket.</b> {@code wss://host:port/ws} ({@code ws://} for an {@code http} address), verified with the JVM's
 * trust or the trust store option, never "trust all". Opened on the first request; after it opens, the socket logs in
 * ({@code {"cseq":N,"service":"Session","method":"login","params":{login, domain, password}}}), then every request
 * carries {@code auth_info {session_id}}. When it closes, every request waiting for a reply fails with
 * {@link Kind#NO_ANSWER} (it was sent: whether it was carried out is unknown), and the next request opens a new socket
 * (lazily: nothing reconnects in the background; the events consumer reconnects with its own backoff by calling
 * {@link #connect()}). Connection listeners are told of every (re)connect, after the login, so they can subscribe
 * again and reconcile before anything else is sent, and of every close.
 * <p>
 * <b>Requests and replies</b> are paired by {@code cseq} (an {@link AtomicLong}; a map from cseq to the waiting
 * request). A reply that does not come within the request's timeout fails the request with NO_ANSWER naming the
 * method and its cseq; a reply arriving later is dropped. JSON-RPC errors are accepted in either envelope, {@code
 * {"cseq":N,"error":{"code","message","details"}}} or {@code {"cseq":N,"success":0,"code",...}} (also a result with
 * {@code success: 0}), and become {@link PortaSipCallControlException}s. An authentication error (the socket's
 * session expired) logs the socket in again, once for every request that met it, and the request is sent once more
 * (PortaSIP checks the session before executing). Frames without a cseq (the {@code sip.call_control_notifications}
 * pushes) go to the notification listeners as their raw text, so a listener can read the spec's damaged frames its
 * own way; so do frames that are not JSON.
 * <p>
 * <b>Why not camel-vertx-websocket's endpoint</b> (its producer, and its consumer with {@code consumeAsClient}), though
 * this uses the Vert.x instance that component manages: the endpoint keeps one client socket in an unsynchronized
 * field shared by its producer and consumer, so two threads may open two sockets; its producer only writes (no reply,
 * so no request/reply pairing); its client consumer reconnects on its own timer with no hook to log in and subscribe
 * again before other frames are sent, and no way to fail the requests waiting on a closed socket; and the producer
 * binds the socket's exception handler to the first exchange that opened it. Pairing replies on a shared socket needs
 * the socket itself, so this holds a Vert.x {@link WebSocketClient} of the component's Vertx.
 * <p>
 * Thread-safe. Requests block their caller (the component's call pool) until the reply; frames are handled on a
 * Vert.x event loop, where listeners are called: a listener must not block. Never logs a password, a session id or
 * a frame's content.
 */
public final class PortaSipCallControl extends ServiceSupport {

    /** The Call Control service name. */
    public static final String SERVICE = "CallControl";
    /** The notification event subscribed to. */
    public static final String NOTIFICATIONS = "sip.call_control_notifications";

    private static final Logger LOG = LoggerFactory.getLogger(PortaSipCallControl.class);
    /** Large enough for a calls list of a big IP Centrex. */
    private static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    /** Told of every (re)connect (after the login) and of every close. */
    public interface ConnectionListener {

        /**
         * Called on the thread that opened the socket, after its login and before the request that opened it is
         * sent: requests made here (subscriptions, a reconciling list) go out first. A failure is logged.
         */
        default void onConnected(PortaSipCallControl callControl) {
        }

        /** Called on the event loop when the socket closed (must not block). */
        default void onDisconnected(PortaSipCallControl callControl, String reason) {
        }
    }

    private final Supplier<Vertx> vertx;
    private final URI uri;
    private final String login;
    private final String domain;
    private final String password;
    private final TrustStore trustStore;
    private final Duration connectTimeout;
    private final Duration loginTimeout;

    private final AtomicLong cseq = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final List<Consumer<String>> notificationListeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final PortaSipCallTable calls = new PortaSipCallTable();
    private final java.util.concurrent.atomic.AtomicReference<Object> eventsConsumer =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile Connection current;
    private CompletableFuture<Connection> connecting;
    private WebSocketClient client;

    /**
     * @param vertx          the Vert.x to open sockets with (camel-vertx-websocket's), asked for at the first connect
     * @param uri            {@code wss://host:port/ws} or {@code ws://...}
     * @param trustStore     to verify the server with, or null for the JVM's trust
     * @param loginTimeout   how long the socket's login may take
     */
    public PortaSipCallControl(Supplier<Vertx> vertx, URI uri, String login, String domain, String password,
                               TrustStore trustStore, Duration connectTimeout, Duration loginTimeout) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.uri = Objects.requireNonNull(uri, "uri");
        if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not a ws(s) URI: " + uri);
        }
        this.login = login;
        this.domain = domain;
        this.password = password;
        this.trustStore = trustStore;
        this.connectTimeout = connectTimeout;
        this.loginTimeout = loginTimeout;
    }

    /** {@code wss://host:port/ws}. */
    public URI uri() {
        return uri;
    }

    // ---- listeners ----------------------------------------------------------------------------------------------

    /** Receives the raw text of every frame that is not a reply (notifications, frames that are not JSON). */
    public void addNotificationListener(Consumer<String> listener) {
        notificationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeNotificationListener(Consumer<String> listener) {
        notificationListeners.remove(listener);
    }

    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeConnectionListener(ConnectionListener listener) {
        connectionListeners.remove(listener);
    }

    // ---- the live calls ---------------------------------------------------------------------------------------

    /**
     * The live calls of this server and login, as the {@code portasip:events} consumer of this connection keeps them
     * from its notifications and reconciliations (empty while none runs): where commands find a live call's
     * {@code call {id, tag}} and {@code transport_id} by pbx-bridge's call id.
     */
    public PortaSipCallTable calls() {
        return calls;
    }

    /**
     * Makes {@code consumer} the one events consumer of this socket: every frame goes to every listener, so two
     * consumers would emit every event twice. False when another one holds it.
     */
    boolean claimEvents(Object consumer) {
        return eventsConsumer.compareAndSet(null, consumer) || eventsConsumer.get() == consumer;
    }

    void releaseEvents(Object consumer) {
        eventsConsumer.compareAndSet(consumer, null);
    }

    // ---- state ------------------------------------------------------------------------------------------------

    /** Whether a socket is open and logged in. */
    public boolean isConnected() {
        Connection c = current;
        return c != null && c.open;
    }

    /** How many sockets were opened so far (each reconnect is one more). */
    public long connectionCount() {
        return opened.get();
    }

    /** Requests waiting for their reply. */
    public int pendingRequests() {
        return pending.size();
    }

    /**
     * Opens the socket and logs in, unless it is open: the events consumer's (re)connect.
     *
     * @throws PortaSipException UNREACHABLE when it cannot be opened, REFUSED when the login is refused
     */
    public void connect() {
        connection();
    }

    /** Closes the socket, if open (requests waiting for a reply fail with NO_ANSWER); the next request reopens it. */
    public void disconnect() {
        Connection c = current;
        if (c != null) {
            onClose(c, "closed by pbx-bridge"); // at once: no request goes out on a closing socket
            c.close("closed by pbx-bridge");
        }
    }

    /** Sends a WebSocket ping on the open socket (liveness); false when there is none. */
    public boolean ping() {
        Connection c = current;
        if (c == null || !c.open || c.ws == null) {
            return false;
        }
        try {
            c.ws.writePing(io.vertx.core.buffer.Buffer.buffer("pbx-bridge"));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- requests -----------------------------------------------------------------------------------------------

    /**
     * Calls a Call Control method and returns its {@code result} (an object, possibly empty).
     *
     * @param timeout how long the reply may take
     * @throws PortaSipCallControlException the method's JSON-RPC error
     * @throws PortaSipConnectionException  UNREACHABLE (not sent) or NO_ANSWER (sent, no reply: timeout, socket closed)
     */
    public JsonNode call(String method, ObjectNode params, Duration timeout) {
        return request(SERVICE, method, params, timeout);
    }

    /**
     * A subscription scope: {@code i_account}, {@code i_customer}, {@code i_main_office} or {@code i_ivr_an} and its
     * id, as {@code enable_api_notifications}, {@code disable_api_notifications} and {@code get_sip_calls_list} take
     * it.
     */
    public record Scope(String key, long id) {

        public Scope {
            if (!java.util.Set.of("i_account", "i_customer", "i_main_office", "i_ivr_an").contains(key)) {
                throw new IllegalArgumentException("not a scope: " + key
                        + " (i_account, i_customer, i_main_office or i_ivr_an)");
            }
        }

        public static Scope account(long iAccount) {
            return new Scope("i_account", iAccount);
        }

        public static Scope customer(long iCustomer) {
            return new Scope("i_customer", iCustomer);
        }

        public static Scope mainOffice(long iMainOffice) {
            return new Scope("i_main_office", iMainOffice);
        }

        public static Scope ivrAccessNumber(long iIvrAn) {
            return new Scope("i_ivr_an", iIvrAn);
        }

        ObjectNode params() {
            return Json.MAPPER.createObjectNode().put(key, id);
        }

        @Override
        public String toString() {
            return key + " " + id;
        }
    }

    /** {@code enable_api_notifications} of {@code sip.call_control_notifications} for {@code scope}. */
    public PortaSipSuccess enableNotifications(Scope scope, Duration timeout) {
        JsonNode r = call("enable_api_notifications", scope.params().put("event", NOTIFICATIONS), timeout);
        return new PortaSipSuccess(r.path("success").asInt(1));
    }

    /** {@code disable_api_notifications} for {@code scope}. */
    public PortaSipSuccess disableNotifications(Scope scope, Duration timeout) {
        JsonNode r = call("disable_api_notifications", scope.params().put("event", NOTIFICATIONS), timeout);
        return new PortaSipSuccess(r.path("success").asInt(1));
    }

    /** {@code get_sip_calls_list} for {@code scope}: the legs its subscription on this socket has seen. */
    public List<SipCallInfo> callsList(Scope scope, Duration timeout) {
        return PortaSipInputs.list(PortaSipOperation.getSipCallsList, call("get_sip_calls_list", scope.params(),
                timeout), "calls_list", SipCallInfo.class);
    }

    /** Calls {@code service.method} with the socket's session (see {@link #call}). */
    public JsonNode request(String service, String method, ObjectNode params, Duration timeout) {
        Connection c = connection();
        long session = c.sessionGeneration;
        try {
            return exchange(c, service, method, params, timeout, true);
        } catch (PortaSipCallControlException e) {
            if (!e.isAuthFault()) {
                throw e;
            }
            // the socket's session expired: checked before anything is executed, so the request may go again
            LOG.debug("portasip: Call Control session of {} expired ({}); {} sent again after a new login",
                    login, e.getCode(), method);
            relogin(c, session);
            return exchange(c, service, method, params, timeout, true);
        }
    }

    private Connection connection() {
        Connection c = current;
        if (c != null && c.open) {
            return c;
        }
        if (!isRunAllowed()) {
            throw new PortaSipConnectionException("connect", "STOPPED", Kind.UNREACHABLE,
                    "portasip: Call Control of " + uri + " is stopped", null);
        }
        CompletableFuture<Connection> flight;
        boolean mine = false;
        synchronized (lock) {
            c = current;
            if (c != null && c.open) {
                return c;
            }
            if (connecting == null) {
                connecting = new CompletableFuture<>();
                mine = true;
            }
            flight = connecting;
        }
        if (!mine) {
            return join(flight);
        }
        try {
            c = open();
            synchronized (lock) {
                current = c;
                connecting = null;
            }
            flight.complete(c);
        } catch (RuntimeException e) {
            synchronized (lock) {
                connecting = null;
            }
            flight.completeExceptionally(e);
            throw e;
        }
        for (ConnectionListener l : connectionListeners) {
            try {
                l.onConnected(this);
            } catch (RuntimeException e) {
                LOG.warn("portasip: a Call Control connection listener failed: {}", VendorFailures.rootMessage(e));
            }
        }
        return c;
    }

    private Connection join(CompletableFuture<Connection> flight) {
        try {
            return flight.get(connectTimeout.toMillis() + loginTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PortaSipConnectionException("connect", "CONNECT_FAILED", Kind.UNREACHABLE,
                    "portasip: cannot open Call Control at " + uri + ": " + VendorFailures.rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new PortaSipConnectionException("connect", "TIMEOUT", Kind.UNREACHABLE,
                    "portasip: Call Control at " + uri + " did not open in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortaSipConnectionException("connect", "INTERRUPTED", Kind.UNREACHABLE,
                    "portasip: interrupted while opening Call Control at " + uri, e);
        }
    }

    /** Opens a socket and logs it in. */
    private Connection open() {
        Connection c = new Connection(opened.incrementAndGet());
        CompletableFuture<WebSocket> open = new CompletableFuture<>();
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(port)
                .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .setSsl(tls);
        client().connect(options).onComplete(ar -> {
            if (ar.failed()) {
                open.completeExceptionally(ar.cause());
                return;
            }
            WebSocket ws = ar.result();
            c.ws = ws;
            ws.textMessageHandler(text -> onText(c, text));
            ws.closeHandler(v -> onClose(c, closeReason(ws)));
            ws.exceptionHandler(e -> LOG.debug("portasip: Call Control socket {}: {}", c.number,
                    VendorFailures.rootMessage(e)));
            open.complete(ws);
        });
        try {
            open.get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PortaSipConnectionException("connect", "CONNECT_FAILED", Kind.UNREACHABLE,
                    "portasip: cannot open Call Control at " + uri + ": " + VendorFailures.rootMessage(e.getCause())
                            + (isTlsProblem(e.getCause()) ? " (a self-signed PortaSIP certificate? set trustStore)"
                                    : ""), e.getCause());
        } catch (TimeoutException e) {
            open.thenAccept(WebSocket::close); // if it opens after all
            throw new PortaSipConnectionException("connect", "TIMEOUT", Kind.UNREACHABLE,
                    "portasip: Call Control at " + uri + " did not open within " + connectTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open.thenAccept(WebSocket::close);
            throw new PortaSipConnectionException("connect", "INTERRUPTED", Kind.UNREACHABLE,
                    "portasip: interrupted while opening Call Control at " + uri, e);
        }
        try {
            c.session = login(c);
        } catch (RuntimeException e) {
            c.close("login failed");
            throw e;
        }
        LOG.info("portasip: Call Control connected to {} as {} (socket {})", uri, login, c.number);
        return c;
    }

    /** Logs {@code c} in again unless another request did since session generation {@code seen}. */
    private void relogin(Connection c, long seen) {
        synchronized (c) {
            if (c.sessionGeneration == seen && c.open) {
                c.session = login(c);
                c.sessionGeneration++;
            }
        }
    }

    private SessionToken login(Connection c) {
        ObjectNode params = Json.MAPPER.createObjectNode();
        params.put("login", login);
        if (domain != null && !domain.isBlank()) {
            params.put("domain", domain);
        }
        params.put("password", password == null ? "" : password);
        JsonNode result;
        try {
            result = exchange(c, "Session", "login", params, loginTimeout, false);
        } catch (PortaSipCallControlException e) {
            throw new PortaSipCallControlException("login", e.getCseq(), e.getCode(), e.getVendorMessage(),
                    e.getDetails(), "portasip: Call Control at " + uri + " refused the login of " + login + ": "
                            + e.getCode() + (e.getVendorMessage() == null ? "" : " (" + e.getVendorMessage() + ")"));
        }
        String id = PortaSipClient.text(result, "session_id");
        if (id == null || id.isBlank()) {
            throw new PortaSipResponseException("login", "no session_id in the Call Control login reply", null);
        }
        return new SessionToken(id);
    }

    /** Sends one request on {@code c} and waits for its reply. */
    private JsonNode exchange(Connection c, String service, String method, ObjectNode params, Duration timeout,
                              boolean auth) {
        long n = cseq.incrementAndGet();
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("cseq", n);
        if (auth) {
            frame.putObject("auth_info").put("session_id", c.session.value());
        }
        frame.put("service", service).put("method", method);
        frame.set("params", params == null ? Json.MAPPER.createObjectNode() : params);
        String name = service.equals(SERVICE) ? method : service + "." + method;
        Pending p = new Pending(name, n, c);
        pending.put(n, p);
        if (!c.open || c.ws == null) {
            pending.remove(n);
            throw new PortaSipConnectionException(method, "SOCKET_CLOSED", Kind.UNREACHABLE, "portasip " + name
                    + " (cseq " + n + "): the Call Control socket closed before the request was sent", null);
        }
        LOG.debug("portasip: {} (cseq {}) sent on socket {}", name, n, c.number);
        try {
            c.ws.writeTextMessage(frame.toString()).onFailure(e -> fail(n, new PortaSipConnectionException(method,
                    "SOCKET_CLOSED", Kind.NO_ANSWER, "portasip " + name + " (cseq " + n + "): the request could not "
                            + "be written (" + VendorFailures.rootMessage(e) + "); whether it was carried out is unknown",
                    e)));
        } catch (RuntimeException e) {
            pending.remove(n);
            throw new PortaSipConnectionException(method, "SOCKET_CLOSED", Kind.UNREACHABLE, "portasip " + name
                    + " (cseq " + n + "): the Call Control socket closed before the request was sent", e);
        }
        JsonNode reply;
        try {
            reply = p.reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.remove(n);
            throw new PortaSipConnectionException(method, "TIMEOUT", Kind.NO_ANSWER, "portasip " + name + " (cseq "
                    + n + "): no reply within " + timeout.toMillis() + " ms; whether it was carried out is unknown",
                    null);
        } catch (InterruptedException e) {
            pending.remove(n);
            Thread.currentThread().interrupt();
            throw new PortaSipConnectionException(method, "INTERRUPTED", Kind.NO_ANSWER, "portasip " + name
                    + " (cseq " + n + "): interrupted while waiting for the reply", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PortaSipConnectionException(method, "SOCKET_CLOSED", Kind.NO_ANSWER, "portasip " + name
                    + " (cseq " + n + "): " + VendorFailures.rootMessage(e), e);
        }
        return result(method, name, n, reply, this::mask);
    }

    /** {@code text} without the password or a session id of this socket. */
    private String mask(String text) {
        if (text == null) {
            return null;
        }
        String t = text;
        if (password != null && password.length() >= SecretMasking.MIN_LENGTH) {
            t = t.replace(password, SecretMasking.MASK);
        }
        Connection c = current;
        SessionToken s = c == null ? null : c.session;
        if (s != null) {
            t = t.replace(s.value(), SecretMasking.MASK);
        }
        return t;
    }

    private void fail(long n, RuntimeException failure) {
        Pending p = pending.remove(n);
        if (p != null) {
            p.reply.completeExceptionally(failure);
        }
    }

    /**
     * The {@code result} of a reply, or its error: {@code error} (an object with code, message, details, or a
     * string), {@code success: 0} at the top (with code, message, details beside it) or in the result.
     */
    static JsonNode result(String method, String name, long n, JsonNode reply, UnaryOperator<String> mask) {
        JsonNode error = reply.get("error");
        if (error != null && !error.isNull() && !(error.isBoolean() && !error.asBoolean())) {
            throw error(method, name, n, error.isObject() ? error : reply, error.isObject() ? null : error.asText(),
                    mask);
        }
        JsonNode result = reply.get("result");
        if (isZero(reply.get("success"))) {
            throw error(method, name, n, reply.has("code") || result == null || !result.isObject() ? reply : result,
                    null, mask);
        }
        if (result == null || result.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        if (result.isObject() && isZero(result.get("success"))) {
            throw error(method, name, n, result, null, mask);
        }
        return result;
    }

    private static PortaSipCallControlException error(String method, String name, long n, JsonNode e, String code,
                                                      UnaryOperator<String> mask) {
        String c = code != null ? code : text(e, "code");
        if (c == null || c.isBlank()) {
            c = "UNKNOWN_ERROR";
        }
        String message = mask.apply(text(e, "message"));
        String details = mask.apply(text(e, "details"));
        return new PortaSipCallControlException(method, n, c, message, details, "portasip " + name + " (cseq " + n
                + ") failed: " + c + (message == null ? "" : " (" + message + ")")
                + (details == null ? "" : ": " + LogSafe.truncate(details, LogSafe.MAX_CHARS)));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    private static boolean isZero(JsonNode v) {
        return v != null && (v.isNumber() && v.asLong() == 0 || v.isBoolean() && !v.asBoolean()
                || v.isTextual() && "0".equals(v.asText().trim()));
    }

    // ---- frames -------------------------------------------------------------------------------------------------

    private void onText(Connection c, String text) {
        JsonNode n = null;
        // a frame without the text "cseq" is no reply (the notifications): not parsed here, the listeners read it
        if (text.indexOf("cseq") >= 0) {
            try {
                n = Json.MAPPER.readTree(text);
            } catch (Exception e) {
                // not JSON: the listeners decide (the events consumer dead-letters it)
            }
        }
        if (n != null && n.isObject() && n.hasNonNull("cseq")) {
            long id = n.get("cseq").asLong(-1);
            Pending p = pending.remove(id);
            if (p != null) {
                p.reply.complete(n);
                return;
            }
            if (!n.has("action") && !n.has("event")) {
                LOG.debug("portasip: a Call Control reply for cseq {} came after its request gave up", id);
                return;
            }
        }
        for (Consumer<String> l : notificationListeners) {
            try {
                l.accept(text);
            } catch (RuntimeException e) {
                LOG.warn("portasip: a Call Control notification listener failed: {}", VendorFailures.rootMessage(e));
            }
        }
    }

    private void onClose(Connection c, String reason) {
        if (!c.markClosed()) {
            return;
        }
        synchronized (lock) {
            if (current == c) {
                current = null;
            }
        }
        int failed = 0;
        for (Pending p : pending.values()) {
            if (p.connection == c && pending.remove(p.cseq, p)) {
                failed++;
                p.reply.completeExceptionally(new PortaSipConnectionException(p.method(), "SOCKET_CLOSED",
                        Kind.NO_ANSWER, "portasip " + p.name + " (cseq " + p.cseq + "): the Call Control socket closed "
                                + "before the reply (" + reason + "); whether it was carried out is unknown", null));
            }
        }
        if (isRunAllowed()) {
            LOG.info("portasip: Call Control socket {} to {} closed ({}){}; it reopens on the next request", c.number,
                    uri, reason, failed == 0 ? "" : ", " + failed + " request(s) without a reply");
        }
        for (ConnectionListener l : connectionListeners) {
            try {
                l.onDisconnected(this, reason);
            } catch (RuntimeException e) {
                LOG.warn("portasip: a Call Control connection listener failed: {}", VendorFailures.rootMessage(e));
            }
        }
    }

    private static String closeReason(WebSocket ws) {
        Short status = ws.closeStatusCode();
        String reason = ws.closeReason();
        return status == null ? "connection lost" : "status " + status + (reason == null || reason.isBlank() ? ""
                : " " + LogSafe.truncate(reason, 80));
    }

    private static boolean isTlsProblem(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof javax.net.ssl.SSLException || x instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------

    private synchronized WebSocketClient client() {
        if (client == null) {
            WebSocketClientOptions options = new WebSocketClientOptions()
                    .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                    .setMaxMessageSize(MAX_MESSAGE_SIZE).setMaxFrameSize(MAX_MESSAGE_SIZE)
                    .setSsl("wss".equalsIgnoreCase(uri.getScheme())).setVerifyHost(true);
            if (trustStore != null) {
                options.setTrustOptions(TrustOptions.wrap(trustStore.trustManagerFactory()));
            }
            client = vertx.get().createWebSocketClient(options);
        }
        return client;
    }

    @Override
    protected void doStop() throws Exception {
        Connection c = current;
        if (c != null) {
            onClose(c, "pbx-bridge stops");
            c.close("pbx-bridge stops");
        }
        WebSocketClient wc;
        synchronized (this) {
            wc = client;
            client = null;
        }
        if (wc != null) {
            try {
                wc.close();
            } catch (RuntimeException e) {
                LOG.debug("portasip: closing the WebSocket client: {}", VendorFailures.rootMessage(e));
            }
        }
    }

    @Override
    public String toString() {
        return "PortaSipCallControl[" + uri + ", " + login + "]";
    }

    /** One socket: its session (after the login) and whether it is still open. */
    private static final class Connection {

        final long number;
        volatile WebSocket ws;
        volatile boolean open = true;
        volatile SessionToken session;
        volatile long sessionGeneration;

        Connection(long number) {
            this.number = number;
        }

        synchronized boolean markClosed() {
            if (!open) {
                return false;
            }
            open = false;
            return true;
        }

        void close(String why) {
            WebSocket w = ws;
            if (w != null && !w.isClosed()) {
                try {
                    w.close((short) 1000, why);
                } catch (RuntimeException e) {
                    // already closing
                }
            }
        }
    }

    /** A request waiting for its reply. */
    private record Pending(String name, long cseq, Connection connection, CompletableFuture<JsonNode> reply) {

        Pending(String name, long cseq, Connection connection) {
            this(name, cseq, connection, new CompletableFuture<>());
        }

        String method() {
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }
    }
}
