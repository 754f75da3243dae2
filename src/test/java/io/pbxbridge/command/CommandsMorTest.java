package io.pbxbridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.command.CommandApp.Cmd;
import io.pbxbridge.mor.MorCommandVerbs;
import io.pbxbridge.mor.MorOperation;
import io.pbxbridge.sandbox.mor.MorCall;
import io.pbxbridge.sandbox.mor.MorCallback;
import io.pbxbridge.sandbox.mor.MorSimulator;
import io.pbxbridge.sandbox.mor.MorUser.FlowAction;
import io.pbxbridge.vendor.operation.Repeat;

/**
 * MOR's commands end to end (issue 15 §2): command files in the folder, executed by pbx-bridge (its command routes,
 * in this JVM) on the MOR simulator, each answered with its result; the simulator's state shows what was done. All
 * commands of a step are dropped at once (the folder reads each once it has settled, a second).
 */
class CommandsMorTest {

    static final String MOR = "mor/main";

    @TempDir
    static Path tmp;
    static MorSimulator sim;
    static CommandApp app;
    static Path inbox;

    @BeforeAll
    static void start() throws Exception {
        sim = MorSimulator.builder().initialCalls(0).start();
        app = new CommandApp(tmp.resolve("app")).with("commands.folder.enabled", "true")
                .with("camel.component.mor.address", "http://127.0.0.1:" + sim.port())
                .with("camel.component.mor.username", "demo").with("camel.component.mor.password", "demo-secret")
                .with("camel.component.mor.user-id", "2").with("camel.component.mor.api-secret-key", sim.apiKey())
                .with("camel.component.mor.request-timeout", "5000")
                // the pollers are MorEventConsumerTest's
                .with("mor.missed-calls.enabled", "false").with("mor.new-calls.enabled", "false")
                .with("mor.faxes.enabled", "false").start();
        inbox = Files.createDirectories(app.commands().resolve("inbox"));
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

    static void drop(Cmd command) {
        try {
            String name = command.id.replaceAll("[^\\w-]", "_") + "-" + System.nanoTime() + ".json";
            Path part = inbox.resolve("." + name + ".part");
            Files.write(part, command.bytes(), StandardOpenOption.CREATE_NEW);
            Files.move(part, inbox.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops every command at once; their results by id. */
    static Map<String, JsonNode> execute(Cmd... commands) {
        for (Cmd c : commands) {
            drop(c);
        }
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (Cmd c : commands) {
            results.put(c.id, app.awaitResultFile(c.id));
        }
        return results;
    }

    static JsonNode ok(Map<String, JsonNode> results, String id, String operation) {
        JsonNode r = results.get(id);
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals(operation, r.path("operation").asText(), r.toString());
        return r;
    }

    @Test
    void everyVerbOnTheSimulator() throws Exception {
        MorCall missed = sim.addMissedCall(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60),
                "37060000009");
        Map<String, JsonNode> r = execute(
                Cmd.of("mor-dial", "dial", MOR).param("from", "37060000001").param("to", "37060000002")
                        .param("device", "1"),
                Cmd.of("mor-forward", "forward", MOR).param("device", "1").param("to", "37060012345"),
                Cmd.of("mor-forward-busy", "forward", MOR).param("device", "1").param("toDevice", "3")
                        .param("when", "busy"),
                Cmd.of("mor-voicemail", "voicemail", MOR).param("device", "3"),
                Cmd.of("mor-faxdetect", "faxdetect", MOR).param("device", "3").param("toDevice", "2"),
                Cmd.of("mor-cli", "cli.add", MOR).param("device", "1").param("cli", "37061234567")
                        .param("description", "Sales line"),
                Cmd.of("mor-phonebook-add", "phonebook.add", MOR).param("number", "37069876543")
                        .param("name", "Front desk"),
                Cmd.of("mor-missed", "missed.process", MOR).callId(Long.toString(missed.id())),
                Cmd.of("mor-operation", "operation", MOR).param("operation", "mainPage"));

        ok(r, "mor-dial", "callback");
        List<MorCallback> callbacks = sim.callbacks();
        assertEquals(1, callbacks.size(), callbacks.toString());
        assertEquals("37060000001", callbacks.get(0).src());
        assertEquals("37060000002", callbacks.get(0).dst());
        assertEquals(1, callbacks.get(0).acc());

        ok(r, "mor-forward", "updateCallflow");
        assertEquals(FlowAction.FORWARD, sim.user().flow(1, "before_call").action());
        assertEquals("37060012345", sim.user().flow(1, "before_call").externalNumber());
        ok(r, "mor-forward-busy", "updateCallflow");
        assertEquals(3, sim.user().flow(1, "busy").targetDevice());
        ok(r, "mor-voicemail", "updateCallflow");
        assertEquals(FlowAction.VOICEMAIL, sim.user().flow(3, "noanswer").action(), "voicemail when not answered");
        ok(r, "mor-faxdetect", "updateCallflow");
        assertEquals(FlowAction.FAXDETECT, sim.user().flow(3, "before_call").action());
        assertEquals(2, sim.user().flow(3, "before_call").targetDevice());

        ok(r, "mor-cli", "addCli");
        assertTrue(sim.user().clis().stream().anyMatch(c -> c.number().equals("37061234567") && c.deviceId() == 1
                && c.description().equals("Sales line")), sim.user().clis().toString());
        JsonNode added = ok(r, "mor-phonebook-add", "addPhonebookEntry");
        assertEquals("Record added", added.path("result").path("statusMessage").asText(), added.toString());
        int entry = sim.user().phonebook().stream().filter(e -> e.number().equals("37069876543")).findFirst()
                .orElseThrow().id();
        ok(r, "mor-missed", "processMissedCall");
        assertTrue(sim.user().processed(missed.id()), "marked processed at MOR");
        ok(r, "mor-operation", "mainPage");

        // the entry added above, deleted; the same dial again is not executed again
        int callbacksBefore = sim.requestCount("callback");
        Map<String, JsonNode> more = execute(
                Cmd.of("mor-phonebook-delete", "phonebook.delete", MOR).param("entry", Integer.toString(entry)),
                Cmd.of("mor-dial", "dial", MOR).param("from", "37060000001").param("to", "37060000002")
                        .param("device", "1"));
        ok(more, "mor-phonebook-delete", "deletePhonebookEntry");
        assertFalse(sim.user().phonebook().stream().anyMatch(e -> e.id() == entry), "deleted");
        assertEquals(r.get("mor-dial").toString(), more.get("mor-dial").toString(), "the same answer");
        assertEquals(callbacksBefore, sim.requestCount("callback"), "one callback");
        assertEquals(1, sim.callbacks().size());
    }

    @Test
    void refusalsAndWhatMorCannotDo() throws Exception {
        Map<String, JsonNode> r = execute(
                Cmd.of("mor-hangup", "hangup", MOR).callId("1001"),
                Cmd.of("mor-forward-nowhere", "forward", MOR).param("device", "1"),
                Cmd.of("mor-dial-nodevice", "dial", MOR).param("from", "37060000001").param("to", "37060000002"),
                Cmd.of("mor-dial-refused", "dial", MOR).param("from", "37060000001").param("to", "37060000002")
                        .param("device", "99"));
        assertEquals("unsupported", r.get("mor-hangup").path("status").asText(), r.get("mor-hangup").toString());
        assertTrue(r.get("mor-hangup").path("message").asText().startsWith("mor has no hangup (its verbs: "),
                r.get("mor-hangup").toString());
        assertEquals("rejected", r.get("mor-forward-nowhere").path("status").asText());
        assertEquals("forward needs one target: to (an outside number) or toDevice (a device id)",
                r.get("mor-forward-nowhere").path("message").asText());
        assertEquals("rejected", r.get("mor-dial-nodevice").path("status").asText());
        assertEquals("dial on mor needs parameter 'deviceId'", r.get("mor-dial-nodevice").path("message").asText());
        JsonNode refused = r.get("mor-dial-refused");
        assertEquals("failed", refused.path("status").asText(), refused.toString());
        assertEquals("Device was not found", refused.path("vendorMessage").asText(), refused.toString());
        assertFalse(refused.path("transient").asBoolean());
    }

    @Test
    void theVerbTable() throws Exception {
        MorCommandVerbs verbs = new MorCommandVerbs();
        VerbCall dial = verbs.map(CommandVerbsTest.command("mor", "dial", null, "from", "1", "to", "2", "device",
                "3"));
        assertEquals(MorOperation.callback, dial.operation());
        assertEquals(Map.of("src", "1", "dst", "2", "deviceId", "3"), dial.inputs());
        assertEquals(Repeat.ONCE, dial.repeat());
        VerbCall forward = verbs.map(CommandVerbsTest.command("mor", "forward", null, "device", "1", "to", "600"));
        assertEquals(Map.of("deviceId", "1", "extNumber", "600", "cfType", "before_call", "cfAction", "forward"),
                forward.inputs());
        assertEquals(Repeat.SAFE, forward.repeat(), "a setting: repeated after a transient failure");
        assertEquals("noanswer", verbs.map(CommandVerbsTest.command("mor", "voicemail", null, "device", "1"))
                .inputs().get("cfType"));
        assertEquals(Map.of("callId", "1001"), verbs.map(CommandVerbsTest.command("mor", "missed.process", "1001"))
                .inputs());
        assertEquals(Repeat.ONCE, verbs.map(CommandVerbsTest.command("mor", "phonebook.add", null, "number", "1",
                "name", "x")).repeat());
        assertTrue(CommandVerbs.NEUTRAL.containsAll(List.of("forward", "voicemail", "faxdetect", "cli.add",
                "phonebook.add", "phonebook.delete", "missed.process")));
    }
}
