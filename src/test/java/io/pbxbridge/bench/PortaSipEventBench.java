package io.pbxbridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.portasip.PortaSipComponent;
import io.pbxbridge.portasip.PortaSipConfiguration;
import io.pbxbridge.portasip.PortaSipEventConsumer;
import io.pbxbridge.support.Json;

/**
 * Not a test: PortaSIP call events per second from the simulator's Call Control socket (its {@code floodCalls}: 8
 * notifications a call, both legs trying, ringing, connected, terminated) through {@code portasip:events} (frame
 * reading, the call table, {@code CallEvent}s, the route) into a no-op processor, next to a plain Vert.x WebSocket
 * client that logs in, subscribes and counts the same frames, in the same run, rounds alternating; and the time from
 * a dropped socket to the first event after the reconnect, the new subscription and the reconciliation (the call hung
 * up while the socket was down: its reconciled end).
 *
 * <p>The simulator runs in a JVM of its own ({@link SimulatorProcess}), so this JVM measures only the client; on a
 * machine with few cores the two still share them. The flood is sent in chunks, at most {@code bench.window} frames
 * ahead of what the client has read, so neither side's buffers grow without bound and the rate is the client's as
 * long as the simulator writes faster.
 *
 * <p>Run: {@code mvn -Pbench test -Dtest=PortaSipEventBench -Dbench.argLine=-Xmx512m}. Options:
 * {@code -Dbench.calls=} (calls per round, 25,000 = 200,000 notifications), {@code -Dbench.rounds=} (5 measured,
 * after one warm-up round each), {@code -Dbench.batch=} (maxBatchSize, 128 as shipped), {@code -Dbench.drops=} (5).
 * Prints the figures and writes them to {@code target/bench-portasip-events.txt}.
 */
@Tag("bench")
class PortaSipEventBench {

    static final int CALLS = Integer.getInteger("bench.calls", 25_000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final int BATCH = Integer.getInteger("bench.batch", 128);
    static final int DROPS = Integer.getInteger("bench.drops", 5);
    static final int CHUNK = 500; // calls per flood command: 4,000 notifications
    static final long WINDOW = Long.getLong("bench.window", 32_000);

    @Test
    void notificationsPerSecond() throws Exception {
        StringBuilder out = new StringBuilder();
        try (SimulatorProcess sim = SimulatorProcess.start("1g", "portasip", "20")) {
            line(out, "PortaSIP simulator in its own JVM (pid %d) at %s; %d calls a round (%d notifications), "
                    + "flooded in chunks of %d calls, at most %d notifications ahead of the reader; this JVM has %d "
                    + "cores", sim.pid(), sim.address(), CALLS, CALLS * 8, CHUNK, WINDOW,
                    Runtime.getRuntime().availableProcessors());
            List<Double> plain = new ArrayList<>();
            List<Double> camel = new ArrayList<>();
            List<Double> cpuPlain = new ArrayList<>();
            List<Double> cpuCamel = new ArrayList<>();
            for (int round = 0; round <= ROUNDS; round++) {
                String label = round == 0 ? "warm-up" : "round " + round;
                Result p = plainRound(sim);
                Result c = camelRound(sim, round == ROUNDS);
                line(out, "%-8s plain Vert.x client %,9.0f notifications/s (%.1f µs CPU each); portasip:events "
                        + "%,9.0f events/s (%.1f µs CPU each, %.1f events an exchange); ratio %.0f %%", label, p.rate,
                        p.cpuMicros, c.rate, c.cpuMicros, c.perExchange, 100 * c.rate / p.rate);
                if (round > 0) {
                    plain.add(p.rate);
                    camel.add(c.rate);
                    cpuPlain.add(p.cpuMicros);
                    cpuCamel.add(c.cpuMicros);
                }
            }
            double mp = median(plain);
            double mc = median(camel);
            line(out, "");
            line(out, "RESULT portasip:events %,.0f events/s (median of %d rounds; maxBatchSize %d, workers 1), plain "
                    + "Vert.x client %,.0f notifications/s: ratio %.0f %% (target >= 50 %%)", mc, ROUNDS, BATCH, mp,
                    100 * mc / mp);
            line(out, "RESULT CPU in this JVM (reading, frames to events, routing, GC, JIT): %.1f µs per event vs "
                    + "%.1f µs per frame for the plain client (%.1f x), i.e. about %,.0f events/s per core vs %,.0f "
                    + "frames/s; near 100 %% the two read at the simulator's pace (it shares the cores)",
                    median(cpuCamel), median(cpuPlain), median(cpuCamel) / median(cpuPlain), 1e6 / median(cpuCamel),
                    1e6 / median(cpuPlain));

            line(out, "");
            for (long delay : new long[] { 500, 1 }) {
                List<Double> ms = reconnects(sim, delay, out);
                line(out, "RESULT reconnectDelay %d ms: from the dropped socket to the first event after the "
                        + "reconnect, the subscription and the reconciliation: median %.0f ms, min %.0f, max %.0f "
                        + "(%d drops)", delay, median(ms), Collections.min(ms), Collections.max(ms), ms.size());
            }
        }
        System.out.println();
        System.out.println(out);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "bench-portasip-events.txt"), out.toString());
    }

    record Result(double rate, double cpuMicros, double perExchange) {
    }

    /** Floods {@code CALLS} calls in chunks, never more than {@code WINDOW} notifications ahead of {@code read}. */
    static Result flood(SimulatorProcess sim, LongSupplier read) throws Exception {
        long expected = (long) CALLS * 8;
        long base = read.getAsLong();
        ThreadCpu cpu0 = ThreadCpu.snapshot();
        long t0 = System.nanoTime();
        long sent = 0;
        int pending = 0;
        while (sent < expected) {
            while (sent - (read.getAsLong() - base) > WINDOW) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // not a spin: this JVM's CPU is measured
            }
            sim.send("flood " + CHUNK);
            pending++;
            sent += CHUNK * 8L;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (read.getAsLong() - base < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("read " + (read.getAsLong() - base) + " of " + expected);
            }
            Thread.sleep(1);
        }
        long t1 = System.nanoTime();
        ThreadCpu cpu1 = ThreadCpu.snapshot();
        for (int i = 0; i < pending; i++) {
            assertEquals(Integer.toString(CHUNK * 8), sim.answer("flood"));
        }
        double seconds = (t1 - t0) / 1e9;
        return new Result(expected / seconds, cpu1.cpuSeconds(cpu0) * 1e6 / expected, 1);
    }

    // ---- the plain client -------------------------------------------------------------------------------------

    /** Logs in, subscribes to customer 30 and counts the frames without a cseq. */
    static Result plainRound(SimulatorProcess sim) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxMessageSize(16 << 20).setMaxFrameSize(16 << 20));
            java.net.URI uri = java.net.URI.create(sim.address());
            AtomicLong frames = new AtomicLong();
            List<CompletableFuture<JsonNode>> replies = List.of(new CompletableFuture<>(), new CompletableFuture<>());
            WebSocket ws = client.connect(new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
                    .setURI("/ws")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ws.textMessageHandler(text -> {
                if (text.startsWith("{\"cseq\"")) {
                    try {
                        JsonNode n = Json.MAPPER.readTree(text);
                        replies.get(n.path("cseq").asInt() - 1).complete(n);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                } else {
                    frames.incrementAndGet();
                }
            });
            ws.writeTextMessage("{\"cseq\":1,\"service\":\"Session\",\"method\":\"login\",\"params\":{\"login\":"
                    + "\"123001\",\"domain\":\"sip.example.com\",\"password\":\"secret001\"}}");
            String session = replies.get(0).get(10, TimeUnit.SECONDS).path("result").path("session_id").asText();
            ws.writeTextMessage("{\"cseq\":2,\"auth_info\":{\"session_id\":\"" + session + "\"},\"service\":"
                    + "\"CallControl\",\"method\":\"enable_api_notifications\",\"params\":{\"event\":"
                    + "\"sip.call_control_notifications\",\"i_customer\":30}}");
            replies.get(1).get(10, TimeUnit.SECONDS);
            Result r = flood(sim, frames::get);
            ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return r;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- portasip:events --------------------------------------------------------------------------------------

    static CamelContext camel(SimulatorProcess sim, AtomicLong events, String options, List<CallEvent> keep)
            throws Exception {
        return camel(sim, events, new AtomicLong(), options, keep);
    }

    static CamelContext camel(SimulatorProcess sim, AtomicLong events, AtomicLong exchanges, String options,
                              List<CallEvent> keep) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        PortaSipComponent component = new PortaSipComponent();
        PortaSipConfiguration c = component.getConfiguration();
        c.setAddress(sim.address());
        c.setLogin("123001");
        c.setDomain("sip.example.com");
        c.setPassword("secret001");
        camel.addComponent("portasip", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("portasip:events?customers=30&pingInterval=0&" + options).routeId("events").process(e -> {
                    exchanges.incrementAndGet();
                    Object body = e.getIn().getBody();
                    if (body instanceof List<?> list) {
                        events.addAndGet(list.size());
                        if (keep != null) {
                            list.forEach(x -> keep.add((CallEvent) x));
                        }
                    } else {
                        events.incrementAndGet();
                        if (keep != null) {
                            keep.add((CallEvent) body);
                        }
                    }
                });
            }
        });
        camel.start();
        PortaSipEventConsumer consumer = (PortaSipEventConsumer) camel.getRoute("events").getConsumer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!consumer.isSubscribed()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("portasip:events did not subscribe");
            }
            Thread.sleep(5);
        }
        return camel;
    }

    static Result camelRound(SimulatorProcess sim, boolean profile) throws Exception {
        AtomicLong events = new AtomicLong();
        AtomicLong exchanges = new AtomicLong();
        CamelContext camel = camel(sim, events, exchanges, "maxBatchSize=" + BATCH, null);
        try {
            if (profile) {
                Profiler.start();
            }
            Result flooded = flood(sim, events::get);
            if (profile) {
                Profiler.stop();
            }
            Result r = new Result(flooded.rate(), flooded.cpuMicros(), (double) events.get() / exchanges.get());
            assertEquals(0, ((io.pbxbridge.portasip.PortaSipCallTable) ((PortaSipEventConsumer) camel.getRoute("events")
                    .getConsumer()).getCallLookup()).legCount(), "every flooded call ended: the table is empty");
            return r;
        } finally {
            camel.stop();
        }
    }

    /**
     * {@code DROPS} times: a call answered, then the socket dropped and the call hung up at once (one command to the
     * simulator); the time from sending that command to the route's receiving the call's reconciled end.
     */
    static List<Double> reconnects(SimulatorProcess sim, long reconnectDelay, StringBuilder out) throws Exception {
        AtomicLong events = new AtomicLong();
        List<CallEvent> seen = Collections.synchronizedList(new ArrayList<>());
        // no hold: the call the new subscription does not list is ended at the reconciliation (its end unknown)
        CamelContext camel = camel(sim, events, "reconnectDelay=" + reconnectDelay + "&maxBatchSize=1"
                + "&unconfirmedCallTimeout=0", seen);
        List<Double> ms = new ArrayList<>();
        try {
            PortaSipEventConsumer consumer = (PortaSipEventConsumer) camel.getRoute("events").getConsumer();
            for (int i = 0; i < DROPS; i++) {
                String id = sim.ask("call +3222334455 123001");
                waitFor(() -> {
                    synchronized (seen) { // a synchronized list's stream is not
                        return seen.stream().filter(e -> id.equals(e.callId()) && e.type().equals("call.answered"))
                                .count() == 2;
                    }
                }, "the call answered");
                long connects = consumer.getConnectCount();
                int before = seen.size();
                long t0 = System.nanoTime();
                sim.send("drop-hangup " + id);
                long[] firstEvent = { -1 };
                waitFor(() -> {
                    synchronized (seen) {
                        for (int j = before; j < seen.size(); j++) {
                            if (firstEvent[0] < 0) {
                                firstEvent[0] = System.nanoTime();
                            }
                            CallEvent e = seen.get(j);
                            if (id.equals(e.callId()) && Boolean.TRUE.equals(e.details().get("reconciled"))) {
                                return true;
                            }
                        }
                        return false;
                    }
                }, "the reconciled end");
                double took = (firstEvent[0] - t0) / 1e6;
                assertEquals("true", sim.answer("drop-hangup"));
                waitFor(() -> consumer.getConnectCount() > connects, "the reconnect counted");
                ms.add(took);
                line(out, "reconnectDelay %d ms, drop %d: first event after the reconnect %.0f ms after the drop "
                        + "(%s)", reconnectDelay, i + 1, took, seen.get(before).type() + " "
                        + (Boolean.TRUE.equals(seen.get(before).details().get("reconciled")) ? "reconciled" : "live"));
            }
        } finally {
            camel.stop();
        }
        return ms;
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 30 s: " + what);
            }
            Thread.sleep(1);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void line(StringBuilder out, String format, Object... args) {
        String l = String.format(format, args);
        System.out.println(l);
        out.append(l).append(System.lineSeparator());
    }
}
