package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.pbxbridge.escaux.EscauxConstants;
import io.pbxbridge.model.FaxJob;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.escaux.SimChannel;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.webhook.StandardWebhooks;
import io.pbxbridge.testsupport.WebhookReceiver;

/**
 * Event forwarding end to end through Camel Main and routes/events-*.camel.yaml: Escaux simulator events to a real
 * webhook receiver (signatures verified) and to a real SMTP server (GreenMail), with outages, spooling and restarts.
 */
class EventForwardingTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SECRET = StandardWebhooks.newSecret();

    @TempDir
    Path tmp;
    EscauxSimulator escaux;
    WebhookReceiver receiver;
    EventAppHarness app;
    GreenMail smtp;

    @BeforeEach
    void setUp() throws Exception {
        escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).seed(5).build().start();
        receiver = new WebhookReceiver(SECRET).start();
        app = new EventAppHarness(tmp, escaux).withWebhook(receiver, SECRET);
    }

    @AfterEach
    void tearDown() {
        app.close();
        receiver.close();
        escaux.stop();
        if (smtp != null) {
            smtp.stop();
        }
    }

    /** An incoming call: one call.ringing event on the Escaux socket; returns the channel (= call id). */
    String call(String from, String ext) {
        return escaux.incomingCall(from, ext).id();
    }

    void park(String channel) {
        app.template().requestBodyAndHeader("escaux:ccPark", null, EscauxConstants.CHANNEL_ID, channel);
    }

    List<JsonNode> acceptedEvents() {
        return receiver.accepted().stream().map(r -> {
            try {
                return Json.MAPPER.readTree(r.body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void webhookRetriedOnServerErrorsIsDeliveredOnceSignedAsCloudEvent() throws Exception {
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        receiver.respond(500, 500);
        String channel = call("+3222000001", "102");
        Await.until(WAIT, "the event accepted", () -> receiver.accepted().size() == 1);
        List<WebhookReceiver.Received> all = receiver.requests();
        assertEquals(3, all.size(), "two retries, then delivered");
        assertEquals(List.of(500, 500, 200), all.stream().map(WebhookReceiver.Received::status).toList());
        assertEquals(1, all.stream().map(WebhookReceiver.Received::id).distinct().count(), "same webhook-id");
        assertTrue(all.stream().allMatch(WebhookReceiver.Received::signatureValid));
        JsonNode ce = acceptedEvents().get(0);
        assertEquals("1.0", ce.get("specversion").asText());
        assertEquals("pbx.call.ringing", ce.get("type").asText());
        assertEquals(channel, ce.get("subject").asText());
        assertEquals("/escaux/127.0.0.1", ce.get("source").asText());
        assertEquals("1", ce.get("sequence").asText());
        assertEquals(ce.get("id").asText(), all.get(0).id());
        assertEquals("+3222000001", ce.get("data").get("from").asText());
        Thread.sleep(500);
        assertEquals(3, receiver.requests().size(), "nothing delivered twice");
    }

    @Test
    void goneDisablesTheSubscriptionHoldsItsEventsAndReplaysThemInOrderOnceEnabled() throws Exception {
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        receiver.respond(410);
        String first = call("+3222000002", "102");
        Await.until(WAIT, "the 410", () -> receiver.requests().size() == 1);
        String second = call("+3222000003", "104");
        park(second);
        Path marker = tmp.resolve("spool/webhook-main/disabled.json");
        Await.until(WAIT, "the subscription disabled", () -> Files.exists(marker));
        assertTrue(Json.MAPPER.readTree(marker.toFile()).get("reason").asText().contains("HTTP 410"));
        // the other sinks are not affected
        Await.until(WAIT, "the three events in the NDJSON sink", () -> ndjsonCount() == 3);
        Thread.sleep(500);
        assertEquals(1, receiver.requests().size(), "no POST after 410 Gone");
        assertTrue(app.deadLetters("webhook-main").isEmpty(), "held, not dead-lettered");
        SinkGuard guard = app.main.getCamelContext().getRegistry().lookupByNameAndType("sinkGuard.webhook-main",
                SinkGuard.class);
        assertEquals("DISABLED", guard.state());
        assertEquals(3, guard.spooled());
        // re-enabled as documented: delete the marker; what was held goes out in order, the 410'd event first
        Files.delete(marker);
        Await.until(WAIT, "the held events delivered", () -> receiver.accepted().size() == 3);
        assertEquals(List.of(first, second, second),
                acceptedEvents().stream().map(e -> e.get("subject").asText()).toList());
        assertEquals(List.of("pbx.call.ringing", "pbx.call.ringing", "pbx.call.parked"),
                acceptedEvents().stream().map(e -> e.get("type").asText()).toList());
        assertEquals("UP", guard.state());
    }

    @Test
    void rejectedEventGoesToDeadLettersAndCanBeReplayed() throws Exception {
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        receiver.respond(400);
        String channel = call("+3222000009", "102");
        Await.until(WAIT, "a dead letter", () -> app.deadLetters("webhook-main").size() == 1);
        assertEquals(1, receiver.requests().size(), "a 4xx is not retried");
        Path letter = app.deadLetters("webhook-main").get(0);
        JsonNode dead = Json.MAPPER.readTree(letter.toFile());
        assertTrue(dead.get("reason").asText().contains("HTTP 400"), dead.toString());
        assertEquals(1, dead.get("attempts").asInt());
        // the README's replay: move the file into the replay folder
        Path replay = Files.createDirectories(tmp.resolve("deadletter/replay"));
        Files.move(letter, replay.resolve(letter.getFileName()));
        Await.until(WAIT, "the replayed event accepted", () -> receiver.accepted().size() == 1);
        assertEquals(channel, acceptedEvents().get(0).get("subject").asText());
        assertEquals(dead.get("id").asText(), receiver.accepted().get(0).id(), "same event id");
    }

    /** Replaying dead letters sends through one producer: the context's services do not grow with each letter. */
    @Test
    void manyDeadLettersAreReplayedThroughOneProducer() throws Exception {
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        int n = 8;
        int[] refusals = new int[n];
        java.util.Arrays.fill(refusals, 400);
        receiver.respond(refusals);
        for (int i = 0; i < n; i++) {
            call("+322200040" + i, "102");
        }
        Await.until(WAIT, n + " dead letters", () -> app.deadLetters("webhook-main").size() == n);
        org.apache.camel.CamelContext camel = app.main.getCamelContext();
        int producers = camel.hasServices(org.apache.camel.Producer.class).size();

        Path replay = Files.createDirectories(tmp.resolve("deadletter/replay"));
        for (Path letter : app.deadLetters("webhook-main")) {
            Files.move(letter, replay.resolve(letter.getFileName()));
        }
        Await.until(WAIT, "the replayed events accepted", () -> receiver.accepted().size() == n);
        int added = camel.hasServices(org.apache.camel.Producer.class).size() - producers;
        assertTrue(added <= 1, n + " replays added " + added + " producers");
    }

    /** Three calls' ringing events written to the socket at once: read together, they go as one batch. */
    List<String> threeCallsAtOnce(String prefix) {
        List<String> channels = List.of(prefix + "-1", prefix + "-2", prefix + "-3");
        StringBuilder xml = new StringBuilder();
        for (String ch : channels) {
            xml.append("<evNewOrigChannel><Channel>").append(ch).append("</Channel><CallerId>+3222000300</CallerId>")
                    .append("<Extension>102</Extension></evNewOrigChannel>\n");
        }
        escaux.emit(xml.toString());
        return channels;
    }

    @Test
    void inABatchARefusedEventIsDeadLetteredAloneAndTheOthersDelivered() throws Exception {
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        receiver.respond(200, 400);
        List<String> channels = threeCallsAtOnce("SIP/batch");
        Await.until(WAIT, "two accepted", () -> receiver.accepted().size() == 2);
        Await.until(WAIT, "a dead letter", () -> app.deadLetters("webhook-main").size() == 1);
        assertEquals(List.of(channels.get(0), channels.get(2)),
                acceptedEvents().stream().map(e -> e.get("subject").asText()).toList());
        JsonNode dead = Json.MAPPER.readTree(app.deadLetters("webhook-main").get(0).toFile());
        assertEquals(channels.get(1), dead.get("event").get("subject").asText());
        assertTrue(dead.get("reason").asText().contains("HTTP 400"), dead.toString());
        assertEquals(3, receiver.requests().size(), "each event POSTed once");
        // the dispatcher removes what the sink confirmed after the POSTs: soon, not at once
        Await.until(WAIT, "the spool empty", () -> spooled("webhook-main") == 0);
    }

    @Test
    void inABatchASinkDownSpoolsTheRestUntriedAndReplaysInOrder() throws Exception {
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        receiver.respond(500, 500, 500); // the first event's 3 attempts (events.retry.max-attempts in the harness)
        List<String> channels = threeCallsAtOnce("SIP/down");
        Await.until(WAIT, "three accepted", () -> receiver.accepted().size() == 3);
        assertEquals(channels, acceptedEvents().stream().map(e -> e.get("subject").asText()).toList(),
                "replayed in order");
        List<Integer> statuses = receiver.requests().stream().map(WebhookReceiver.Received::status).toList();
        assertEquals(List.of(500, 500, 500, 200, 200, 200), statuses,
                "the two after the failed one were not tried while the receiver was down");
        assertTrue(app.deadLetters("webhook-main").isEmpty());
        Await.until(WAIT, "the spool empty", () -> spooled("webhook-main") == 0);
    }

    long ndjsonCount() {
        try {
            return app.ndjson().size();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void receiverDownSpoolsThenReplaysInOrderEvenAcrossARestart() throws Exception {
        receiver.stop();
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String ch = call("+322200010" + i, i % 2 == 0 ? "102" : "104");
            channels.add(ch);
            park(ch);
        }
        Await.until(WAIT, "12 events through the stream", () -> ndjsonCount() == 12);
        Await.until(WAIT, "12 events spooled", () -> spooled("webhook-main") == 12);

        int connections = escaux.eventConnections();
        app.stop(); // pbx-bridge restarts while the receiver is still down
        app.start();
        // a new connection accepted (the simulator drops the old one only when a write to it fails); events
        // emitted before it would be lost, as with a real SOP
        Await.until(WAIT, "the event socket connected again", () -> escaux.eventConnections() > connections);
        String late = call("+3222000200", "555"); // an event after the restart queues behind the spooled ones
        Await.until(WAIT, "13 events in the NDJSON sink", () -> ndjsonCount() == 13);
        receiver.start();
        Await.until(WAIT, () -> "13 events delivered, got " + receiver.accepted().size(),
                () -> acceptedEvents().stream().map(e -> e.get("id").asText()).distinct().count() == 13);

        List<JsonNode> got = acceptedEvents();
        Map<String, List<JsonNode>> perCall = got.stream().collect(Collectors.groupingBy(e -> e.get("subject").asText()));
        for (String ch : channels) {
            List<String> types = perCall.get(ch).stream().map(e -> e.get("type").asText()).distinct().toList();
            assertEquals(List.of("pbx.call.ringing", "pbx.call.parked"), types, "per-call order of " + ch);
            List<Long> seq = perCall.get(ch).stream().map(e -> e.get("sequence").asLong()).toList();
            for (int i = 1; i < seq.size(); i++) {
                assertTrue(seq.get(i) >= seq.get(i - 1), "sequence grows within " + ch + ": " + seq);
            }
        }
        assertEquals(late, got.get(got.size() - 1).get("subject").asText(), "the live event came after the replay");
        long duplicates = got.size() - got.stream().map(e -> e.get("id").asText()).distinct().count();
        assertTrue(duplicates <= 1, "duplicates are bounded: " + duplicates);
        Await.until(WAIT, "the spool empty", () -> spooled("webhook-main") == 0);
    }

    long spooled(String sink) {
        Path dir = tmp.resolve("spool").resolve(sink);
        if (app.main == null || !Files.isDirectory(dir)) {
            return -1;
        }
        Object guard = app.main.getCamelContext().getRegistry().findByType(SinkGuard.class).stream()
                .filter(g -> sink.equals(g.getSink())).findFirst().orElse(null);
        return guard == null ? -1 : ((SinkGuard) guard).spooled();
    }

    int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void emailApp(int smtpPort) {
        app.with("events.webhook.enabled", "false")
                .with("events.email.enabled", "true")
                .with("events.email.uri", "smtp://127.0.0.1:" + smtpPort)
                .with("events.email.from", "pbx@example.com")
                .with("events.email.recipients", "call.missed=frontdesk@example.com;fax.failed=fax-admin@example.com")
                .with("events.email.timeout", "2000");
    }

    FaxJob failedFax(String jobId) {
        return new FaxJob(java.util.UUID.randomUUID().toString(), FaxJob.FAILED, jobId, "monema", jobId + ".pdf",
                List.of("15550001"), "modem-1", "s-1", 1000L, 1, 1,
                "the Monema server refused C_sendFax: Insufficient credit", Instant.now());
    }

    @Test
    void missedCallAndFailedFaxProduceTheTemplatedEmails() throws Exception {
        int port = freePort();
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        emailApp(port);
        // missed calls come from the CDR harvest of the call history: every second here, right up to now
        app.with("cdr.escaux.enabled", "true").with("cdr.escaux.extensions", "102")
                .with("cdr.escaux.cron", "* * * * * ?").with("cdr.lag", "0s");
        app.start();
        Await.until(WAIT, "the event socket connected", () -> escaux.eventClients() == 1);
        String channel = call("+3222000300", "102");
        app.template().requestBodyAndHeader("escaux:ccHangup", null, EscauxConstants.CHANNEL_ID, channel);
        app.template().sendBody("direct:pbx-events", failedFax("invoice-42"));

        Await.until(WAIT, "two e-mails", () -> messages().size() >= 2);
        Map<String, MimeMessage> bySubject = new HashMap<>();
        for (MimeMessage m : messages()) {
            bySubject.put(m.getSubject(), m);
        }
        MimeMessage missed = bySubject.get("Missed call from +3222000300 to 102");
        assertTrue(missed != null, "subjects: " + bySubject.keySet());
        assertEquals("frontdesk@example.com", missed.getAllRecipients()[0].toString());
        String body = (String) missed.getContent();
        assertTrue(body.contains("From:  +3222000300"), body);
        assertTrue(body.contains("\"type\":\"pbx.call.missed\""), body);
        MimeMessage fax = bySubject.get("Fax invoice-42.pdf to 15550001 failed");
        assertTrue(fax != null, "subjects: " + bySubject.keySet());
        assertEquals("fax-admin@example.com", fax.getAllRecipients()[0].toString());
        assertTrue(((String) fax.getContent()).contains("Reason:    the Monema server refused C_sendFax: Insufficient credit"));
        Thread.sleep(2500); // more harvests of the call history: the missed call is not announced twice
        assertEquals(1, messages().stream().filter(m -> subject(m).startsWith("Missed call from +3222000300")).count());
        // the call is remembered by its record key (vendor:source:uniqueid), not by the whole record's text
        List<String> seen = java.nio.file.Files.readAllLines(app.dir.resolve("state/missed-calls-seen.txt"));
        assertFalse(seen.isEmpty());
        for (String key : seen) {
            assertTrue(key.matches("escaux:[^:]+:[^:]+"), "a seen key: " + key);
        }
        assertFalse(messages().stream().anyMatch(m -> subject(m).contains("ringing")), "call.ringing is filtered out");
    }

    @Test
    void smtpDownThenUpTheMailsArrive() throws Exception {
        int port = freePort();
        emailApp(port);
        app.start();
        app.template().sendBody("direct:pbx-events", failedFax("a"));
        app.template().sendBody("direct:pbx-events", failedFax("b"));
        Await.until(WAIT, "both spooled", () -> spooled("email") == 2);
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Await.until(WAIT, "both mails", () -> messages().size() == 2);
        assertEquals(List.of("Fax a.pdf to 15550001 failed", "Fax b.pdf to 15550001 failed"),
                messages().stream().map(EventForwardingTest::subject).toList(), "in order");
    }

    List<MimeMessage> messages() {
        return smtp == null ? List.of() : List.of(smtp.getReceivedMessages());
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }
}
