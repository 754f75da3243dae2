package io.pbxbridge.vendor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.support.Await;

/**
 * A LivenessCheck on a real TCP connection to a peer that answers {@code PING} lines as told: with {@code PONG} (the
 * answer), an event, bytes that are no event, an event the reader takes long to route, or nothing.
 */
class LivenessCheckTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final long TIMEOUT = 200;

    /** What the peer sends when pinged. */
    enum Reply { PONG, EVENT, NOISE, SLOW_EVENT, NOTHING }

    volatile Reply reply = Reply.PONG;
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final List<Socket> dead = new CopyOnWriteArrayList<>();
    final CountDownLatch slowRouteDone = new CountDownLatch(1);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    ServerSocket peer;
    Socket socket;
    LivenessCheck<Socket> liveness;

    @BeforeEach
    void connect() throws Exception {
        peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        Thread peerThread = new Thread(this::servePeer, "peer");
        peerThread.setDaemon(true);
        peerThread.start();
        socket = new Socket();
        socket.connect(new InetSocketAddress(peer.getInetAddress(), peer.getLocalPort()), 2000);
        liveness = check(c -> {
            OutputStream out = c.getOutputStream();
            out.write("PING\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
        liveness.connected();
        Thread reader = new Thread(this::read, "reader");
        reader.setDaemon(true);
        reader.start();
    }

    LivenessCheck<Socket> check(LivenessCheck.Probe<Socket> probe) {
        return new LivenessCheck<>("test socket", 50, TIMEOUT, () -> socket.isClosed() ? null : socket, probe,
                c -> {
                    dead.add(c);
                    try {
                        c.close();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @AfterEach
    void close() throws IOException {
        slowRouteDone.countDown();
        liveness.stop();
        scheduler.shutdownNow();
        socket.close();
        peer.close();
    }

    private void servePeer() {
        try (Socket s = peer.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                pings.incrementAndGet();
                Reply r = reply;
                if (r != Reply.NOTHING) {
                    s.getOutputStream().write((r + "\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** The owner's reader: each line is a read, reported as a source reports its reads. */
    private void read() {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                liveness.readStarted();
                boolean events = false;
                switch (Reply.valueOf(line)) {
                    case PONG -> liveness.answered();
                    case EVENT -> events = true;
                    case SLOW_EVENT -> {
                        events = true;
                        slowRouteDone.await(); // a route holding the reader's thread up
                    }
                    default -> {
                        // no event
                    }
                }
                liveness.readFinished(events);
                reads.incrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    @Test
    void anAnsweredProbeKeepsTheConnection() {
        for (int i = 0; i < 3; i++) {
            liveness.check();
        }
        assertEquals(3, pings.get());
        assertEquals(3, liveness.getAnswerCount());
        assertEquals(0, liveness.getMissCount());
        assertTrue(dead.isEmpty());
        assertFalse(socket.isClosed());
    }

    @Test
    void aMissedAnswerDeclaresTheConnectionDead() {
        reply = Reply.NOTHING;
        liveness.check();
        assertEquals(1, pings.get());
        assertEquals(1, liveness.getMissCount());
        assertEquals(List.of(socket), dead);
        assertTrue(socket.isClosed());

        liveness.check(); // no connection: nothing to check
        assertEquals(1, pings.get());
        assertEquals(1, liveness.getMissCount());
    }

    @Test
    void eventsReadSinceTheProbeCountAsAliveButInputThatIsNoEventDoesNot() {
        reply = Reply.EVENT;
        liveness.check();
        assertEquals(0, liveness.getMissCount());
        assertTrue(dead.isEmpty());

        reply = Reply.NOISE;
        liveness.check();
        assertEquals(2, pings.get());
        assertEquals(1, liveness.getMissCount());
        assertEquals(List.of(socket), dead);
    }

    @Test
    void aReaderStillBusyWithAReadCountsAsAlive() {
        reply = Reply.SLOW_EVENT;
        long start = System.nanoTime();
        liveness.check();
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(TIMEOUT), "no answer came");
        assertEquals(1, pings.get());
        assertEquals(0, liveness.getMissCount());
        assertTrue(dead.isEmpty());
        assertFalse(socket.isClosed());

        // the read is over; silence now costs the connection
        slowRouteDone.countDown();
        Await.until(WAIT, "the slow read finished", () -> reads.get() == 1);
        reply = Reply.NOTHING;
        liveness.check();
        assertEquals(1, liveness.getMissCount());
    }

    @Test
    void aProbeThatCannotBeSentIsNoVerdict() {
        liveness = check(c -> {
            throw new IOException("HTTP 503");
        });
        liveness.connected();
        reply = Reply.NOTHING;
        liveness.check();
        assertEquals(0, liveness.getMissCount());
        assertTrue(dead.isEmpty());
    }

    @Test
    void theScheduleProbesEveryIntervalUntilStopped() throws Exception {
        liveness.start(scheduler);
        Await.until(WAIT, "3 probes answered", () -> liveness.getAnswerCount() >= 3);
        assertEquals(0, liveness.getMissCount());

        liveness.stop();
        Thread.sleep(100); // a check under way ends
        int probes = pings.get();
        Thread.sleep(300);
        assertEquals(probes, pings.get(), "no probe after stop");

        reply = Reply.NOTHING;
        liveness.start(scheduler);
        Await.until(WAIT, "the silent connection declared dead", () -> !dead.isEmpty());
        assertEquals(1, liveness.getMissCount());
        assertTrue(socket.isClosed());
    }
}
