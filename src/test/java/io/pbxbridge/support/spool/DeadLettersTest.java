package io.pbxbridge.support.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;

class DeadLettersTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00.5Z");

    @TempDir
    Path tmp;

    @Test
    void jsonEventIsEmbeddedVerbatimAndReadBackByteForByte() throws Exception {
        DeadLetters dead = new DeadLetters(tmp);
        String event = "{\"eventId\":\"e1\",\"amount\":1.10,\"big\":12345678901234567890.000001,"
                + "\"name\":\"J\\u00fcrgen \\\"Q\\\" M\u00fcller \u20ac\",\"tags\":[1,null,true,{}]}";
        SpoolRecord r = new SpoolRecord("e1", "call-9", event.getBytes(StandardCharsets.UTF_8), 5,
                "HTTP 503", T0);
        Path file = dead.write("webhook", r, "HTTP 422 Unprocessable Entity");

        assertEquals(tmp.resolve("webhook"), file.getParent());
        assertTrue(file.getFileName().toString().matches("\\d{8}T\\d{6}\\.\\d{6}Z-e1\\.json"), file.toString());
        String text = Files.readString(file);
        assertTrue(text.contains(event), "embedded verbatim:\n" + text);
        JsonNode json = Json.MAPPER.readTree(text);
        assertEquals("webhook", json.get("sink").asText());
        assertEquals("HTTP 422 Unprocessable Entity", json.get("reason").asText());
        assertEquals(5, json.get("attempts").asInt());
        assertEquals("e1", json.get("id").asText());
        assertEquals("call-9", json.get("key").asText());
        assertEquals("HTTP 503", json.get("spoolReason").asText());
        assertEquals(T0, Instant.parse(json.get("spooledAt").asText()));
        assertTrue(Instant.parse(json.get("deadAt").asText()).isAfter(T0));
        assertEquals("e1", json.get("event").get("eventId").asText());
        assertFalse(json.has("payloadBase64"));

        SpoolRecord back = DeadLetters.read(file);
        assertArrayEquals(r.payload(), back.payload());
        assertEquals(new SpoolRecord("e1", "call-9", r.payload(), 5, "HTTP 422 Unprocessable Entity", T0), back);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"a\":1} ", "{\"a\":1}{\"b\":2}", "{\"a\":", "binary"})
    void otherPayloadsAreKeptAsBase64(String kind) throws Exception {
        byte[] payload = kind.equals("binary") ? new byte[] {0, (byte) 0xF5, (byte) 0xFF, 10, 13}
                : kind.getBytes(StandardCharsets.UTF_8);
        DeadLetters dead = new DeadLetters(tmp);
        Path file = dead.write("mail", new SpoolRecord("x/../y", null, payload, 0, null, T0), "rejected");
        JsonNode json = Json.MAPPER.readTree(file.toFile());
        assertFalse(json.has("event"));
        assertTrue(json.get("key").isNull());
        assertFalse(json.has("spoolReason"));
        assertTrue(file.getFileName().toString().endsWith("-x_.._y.json"), "id made file-name safe: " + file);
        SpoolRecord back = DeadLetters.read(file);
        assertArrayEquals(payload, back.payload());
        assertEquals("x/../y", back.id());
    }

    @Test
    void listIsInWriteOrderPerSink() throws Exception {
        DeadLetters dead = new DeadLetters(tmp);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "z" + (200 - i); // ids sort the other way round: the timestamp decides
            dead.write("kafka", new SpoolRecord(id, "k", "{}".getBytes(StandardCharsets.UTF_8), 1, null, T0), "r");
            written.add(id);
        }
        dead.write("mail", new SpoolRecord("m", "k", "{}".getBytes(StandardCharsets.UTF_8), 1, null, T0), "r");
        List<String> listed = new ArrayList<>();
        for (Path p : dead.list("kafka")) {
            listed.add(DeadLetters.read(p).id());
        }
        assertEquals(written, listed);
        assertEquals(1, dead.list("mail").size());
        assertEquals(List.of(), dead.list("nothing-here"));
    }
}
