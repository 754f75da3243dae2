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
 * <li>Both either take the next requests of an operation in turn, or the {@code n}-th from now (the third page of a
 * harvest, say), counting every request of that operation.</li>
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
    /** SOAP requests seen per operation; the index of the latest (1-based since creation) */
    private final Map<String, Long> requestsSeen = new HashMap<>();
    /** operation -> absolute request index -> failure, or garbling of its answer */
    private final Map<String, TreeMap<Long, Failure>> failuresAt = new HashMap<>();
    private final Map<String, TreeMap<Long, Malformed>> malformedAt = new HashMap<>();

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

    /**
     * The {@code n}-th request of {@code operation} from now (1 = the next one) fails with {@code kind}: e.g. the third
     * page of a harvest, while the first two are answered.
     */
    public synchronized void failNext(String operation, int n, Failure kind) {
        schedule(failuresAt, operation, n, Objects.requireNonNull(kind, "kind"));
    }

    /**
     * The {@code n}-th request of {@code operation} from now (1 = the next one) is processed, then its answer garbled
     * as {@code kind}. A {@link Malformed#TRUNCATED} answer with a list of calls ends after half of them.
     */
    public synchronized void malformedNext(String operation, int n, Malformed kind) {
        schedule(malformedAt, operation, n, Objects.requireNonNull(kind, "kind"));
    }

    private <T> void schedule(Map<String, TreeMap<Long, T>> at, String operation, int n, T what) {
        Objects.requireNonNull(operation, "operation");
        if (n < 1) {
            throw new IllegalArgumentException("n is 1-based: " + n);
        }
        at.computeIfAbsent(operation, k -> new TreeMap<>()).put(requestsSeen.getOrDefault(operation, 0L) + n, what);
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
            failuresAt.clear();
            malformedAt.clear();
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

    /** Called once per SOAP request: its index among the requests of its operation. */
    synchronized long arrived(String operation) {
        return operation == null ? 0 : requestsSeen.merge(operation, 1L, Long::sum);
    }

    /** The injected failure for the {@code index}-th request of {@code operation}, if any (consumed). */
    synchronized Failure takeFailure(String operation, long index) {
        Failure chunkFailure = null;
        if ("C_uploadFaxChunk".equals(operation)) {
            chunkRequestsSeen++;
            chunkFailure = chunkFailures.remove(chunkRequestsSeen);
            chunkFailures.headMap(chunkRequestsSeen).clear();
        }
        if (chunkFailure != null) {
            return chunkFailure;
        }
        Failure scheduled = take(failuresAt, operation, index);
        if (scheduled != null) {
            return scheduled;
        }
        Deque<Failure> q = operation == null ? null : nextFailures.get(operation);
        return q == null ? null : q.poll();
    }

    /** How to garble the answer to the {@code index}-th request of {@code operation}, if at all (consumed). */
    synchronized Malformed takeMalformed(String operation, long index) {
        Malformed scheduled = take(malformedAt, operation, index);
        if (scheduled != null) {
            return scheduled;
        }
        Deque<Malformed> q = operation == null ? null : nextMalformed.get(operation);
        return q == null ? null : q.poll();
    }

    private static <T> T take(Map<String, TreeMap<Long, T>> at, String operation, long index) {
        TreeMap<Long, T> scheduled = operation == null ? null : at.get(operation);
        return scheduled == null ? null : scheduled.remove(index);
    }
}
