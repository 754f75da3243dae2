package io.pbxbridge.events;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.escaux.EscauxConstants;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.webhook.StandardWebhooks;
import io.pbxbridge.testsupport.Management;
import io.pbxbridge.testsupport.WebhookReceiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management server as an operator's probe and Prometheus see it, through Camel Main with the shipped
 * application.properties: readiness follows a sink that goes down and comes back, and the metrics move with the
 * traffic. No secret in any answer.
 */
class ObservabilityTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SECRET = StandardWebhooks.newSecret();

    @TempDir
    Path tmp;
    EscauxSimulator escaux;
    WebhookReceiver receiver;
    EventAppHarness app;

    @BeforeEach
    void setUp() throws Exception {
        escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).seed(7).build().start();
        receiver = new WebhookReceiver(SECRET).start();
        app = new EventAppHarness(tmp, escaux).withWebhook(receiver, SECRET);
    }

    @AfterEach
    void tearDown() {
        app.close();
        receiver.close();
        escaux.stop();
    }

    @Test
    void readinessFollowsASinkOutageAndTheMetricsMoveWithTraffic() throws Exception {
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        Await.until(WAIT, "ready", () -> app.readiness() == 200);
        assertEquals(200, app.management("/observe/health/live").status());

        // the receiver fails for a while: the sink is down, its events wait in its spool, readiness says so
        int[] failures = new int[40];
        java.util.Arrays.fill(failures, 500);
        receiver.respond(failures);
        escaux.incomingCall("+3222000001", "102");
        Await.until(WAIT, "not ready", () -> app.readiness() == 503);
        Management.Answer down = app.management("/observe/health/ready?data=true");
        assertTrue(down.body().contains("sink-webhook-main") && down.body().contains("DOWN"), down.body());
        assertTrue(down.body().contains("HTTP 500"), "the details say why: " + down.body());
        assertTrue(down.body().contains("oldestEvent.type") && down.body().contains("pbx.call.ringing"),
                "the oldest event waiting: " + down.body());
        assertFalse(down.body().contains(SECRET.substring(6)), "no secret in the health details");

        Await.until(WAIT, "ready again", () -> app.readiness() == 200);
        Await.until(WAIT, "the event delivered", () -> receiver.accepted().size() == 1);

        // a vendor call, timed by operation and outcome
        app.template().requestBodyAndHeader("escaux:ccPing", null, EscauxConstants.CHANNEL_ID, "x");
        Management.Answer metrics = app.management("/observe/metrics");
        assertEquals(200, metrics.status());
        String sink = "sink=\"webhook-main\"";
        assertEquals(1, metrics.sample("pbx_sink_delivered_total", sink), metrics.body());
        assertTrue(metrics.sample("pbx_sink_retries_total", sink) >= 1, "failed attempts counted");
        assertEquals(0, metrics.sample("pbx_sink_spool_events", sink));
        assertEquals(1, metrics.sample("pbx_sink_up", sink));
        assertTrue(metrics.sample("pbx_vendor_calls_seconds_count",
                "vendor=\"escaux\",operation=\"ccPing\",outcome=\"ok\"") >= 1, "vendor calls timed");
        assertTrue(metrics.body().contains("camel_exchanges_total"), "Camel's own route metrics are there too");
        assertFalse(metrics.body().contains(SECRET.substring(6)), "no secret in the metrics");
    }

    @Test
    void readinessFollowsAnEventSourceThatGoesAwayAndReturns() throws Exception {
        app.with("camel.component.escaux.unhealthy-after", "500").with("vendor.health.failing-budget", "200ms")
                .start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        Await.until(WAIT, "ready", () -> app.readiness() == 200);
        String check = "source-escaux-127.0.0.1:" + escaux.eventPort();
        assertTrue(app.management("/observe/health/ready").body().contains(check));

        int httpPort = escaux.httpPort();
        int eventPort = escaux.eventPort();
        escaux.stop();
        Await.until(WAIT, "not ready", () -> app.readiness() == 503);
        Management.Answer down = app.management("/observe/health/ready?data=true");
        assertTrue(down.body().contains(check) && down.body().contains("disconnected since"), down.body());
        assertTrue(down.body().contains("\"connected\":false") && down.body().contains("failedAttempts"),
                "the source's details: " + down.body());
        assertEquals(200, app.management("/observe/health/live").status(), "a PBX away is no reason to restart");
        // the vendor's API is failing too: a call that finds it away, then its budget passes
        assertTrue(app.template().request("escaux:ccPing", e -> {
        }).getException() != null);
        Thread.sleep(300);
        down = app.management("/observe/health/ready?data=true");
        assertTrue(down.body().contains("vendor-escaux") && down.body().contains("has not answered since"),
                down.body());

        escaux = EscauxSimulator.builder().httpPort(httpPort).eventPort(eventPort).seed(7).build().start();
        assertEquals(503, app.readiness(), "the vendor's API still counts as down until a call succeeds");
        app.template().requestBody("escaux:ccPing", (Object) null);
        Await.until(WAIT, "ready again", () -> app.readiness() == 200);
        escaux.incomingCall("+3222000009", "102");
        Await.until(WAIT, "the event counted", () -> {
            try {
                return app.management("/observe/metrics").sample("pbx_source_events_total",
                        "vendor=\"escaux\"") >= 1;
            } catch (Exception e) {
                return false;
            }
        });
        Management.Answer metrics = app.management("/observe/metrics");
        assertTrue(metrics.sample("pbx_source_connects_total", "vendor=\"escaux\"") >= 2, "reconnected");
        assertTrue(metrics.sample("pbx_source_connect_failures_total", "vendor=\"escaux\"") >= 1);
        assertEquals(1, metrics.sample("pbx_source_connected", "vendor=\"escaux\""));
    }
}
