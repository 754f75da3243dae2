package io.pbxbridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.command.CommandApp.Cmd;
import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.sandbox.metasec.SimChannel;
import io.pbxbridge.support.Await;

/**
 * Commands to METASEC end to end: command files in the folder, the command and event routes as shipped, the METASEC
 * simulator as the PBX (no other vendor). Live-call verbs name the call by the {@code callId} of its metasec events;
 * the component finds its channel in the events' snapshot. Every verb is sent once; a relay switched by a command
 * delivered twice switches once.
 */
@Timeout(90)
class CommandsMetasecTest {

    static final String METASEC = "metasec/main";

    @TempDir
    static Path tmp;
    static MetasecSimulator sim;
    static CommandApp app;
    static Path inbox;

    @BeforeAll
    static void start() throws Exception {
        sim = MetasecSimulator.builder().ringTime(null).prioCloseTime(java.time.Duration.ofMillis(10)).start();
        app = new CommandApp(tmp.resolve("app")).with("commands.folder.enabled", "true")
                .with("camel.component.metasec.address", sim.address())
                .with("camel.component.metasec.user", MetasecSimulator.DEFAULT_USER)
                .with("camel.component.metasec.password", MetasecSimulator.DEFAULT_PASSWORD)
                .with("camel.component.metasec.request-timeout", "5000")
                .with("camel.component.metasec.poll-interval", "200")
                .with("camel.component.metasec.watch", "calls")
                .start();
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

    static void drop(Cmd... commands) {
        for (Cmd c : commands) {
            try {
                String name = c.id.replaceAll("[^A-Za-z0-9-]", "_") + ".json";
                Path part = inbox.resolve("." + name + ".part");
                Files.write(part, c.bytes(), StandardOpenOption.CREATE_NEW);
                Files.move(part, inbox.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static JsonNode result(String id, String status) {
        JsonNode r = app.awaitResultFile(id);
        assertEquals(status, r.path("status").asText(), r.toString());
        return r;
    }

    static void awaitEvent(String type, String subject) {
        Await.until(CommandApp.WAIT, type + " of " + subject, () -> !app.events("pbx." + type, subject).isEmpty());
    }

    static Cmd cmd(String id, String verb) {
        return Cmd.of(id, verb, METASEC);
    }

    @Test
    void everyVerbOnTheSimulator() {
        drop(cmd("m-dial", "dial").param("from", "1004").param("to", "1001"),
                cmd("m-relay", "relay.set").param("relay", "18").param("status", 1),
                cmd("m-agent-in", "agent.login").param("queue", "HOTLINE"),
                cmd("m-conf", "conference").param("stations", List.of("1005", "1006")),
                cmd("m-sms", "sms").param("to", "1001").param("text", "hi"),
                cmd("m-nocall", "hangup").callId("1.1"),
                cmd("m-nochan", "hangup"),
                cmd("m-leg", "dtmf").callId("1.1").param("digits", "1").param("leg", 7));
        assertEquals("call", result("m-dial", "ok").path("operation").asText());
        assertEquals("relay_status_set", result("m-relay", "ok").path("operation").asText());
        assertEquals(1, sim.relayStatus("18"));
        result("m-agent-in", "ok");
        assertEquals(List.of("1004"), sim.agents("HOTLINE"));
        result("m-conf", "ok");
        assertEquals(1, sim.conferences().size());
        assertTrue(result("m-sms", "unsupported").path("message").asText().startsWith("metasec has no sms"));
        JsonNode noCall = result("m-nocall", "failed");
        assertEquals("NO_CALL", noCall.path("code").asText(), noCall.toString());
        assertTrue(result("m-nochan", "rejected").path("message").asText().contains("needs the call"));
        result("m-leg", "rejected");

        // the click-to-dial call, by the id its events give it
        SimChannel a = sim.channelsOf("1004").get(0);
        String call = a.uniqueId();
        awaitEvent("call.dialing", call);
        assertTrue(sim.answer(sim.channelsOf("1001").get(0).name()));
        awaitEvent("call.connected", call);

        drop(cmd("m-dtmf", "dtmf").callId(call).param("digits", "12#"),
                cmd("m-rec", "record.start").callId(call).param("filename", "crm-4711"));
        result("m-dtmf", "ok");
        assertEquals("12#", sim.channel(a.name()).dtmf(), "played on the call's A channel");
        JsonNode rec = result("m-rec", "ok");
        assertEquals("crm-4711.wav", rec.path("result").path("fileName").asText(), rec.toString());
        assertTrue(sim.recordings().contains("crm-4711.wav"));

        drop(cmd("m-transfer", "transfer").callId(call).param("to", "1002"), cmd("m-stop", "record.stop").callId(call));
        result("m-transfer", "ok");
        result("m-stop", "ok");
        assertFalse(sim.recordingActive("crm-4711.wav"));
        assertEquals(List.of(), sim.channelsOf("1001"), "its other party is hung up");
        assertEquals("Ringing", sim.channelsOf("1002").get(0).state(), "the caller rings 1002");

        drop(cmd("m-hangup", "hangup").callId(call));
        result("m-hangup", "ok");
        assertEquals(List.of(), sim.channelsOf("1004"));
        assertEquals(List.of(), sim.channelsOf("1002"));
        awaitEvent("call.ended", call);

        // a ringing call is picked up by 1003
        SimChannel incoming = sim.incomingCall("+4930444", "1001");
        awaitEvent("call.ringing", incoming.uniqueId());
        drop(cmd("m-pickup", "pickup").callId(incoming.uniqueId()).param("to", "1003"));
        result("m-pickup", "ok");
        assertEquals(List.of(), sim.channelsOf("1001"));
        assertEquals("Ringing", sim.channelsOf("1003").get(0).state());

        // prio closes what 1003 has, then rings it; the relay command again, and the agent out
        drop(cmd("m-prio", "prio").param("to", "1003"),
                cmd("m-relay", "relay.set").param("relay", "18").param("status", 1),
                cmd("m-agent-out", "agent.logout").param("queue", "HOTLINE"));
        result("m-prio", "ok");
        List<SimChannel> prio = sim.channelsOf("1003");
        assertEquals(1, prio.size(), prio.toString());
        assertEquals("1004", prio.get(0).callerIdNumber(), "the user's priority call");
        assertFalse(sim.channels().stream().anyMatch(c -> c.uniqueId().equals(incoming.uniqueId())),
                "the picked call was closed");
        result("m-agent-out", "ok");
        assertEquals(List.of(), sim.agents("HOTLINE"));
        Await.until(CommandApp.WAIT, "the second m-relay handled", () -> {
            try (var files = Files.list(app.commands().resolve("done"))) {
                return files.filter(p -> p.getFileName().toString().startsWith("m-relay")).count() == 2;
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(1, sim.relaySwitches("18"), "a door opener delivered twice opens once");
        assertEquals(1, sim.requestCount("relay_status_set"));
        assertEquals(1, sim.requestCount("call"));
        assertEquals(1, sim.requestCount("call_prio"));
    }
}
