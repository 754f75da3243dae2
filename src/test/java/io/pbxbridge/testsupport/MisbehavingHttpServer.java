package io.pbxbridge.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server (a {@link ServerSocket}, no HTTP library) that misbehaves on purpose, to see what a client
 * does with a request whose answer never comes. It answers the first {@code answered} requests with HTTP 200 and
 * keeps the connection open (so the client pools it), then reads every further request in full, counts it and either
 * closes the connection without a word ({@link #answeringThenDropping}) or keeps it open and silent
 * ({@link #answeringThenHolding}). {@link #answeringAndClosingIdle} answers every request and closes connections that
 * stay idle, as servers do with keep-alive. Every request read is counted, whatever the connection it came on.
 */
public final class MisbehavingHttpServer implements AutoCloseable {

    private enum Unanswered {
        DROP,
        HOLD
    }

    private final ServerSocket server;
    private final int answered;
    private final Unanswered unanswered;
    private final int idleCloseMillis;
    private final byte[] reply;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private MisbehavingHttpServer(int answered, String contentType, String body, Unanswered unanswered,
                                  int idleCloseMillis) throws IOException {
        this.answered = answered;
        this.unanswered = unanswered;
        this.idleCloseMillis = idleCloseMillis;
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        this.reply = ("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + b.length
                + "\r\nConnection: keep-alive\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "misbehaving-http-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Reads every request and closes its connection without answering. */
    public static MisbehavingHttpServer dropping() throws IOException {
        return answeringThenDropping(0, "text/plain", "");
    }

    /** Answers the first {@code answered} requests (keep-alive), then reads each further one and drops its connection. */
    public static MisbehavingHttpServer answeringThenDropping(int answered, String contentType, String body)
            throws IOException {
        return new MisbehavingHttpServer(answered, contentType, body, Unanswered.DROP, 0);
    }

    /** Answers the first {@code answered} requests (keep-alive), then reads each further one and never answers. */
    public static MisbehavingHttpServer answeringThenHolding(int answered, String contentType, String body)
            throws IOException {
        return new MisbehavingHttpServer(answered, contentType, body, Unanswered.HOLD, 0);
    }

    /** Answers every request (keep-alive) and closes a connection once it has been idle for {@code idleMillis}. */
    public static MisbehavingHttpServer answeringAndClosingIdle(int idleMillis, String contentType, String body)
            throws IOException {
        return new MisbehavingHttpServer(Integer.MAX_VALUE, contentType, body, Unanswered.DROP, idleMillis);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String address() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests read in full, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** Connections accepted. */
    public int connections() {
        return connections.get();
    }

    /** The request line of every request read ({@code GET /xml/ccOriginate.php?... HTTP/1.1}). */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "misbehaving-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (readRequest(in)) {
                if (requests.incrementAndGet() <= answered) {
                    out.write(reply);
                    out.flush();
                    s.setSoTimeout(idleCloseMillis); // 0: wait for the next request for ever
                } else if (unanswered == Unanswered.HOLD) {
                    while (in.read() >= 0) {
                        // silent until the client gives up
                    }
                    return;
                } else {
                    return; // closed with the request read in full and unanswered
                }
            }
        } catch (IOException e) {
            // the client went away, or the connection was idle too long
        } finally {
            open.remove(s);
        }
    }

    /** Reads one request (head and Content-Length body); false at the end of the stream. */
    private boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        long length = 0;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        for (long i = 0; i < length; i++) {
            if (in.read() < 0) {
                return false;
            }
        }
        requestLines.add(lines[0]);
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
