package io.pbxbridge.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of one server (ZooKeeper), for one client, whose line can be cut as a network
 * partition cuts it: {@link #cut()} drops every byte from then on, both ways, the sockets staying open (the client
 * hears nothing and must notice by its own timeouts), new connections accepted and left silent; {@link #heal()} closes
 * what was held so the client connects again, through.
 */
final class CutProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    CutProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("cut-proxy-accept", this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    void cut() {
        cut = true;
    }

    void heal() {
        cut = false;
        sockets.forEach(CutProxy::close);
        sockets.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                if (cut) {
                    daemon("cut-proxy-silent", () -> pump(client, null));
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(upstream);
                daemon("cut-proxy-up", () -> pump(client, upstream));
                daemon("cut-proxy-down", () -> pump(upstream, client));
            } catch (IOException e) {
                // closed, or the server refused: the client retries
            }
        }
    }

    /** Copies {@code from} to {@code to} while the line is not cut; what arrives while it is, is dropped. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to == null ? null : to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!cut && out != null) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            if (!cut) {
                close(from);
                if (to != null) {
                    close(to);
                }
            }
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        heal();
    }
}
