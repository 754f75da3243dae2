package io.pbxbridge.sandbox;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP side of a simulator on the JDK's {@link HttpServer}: it listens on 127.0.0.1 ({@link Loopback}: the same
 * port again after a stop), answers on a cached pool of daemon threads ({@code <name>-http-N}) and runs the
 * simulator's call trickle on a daemon thread of its own ({@code <name>-trickle-1}). Not thread-safe: the simulator
 * calls it under its own lock.
 */
public final class SimulatorHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorHttpServer.class);

    static {
        // The JDK server writes response headers and body in separate segments; without TCP_NODELAY every
        // response stalls ~40 ms on Nagle + delayed ACK. Read once, when the first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String name;
    private HttpServer server;
    private ExecutorService handlers;
    private ScheduledExecutorService trickler;

    /** @param name the simulator's thread name prefix, e.g. {@code mor-sim} */
    public SimulatorHttpServer(String name) {
        this.name = name;
    }

    /**
     * Listens on {@code port} (0 = a free one) with the contexts {@code routes} creates, until
     * {@link #stopListening()} or {@link #stop()}.
     *
     * @return the port listened on
     * @throws Loopback.PortUnavailableException when it cannot listen there
     */
    public int listen(int port, Consumer<HttpServer> routes) {
        if (handlers == null) {
            handlers = Executors.newCachedThreadPool(daemonThreads(name + "-http-"));
        }
        server = Loopback.bind(port, address -> {
            HttpServer s = HttpServer.create(address, 128);
            routes.accept(s);
            s.setExecutor(handlers);
            s.start();
            return s;
        });
        return server.getAddress().getPort();
    }

    public boolean listening() {
        return server != null;
    }

    /** Closes the listening socket (connections are refused); the handler threads and the trickle go on. */
    public void stopListening() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /**
     * Calls {@code tick} every {@code every} (at least a millisecond) with the period in milliseconds, until
     * {@link #stop()}; a tick that throws is logged and the next one comes all the same.
     */
    public void trickle(Duration every, LongConsumer tick) {
        long ms = Math.max(1, every.toMillis());
        trickler = Executors.newSingleThreadScheduledExecutor(daemonThreads(name + "-trickle-"));
        trickler.scheduleAtFixedRate(() -> {
            try {
                tick.accept(ms);
            } catch (RuntimeException e) {
                LOG.warn("Call trickle of {} failed", name, e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Stops listening, the handler threads and the trickle. */
    public void stop() {
        if (trickler != null) {
            trickler.shutdownNow();
            trickler = null;
        }
        stopListening();
        if (handlers != null) {
            handlers.shutdownNow();
            handlers = null;
        }
    }

    /** Daemon threads named {@code prefix1}, {@code prefix2}...: a simulator never holds its JVM up. */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
