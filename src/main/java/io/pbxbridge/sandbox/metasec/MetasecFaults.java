package io.pbxbridge.sandbox.metasec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Fault injection for a {@link MetasecSimulator}; thread-safe, and {@link #reset()} undoes everything but expired
 * sessions. The "next" faults are queued per action ({@code call}, {@code call_list_all}, {@code login}...): each
 * call affects one more request of that action.
 * <ul>
 * <li>{@link #expireSessions()}: every session id handed out so far is forgotten; the next request with one answers
 * {@code 0}, as the WebTAPI answers any failure, and does nothing.</li>
 * <li>{@link #failNext}: an HTTP error page instead of processing: nothing changes.</li>
 * <li>{@link #refuseNext}: {@code 0} instead of processing (what a real refusal looks like): nothing changes.</li>
 * <li>{@link #dropNext}: processed, then the connection is closed without an answer.</li>
 * <li>{@link #slowNext}: processed, its answer sent after a delay.</li>
 * <li>{@link #malformedLines}: every list answer carries broken lines among the good ones (a PHP notice, a line cut
 * short, a line of garbage).</li>
 * </ul>
 * A GET login is always refused ({@code 0}): the spec's "The Login request is the only one, which MUST be done via
 * HTTP POST!". The "next" faults are taken after the session check: a request answered {@code 0} for its session
 * takes none.
 */
public final class MetasecFaults {

    /** What a request's answer gets. */
    enum Kind {
        FAIL,
        REFUSE,
        DROP
    }

    record Fault(Kind kind, int status) {
    }

    private final Runnable expire;
    private final Map<String, Deque<Fault>> next = new HashMap<>();
    private final Map<String, Deque<Duration>> slow = new HashMap<>();
    private volatile boolean malformedLines;

    MetasecFaults(Runnable expire) {
        this.expire = expire;
    }

    /** Forgets every session: the next request with an old session id answers {@code 0}. */
    public void expireSessions() {
        expire.run();
    }

    /** The next request of {@code action} is answered with HTTP {@code status} (an HTML page), unprocessed. */
    public synchronized void failNext(String action, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        queue(action).add(new Fault(Kind.FAIL, status));
    }

    /** The next request of {@code action} (with a valid session) is answered {@code 0}, unprocessed. */
    public synchronized void refuseNext(String action) {
        queue(action).add(new Fault(Kind.REFUSE, 200));
    }

    /** The next request of {@code action} is processed, and the connection closed without an answer. */
    public synchronized void dropNext(String action) {
        queue(action).add(new Fault(Kind.DROP, 0));
    }

    /** The answer to the next request of {@code action} is sent {@code delay} after it was processed. */
    public synchronized void slowNext(String action, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        slow.computeIfAbsent(Objects.requireNonNull(action, "action"), k -> new ArrayDeque<>()).add(delay);
    }

    /** {@code true}: list answers carry malformed lines among the good ones. */
    public void malformedLines(boolean on) {
        this.malformedLines = on;
    }

    /** No queued faults, no malformed lines. Sessions stay as they are. */
    public synchronized void reset() {
        next.clear();
        slow.clear();
        malformedLines = false;
    }

    private Deque<Fault> queue(String action) {
        return next.computeIfAbsent(Objects.requireNonNull(action, "action"), k -> new ArrayDeque<>());
    }

    // ---- used by the simulator ----------------------------------------------------------------------------------

    synchronized Fault take(String action) {
        Deque<Fault> q = next.get(action);
        return q == null ? null : q.poll();
    }

    synchronized Duration takeDelay(String action) {
        Deque<Duration> q = slow.get(action);
        Duration d = q == null ? null : q.poll();
        return d == null ? Duration.ZERO : d;
    }

    boolean malformedLines() {
        return malformedLines;
    }
}
