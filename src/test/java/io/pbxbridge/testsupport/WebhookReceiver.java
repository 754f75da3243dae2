package io.pbxbridge.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.pbxbridge.support.webhook.StandardWebhooks;
import io.pbxbridge.support.webhook.WebhookVerificationException;

/**
 * A real HTTP webhook receiver for tests: verifies every request's Standard Webhooks signature (a bad one is
 * answered 401 and counted), then answers the next scripted status (default 200), recording what it accepted.
 * Can be stopped and started again on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String id, String timestamp, String body, int status, boolean signatureValid) {
    }

    private final String secret;
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> requests = new ArrayList<>();
    private int port;
    private HttpServer server;
    private java.util.Random flaky;
    private double failureRate;
    private volatile long delayMillis;

    public WebhookReceiver(String secret) {
        this.secret = secret;
    }

    public synchronized WebhookReceiver start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        port = server.getAddress().getPort();
        server.createContext("/hook", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** The next requests are answered with these statuses, in order (then 200 again). */
    public synchronized void respond(int... statuses) {
        for (int s : statuses) {
            script.add(s);
        }
    }

    /** From now on, answers 500 to this share of requests (seeded, so a run can be repeated). */
    public synchronized void failRandomly(double rate, long seed) {
        failureRate = rate;
        flaky = new java.util.Random(seed);
    }

    /** Waits this long before answering each request (a slow receiver). */
    public void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    public synchronized List<Received> requests() {
        return List.copyOf(requests);
    }

    /** Requests with a valid signature that were answered 2xx: what the receiver accepted. */
    public synchronized List<Received> accepted() {
        return requests.stream().filter(r -> r.signatureValid() && r.status() / 100 == 2).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String id = ex.getRequestHeaders().getFirst(StandardWebhooks.ID);
        String ts = ex.getRequestHeaders().getFirst(StandardWebhooks.TIMESTAMP);
        boolean valid = true;
        try {
            StandardWebhooks.verify(secret, id, ts, ex.getRequestHeaders().getFirst(StandardWebhooks.SIGNATURE), body,
                    Duration.ofMinutes(5), Instant.now());
        } catch (WebhookVerificationException e) {
            valid = false;
        }
        long delay = delayMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int status;
        synchronized (this) {
            status = !valid ? 401 : !script.isEmpty() ? script.poll()
                    : flaky != null && flaky.nextDouble() < failureRate ? 500 : 200;
            requests.add(new Received(id, ts, new String(body, java.nio.charset.StandardCharsets.UTF_8), status, valid));
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }
}
