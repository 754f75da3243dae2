package io.pbxbridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.command.CommandApp.Cmd;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;

/**
 * The commands job against the PortaSIP simulator (one app in this JVM for the class, the ledger in files, the event
 * routes with {@code portasip:events} subscribed to customer 30): each PortaSIP verb end to end, the live-call verbs on
 * calls placed by earlier {@code dial} commands and named by the {@code call.id} those answered, and on a call nobody
 * placed, named by the {@code subject} of its events on the event stream (the leg's tag and transport found in the
 * events consumer's call table: no {@code get_sip_calls_list}), the verbs PortaSIP lacks, the generic
 * {@code operation}, and the folder route. The simulator does not answer by itself: the calls ring until
 * {@code answer}.
 */
class CommandsPortaSipTest {

    static final String TARGET = "portasip/main";
    static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path tmp;
    static PortaSipSimulator sim;
    static CommandApp app;

    @BeforeAll
    static void start() throws Exception {
        sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(30)).promptDuration(Duration.ofSeconds(30))
                .autoAnswer(false).start();
        app = new CommandApp(tmp.resolve("app")).portasip(sim).with("commands.folder.enabled", "true")
                // no liveness check during the run: every get_sip_calls_list is a command's lookup
                .with("camel.component.portasip.ping-interval", "0").start();
        Await.until(CommandApp.WAIT, "the PortaSIP events subscribed", () -> sim.requestCount("CallControl",
                "get_sip_calls_list") > 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static Cmd cmd(String verb) {
        return Cmd.of("ps-" + verb + "-" + IDS.incrementAndGet(), verb, TARGET);
    }

    /** Executes {@code c} and checks it was carried out. */
    static JsonNode ok(Cmd c) throws Exception {
        JsonNode r = app.execute(c);
        assertEquals("ok", r.path("status").asText(), c + " -> " + r);
        return r;
    }

    /** The state of the live leg of {@code id} (a leg id, {@code ~10} for leg B) whose line holds it, or null. */
    static String state(String legId) {
        for (String l : sim.liveLegs()) {
            String[] f = l.split(" ");
            if (f[0].equals(legId)) {
                return f[2];
            }
        }
        return null;
    }

    static void awaitState(String legId, String state) {
        Await.until(Duration.ofSeconds(10), legId + " " + state, () -> state.equals(state(legId)));
    }

    static String dial(String from, String to, boolean autoPickup) throws Exception {
        JsonNode r = ok(cmd("dial").param("from", from).param("to", to).param("billId", "123001")
                .param("calleeAutoPickup", autoPickup));
        assertEquals("originateAdvancedCall", r.path("operation").asText());
        String id = r.path("result").path("call").path("id").asText();
        assertFalse(id.isEmpty(), r.toString());
        return id;
    }

    @Test
    void everyLiveCallVerbActsOnACallPlacedByAnEarlierCommand() throws Exception {
        String call = dial("123001", "123002", false);
        awaitState(call, "ringing");

        ok(cmd("answer").callId(call));
        awaitState(call, "connected");
        awaitState(call + "~10", "ringing"); // leg B placed once A answered, ringing too
        ok(cmd("answer").callId(call).param("leg", "B").param("calleeAnswerMode", "invite"));
        awaitState(call + "~10", "connected");

        ok(cmd("hold").callId(call));
        awaitState(call, "holding");
        awaitState(call + "~10", "held");
        ok(cmd("unhold").callId(call));
        awaitState(call, "connected");
        awaitState(call + "~10", "connected");

        JsonNode play = ok(cmd("prompt.play").callId(call).param("leg", "B").param("url",
                "https://media.example.com/welcome").param("order", 3).param("repeat", 2));
        assertEquals("playPrompt", play.path("operation").asText());
        assertEquals(call, play.path("callId").asText(), "the result names the call");
        ok(cmd("prompt.stop").callId(call).param("leg", "B").param("order", 3));
        ok(cmd("dtmf.start").callId(call).param("leg", "B"));
        ok(cmd("dtmf.stop").callId(call).param("leg", "B"));

        // a blind transfer of leg A's party: its leg ends, a new leg of the same call id rings 123003
        ok(cmd("transfer").callId(call).param("to", "123003"));
        Await.until(Duration.ofSeconds(10), "the transferred leg", () -> sim.liveLegs().stream()
                .filter(l -> l.startsWith(call + " ")).count() == 1 && "ringing".equals(state(call)));
        ok(cmd("answer").callId(call));
        awaitState(call, "connected");

        ok(cmd("hangup").callId(call));
        Await.until(Duration.ofSeconds(10), "the call ended", () -> state(call) == null
                && state(call + "~10") == null);

        // the call is gone: nothing to look up, nothing sent
        JsonNode again = app.execute(cmd("hangup").callId(call));
        assertEquals("rejected", again.path("status").asText(), again.toString());
        assertTrue(again.path("message").asText().contains("no live call " + call), again.toString());
        assertEquals(0, again.path("attempts").asInt());
    }

    /** The subject of the first event of {@code type} whose caller is {@code from}, once on the event stream. */
    static String subjectOf(String type, String from) {
        String[] subject = new String[1];
        Await.until(CommandApp.WAIT, type + " from " + from + " on the event stream", () -> {
            for (JsonNode e : app.events()) {
                if (e.path("type").asText().equals(type) && e.path("data").path("from").asText().equals(from)) {
                    subject[0] = e.path("subject").asText();
                    return true;
                }
            }
            return false;
        });
        return subject[0];
    }

    static void awaitEvents(String type, String subject, int count) {
        Await.until(CommandApp.WAIT, count + " " + type + " of " + subject, () -> app.events(type, subject).size()
                >= count);
    }

    @Test
    void liveCallVerbsActOnACallSeenOnTheEventStreamThroughTheConsumersTable() throws Exception {
        String placed = sim.incomingCall("+3222778899", "123002", false); // nobody's command: an outside caller
        String call = subjectOf("pbx.call.ringing", "+3222778899");
        assertEquals(placed, call, "the subject is the call id without the leg suffix");
        int lists = sim.requestCount("CallControl", "get_sip_calls_list");
        awaitState(call + "~10", "ringing");
        awaitEvents("pbx.call.ringing", call, 3); // A trying, B trying, B ringing: the table has leg B

        ok(cmd("answer").callId(call).param("leg", "B"));
        awaitState(call + "~10", "connected");
        awaitEvents("pbx.call.answered", call, 2);
        ok(cmd("hold").callId(call).param("leg", "B"));
        awaitState(call, "held");
        awaitEvents("pbx.call.held", call, 2);
        ok(cmd("unhold").callId(call).param("leg", "B"));
        awaitEvents("pbx.call.resumed", call, 2);

        // 123002 hands the caller on to 123003: its leg ends, a new leg B rings 123003
        ok(cmd("transfer").callId(call).param("leg", "B").param("to", "123003"));
        awaitEvents("pbx.call.ended", call, 1);
        awaitEvents("pbx.call.ringing", call, 5); // the new leg B trying, ringing
        ok(cmd("answer").callId(call).param("leg", "B"));
        awaitState(call + "~10", "connected");
        awaitEvents("pbx.call.answered", call, 3);

        ok(cmd("hangup").callId(call));
        awaitEvents("pbx.call.ended", call, 3);
        assertEquals(null, state(call));
        assertEquals(null, state(call + "~10"));
        assertEquals(lists, sim.requestCount("CallControl", "get_sip_calls_list"), "every leg from the table");
        Thread.sleep(200);
        assertEquals(3, app.events("pbx.call.ended", call).size(), "each leg ended once");

        JsonNode again = app.execute(cmd("hangup").callId(call));
        assertEquals("rejected", again.path("status").asText(), again.toString());
        assertTrue(again.path("message").asText().contains("no live call " + call), again.toString());
    }

    @Test
    void joinCompletesAnAttendedTransferOfTwoCallsPlacedByCommands() throws Exception {
        String first = dial("123001", "123002", true);
        awaitState(first, "ringing");
        ok(cmd("answer").callId(first));
        awaitState(first + "~10", "connected");
        String second = dial("123001", "123007", true);
        awaitState(second, "ringing");
        ok(cmd("answer").callId(second));
        awaitState(second + "~10", "connected");

        JsonNode join = ok(cmd("join").callId(first).param("toCallId", second));
        assertEquals("joinCalls", join.path("operation").asText());
        // the transferor's legs end, the two others talk to each other
        Await.until(Duration.ofSeconds(10), "the transferor gone", () -> state(first) == null
                && state(second) == null);
        assertEquals("connected", state(first + "~10"));
        assertEquals("connected", state(second + "~10"));

        ok(cmd("hangup").callId(first).param("leg", "B"));
        Await.until(Duration.ofSeconds(10), "both ended", () -> state(first + "~10") == null
                && state(second + "~10") == null);
    }

    @Test
    void verbsPortaSipLacksAreUnsupportedAndTheOperationVerbReachesItsMethods() throws Exception {
        for (String verb : List.of("sms", "fax", "park", "queue.add", "record.start", "transfer.enable")) {
            JsonNode r = app.execute(cmd(verb).param("to", "123002").param("text", "hi"));
            assertEquals("unsupported", r.path("status").asText(), r.toString());
            assertTrue(r.path("message").asText().startsWith("portasip has no " + verb), r.toString());
        }
        JsonNode calls = ok(cmd("operation").param("operation", "getSipCallsList").param("iCustomer", 30));
        assertTrue(calls.path("result").isArray(), calls.toString());
        JsonNode menus = ok(cmd("operation").param("operation", "getMenuList"));
        assertTrue(menus.path("result").toString().contains("ROOT"), menus.toString());
        JsonNode noLeg = app.execute(cmd("hold").callId("nobody@192.168.243.133"));
        assertEquals("rejected", noLeg.path("status").asText(), noLeg.toString());
    }

    @Test
    void commandFilesReachPortaSipThroughTheFolderRoute() throws Exception {
        Path inbox = Files.createDirectories(app.commands().resolve("inbox"));
        Files.write(inbox.resolve("dial.json"), Cmd.of("folder-ps-dial", "dial", TARGET).param("from", "123001")
                .param("to", "123003").param("billId", "123001").bytes());
        JsonNode dial = app.awaitResultFile("folder-ps-dial");
        assertEquals("ok", dial.path("status").asText(), dial.toString());
        String call = dial.path("result").path("call").path("id").asText();
        awaitState(call, "ringing");
        Files.write(inbox.resolve("hangup.json"), Cmd.of("folder-ps-hangup", "hangup", TARGET).callId(call).bytes());
        JsonNode hangup = app.awaitResultFile("folder-ps-hangup");
        assertEquals("ok", hangup.path("status").asText(), hangup.toString());
        assertEquals("terminateCall", hangup.path("operation").asText());
        Await.until(Duration.ofSeconds(10), "the call ended", () -> state(call) == null);
    }
}
