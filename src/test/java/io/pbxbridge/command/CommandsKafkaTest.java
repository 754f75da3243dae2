package io.pbxbridge.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.command.CommandApp.Cmd;
import io.pbxbridge.monema.TestPdfs;
import io.pbxbridge.sandbox.escaux.EscauxFaults.HttpFailure;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.escaux.SimChannel;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.sandbox.monema.SentFax;
import io.pbxbridge.sandbox.monema.SentSms;
import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.FreePort;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.Postgres;

/**
 * Commands from a Kafka topic end to end (issue 13 §3): pbx-bridge in this JVM (Camel Main, the command and event
 * routes) with three consumers on a topic of three partitions, its ledger in a real PostgreSQL, answering on the
 * result topic of a real Kafka broker, against the Escaux and Monema simulators, which count what they receive. One
 * app, one broker, one database for the class; each test uses ids of its own and looks at what changed.
 */
@Tag("kafka")
class CommandsKafkaTest {

    static final String ESCAUX = "escaux/main";
    static final String MONEMA = "monema/main";
    static final List<String> ESCAUX_OPS = List.of("ccOriginate", "ccHangup", "ccRedirect", "ccHold", "ccPark",
            "ccRecord", "ccQueueAdd", "ccQueueRemove", "ccQueuePause", "ccGetChannels", "dbGetQueueInfo");
    static final List<String> MONEMA_OPS = List.of("C_makeCall", "C_makeCallResponse", "C_sendSMS", "C_startFaxUpload",
            "C_uploadFaxChunk", "C_sendFax", "C_enableExtensionTransfer", "C_disableExtensionTransfer",
            "C_getExtensionTransferStatus", "C_getCredit", "C_getExtensions");

    @RegisterExtension
    static final Postgres pg = Postgres.perTestClass();
    @TempDir
    static Path tmp;
    static KafkaBroker kafka;
    static CommandTopics topics;
    static EscauxSimulator escaux;
    static MonemaSimulator monema;
    static CommandApp app;
    static String schema = "commands_kafka";

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
        topics = new CommandTopics(kafka, 3);
        escaux = EscauxSimulator.builder().start();
        monema = MonemaSimulator.builder().account(CommandApp.LOGIN, CommandApp.PASSWORD, new BigDecimal("100.00"))
                .initialCalls(0).dataDir(tmp.resolve("monema")).start();
        app = new CommandApp(tmp.resolve("app")).escaux(escaux).monema(monema).kafka(kafka, 3)
                .postgres(pg.createSchema(schema), Postgres.USER, "")
                // a second Escaux that is down: nothing listens on its port
                .with("commands.target.escaux.down", "address=http://127.0.0.1:" + FreePort.next());
        Path documents = Files.createDirectories(Path.of(app.settings.get("commands.documents")));
        TestPdfs.write(documents.resolve("offer.pdf"), 30_000, 7);
        app.start();
        Await.until(CommandApp.WAIT, "the Escaux event socket connected", () -> escaux.eventClients() == 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (escaux != null) {
            escaux.close();
        }
        if (monema != null) {
            monema.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void noFaultLeft() {
        escaux.faults().reset();
        monema.faults().reset();
    }

    // ---- each verb on each vendor ------------------------------------------------------------------------------

    @Test
    void everyEscauxVerbActsOnTheSop() {
        Counts before = Counts.now();
        SimChannel held = call("+3223000001", "102");
        SimChannel unheld = call("+3223000002", "102");
        SimChannel transferred = call("+3223000003", "102");
        SimChannel parked = call("+3223000004", "102");
        SimChannel recording = call("+3223000005", "102");
        SimChannel recorded = call("+3223000006", "102");
        SimChannel hungUp = call("+3223000007", "102");
        Map<Cmd, String> sent = new LinkedHashMap<>();
        // one call's commands share its key: they are executed in order
        sent.put(Cmd.of("esc-hold", "hold", ESCAUX).callId(held.id()), held.id());
        sent.put(Cmd.of("esc-hold-2", "hold", ESCAUX).callId(unheld.id()), unheld.id());
        sent.put(Cmd.of("esc-unhold", "unhold", ESCAUX).callId(unheld.id()).param("to", "104"), unheld.id());
        sent.put(Cmd.of("esc-transfer", "transfer", ESCAUX).param("channel", transferred.id()).param("to", "104"),
                transferred.id());
        sent.put(Cmd.of("esc-park", "park", ESCAUX).callId(parked.id()), parked.id());
        sent.put(Cmd.of("esc-record", "record.start", ESCAUX).callId(recording.id()).param("filename", "rec-5"),
                recording.id());
        sent.put(Cmd.of("esc-record-2", "record.start", ESCAUX).callId(recorded.id()).param("mailbox", "102"),
                recorded.id());
        sent.put(Cmd.of("esc-record-stop", "record.stop", ESCAUX).callId(recorded.id()).param("mailbox", "102"),
                recorded.id());
        sent.put(Cmd.of("esc-hangup", "hangup", ESCAUX).callId(hungUp.id()), hungUp.id());
        sent.put(Cmd.of("esc-dial", "dial", ESCAUX).param("from", "SDB20001").param("to", "104"), ESCAUX);
        sent.put(Cmd.of("esc-queue-add", "queue.add", ESCAUX).param("queue", "GeneralQ2").param("agent", "SDC30015"),
                ESCAUX);
        sent.put(Cmd.of("esc-queue-pause", "queue.pause", ESCAUX).param("queue", "PersonalQ1")
                .param("agent", "SDB20001"), ESCAUX);
        sent.put(Cmd.of("esc-queue-remove", "queue.remove", ESCAUX).param("queue", "GeneralQueue")
                .param("agent", "SDP40001"), ESCAUX);
        sent.forEach((c, key) -> topics.send(key, c));

        Map<String, String> operations = Map.ofEntries(Map.entry("esc-hold", "ccHold"),
                Map.entry("esc-hold-2", "ccHold"), Map.entry("esc-unhold", "ccRedirect"),
                Map.entry("esc-transfer", "ccRedirect"), Map.entry("esc-park", "ccPark"),
                Map.entry("esc-record", "ccRecord"), Map.entry("esc-record-2", "ccRecord"),
                Map.entry("esc-record-stop", "ccRecord"), Map.entry("esc-hangup", "ccHangup"),
                Map.entry("esc-dial", "ccOriginate"), Map.entry("esc-queue-add", "ccQueueAdd"),
                Map.entry("esc-queue-pause", "ccQueuePause"), Map.entry("esc-queue-remove", "ccQueueRemove"));
        for (Cmd c : sent.keySet()) {
            JsonNode r = topics.result(c.id);
            assertEquals("ok", r.path("status").asText(), r.toString());
            assertEquals(operations.get(c.id), r.path("operation").asText(), r.toString());
            assertEquals(ESCAUX, r.path("target").asText(), r.toString());
            assertEquals(1, r.path("attempts").asInt(), r.toString());
            assertFalse(r.path("result").isMissingNode(), "the vendor's typed result: " + r);
        }
        assertEquals(Map.of("ccHold", 2, "ccRedirect", 2, "ccPark", 1, "ccRecord", 3, "ccHangup", 1,
                "ccOriginate", 1, "ccQueueAdd", 1, "ccQueuePause", 1, "ccQueueRemove", 1), before.changes(),
                "one request per command");
        assertTrue(escaux.channel(held.id()).onHold(), "held");
        assertFalse(escaux.channel(unheld.id()).onHold(), "taken off hold");
        assertEquals("104", escaux.channel(unheld.id()).extension(), "taken off hold to 104");
        assertEquals("104", escaux.channel(transferred.id()).extension(), "transferred to 104");
        assertNotNull(escaux.channel(parked.id()).parkSlot(), "parked");
        assertEquals("file:RecordedCalls/rec-5.wav", escaux.channel(recording.id()).recording(), "recording");
        assertNull(escaux.channel(recorded.id()).recording(), "recorded, then stopped");
        assertNull(escaux.channel(hungUp.id()), "hung up");
        assertTrue(escaux.channels().stream().anyMatch(ch -> ch.id().startsWith("SIP/SDB20001-")
                && ch.extension().equals("104")), "dialled from SDB20001 to 104: " + escaux.channels());
        assertEquals(Boolean.FALSE, escaux.queueMembers("GeneralQ2").get("SDC30015"), "added to GeneralQ2");
        assertEquals(Boolean.TRUE, escaux.queueMembers("PersonalQ1").get("SDB20001"), "paused in PersonalQ1");
        assertFalse(escaux.queueMembers("GeneralQueue").containsKey("SDP40001"), "removed from GeneralQueue");
        assertEquals(true, topics.result("esc-queue-pause").path("result").path("paused").asBoolean(),
                topics.result("esc-queue-pause").toString());
    }

    @Test
    void everyMonemaVerbActsOnTheServer() {
        Counts before = Counts.now();
        int calls = monema.callCount(CommandApp.LOGIN);
        int sms = monema.sentSms().size();
        int faxes = monema.sentFaxes().size();
        List<Cmd> sent = List.of(
                Cmd.of("mon-dial", "dial", MONEMA).param("from", "101").param("to", "0032475123456"),
                Cmd.of("mon-dial-wait", "dial", MONEMA).param("from", "102").param("to", "0032475123457")
                        .param("waitForAnswer", true),
                Cmd.of("mon-sms", "sms", MONEMA).param("from", "Acme").param("to", "+32475000001")
                        .param("text", "Your ticket 42 is solved"),
                Cmd.of("mon-fax", "fax", MONEMA).param("document", "offer.pdf").param("to", "+3221234567"),
                Cmd.of("mon-transfer-on", "transfer.enable", MONEMA).param("extension", 3)
                        .param("to", "+32475999999"),
                Cmd.of("mon-transfer-status", "operation", MONEMA).param("operation", "getExtensionTransferStatus")
                        .param("extensionId", 3),
                Cmd.of("mon-transfer-off", "transfer.disable", MONEMA).param("extension", 3),
                Cmd.of("mon-transfer-status-2", "operation", MONEMA)
                        .param("operation", "getExtensionTransferStatus").param("extensionId", 3));
        sent.forEach(c -> topics.send(MONEMA, c));
        for (Cmd c : sent) {
            JsonNode r = topics.result(c.id);
            assertEquals("ok", r.path("status").asText(), r.toString());
            assertEquals(1, r.path("attempts").asInt(), r.toString());
        }
        Map<String, Integer> changes = before.changes();
        assertEquals(1, changes.get("C_makeCall"), changes.toString());
        assertEquals(1, changes.get("C_makeCallResponse"), changes.toString());
        assertEquals(1, changes.get("C_sendSMS"), changes.toString());
        assertEquals(1, changes.get("C_sendFax"), changes.toString());
        assertEquals(1, changes.get("C_enableExtensionTransfer"), changes.toString());
        assertEquals(1, changes.get("C_disableExtensionTransfer"), changes.toString());
        assertEquals(2, changes.get("C_getExtensionTransferStatus"), changes.toString());

        assertEquals(calls + 2, monema.callCount(CommandApp.LOGIN), "two calls placed");
        assertTrue(monema.calls(CommandApp.LOGIN).stream().anyMatch(c -> c.src().equals("101")
                && c.dst().equals("0032475123456")), "101 called 0032475123456");
        JsonNode waited = topics.result("mon-dial-wait").path("result");
        assertEquals("ANSWERED", waited.path("status").asText(), waited.toString());
        assertFalse(waited.path("uniqueid").asText().isEmpty(), waited.toString());
        assertEquals(sms + 1, monema.sentSms().size());
        SentSms s = monema.sentSms().get(monema.sentSms().size() - 1);
        assertEquals(List.of("Acme", "+32475000001", "Your ticket 42 is solved"),
                List.of(s.callerId(), s.dstNumber(), s.message()));
        assertEquals(faxes + 1, monema.sentFaxes().size());
        SentFax f = monema.sentFaxes().get(monema.sentFaxes().size() - 1);
        assertEquals(List.of("+3221234567"), f.destinations());
        JsonNode on = topics.result("mon-transfer-status").path("result");
        assertTrue(on.toString().contains("+32475999999") && on.toString().contains("true"), on.toString());
        JsonNode off = topics.result("mon-transfer-status-2").path("result");
        assertFalse(off.toString().contains("+32475999999"), off.toString());
    }

    @Test
    void aVerbTheVendorLacksIsUnsupportedWithoutARequest() {
        Counts before = Counts.now();
        List<Cmd> sent = new ArrayList<>();
        for (String verb : List.of("sms", "fax", "transfer.enable", "transfer.disable")) {
            sent.add(Cmd.of("unsup-escaux-" + verb, verb, ESCAUX).param("to", "104"));
        }
        for (String verb : List.of("hangup", "transfer", "hold", "unhold", "park", "queue.add", "queue.remove",
                "queue.pause", "record.start", "record.stop")) {
            sent.add(Cmd.of("unsup-monema-" + verb, verb, MONEMA).callId("1700000000.1"));
        }
        sent.forEach(c -> topics.send("unsupported", c));
        for (Cmd c : sent) {
            JsonNode r = topics.result(c.id);
            assertEquals("unsupported", r.path("status").asText(), r.toString());
            assertEquals(0, r.path("attempts").asInt(), r.toString());
            assertTrue(r.path("message").asText().contains("has no " + r.path("verb").asText()), r.toString());
        }
        assertEquals(Map.of(), before.changes(), "no request");
    }

    @Test
    void anyOperationIsReachable() {
        Counts before = Counts.now();
        List<Cmd> sent = List.of(
                Cmd.of("op-channels", "operation", ESCAUX).param("operation", "ccGetChannels"),
                Cmd.of("op-queues", "operation", ESCAUX).param("operation", "dbGetQueueInfo"),
                Cmd.of("op-credit", "operation", MONEMA).param("operation", "getCredit"),
                Cmd.of("op-extensions", "operation", MONEMA).param("operation", "getExtensions"));
        sent.forEach(c -> topics.send(c.id, c));
        for (Cmd c : sent) {
            assertEquals("ok", topics.result(c.id).path("status").asText(), topics.result(c.id).toString());
        }
        assertEquals(Map.of("ccGetChannels", 1, "dbGetQueueInfo", 1, "C_getCredit", 1, "C_getExtensions", 1),
                before.changes());
        String channels = topics.result("op-channels").path("result").toString();
        assertTrue(escaux.channels().stream().allMatch(ch -> channels.contains(ch.id())), channels);
        String queues = topics.result("op-queues").path("result").toString();
        assertTrue(queues.contains("GeneralQueue") && queues.contains("PersonalQ1"), queues);
        JsonNode credit = topics.result("op-credit").path("result");
        assertTrue(credit.isNumber() && credit.decimalValue().signum() > 0, credit.toString());
        String extensions = topics.result("op-extensions").path("result").toString();
        assertTrue(extensions.contains("119"), "extensions 100 to 119: " + extensions);
    }

    /** The callId of a call.ringing event (its subject) is enough to act on the call. */
    @Test
    void aLiveCallVerbFindsTheCallOfAnEvent() {
        Set<String> known = new HashSet<>();
        app.events().forEach(e -> known.add(e.path("subject").asText()));
        topics.send(ESCAUX, Cmd.of("live-dial", "dial", ESCAUX).param("from", "SDB20001").param("to", "104"));
        assertEquals("ok", topics.result("live-dial").path("status").asText());
        String[] callId = new String[1];
        Await.until(CommandApp.WAIT, "the call.ringing event of the dial", () -> {
            for (JsonNode e : app.events()) {
                String subject = e.path("subject").asText();
                if (e.path("type").asText().equals("pbx.call.ringing") && subject.startsWith("SIP/SDB20001-")
                        && !known.contains(subject)) {
                    callId[0] = subject;
                    return true;
                }
            }
            return false;
        });
        assertNotNull(escaux.channel(callId[0]), "the event's call is a channel of the SOP");
        int hangups = escaux.requestCount("ccHangup");
        topics.send(callId[0], Cmd.of("live-hangup", "hangup", ESCAUX).callId(callId[0]));
        JsonNode r = topics.result("live-hangup");
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals(callId[0], r.path("callId").asText(), r.toString());
        assertEquals(hangups + 1, escaux.requestCount("ccHangup"));
        assertNull(escaux.channel(callId[0]), "the call is hung up");
        // its result on the event stream is about the call
        Await.until(CommandApp.WAIT, "the hang-up's result event", () ->
                app.events("pbx.command.result.ok", callId[0]).size() == 1);
    }

    // ---- at most once --------------------------------------------------------------------------------------------

    @Test
    void theSameCommandTwiceIsExecutedOnceAndAnsweredTwiceAlike() {
        int requests = monema.requestCount("C_sendSMS");
        int sms = monema.sentSms().size();
        Cmd c = Cmd.of("twice-sms", "sms", MONEMA).param("to", "+32475000002").param("text", "Once only");
        topics.send(MONEMA, c);
        topics.send(MONEMA, c);
        List<String> results = topics.results(c.id, 2);
        assertEquals(results.get(0), results.get(1), "the same result, byte for byte");
        assertEquals("ok", CommandApp.json(results.get(0).getBytes(StandardCharsets.UTF_8)).path("status").asText());
        assertEquals(requests + 1, monema.requestCount("C_sendSMS"), "one request");
        assertEquals(sms + 1, monema.sentSms().size(), "one SMS");

        // the result is on the event stream once: not again for the duplicate (the marker's event comes after)
        topics.send(MONEMA, Cmd.of("twice-marker", "operation", MONEMA).param("operation", "getCredit"));
        Await.until(CommandApp.WAIT, "the marker's result event", () ->
                app.events("pbx.command.result.ok", "twice-marker").size() == 1);
        List<JsonNode> events = app.events("pbx.command.result.ok", c.id);
        assertEquals(1, events.size(), "one result event: " + events);
        JsonNode data = events.get(0).path("data");
        assertEquals(c.id, data.path("id").asText(), events.get(0).toString());
        assertEquals("ok", data.path("status").asText(), events.get(0).toString());
    }

    /**
     * Twenty copies of one click-to-dial arrive at once on the three partitions, so the three consumers race for
     * them: the SOP dials once, and the twenty answers are the same.
     */
    @Test
    void twentyCopiesAtOnceDialOnceAndGetOneAnswer() {
        int originates = escaux.requestCount("ccOriginate");
        Cmd c = Cmd.of("twenty-dial", "dial", ESCAUX).param("from", "SDC30015").param("to", "102");
        for (int i = 0; i < 20; i++) {
            topics.send(i % 3, "copy-" + i, c.bytes());
        }
        List<String> results = topics.results(c.id, 20);
        assertEquals(1, new HashSet<>(results).size(), "twenty identical answers: " + results);
        assertEquals("ok", CommandApp.json(results.get(0).getBytes(StandardCharsets.UTF_8)).path("status").asText());
        assertEquals(originates + 1, escaux.requestCount("ccOriginate"), "one dial");
        assertEquals(1, pg.queryLong("SELECT count(*) FROM " + schema + ".pbx_command WHERE id = 'twenty-dial' AND "
                + "state = 'DONE'"));
        Set<Integer> partitions = new HashSet<>();
        topics.results.byKey(c.id).forEach(r -> partitions.add(r.partition()));
        assertEquals(1, partitions.size(), "the answers share their key's partition");
    }

    // ---- the vendor down ---------------------------------------------------------------------------------------

    @Test
    void aSafeCommandIsRetriedUntilTheVendorAnswers() {
        int before = escaux.requestCount("ccQueueAdd");
        escaux.faults().failNext("ccQueueAdd", HttpFailure.HTTP_503);
        escaux.faults().failNext("ccQueueAdd", HttpFailure.HTTP_503);
        topics.send(ESCAUX, Cmd.of("down-queue-add", "queue.add", ESCAUX).param("queue", "GeneralQ2")
                .param("agent", "SDB20001"));
        JsonNode r = topics.result("down-queue-add");
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals(3, r.path("attempts").asInt(), r.toString());
        assertEquals(before + 3, escaux.requestCount("ccQueueAdd"));
        assertTrue(escaux.queueMembers("GeneralQ2").containsKey("SDB20001"));
    }

    @Test
    void aDialToAnUnreachableSopFailsTransientlyWithoutARequest() {
        Counts before = Counts.now();
        topics.send("escaux/down", Cmd.of("down-dial", "dial", "escaux/down").param("from", "SDB20001")
                .param("to", "104"));
        JsonNode r = topics.result("down-dial");
        assertEquals("failed", r.path("status").asText(), r.toString());
        assertTrue(r.path("transient").asBoolean(), r.toString());
        assertEquals(1, r.path("attempts").asInt(), "a dial is not retried: " + r);
        assertEquals("escaux/down", r.path("target").asText(), r.toString());
        assertEquals(Map.of(), before.changes());
    }

    @Test
    void aDialWhoseReplyIsLostIsUnknownAfterOneRequest() {
        int before = escaux.requestCount("ccOriginate");
        escaux.faults().failNext("ccOriginate", HttpFailure.DROP_CONNECTION);
        topics.send(ESCAUX, Cmd.of("lost-dial", "dial", ESCAUX).param("from", "SDB20001").param("to", "104"));
        JsonNode r = topics.result("lost-dial");
        assertEquals("unknown", r.path("status").asText(), r.toString());
        assertEquals(1, r.path("attempts").asInt(), r.toString());
        assertEquals(before + 1, escaux.requestCount("ccOriginate"), "sent once, never again");
    }

    @Test
    void aCommandPastItsNotAfterIsExpiredWithoutARequest() {
        Counts before = Counts.now();
        topics.send(ESCAUX, Cmd.of("late-dial", "dial", ESCAUX).param("from", "SDB20001").param("to", "104")
                .notAfter(Instant.now().minusSeconds(60)));
        JsonNode r = topics.result("late-dial");
        assertEquals("expired", r.path("status").asText(), r.toString());
        assertEquals(0, r.path("attempts").asInt(), r.toString());
        assertEquals(Map.of(), before.changes());
    }

    @Test
    void aSafeCommandFailingPastItsNotAfterIsExpired() {
        int before = escaux.requestCount("ccQueuePause");
        for (int i = 0; i < 50; i++) {
            escaux.faults().failNext("ccQueuePause", HttpFailure.HTTP_503);
        }
        Instant notAfter = Instant.now().plusMillis(800);
        topics.send(ESCAUX, Cmd.of("late-pause", "queue.pause", ESCAUX).param("queue", "GeneralQueue")
                .param("agent", "SDO30001").notAfter(notAfter));
        JsonNode r = topics.result("late-pause");
        assertEquals("expired", r.path("status").asText(), r.toString());
        int attempts = r.path("attempts").asInt();
        assertTrue(attempts >= 2, "retried before its notAfter: " + r);
        assertEquals(before + attempts, escaux.requestCount("ccQueuePause"));
        assertTrue(Instant.parse(r.path("finishedAt").asText()).isBefore(notAfter.plusMillis(500)),
                "given up at its notAfter: " + r);
        assertTrue(r.path("message").asText().contains("notAfter"), r.toString());
    }

    // ---- bad input ---------------------------------------------------------------------------------------------

    /** Each bad message is answered (or dead-lettered) and the consumer goes on with the next one. */
    @Test
    void badInputIsRejectedOrDeadLetteredAndTheNextCommandRuns() throws Exception {
        Counts before = Counts.now();
        int deadLetters = topics.deadLetters.records.size();
        byte[] notJson = "dial 104 please\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        byte[] noId = "{\"specversion\":\"1.0\",\"source\":\"crm\",\"type\":\"pbx.command.dial\",\"data\":{\"target\":\"escaux/main\",\"params\":{\"from\":\"SDB20001\",\"to\":\"104\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        String key = "bad";
        topics.send(key, notJson);
        topics.send(key, noId);
        Map<String, String> rejected = new LinkedHashMap<>();
        topics.send(key, Cmd.of("bad-verb", "teleport", ESCAUX));
        rejected.put("bad-verb", "unknown verb 'teleport'");
        topics.send(key, Cmd.of("bad-target", "dial", "escaux/nowhere").param("from", "SDB20001").param("to", "104"));
        rejected.put("bad-target", "unknown target 'escaux/nowhere'");
        topics.send(key, Cmd.of("bad-missing", "dial", ESCAUX).param("from", "SDB20001"));
        rejected.put("bad-missing", "needs parameter 'to'");
        topics.send(key, Cmd.of("bad-typed", "sms", MONEMA).param("to", "+32475000003")
                .param("text", Map.of("body", "hi")));
        rejected.put("bad-typed", "parameter 'message' must be text");
        topics.send(key, Cmd.of("bad-extra", "dial", ESCAUX).param("from", "SDB20001").param("to", "104")
                .param("priority", "high"));
        rejected.put("bad-extra", "has no parameter 'priority'");
        // checked by the Escaux component (one of filename or mailbox), not by the verb table: still nothing sent
        SimChannel call = call("+3223000009", "104");
        topics.send(key, Cmd.of("bad-record", "record.start", ESCAUX).callId(call.id()));
        rejected.put("bad-record", "needs exactly one of mailbox or filename");
        topics.send(key, Cmd.of("bad-time", "dial", ESCAUX).param("from", "SDB20001").param("to", "104")
                .data("notAfter", "tomorrow"));
        rejected.put("bad-time", "notAfter 'tomorrow' is not an RFC 3339 time");
        topics.send(key, Cmd.of("bad-size", "sms", MONEMA).param("to", "+32475000003")
                .param("text", "x".repeat(70_000)));
        rejected.put("bad-size", "more than commands.max-bytes (65536)");
        // an id used again for another command
        topics.send(key, Cmd.of("bad-reused", "queue.pause", ESCAUX).param("queue", "GeneralQueue")
                .param("agent", "SDO30001").param("paused", false));
        topics.send(key, Cmd.of("bad-reused", "dial", ESCAUX).param("from", "SDB20001").param("to", "104"));
        // and the next good command
        topics.send(key, Cmd.of("bad-then-good", "queue.add", ESCAUX).param("queue", "GeneralQueue")
                .param("agent", "SDC30015"));

        JsonNode good = topics.result("bad-then-good");
        assertEquals("ok", good.path("status").asText(), good.toString());
        for (Map.Entry<String, String> e : rejected.entrySet()) {
            JsonNode r = topics.result(e.getKey());
            assertEquals("rejected", r.path("status").asText(), r.toString());
            assertTrue(r.path("message").asText().contains(e.getValue()), "the reason in words: " + r);
            assertEquals(0, r.path("attempts").asInt(), r.toString());
        }
        JsonNode first = topics.result("bad-reused");
        assertEquals("ok", first.path("status").asText(), "the first command under the id: " + first);

        List<ConsumerRecord<String, byte[]>> dead = topics.deadLetters.records.subList(deadLetters,
                topics.deadLetters.records.size());
        assertEquals(3, dead.size(), "two messages without an id, and another command under a used id");
        assertArrayEquals(notJson, dead.get(0).value(), "the raw bytes");
        assertTrue(CommandTopics.Reader.header(dead.get(0), "pbx-dead-letter-reason").startsWith("not JSON"),
                CommandTopics.Reader.header(dead.get(0), "pbx-dead-letter-reason"));
        assertArrayEquals(noId, dead.get(1).value());
        assertTrue(CommandTopics.Reader.header(dead.get(1), "pbx-dead-letter-reason").contains("no id"),
                CommandTopics.Reader.header(dead.get(1), "pbx-dead-letter-reason"));
        assertTrue(CommandTopics.Reader.header(dead.get(2), "pbx-dead-letter-reason").contains("was used by another "
                + "command"), CommandTopics.Reader.header(dead.get(2), "pbx-dead-letter-reason"));
        assertEquals(1, topics.results.byKey("bad-reused").size(), "the first answer under the id stays the only one");
        assertEquals(Map.of("ccQueuePause", 1, "ccQueueAdd", 1), before.changes(), "only the good commands ran");
        assertTrue(escaux.queueMembers("GeneralQueue").containsKey("SDC30015"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** An incoming call to {@code ext}: its channel, as the events name the call. */
    static SimChannel call(String from, String ext) {
        return escaux.incomingCall(from, ext);
    }

    /** The requests each simulator has received, per operation, to compare with later. */
    record Counts(Map<String, Integer> counts) {

        static Counts now() {
            Map<String, Integer> m = new LinkedHashMap<>();
            ESCAUX_OPS.forEach(op -> m.put(op, escaux.requestCount(op)));
            MONEMA_OPS.forEach(op -> m.put(op, monema.requestCount(op)));
            return new Counts(m);
        }

        /** The operations that received requests since, with how many. */
        Map<String, Integer> changes() {
            Map<String, Integer> changed = new LinkedHashMap<>();
            now().counts().forEach((op, n) -> {
                if (n - counts.get(op) != 0) {
                    changed.put(op, n - counts.get(op));
                }
            });
            return changed;
        }
    }
}
