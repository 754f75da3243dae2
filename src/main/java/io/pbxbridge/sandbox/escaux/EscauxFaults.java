package io.pbxbridge.sandbox.escaux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Fault injection for an {@link EscauxSimulator}; thread-safe, and {@link #reset()} undoes everything.
 *
 * <p>Event socket: {@link #dropEventConnections()}, {@link #refuseEventConnections}, {@link #stopAnsweringPings},
 * {@link #splitEvents}, {@link #garbageBetweenEvents}, {@link #sendOversizeEvent}, {@link #sendRaw}. HTTP:
 * {@link #failNext} (HTTP 500/503, dropped connection, a reply that is not the operation's), {@link #smpSyncFails}.
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
        /** HTTP 200 with XML that is cut in the middle. */
        TRUNCATED
    }

    private final EscauxSimulator simulator;
    private final Map<String, Deque<HttpFailure>> next = new HashMap<>();
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
        next.computeIfAbsent(Objects.requireNonNull(operation), k -> new ArrayDeque<>()).add(Objects.requireNonNull(kind));
    }

    /** {@code true}: dbSetProfile and dbSetProfileParameters answer 5 (synchronization to SMP failed). */
    public void smpSyncFails(boolean fail) {
        this.smpSyncFails = fail;
    }

    /** Undoes every fault. */
    public void reset() {
        synchronized (this) {
            next.clear();
        }
        pingsMuted = false;
        smpSyncFails = false;
        splitMax = 0;
        garbage = null;
        simulator.eventServer().refuse(false);
    }

    // ---- used by the simulator ----

    synchronized HttpFailure takeFailure(String operation) {
        Deque<HttpFailure> q = next.get(operation);
        return q == null ? null : q.poll();
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
