package io.pbxbridge.sandbox.portasip;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Fault injection for a {@link PortaSipSimulator}; thread-safe, and {@link #reset()} undoes everything.
 *
 * <p>HTTP API: {@link #httpFault} (the next request of a method gets HTTP 500 with the given fault, before it is
 * processed: nothing changes), {@link #expireSessions()} / {@link #expireSession(String)} (the next request with that
 * session id faults {@code Server.Session.check_auth.auth_failed}, on the socket too).
 *
 * <p>Call Control socket: {@link #dropSockets()}, {@link #closeSockets}, {@link #refuseConnections}, {@link #forgetSubscriptionsOnReconnect},
 * {@link #forgetSubscriptions()}, {@link #silentSubscription()}, {@link #loseNotifications}, {@link #neverAnswer},
 * {@link #socketError},
 * {@link #callControlDisabled}, {@link #errorEnvelope}, {@link #damagedFrames}, {@link #sendRaw}, and the caller's
 * DTMF {@link #sendDtmf}. {@code stop()}/{@code start()} of the simulator take the whole server down and up on the
 * same port.
 */
public final class PortaSipFaults {

    /** How a JSON-RPC error is written (the spec does not show it; clients must accept both). */
    public enum ErrorEnvelope {
        /** {@code {"cseq":N,"error":{"code":"sip.call_not_found","message":"Not found","details":"..."}}} (default). */
        ERROR_OBJECT,
        /** {@code {"cseq":N,"success":0,"code":"sip.call_not_found","message":"Not found","details":"..."}}. */
        SUCCESS_ZERO
    }

    /** An injected HTTP fault. */
    record HttpFault(String faultcode, String faultstring) {
    }

    private final PortaSipSimulator simulator;
    private final Map<String, Deque<HttpFault>> httpFaults = new HashMap<>();
    private final Map<String, Integer> neverAnswer = new HashMap<>();
    private final Map<String, Deque<RpcError>> socketErrors = new HashMap<>();
    private int silentSubscriptions;
    private volatile boolean forgetOnReconnect = true;
    private volatile boolean refuse;
    private volatile boolean damaged;
    private volatile boolean lose;
    private volatile boolean disabled;
    private volatile ErrorEnvelope envelope = ErrorEnvelope.ERROR_OBJECT;

    PortaSipFaults(PortaSipSimulator simulator) {
        this.simulator = simulator;
    }

    // ---- HTTP ----

    /**
     * The next request of {@code service/method} (as the URL names it; {@code set_menu_transition_prompt} is
     * {@code set_menu_transition_promt}) gets HTTP 500 with {@code {"faultcode", "faultstring"}} and is not run.
     * Several calls queue up, one fault per request.
     */
    public synchronized void httpFault(String service, String method, String faultcode, String faultstring) {
        httpFaults.computeIfAbsent(key(service, method), k -> new ArrayDeque<>())
                .add(new HttpFault(Objects.requireNonNull(faultcode), Objects.requireNonNull(faultstring)));
    }

    /** Every open session ends: the next request with any of them faults auth_failed (HTTP and socket). */
    public void expireSessions() {
        simulator.expireSessions(null);
    }

    /** Session {@code sessionId} ends; false if there was none. */
    public boolean expireSession(String sessionId) {
        return simulator.expireSessions(Objects.requireNonNull(sessionId));
    }

    // ---- socket ----

    /**
     * Closes the TCP connection of every WebSocket at once, without a close frame (the client sees an abnormal
     * closure, 1006); the server keeps listening, calls go on.
     */
    public void dropSockets() {
        simulator.callControl().dropAll();
    }

    /** Closes every WebSocket properly, with a close frame ({@code code}, e.g. 1001 going away, and {@code reason}). */
    public void closeSockets(int code, String reason) {
        simulator.callControl().closeAll((short) code, reason);
    }

    /**
     * {@code true}: WebSocket handshakes are refused with HTTP 503 and open sockets are dropped (the JSON API keeps
     * answering); {@code false}: accepted again.
     */
    public void refuseConnections(boolean refuse) {
        this.refuse = refuse;
        if (refuse) {
            dropSockets();
        }
    }

    /**
     * {@code true} (the default, and PortaSIP's way): subscriptions belong to a socket, so a new socket has none and
     * must subscribe again ({@code enable_api_notifications} then works as usual). {@code false}: a new socket
     * that authenticates as an account gets back the subscriptions of that account's last closed socket (tracking
     * from the moment it authenticates), as a lenient server might.
     */
    public void forgetSubscriptionsOnReconnect(boolean forget) {
        this.forgetOnReconnect = forget;
    }

    /**
     * The server forgets the subscriptions of every open socket, which stays open: notifications stop and
     * get_sip_calls_list faults not_subscribed, until the client subscribes again.
     */
    public void forgetSubscriptions() {
        simulator.callControl().forgetSubscriptions();
    }

    /**
     * The next {@code enable_api_notifications} answers success:1 but takes no effect: no notifications, and
     * get_sip_calls_list for its scopes faults not_subscribed (as WebTrit saw PortaSIP do). Several calls add up.
     */
    public synchronized void silentSubscription() {
        silentSubscriptions++;
    }

    /**
     * {@code true}: the changes of calls are not written to the sockets (notifications lost on the way), though the
     * subscriptions still track the calls: their lists show them as they are. {@code false}: written again.
     */
    public void loseNotifications(boolean lose) {
        this.lose = lose;
    }

    /** The next request of CallControl (or Session) {@code method} runs, but gets no answer. Several calls add up. */
    public synchronized void neverAnswer(String method) {
        neverAnswer.merge(Objects.requireNonNull(method), 1, Integer::sum);
    }

    /**
     * The next request of {@code method} on the socket is not run and gets the error {@code code}/{@code message}/
     * {@code details} (e.g. {@code sip.internal_server_error}, {@code internal_error}).
     */
    public synchronized void socketError(String method, String code, String message, String details) {
        socketErrors.computeIfAbsent(Objects.requireNonNull(method), k -> new ArrayDeque<>())
                .add(new RpcError(code, message, details));
    }

    /** {@code true}: every CallControl method answers sip.call_control_disabled. */
    public void callControlDisabled(boolean disabled) {
        this.disabled = disabled;
    }

    /** How JSON-RPC errors are written from now on. */
    public void errorEnvelope(ErrorEnvelope envelope) {
        this.envelope = Objects.requireNonNull(envelope);
    }

    /** {@code true}: notifications are written as the spec prints them ({@link Frames#damaged}). */
    public void damagedFrames(boolean damaged) {
        this.damaged = damaged;
    }

    /** Writes {@code text} as a text frame to every open socket (garbage, a cut frame, anything). */
    public void sendRaw(String text) {
        simulator.callControl().sendRaw(Objects.requireNonNull(text));
    }

    /**
     * The caller presses {@code digit} on call {@code callId} (a leg id, or the call id for all its legs): a
     * {@code dtmf_digit_detected} notification for each leg that detects DTMF (start_dtmf_detect). Returns how many.
     */
    public int sendDtmf(String callId, String digit) {
        return simulator.sendDtmf(callId, digit);
    }

    /** Undoes everything (pending faults and switches). */
    public void reset() {
        synchronized (this) {
            httpFaults.clear();
            neverAnswer.clear();
            socketErrors.clear();
            silentSubscriptions = 0;
        }
        forgetOnReconnect = true;
        refuse = false;
        damaged = false;
        lose = false;
        disabled = false;
        envelope = ErrorEnvelope.ERROR_OBJECT;
    }

    // ---- used by the simulator ----

    synchronized HttpFault takeHttpFault(String service, String method) {
        Deque<HttpFault> q = httpFaults.get(key(service, method));
        return q == null ? null : q.poll();
    }

    synchronized boolean takeNeverAnswer(String method) {
        Integer n = neverAnswer.get(method);
        if (n == null) {
            return false;
        }
        if (n <= 1) {
            neverAnswer.remove(method);
        } else {
            neverAnswer.put(method, n - 1);
        }
        return true;
    }

    synchronized RpcError takeSocketError(String method) {
        Deque<RpcError> q = socketErrors.get(method);
        return q == null ? null : q.poll();
    }

    synchronized boolean takeSilentSubscription() {
        if (silentSubscriptions > 0) {
            silentSubscriptions--;
            return true;
        }
        return false;
    }

    boolean forgetsSubscriptionsOnReconnect() {
        return forgetOnReconnect;
    }

    boolean refusing() {
        return refuse;
    }

    boolean damagedFrames() {
        return damaged;
    }

    boolean losesNotifications() {
        return lose;
    }

    boolean callControlDisabled() {
        return disabled;
    }

    ErrorEnvelope errorEnvelope() {
        return envelope;
    }

    private static String key(String service, String method) {
        String m = "AutoAttendant".equals(service) && "set_menu_transition_prompt".equals(method)
                ? "set_menu_transition_promt" : method;
        return service + "/" + m;
    }
}
