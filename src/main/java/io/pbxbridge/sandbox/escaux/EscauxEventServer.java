package io.pbxbridge.sandbox.escaux;

import io.pbxbridge.sandbox.Loopback;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOP's event socket: a TCP server on 127.0.0.1 that writes events to every connected client, with the fault
 * injection of {@link EscauxFaults} applied. Nothing is read from the clients.
 */
final class EscauxEventServer {

    private static final Logger LOG = LoggerFactory.getLogger(EscauxEventServer.class);

    private final EscauxFaults faults;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final Random random = new Random(42);
    private volatile ServerSocket server;
    private volatile int port;
    private Thread acceptor;
    private volatile CountDownLatch connected = new CountDownLatch(1);
    private volatile int connections;

    private static final class Client {
        final Socket socket;
        final OutputStream out;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }
    }

    EscauxEventServer(EscauxFaults faults) {
        this.faults = faults;
    }

    synchronized void start(int requestedPort) {
        if (server != null) {
            return;
        }
        int p = port > 0 ? port : requestedPort;
        ServerSocket s = Loopback.bind(p, address -> {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(address, 50);
            return socket;
        });
        server = s;
        port = s.getLocalPort();
        acceptor = new Thread(() -> accept(s), "escaux-sim-events-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    synchronized void stop() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        dropClients();
    }

    void refuse(boolean refuse) {
        if (refuse) {
            stop();
        } else if (port > 0) {
            start(port);
        }
    }

    int port() {
        return port;
    }

    int clientCount() {
        return clients.size();
    }

    /** Connections accepted since creation. */
    int connections() {
        return connections;
    }

    /** Waits until {@code n} connections in all have been accepted. */
    boolean awaitConnections(int n, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            while (connections < n) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, wait);
            }
        }
        return true;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket socket = s.accept();
                socket.setTcpNoDelay(true);
                socket.setSendBufferSize(1 << 20);
                clients.add(new Client(socket));
                synchronized (this) {
                    connections++;
                    notifyAll();
                }
                LOG.debug("Event client connected from {}", socket.getRemoteSocketAddress());
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                LOG.debug("accept failed: {}", e.toString());
            }
        }
    }

    void dropClients() {
        for (Client c : clients) {
            close(c);
        }
    }

    /** Writes an event (with garbage and splitting faults applied, unless raw) to every client. */
    void emit(String event) {
        byte[] bytes = event.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] garbage = faults.garbage();
        if (garbage != null) {
            broadcast(garbage, 0);
        }
        broadcast(bytes, faults.splitMax());
    }

    /** Writes bytes to every client, in pieces of 1..split bytes when split > 0. Blocks on back pressure. */
    void broadcast(byte[] bytes, int split) {
        for (Client c : clients) {
            try {
                synchronized (c) {
                    if (split <= 0) {
                        c.out.write(bytes);
                    } else {
                        int i = 0;
                        while (i < bytes.length) {
                            int n = Math.min(bytes.length - i, 1 + random.nextInt(split));
                            c.out.write(bytes, i, n);
                            c.out.flush();
                            i += n;
                        }
                    }
                    c.out.flush();
                }
            } catch (IOException e) {
                close(c);
            }
        }
    }

    private void close(Client c) {
        clients.remove(c);
        try {
            c.socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
