package io.pbxbridge.command;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandParserTest {

    final CommandParser parser = new CommandParser(1024);

    Command parse(String json) throws Exception {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    String rejected(String json) {
        return assertThrows(CommandParser.Rejected.class, () -> parse(json)).getMessage();
    }

    String unreadable(String json) {
        return assertThrows(CommandParser.Unreadable.class, () -> parse(json)).getMessage();
    }

    @Test
    void readsTheStructuredCloudEvent() throws Exception {
        Command c = parse("""
                {"specversion":"1.0","id":"crm-42","source":"crm/click","type":"pbx.command.dial",
                 "time":"2026-12-06T10:15:00+01:00",
                 "data":{"target":"escaux/main","params":{"from":"SDB20001","to":"104","async":true,
                 "var":{"a":"1"}},"notAfter":"2026-12-06T10:16:00Z","callId":"SIP/x-1"}}""");
        assertEquals("crm-42", c.id());
        assertEquals("crm/click", c.source());
        assertEquals("escaux/main", c.target());
        assertEquals("escaux", c.vendor());
        assertEquals("main", c.connection());
        assertEquals("dial", c.verb());
        assertEquals(Map.of("from", "SDB20001", "to", "104", "async", true, "var", Map.of("a", "1")), c.params());
        assertEquals("SIP/x-1", c.callId());
        assertEquals(Instant.parse("2026-12-06T10:16:00Z"), c.notAfter());
        assertEquals(Instant.parse("2026-12-06T09:15:00Z"), c.time());
    }

    @Test
    void acceptsExtensionAttributesAndAFlatDocument() throws Exception {
        Command ext = parse("""
                {"specversion":"1.0","id":"1","source":"s","type":"pbx.command.hangup","target":"escaux",
                 "subject":"SIP/abc-1","notafter":"2030-01-01T00:00:00Z"}""");
        assertEquals("escaux", ext.target());
        assertEquals("main", ext.connection());
        assertEquals("SIP/abc-1", ext.callId());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), ext.notAfter());
        Command flat = parse("""
                {"id":7,"verb":"sms","target":"monema/main","params":{"to":"1","text":"x"}}""");
        assertEquals("7", flat.id());
        assertEquals("sms", flat.verb());
        assertNull(flat.notAfter());
    }

    @Test
    void withoutAUsableIdItIsUnreadable() {
        assertTrue(unreadable("garbage").startsWith("not JSON: "));
        assertEquals("not JSON: the document is empty", unreadable(""));
        assertTrue(unreadable("[1,2]").contains("a JSON object was expected, not a list"));
        assertEquals("the command has no id (its idempotency key)", unreadable("{\"type\":\"pbx.command.dial\"}"));
        assertTrue(unreadable("{\"id\":{\"a\":1}}").contains("must be a non-empty string, not an object"));
        assertTrue(unreadable("{\"id\":\"  \"}").contains("non-empty string"));
        String big = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
        assertTrue(unreadable(big).contains("more than commands.max-bytes (1024), and no id was found"));
    }

    @Test
    void whatIsWrongWithACommandThatHasAnIdIsSaidInWords() throws Exception {
        assertEquals("no target: set data.target to <vendor>/<connection>, e.g. escaux/main",
                rejected("{\"id\":\"1\",\"type\":\"pbx.command.dial\",\"data\":{}}"));
        assertEquals("no verb: set type to pbx.command.<verb>, e.g. pbx.command.dial",
                rejected("{\"id\":\"1\",\"data\":{\"target\":\"escaux\"}}"));
        assertEquals("type 'com.example.x' is not pbx.command.<verb>",
                rejected("{\"id\":\"1\",\"type\":\"com.example.x\",\"data\":{\"target\":\"escaux\"}}"));
        assertEquals("type says the verb is dial but verb is hangup", rejected(
                "{\"id\":\"1\",\"type\":\"pbx.command.dial\",\"data\":{\"target\":\"escaux\",\"verb\":\"hangup\"}}"));
        assertEquals("params must be a JSON object, not a list", rejected(
                "{\"id\":\"1\",\"type\":\"pbx.command.dial\",\"data\":{\"target\":\"escaux\",\"params\":[1]}}"));
        assertEquals("target must be a string, not a number", rejected(
                "{\"id\":\"1\",\"type\":\"pbx.command.dial\",\"data\":{\"target\":5}}"));
        assertTrue(rejected("{\"id\":\"1\",\"type\":\"pbx.command.dial\",\"data\":{\"target\":\"escaux\","
                + "\"notAfter\":\"tomorrow\"}}").startsWith("notAfter 'tomorrow' is not an RFC 3339 time"));
        assertTrue(rejected("{\"id\":\"1\",\"type\":\"pbx.command.dial\",\"data\":\"text\"}")
                .startsWith("data must be a JSON object, not a string"));
        assertEquals("specversion 0.3 is not CloudEvents 1.x", rejected(
                "{\"id\":\"1\",\"specversion\":\"0.3\",\"type\":\"pbx.command.dial\",\"data\":{\"target\":\"e\"}}"));
        CommandParser.Rejected r = assertThrows(CommandParser.Rejected.class, () -> parse(
                "{\"id\":\"9\",\"source\":\"crm\",\"type\":\"pbx.command.dial\",\"data\":{\"target\":\"escaux\","
                        + "\"params\":[]}}"));
        assertEquals(List.of("9", "crm", "escaux", "dial"), List.of(r.partial().id(), r.partial().source(),
                r.partial().target(), r.partial().verb()));
    }

    @Test
    void anOversizedCommandWithAnIdIsRejectedUnderItsId() {
        String big = "{\"id\":\"big-1\",\"pad\":\"" + "x".repeat(2000) + "\"}";
        CommandParser.Rejected r = assertThrows(CommandParser.Rejected.class, () -> parse(big));
        assertEquals("big-1", r.partial().id());
        assertTrue(r.getMessage().startsWith("the command is 2023 bytes, more than commands.max-bytes (1024)"),
                r.getMessage());
    }
}
