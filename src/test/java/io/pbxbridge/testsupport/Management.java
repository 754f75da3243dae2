package io.pbxbridge.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads pbx-bridge's management server (health and metrics) as an operator's probe would. */
public final class Management {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Answer(int status, String body) {
        /** The value of a Prometheus sample, e.g. {@code pbx_sink_delivered_total{sink="webhook"}}; -1 if absent. */
        public double sample(String name, String labels) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(body);
            while (m.find()) {
                boolean all = true;
                for (String l : labels.split(",")) {
                    all &= l.isBlank() || m.group(1).contains(l.trim());
                }
                if (all) {
                    return Double.parseDouble(m.group(2));
                }
            }
            return -1;
        }
    }

    private Management() {
    }

    /** The HTTP status of {@code /observe/health/ready} (200 ready, 503 not), or -1 when it does not answer. */
    public static int readiness(int port) {
        try {
            return get(port, "/observe/health/ready").status();
        } catch (Exception e) {
            return -1;
        }
    }

    public static Answer get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }
}
