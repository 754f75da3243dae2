package io.pbxbridge.escaux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;

/**
 * Not a test: events/s from the simulator's event socket through {@link EscauxEventFrameDecoder}, parsing and
 * normalization to {@link CallEvent} into a no-op processor, and, on the same bytes (one event per line), camel-netty
 * {@code textline} into a no-op processor: the framing ceiling. Run with
 * {@code mvn -o test -Dtest=EscauxEventBench -Dsurefire.excludedGroups=none}.
 */
@Tag("bench")
class EscauxEventBench {

    static final int BLOCK_EVENTS = 10_000;
    static final int WARMUP_BLOCKS = 40;
    static final int MEASURED_BLOCKS = 200;

    @Test
    void eventsPerSecond() throws Exception {
        byte[] block = block();
        System.out.printf("block: %d events, %d bytes (%.0f bytes/event)%n", BLOCK_EVENTS, block.length,
                (double) block.length / BLOCK_EVENTS);
        try (EscauxSimulator sim = EscauxSimulator.builder().start()) {
            double textlineExec = run(sim, block, "textline (usingExecutorService=true, camel-netty default)",
                    "netty:tcp://127.0.0.1:" + sim.eventPort()
                            + "?clientMode=true&textline=true&sync=false&decoderMaxLineLength=4096", 0);
            double textline = run(sim, block, "textline (usingExecutorService=false)",
                    "netty:tcp://127.0.0.1:" + sim.eventPort() + "?clientMode=true&textline=true&sync=false"
                            + "&decoderMaxLineLength=4096&usingExecutorService=false", 1);
            double escaux = run(sim, block, "escaux:events (decoder + parse + CallEvent)",
                    "escaux:events?address=" + sim.address() + "&eventPort=" + sim.eventPort() + "&pingInterval=0", 2);
            double ceiling = Math.max(textline, textlineExec);
            System.out.printf("%nRESULT escaux:events %.0f events/s; textline ceiling %.0f lines/s; ratio %.1f %%%n",
                    escaux, ceiling, 100 * escaux / ceiling);
        }
    }

    /** Runs one consumer against the event socket; returns messages per second over the measured blocks. */
    static double run(EscauxSimulator sim, byte[] block, String label, String uri, int previousConnections)
            throws Exception {
        long total = (long) (WARMUP_BLOCKS + MEASURED_BLOCKS) * BLOCK_EVENTS;
        AtomicLong count = new AtomicLong();
        CountDownLatch warm = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        long warmCount = (long) WARMUP_BLOCKS * BLOCK_EVENTS;
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(e -> {
                    Object body = e.getIn().getBody();
                    if (body == null) {
                        throw new IllegalStateException("no body");
                    }
                    long n = count.incrementAndGet();
                    if (n == warmCount) {
                        warm.countDown();
                    }
                    if (n == total) {
                        done.countDown();
                    }
                });
            }
        });
        camel.start();
        try {
            if (!sim.awaitEventConnections(previousConnections + 1, Duration.ofSeconds(10))) {
                throw new IllegalStateException("no connection from " + uri);
            }
            Thread writer = new Thread(() -> {
                for (int i = 0; i < WARMUP_BLOCKS + MEASURED_BLOCKS; i++) {
                    sim.faults().sendRaw(block);
                }
            }, "bench-writer");
            writer.start();
            if (!warm.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("warm-up did not finish: " + count.get());
            }
            long t0 = System.nanoTime();
            long c0 = count.get();
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("run did not finish: " + count.get());
            }
            long t1 = System.nanoTime();
            writer.join();
            double rate = (count.get() - c0) / ((t1 - t0) / 1e9);
            System.out.printf("%-60s %,12.0f msg/s  %,8.1f MB/s%n", label, rate,
                    rate * block.length / BLOCK_EVENTS / 1e6);
            return rate;
        } finally {
            camel.stop();
        }
    }

    /** Compact events, one per line, as the bytes both consumers read. */
    static byte[] block() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < BLOCK_EVENTS; i++) {
            switch (i % 4) {
                case 0, 1 -> b.append("<evNewOrigChannel><Channel>SIP/SDC30015-").append(Integer.toHexString(0x1000 + i))
                        .append("</Channel><CallerId>+32234").append(10000 + i % 90000)
                        .append("</CallerId><Extension>102</Extension></evNewOrigChannel>\n");
                case 2 -> b.append("<evParked><ParkSlot>").append(700 + i % 50).append("</ParkSlot><Channel>SIP/SDC30015-")
                        .append(Integer.toHexString(0x1000 + i)).append("</Channel></evParked>\n");
                default -> b.append("<evHangup><Channel>SIP/SDC30015-").append(Integer.toHexString(0x1000 + i))
                        .append("</Channel><Cause>16</Cause></evHangup>\n");
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
