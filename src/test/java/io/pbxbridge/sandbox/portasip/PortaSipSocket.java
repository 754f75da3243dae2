package io.pbxbridge.sandbox.portasip;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** A plain JDK WebSocket client of the Call Control socket for the tests: every frame kept until taken. */
final class PortaSipSocket implements WebSocket.Listener, AutoCloseable {

    final List<String> inbox = new LinkedList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;
    private int cseq = 100;

    static PortaSipSocket open(String url) throws Exception {
        return open(HttpClient.newHttpClient(), url);
    }

    static PortaSipSocket open(HttpClient http, String url) throws Exception {
        PortaSipSocket s = new PortaSipSocket();
        s.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(url), s)
                .get(5, TimeUnit.SECONDS);
        return s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            synchronized (inbox) {
                inbox.add(partial.toString());
                inbox.notifyAll();
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends a request with the next cseq and returns its answer (the frame with that cseq). */
    JsonNode call(String service, String method, String auth, String params) throws Exception {
        int n = ++cseq;
        send("{\"cseq\":" + n + (auth != null ? ",\"auth_info\":" + auth : "") + ",\"service\":\"" + service
                + "\",\"method\":\"" + method + "\"" + (params != null ? ",\"params\":" + params : "") + "}");
        return PortaSipHttp.json(take(t -> {
            JsonNode j = PortaSipHttp.json(t);
            return j.path("cseq").asInt(-1) == n;
        }, 5000));
    }

    JsonNode cc(String method, String params) throws Exception {
        return call("CallControl", method, null, params);
    }

    /** The next frame matching {@code p} (taken out), or an AssertionError after {@code millis}. */
    String take(Predicate<String> p, long millis) throws InterruptedException {
        String t = poll(p, millis);
        if (t == null) {
            synchronized (inbox) {
                throw new AssertionError("no such frame within " + millis + " ms; inbox: " + inbox);
            }
        }
        return t;
    }

    String poll(Predicate<String> p, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (inbox) {
            while (true) {
                for (Iterator<String> it = inbox.iterator(); it.hasNext(); ) {
                    String t = it.next();
                    if (p.test(t)) {
                        it.remove();
                        return t;
                    }
                }
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return null;
                }
                inbox.wait(left);
            }
        }
    }

    /** The next notification (a frame with "action"), as call_info. */
    JsonNode notification(long millis) throws InterruptedException {
        return PortaSipHttp.json(take(t -> t.contains("\"action\"") && !t.contains("\"cseq\""), millis))
                .path("result").path("call_info");
    }

    /** The next notification about call part {@code id} (exactly this id). */
    JsonNode notification(String id, long millis) throws InterruptedException {
        return PortaSipHttp.json(take(t -> t.contains("\"action\"") && id.equals(PortaSipHttp.json(t)
                .path("result").path("call_info").path("call").path("id").asText()), millis))
                .path("result").path("call_info");
    }

    /** Notifications about call part {@code id} until one in {@code state} (that one included). */
    List<JsonNode> until(String id, String state, long millis) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long end = System.currentTimeMillis() + millis;
        while (true) {
            JsonNode n = notification(id, Math.max(1, end - System.currentTimeMillis()));
            out.add(n);
            if (state.equals(n.path("state").asText())) {
                return out;
            }
        }
    }

    int pending() {
        synchronized (inbox) {
            return inbox.size();
        }
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
        }
    }
}
