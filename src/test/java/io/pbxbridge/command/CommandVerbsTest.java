package io.pbxbridge.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.escaux.EscauxCommandVerbs;
import io.pbxbridge.escaux.EscauxOperation;
import io.pbxbridge.monema.MonemaCommandVerbs;
import io.pbxbridge.monema.MonemaOperation;
import io.pbxbridge.vendor.operation.Repeat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verb tables: what each neutral verb becomes on each vendor, checked before anything is sent. */
class CommandVerbsTest {

    @TempDir
    Path documents;

    final EscauxCommandVerbs escaux = new EscauxCommandVerbs();

    MonemaCommandVerbs monema() {
        return new MonemaCommandVerbs(new CommandDocuments(documents, 1000, Duration.ofSeconds(2)));
    }

    static Command command(String target, String verb, String callId, Object... params) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put((String) params[i], params[i + 1]);
        }
        return new Command("c", "test", target, verb, p, callId, null, null);
    }

    @Test
    void escauxVerbs() throws Exception {
        VerbCall dial = escaux.map(command("escaux", "dial", null, "from", "SDB20001", "to", "104", "technology",
                "IAX"));
        assertEquals(EscauxOperation.ccOriginate, dial.operation());
        assertEquals(Map.of("phoneId", "SDB20001", "to", "104", "technology", "IAX"), dial.inputs());
        assertEquals(Repeat.ONCE, dial.repeat());

        VerbCall hangup = escaux.map(command("escaux", "hangup", "SIP/SDB20001-00000001"));
        assertEquals(EscauxOperation.ccHangup, hangup.operation());
        assertEquals(Map.of("channelId", "SIP/SDB20001-00000001"), hangup.inputs());
        assertEquals(Repeat.SAFE, hangup.repeat(), "hanging up an ended call changes nothing");
        assertEquals(Map.of("channelId", "SIP/other"), escaux.map(command("escaux", "hangup", "SIP/x",
                "channel", "SIP/other")).inputs(), "params.channel names the channel itself");

        assertEquals(EscauxOperation.ccRedirect, escaux.map(command("escaux", "transfer", "SIP/a", "to", "555"))
                .operation());
        assertEquals(EscauxOperation.ccRedirect, escaux.map(command("escaux", "unhold", "SIP/a", "to", "102"))
                .operation());
        assertEquals(EscauxOperation.ccHold, escaux.map(command("escaux", "hold", "SIP/a")).operation());
        assertEquals(EscauxOperation.ccPark, escaux.map(command("escaux", "park", "SIP/a")).operation());
        assertEquals(Map.of("queue", "sales", "phone", "SDB20001", "paused", true), escaux.map(command("escaux",
                "queue.pause", null, "queue", "sales", "agent", "SDB20001")).inputs());
        assertEquals(Map.of("queue", "sales", "phone", "SDB20001"), escaux.map(command("escaux", "queue.add", null,
                "queue", "sales", "agent", "SDB20001")).inputs());
        assertEquals(EscauxOperation.ccQueueRemove, escaux.map(command("escaux", "queue.remove", null, "queue",
                "sales", "agent", "SDB20001")).operation());
        assertEquals(Map.of("channelId", "SIP/a", "action", "start", "filename", "rec1"), escaux.map(command(
                "escaux", "record.start", "SIP/a", "filename", "rec1")).inputs());
        assertEquals("stop", escaux.map(command("escaux", "record.stop", "SIP/a", "mailbox", "102")).inputs()
                .get("action"));
        assertEquals(Map.of("phoneId", "SDB20001", "to", "104", "var", Map.of("a", "1")), escaux.map(command(
                "escaux", "dial", null, "from", "SDB20001", "to", "104", "var", Map.of("a", "1"))).inputs());
    }

    @Test
    void monemaVerbs() throws Exception {
        MonemaCommandVerbs monema = monema();
        VerbCall dial = monema.map(command("monema", "dial", null, "from", "100", "to", "600111222"));
        assertEquals(MonemaOperation.makeCall, dial.operation());
        assertEquals(Map.of("sourceExt", "100", "destExt", "600111222"), dial.inputs());
        assertEquals(MonemaOperation.makeCallResponse, monema.map(command("monema", "dial", null, "from", "100",
                "to", "1", "waitForAnswer", true)).operation());
        assertEquals(Map.of("callerId", "Acme", "dstNumber", "346001", "message", "hi"), monema.map(command("monema",
                "sms", null, "from", "Acme", "to", "346001", "text", "hi")).inputs());
        assertEquals(Map.of("extensionId", 7, "dstNumber", "600", "external", true), monema.map(command("monema",
                "transfer.enable", null, "extension", 7, "to", "600", "external", true)).inputs());
        assertEquals(Repeat.SAFE, monema.map(command("monema", "transfer.disable", null, "extension", 7)).repeat());

        Files.write(documents.resolve("doc.pdf"), new byte[] { 1, 2, 3 });
        VerbCall fax = monema.map(command("monema", "fax", null, "document", "doc.pdf", "to", List.of("1", "2"),
                "coverDestName", "Bob"));
        assertEquals(MonemaOperation.fax, fax.operation());
        assertArrayEquals(new byte[] { 1, 2, 3 }, (byte[]) fax.body());
        assertEquals(Map.of("destNumbers", List.of("1", "2"), "coverDestName", "Bob"), fax.inputs());
        assertEquals(Repeat.ONCE, fax.repeat());
    }

    @Test
    void aVerbTheVendorLacksIsUnsupportedAndAnUnknownOneRejected() {
        CommandRejectedException sms = assertThrows(CommandRejectedException.class,
                () -> escaux.map(command("escaux", "sms", null, "to", "1")));
        assertEquals(CommandStatus.UNSUPPORTED, sms.status());
        assertTrue(sms.getMessage().startsWith("escaux has no sms (its verbs: dial, hangup"), sms.getMessage());
        for (String verb : List.of("hangup", "hold", "unhold", "park", "transfer", "record.start", "queue.add")) {
            assertEquals(CommandStatus.UNSUPPORTED, assertThrows(CommandRejectedException.class,
                    () -> monema().map(command("monema", verb, "x"))).status(), verb);
        }
        CommandRejectedException unknown = assertThrows(CommandRejectedException.class,
                () -> escaux.map(command("escaux", "explode", null)));
        assertEquals(CommandStatus.REJECTED, unknown.status());
        assertTrue(unknown.getMessage().startsWith("unknown verb 'explode'; the verbs are agent.login, agent.logout, "
                + "conference, dial, dtmf, fax, hangup"), unknown.getMessage());
    }

    @Test
    void parametersAreCheckedBeforeAnythingIsSent() {
        assertEquals("dial on escaux needs parameter 'to'", rejected(escaux, command("escaux", "dial", null,
                "from", "SDB20001")));
        assertEquals("dial on escaux has no parameter 'colour'; it takes phoneId, to, technology, ext, async, "
                + "localOptimization, var", rejected(escaux, command("escaux", "dial", null, "from", "a", "to", "b",
                        "colour", "red")));
        assertEquals("dial: parameter 'to' must be text, a number or true/false, not an object", rejected(escaux,
                command("escaux", "dial", null, "from", "a", "to", Map.of("x", 1))));
        assertEquals("hangup needs the call: callId (the subject of the call's events) or params.channel",
                rejected(escaux, command("escaux", "hangup", null)));
        assertEquals("fax needs params.document: an http(s) URL or a path in the documents folder",
                rejected(monema(), command("monema", "fax", null, "to", "1")));
        assertTrue(rejected(monema(), command("monema", "fax", null, "document", "../../etc/passwd", "to", "1"))
                .contains("is outside the documents folder"));
        assertTrue(rejected(monema(), command("monema", "fax", null, "document", "missing.pdf", "to", "1"))
                .contains("is not in the documents folder"));
        assertEquals("dial: waitForAnswer must be true or false", rejected(monema(), command("monema", "dial",
                null, "from", "1", "to", "2", "waitForAnswer", "yes")));
    }

    @Test
    void theOperationVerbReachesAnyOperationByName() throws Exception {
        VerbCall call = escaux.map(command("escaux", "operation", null, "operation", "ccQueuePauseAll",
                "phone", "SDB20001", "paused", false));
        assertEquals(EscauxOperation.ccQueuePauseAll, call.operation());
        assertEquals(Map.of("phone", "SDB20001", "paused", false), call.inputs());
        assertEquals(Repeat.SAFE, call.repeat());
        assertEquals(Repeat.ONCE, monema().map(command("monema", "operation", null, "operation", "makeCall",
                "sourceExt", "1", "destExt", "2")).repeat());
        assertTrue(rejected(escaux, command("escaux", "operation", null, "operation", "events"))
                .startsWith("unknown escaux operation 'events'; one of dbGetDirectoryInfo"),
                "consumer-only operations are not commands");
        assertEquals("verb operation needs params.operation, the name of a escaux operation", rejected(escaux,
                command("escaux", "operation", null)));
        assertEquals("operation ccHangup on escaux needs parameter 'channelId'", rejected(escaux, command("escaux",
                "operation", null, "operation", "ccHangup")));
    }

    static String rejected(CommandVerbs verbs, Command c) {
        return assertThrows(CommandRejectedException.class, () -> verbs.map(c)).getMessage();
    }
}
