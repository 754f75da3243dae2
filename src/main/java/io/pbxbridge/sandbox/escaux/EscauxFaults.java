package io.pbxbridge.sandbox.escaux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fault injection for an {@link EscauxSimulator}; thread-safe, and {@link #reset()} undoes everything.
 *
 * <p>Event socket: {@link #dropEventConnections()}, {@link #refuseEventConnections}, {@link #stopAnsweringPings},
 * {@link #splitEvents}, {@link #garbageBetweenEvents}, {@link #sendOversizeEvent}, {@link #sendRaw}. HTTP:
 * {@link #failNext} and {@link #failAfter} (HTTP 500/503, dropped connection, a reply that is not the operation's,
 * a cut reply, a failure result), {@link #delayNext} (a reply held back after the request was carried out),
 * {@link #smpSyncFails}.
 */
public final class EscauxFaults {

    /** How an injected HTTP failure looks to the client. */
    public enum HttpFailure {
        /** HTTP 500 with an HTML page. */
        HTTP_500,
        /** HTTP 503 with an HTML page. */
        HTTP_503,
        /** The connection is closed without a response. */
        DROP_CONNECTION,
        /** HTTP 200 with another operation's reply ({@code <ccPingResult>} or {@code {"Unexpected":true}}). */
        WRONG_REPLY,
        /** HTTP 200 with a reply (XML or JSON) that is cut in the middle. */
        TRUNCATED,
        /**
         * HTTP 200 with a failure result instead of the answer: {@code {"Result":1,"Error":"database error"}}, or
         * {@code <opResult><Result>1</Result><Error>database error</Error></opResult>}.
         */
        ERROR_RESULT
    }

    private final EscauxSimulator simulator;
    /** Per operation, what its next requests get: empty = the normal answer. */
    private final Map<String, Deque<Optional<HttpFailure>>> next = new HashMap<>();
    /** Per operation, how long the replies of its next requests are held. */
    private final Map<String, Deque<Duration>> holds = new HashMap<>();
    /** Counts {@link #releaseHeldReplies()} (and resets): a held reply waits until it changes or its time is up. */
    private long releases;
    private volatile boolean pingsMuted;
    private volatile boolean smpSyncFails;
    private volatile int splitMax;
    private volatile byte[] garbage;

    EscauxFaults(EscauxSimulator simulator) {
        this.simulator = simulator;
    }

    /** Closes every open event socket (the server keeps listening). */
    public void dropEventConnections() {
        simulator.eventServer().dropClients();
    }

    /** {@code true}: the event port stops listening and open sockets are closed; {@code false}: listens again. */
    public void refuseEventConnections(boolean refuse) {
        simulator.eventServer().refuse(refuse);
    }

    /** {@code true}: ccPing still answers 0 over HTTP but no evPong is sent (a silent socket). */
    public void stopAnsweringPings(boolean mute) {
        this.pingsMuted = mute;
    }

    /** Writes each event in pieces of 1..{@code maxChunk} bytes, flushed one by one; 0 = whole events. */
    public void splitEvents(int maxChunk) {
        this.splitMax = Math.max(0, maxChunk);
    }

    /** Writes {@code text} before each event; null = none. */
    public void garbageBetweenEvents(String text) {
        this.garbage = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one well-formed event of about {@code bytes} bytes ({@code <evOversize>} with a long field). */
    public void sendOversizeEvent(int bytes) {
        StringBuilder b = new StringBuilder(bytes + 64).append("<evOversize><Data>");
        while (b.length() < bytes) {
            b.append("0123456789abcdef");
        }
        simulator.eventServer().broadcast(b.append("</Data></evOversize>\n").toString()
                .getBytes(StandardCharsets.UTF_8), 0);
    }

    /** Writes {@code bytes} as they are to every event socket. */
    public void sendRaw(byte[] bytes) {
        simulator.eventServer().broadcast(bytes, 0);
    }

    /** The next request of {@code operation} (e.g. {@code ccHangup}) fails with {@code kind}. */
    public synchronized void failNext(String operation, HttpFailure kind) {
        failAfter(operation, 0, kind);
    }

    /**
     * After {@code passing} more requests of {@code operation} answered normally (after those failures already
     * queued), the next one fails with {@code kind}: a failure in the middle of a series of pages.
     */
    public synchronized void failAfter(String operation, int passing, HttpFailure kind) {
        Deque<Optional<HttpFailure>> q = next.computeIfAbsent(Objects.requireNonNull(operation),
                k -> new ArrayDeque<>());
        for (int i = 0; i < passing; i++) {
            q.add(Optional.empty());
        }
        q.add(Optional.of(kind));
    }

    /**
     * The next request of {@code operation} is counted and carried out as usual (a ccOriginate places its call), but
     * its reply is held back for {@code hold} before it is sent: the SOP did the work and is slow to say so. A test can
     * stop or kill the client in between, when the vendor has acted and the client does not know it yet. Queued after
     * the holds already set for that operation; {@link #releaseHeldReplies()}, {@link #reset()} and stopping the
     * simulator end every hold at once.
     */
    public synchronized void delayNext(String operation, Duration hold) {
        if (hold.isNegative()) {
            throw new IllegalArgumentException("hold " + hold);
        }
        holds.computeIfAbsent(Objects.requireNonNull(operation), k -> new ArrayDeque<>()).add(hold);
    }

    /** Sends every reply held by {@link #delayNext} now. */
    public synchronized void releaseHeldReplies() {
        releases++;
        notifyAll();
    }

    /** {@code true}: dbSetProfile and dbSetProfileParameters answer 5 (synchronization to SMP failed). */
    public void smpSyncFails(boolean fail) {
        this.smpSyncFails = fail;
    }

    /** Undoes every fault. */
    public void reset() {
        synchronized (this) {
            next.clear();
            holds.clear();
        }
        releaseHeldReplies();
        pingsMuted = false;
        smpSyncFails = false;
        splitMax = 0;
        garbage = null;
        simulator.eventServer().refuse(false);
    }

    // ---- used by the simulator ----

    synchronized HttpFailure takeFailure(String operation) {
        Deque<Optional<HttpFailure>> q = next.get(operation);
        Optional<HttpFailure> f = q == null ? null : q.poll();
        return f == null ? null : f.orElse(null);
    }

    /** How long to hold the reply of this request of {@code operation} ({@link #delayNext}); null: not at all. */
    synchronized Duration takeHold(String operation) {
        Deque<Duration> q = holds.get(operation);
        return q == null ? null : q.poll();
    }

    /** Waits for {@code hold} to pass, or a release, or an interrupt (the simulator stopping). */
    synchronized void hold(Duration hold) throws InterruptedException {
        long release = releases;
        long deadline = System.nanoTime() + hold.toNanos();
        long left;
        while (releases == release && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    boolean pingsMuted() {
        return pingsMuted;
    }

    boolean smpSyncFails() {
        return smpSyncFails;
    }

    int splitMax() {
        return splitMax;
    }

    byte[] garbage() {
        return garbage;
    }
}
