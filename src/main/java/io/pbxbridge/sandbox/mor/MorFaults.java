package io.pbxbridge.sandbox.mor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fault injection for a {@link MorSimulator}; thread-safe, and {@link #reset()} undoes everything.
 *
 * <p>The "next" faults name what they apply to by a <b>key</b>: an operation name ({@code callsPeriod}, see
 * {@link MorOperation#operationName()}), the spec's path of a page ({@code /stats/call_list}, any of the operations
 * on it) or a request's exact path ({@code /devices/callflow/1}); with or without the base path. A request takes the
 * first fault queued under its exact path, else its spec path, else its operation name. Each call queues one fault:
 * calling twice affects the next two requests. Semantics, so that tests can reason about server state:
 * <ul>
 * <li>{@link #failNext}: an HTTP error page (500, 503...) <em>instead of</em> processing: nothing changes.</li>
 * <li>{@link #truncateNext}: processed, then the answer is cut in the middle (HTTP 200; a call list after half of its
 * calls, any other answer after half of its bytes).</li>
 * <li>{@link #dropNext}: processed, then the connection is closed without any answer (an answer lost on the way back:
 * a write was done although the client saw nothing).</li>
 * <li>{@link #slowNext}: the answer (whatever it is) is delayed.</li>
 * </ul>
 * Failures are checked after the session and the hash: a request answered with the login page or an error page
 * does not consume them.
 */
public final class MorFaults {

    /** What a request's answer gets. */
    enum Kind {
        FAIL,
        TRUNCATE,
        DROP
    }

    /** A queued fault: its kind, and the status of a FAIL. */
    record Fault(Kind kind, int status) {
    }

    private final String basePath;
    private final Runnable expire;
    private final Map<String, Deque<Fault>> next = new HashMap<>();
    private final Map<String, Deque<Duration>> slow = new HashMap<>();
    private volatile boolean brokenXml;

    MorFaults(String basePath, Runnable expire) {
        this.basePath = basePath;
        this.expire = expire;
    }

    /**
     * {@code true}: answers carry the spec's literal faults where its samples have them: the prolog
     * {@code <?xml version="1.0" encoding="utf-8">} without its {@code ?} (login, callback), {@code & quot;} entities
     * with a space (the devices' {@code cid}), {@code <<processed>} (missed calls), text banners ({@code ++++...},
     * {@code + Forward action}) and {@code .....} lines between elements (call-flow edit and every list the spec
     * shows with them). The CallerIDs page's {@code <device id="1">} attribute form is its shape in both modes.
     */
    public void brokenXml(boolean on) {
        this.brokenXml = on;
    }

    public boolean brokenXml() {
        return brokenXml;
    }

    /** Forgets every session: the next request of each client is answered with the login page. */
    public void expireSessions() {
        expire.run();
    }

    /** The next request matching {@code key} is answered with HTTP {@code status} (an HTML page), unprocessed. */
    public synchronized void failNext(String key, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        queue(key).add(new Fault(Kind.FAIL, status));
    }

    /** The next request matching {@code key} is processed, and its answer cut in the middle. */
    public synchronized void truncateNext(String key) {
        queue(key).add(new Fault(Kind.TRUNCATE, 200));
    }

    /** The next request matching {@code key} is processed, and the connection closed without an answer. */
    public synchronized void dropNext(String key) {
        queue(key).add(new Fault(Kind.DROP, 0));
    }

    /** The answer to the next request matching {@code key} is sent after {@code delay}. */
    public synchronized void slowNext(String key, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        slow.computeIfAbsent(normalize(key), k -> new ArrayDeque<>()).add(delay);
    }

    /** No queued faults, no broken XML. Sessions are kept. */
    public synchronized void reset() {
        next.clear();
        slow.clear();
        brokenXml = false;
    }

    private Deque<Fault> queue(String key) {
        return next.computeIfAbsent(normalize(key), k -> new ArrayDeque<>());
    }

    private String normalize(String key) {
        Objects.requireNonNull(key, "key");
        String k = key;
        if (!basePath.isEmpty() && k.startsWith(basePath + "/")) {
            k = k.substring(basePath.length());
        }
        while (k.length() > 1 && k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        return k;
    }

    // ---- used by the simulator ----------------------------------------------------------------------------------

    /** The fault for a request with these keys (exact path, spec path, operation name), consumed; or null. */
    synchronized Fault take(List<String> keys) {
        for (String k : keys) {
            Deque<Fault> q = next.get(k);
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
        }
        return null;
    }

    /** The delay for a request with these keys, consumed; or zero. */
    synchronized Duration takeDelay(List<String> keys) {
        for (String k : keys) {
            Deque<Duration> q = slow.get(k);
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
        }
        return Duration.ZERO;
    }
}
