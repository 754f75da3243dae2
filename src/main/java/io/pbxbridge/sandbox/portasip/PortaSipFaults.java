package io.pbxbridge.sandbox.portasip;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Fault injection for a {@link PortaSipSimulator}; thread-safe, and {@link #reset()} undoes what is pending.
 *
 * <p>HTTP API: {@link #httpFault} (the next request of a method gets HTTP 500 with the given fault, before it is
 * processed: nothing changes), {@link #expireSessions()} / {@link #expireSession(String)} (the next request with that
 * session id faults {@code Server.Session.check_auth.auth_failed}; over the socket too).
 */
public final class PortaSipFaults {

    /** An injected HTTP fault. */
    record HttpFault(String faultcode, String faultstring) {
    }

    private final PortaSipSimulator simulator;
    private final Map<String, Deque<HttpFault>> httpFaults = new HashMap<>();

    PortaSipFaults(PortaSipSimulator simulator) {
        this.simulator = simulator;
    }

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

    /** Undoes every pending fault. */
    public synchronized void reset() {
        httpFaults.clear();
    }

    // ---- used by the simulator ----

    synchronized HttpFault takeHttpFault(String service, String method) {
        Deque<HttpFault> q = httpFaults.get(key(service, method));
        return q == null ? null : q.poll();
    }

    private static String key(String service, String method) {
        String m = "AutoAttendant".equals(service) && "set_menu_transition_prompt".equals(method)
                ? "set_menu_transition_promt" : method;
        return service + "/" + m;
    }
}
