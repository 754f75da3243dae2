package io.pbxbridge.vendor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.support.Await;

/** A Reconnector keeping a real TCP connection up: the server down at start, up later, dropping the connection. */
class ReconnectorTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<Long> attempts = Collections.synchronizedList(new ArrayList<>());
    final BlockingQueue<Long> announcedDelays = new LinkedBlockingQueue<>();
    Reconnector reconnector;
    volatile Socket socket;
    ServerSocket server;

    @AfterEach
    void close() throws IOException {
        if (reconnector != null) {
            reconnector.stop();
        }
        scheduler.shutdownNow();
        if (server != null) {
            server.close();
        }
        if (socket != null) {
            socket.close();
        }
    }

    /** The owner's connect: a socket, and a reader that reports its end. */
    void connect(int port) throws IOException {
        attempts.add(System.nanoTime());
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket = s;
        reconnector.connected();
        Thread reader = new Thread(() -> {
            try {
                while (s.getInputStream().read() >= 0) {
                    // nothing to read but the end
                }
            } catch (IOException e) {
                // closed
            }
            socket = null;
            announcedDelays.add(reconnector.disconnected());
        });
        reader.setDaemon(true);
        reader.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Accepts connections and hands them to the test. */
    BlockingQueue<Socket> listen(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException e) {
                // closed
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return accepted;
    }

    @Test
    void aServerDownAtStartIsTriedLaterAndLaterThenADropIsRetriedAfterTheFirstDelayAgain() throws Exception {
        int port = freePort();
        Backoff backoff = new Backoff(40, 160);
        reconnector = new Reconnector("test socket", backoff, () -> connect(port));
        reconnector.start(scheduler);

        Await.until(WAIT, "5 refused attempts", () -> attempts.size() >= 5);
        assertEquals(0, reconnector.getConnectCount());
        assertTrue(backoff.failures() >= 5, "failures " + backoff.failures());
        List<Long> times;
        synchronized (attempts) {
            times = new ArrayList<>(attempts.subList(0, 5));
        }
        for (int i = 0; i < 4; i++) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(times.get(i + 1) - times.get(i));
            assertTrue(gapMillis >= backoff.delay(i), "attempt " + (i + 2) + " came " + gapMillis
                    + " ms after the one before, before its delay " + backoff.delay(i));
        }

        // the server comes up: connected, and the backoff starts over
        BlockingQueue<Socket> accepted = listen(port);
        Await.until(WAIT, "connected", () -> reconnector.getConnectCount() == 1);
        assertEquals(0, backoff.failures());

        // the server drops the connection: the next attempt comes after the first delay, and connects
        accepted.poll(5, TimeUnit.SECONDS).close();
        assertEquals(40L, announcedDelays.poll(5, TimeUnit.SECONDS));
        Await.until(WAIT, "connected again", () -> reconnector.getConnectCount() == 2);
        assertTrue(reconnector.isRunning());
    }

    @Test
    void afterStopNothingIsTried() throws Exception {
        int port = freePort();
        BlockingQueue<Socket> accepted = listen(port);
        reconnector = new Reconnector("test socket", new Backoff(20, 20), () -> connect(port));
        reconnector.start(scheduler);
        Await.until(WAIT, "connected", () -> reconnector.getConnectCount() == 1);

        reconnector.stop();
        assertFalse(reconnector.isRunning());
        accepted.poll(5, TimeUnit.SECONDS).close();
        assertEquals(-1L, announcedDelays.poll(5, TimeUnit.SECONDS), "no reconnect announced after stop");
        int before = attempts.size();
        Thread.sleep(300);
        assertEquals(before, attempts.size(), "no attempt after stop");
        assertEquals(1, reconnector.getConnectCount());
    }

    @Test
    void oneAttemptIsPendingAtMost() throws Exception {
        int port = freePort();
        reconnector = new Reconnector("test socket", new Backoff(300, 300), () -> connect(port));
        reconnector.start(scheduler);
        Await.until(WAIT, "the first attempt", () -> attempts.size() == 1);
        // losses reported while the retry is pending do not add attempts
        for (int i = 0; i < 3; i++) {
            assertEquals(300, reconnector.disconnected());
        }
        Await.until(WAIT, "the retry", () -> attempts.size() == 2);
        Thread.sleep(150);
        assertEquals(2, attempts.size(), "one retry, not one per reported loss");
    }
}
