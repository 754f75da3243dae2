package io.pbxbridge.sandbox.monema;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Fault injection for a {@link MonemaSimulator}. Every method is thread-safe and everything set here is undone by
 * {@link #reset()}.
 *
 * <p>Semantics, so that tests can reason about server state:
 * <ul>
 * <li>{@link #failNext} and {@link #failChunk} fail the request <em>before</em> it is processed: no state changes
 * (a failed {@code C_uploadFaxChunk} appends nothing).</li>
 * <li>{@link #malformedNext} processes the request normally (state changes happen) and then garbles the response,
 * like a server whose answer got lost on the way back.</li>
 * <li>Delays apply to every response, faults and injected failures included; the global delay and an operation's
 * delay add up.</li>
 * </ul>
 */
public final class Faults {

    /** How an injected failure looks to the client. */
    public enum Failure {
        /** HTTP 500 with a SOAP 1.1 fault, faultcode {@code SOAP-ENV:Server}. */
        SOAP_FAULT_SERVER,
        /** HTTP 500 with an HTML error page (no SOAP), like a crashed PHP behind Apache. */
        HTTP_500_HTML,
        /** HTTP 503 with an HTML page, like an overloaded proxy. */
        HTTP_503,
        /** The request is read, then the connection is closed without any response (the client sees EOF). */
        DROP_CONNECTION
    }

    /** What a garbled response looks like (all are HTTP 200, text/xml). */
    public enum Malformed {
        /** A well-formed SOAP envelope whose body is a different operation's response element. */
        WRONG_ELEMENT,
        /** The real response cut in the middle: not well-formed XML. */
        TRUNCATED,
        /** The real response preceded by a PHP warning in HTML, as PHP does with display_errors on. */
        PHP_WARNING
    }

    private final MonemaSimulator simulator;

    private Duration delay = Duration.ZERO;
    private final Map<String, Duration> operationDelays = new HashMap<>();
    private final Map<String, Deque<Failure>> nextFailures = new HashMap<>();
    private final Map<String, Deque<Malformed>> nextMalformed = new HashMap<>();
    /** absolute index of a C_uploadFaxChunk request (1-based since creation) -> failure */
    private final TreeMap<Long, Failure> chunkFailures = new TreeMap<>();
    private long chunkRequestsSeen;

    Faults(MonemaSimulator simulator) {
        this.simulator = simulator;
    }

    /**
     * {@code true}: stop listening, new connections are refused and open ones are closed. {@code false}: listen again
     * on the same port. State (accounts, calls, upload sessions) is kept.
     */
    public void refuseConnections(boolean refuse) {
        simulator.refuseConnections(refuse);
    }

    /** Delays every response (including WSDL GETs and injected failures) by {@code d}; zero or null = no delay. */
    public synchronized void delay(Duration d) {
        this.delay = d == null ? Duration.ZERO : d;
    }

    /** Delays every response to {@code operation} by {@code d}, on top of {@link #delay(Duration)}. */
    public synchronized void delayOperation(String operation, Duration d) {
        Objects.requireNonNull(operation, "operation");
        if (d == null || d.isZero()) {
            operationDelays.remove(operation);
        } else {
            operationDelays.put(operation, d);
        }
    }

    /** The {@code n}-th {@code C_uploadFaxChunk} request from now (1 = the next one) fails with {@code kind}. */
    public synchronized void failChunk(int n, Failure kind) {
        if (n < 1) {
            throw new IllegalArgumentException("n is 1-based: " + n);
        }
        chunkFailures.put(chunkRequestsSeen + n, Objects.requireNonNull(kind, "kind"));
    }

    /** The next request of {@code operation} fails with {@code kind}; calling it twice fails the next two. */
    public synchronized void failNext(String operation, Failure kind) {
        nextFailures.computeIfAbsent(Objects.requireNonNull(operation, "operation"), k -> new ArrayDeque<>())
                .add(Objects.requireNonNull(kind, "kind"));
    }

    /** The next response to {@code operation} is a 200 that is not that operation's response ({@link Malformed#WRONG_ELEMENT}). */
    public void malformedNext(String operation) {
        malformedNext(operation, Malformed.WRONG_ELEMENT);
    }

    /** The next response to {@code operation} is a 200 garbled as {@code kind}. */
    public synchronized void malformedNext(String operation, Malformed kind) {
        nextMalformed.computeIfAbsent(Objects.requireNonNull(operation, "operation"), k -> new ArrayDeque<>())
                .add(Objects.requireNonNull(kind, "kind"));
    }

    /** Undoes everything: no delays, no pending failures, listening again if connections were refused. */
    public void reset() {
        synchronized (this) {
            delay = Duration.ZERO;
            operationDelays.clear();
            nextFailures.clear();
            nextMalformed.clear();
            chunkFailures.clear();
        }
        simulator.refuseConnections(false);
    }

    // ---- used by the simulator ------------------------------------------------------------------------------

    synchronized Duration delayFor(String operation) {
        Duration d = delay;
        if (operation != null) {
            Duration op = operationDelays.get(operation);
            if (op != null) {
                d = d.plus(op);
            }
        }
        return d;
    }

    /** Called once per SOAP request: the injected failure for it, if any (consumed). */
    synchronized Failure takeFailure(String operation) {
        Failure chunkFailure = null;
        if ("C_uploadFaxChunk".equals(operation)) {
            chunkRequestsSeen++;
            chunkFailure = chunkFailures.remove(chunkRequestsSeen);
            chunkFailures.headMap(chunkRequestsSeen).clear();
        }
        if (chunkFailure != null) {
            return chunkFailure;
        }
        Deque<Failure> q = operation == null ? null : nextFailures.get(operation);
        return q == null ? null : q.poll();
    }

    synchronized Malformed takeMalformed(String operation) {
        Deque<Malformed> q = operation == null ? null : nextMalformed.get(operation);
        return q == null ? null : q.poll();
    }
}
