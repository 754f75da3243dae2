package io.pbxbridge.support.spool;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * The dead-letter folder: one JSON file per event that will not be delivered (permanently rejected, pushed out of a
 * full spool, or found corrupt), at {@code <dir>/<sink>/<timestamp>-<id>.json}:
 *
 * <pre>
 * {
 *   "sink" : "webhook",
 *   "reason" : "HTTP 422 Unprocessable Entity",
 *   "attempts" : 3,
 *   "deadAt" : "2025-01-01T12:00:00.123456Z",
 *   "id" : "evt-1",
 *   "key" : "call-7",
 *   "spooledAt" : "2025-01-01T11:59:00Z",
 *   "spoolReason" : "connection refused",          (only if the record carried one)
 *   "event" : {...}                                 (the payload, verbatim, when it is one JSON value)
 *   "payloadBase64" : "..."                         (instead of "event" when it is not)
 * }
 * </pre>
 *
 * Files are written atomically (temporary file, force, rename) and the folder is forced after the rename, so a
 * dead letter is on disk when {@link #write} returns. File names sort in the order the letters were written (the
 * timestamp has microseconds and never repeats within one process).
 */
public final class DeadLetters {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectReader STRICT = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path dir;
    private final AtomicLong lastMicros = new AtomicLong();

    public DeadLetters(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Writes one dead letter; it is durable when this returns. Returns the file. */
    public Path write(String sink, SpoolRecord r, String reason) throws IOException {
        Path file = writeFile(sink, r, reason);
        SpoolFiles.forceDirectory(file.getParent());
        return file;
    }

    /** Writes several dead letters, forcing the folder once. */
    List<Path> writeAll(String sink, List<SpoolRecord> records, List<String> reasons) throws IOException {
        List<Path> files = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            files.add(writeFile(sink, records.get(i), reasons.get(i)));
        }
        if (!files.isEmpty()) {
            SpoolFiles.forceDirectory(files.get(0).getParent());
        }
        return files;
    }

    private Path writeFile(String sink, SpoolRecord r, String reason) throws IOException {
        Instant deadAt = nextInstant();
        Path file = dir.resolve(safe(sink)).resolve(STAMP.format(deadAt) + "-" + safe(r.id()) + ".json");
        AtomicFiles.write(file, render(sink, r, reason, deadAt));
        return file;
    }

    /** Now, in microseconds, strictly after the previous one handed out by this instance. */
    private Instant nextInstant() {
        Instant now = Instant.now();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
        long unique = lastMicros.updateAndGet(last -> Math.max(last + 1, micros));
        return Instant.EPOCH.plus(unique, ChronoUnit.MICROS);
    }

    static String render(String sink, SpoolRecord r, String reason, Instant deadAt) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("sink", sink);
            g.writeStringField("reason", reason);
            g.writeNumberField("attempts", r.attempts());
            g.writeStringField("deadAt", deadAt.toString());
            g.writeStringField("id", r.id());
            g.writeStringField("key", r.key());
            g.writeStringField("spooledAt", r.spooledAt().toString());
            if (r.reason() != null) {
                g.writeStringField("spoolReason", r.reason());
            }
            String json = asJson(r.payload());
            if (json != null) {
                g.writeFieldName("event");
                g.writeRawValue(json);
            } else {
                g.writeStringField("payloadBase64", Base64.getEncoder().encodeToString(r.payload()));
            }
            g.writeEndObject();
        }
        return out.append('\n').toString();
    }

    /** The payload as text if it is exactly one JSON value in UTF-8 (so it can be embedded verbatim), else null. */
    static String asJson(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (Character.isWhitespace(text.charAt(0)) || Character.isWhitespace(text.charAt(text.length() - 1))
                || text.charAt(0) == '\uFEFF') {
            return null; // would not come back byte for byte
        }
        try {
            STRICT.readTree(text);
            return text;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The dead letters of a sink, oldest first. */
    public List<Path> list(String sink) throws IOException {
        Path sinkDir = dir.resolve(safe(sink));
        if (!Files.isDirectory(sinkDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(sinkDir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(p);
            }).sorted().toList();
        }
    }

    /**
     * Turns a dead letter back into a record, for replay tooling: the payload byte for byte as it was spooled, the
     * attempts, and as reason the dead-letter reason.
     */
    public static SpoolRecord read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String id = null;
        String key = null;
        String reason = null;
        int attempts = 0;
        Instant spooledAt = null;
        Instant deadAt = null;
        byte[] payload = null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": not a dead letter (no JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "id" -> id = p.getValueAsString();
                    case "key" -> key = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "reason" -> reason = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "attempts" -> attempts = p.getValueAsInt();
                    case "spooledAt" -> spooledAt = value == JsonToken.VALUE_NULL ? null : Instant.parse(p.getText());
                    case "deadAt" -> deadAt = value == JsonToken.VALUE_NULL ? null : Instant.parse(p.getText());
                    case "payloadBase64" -> payload = Base64.getDecoder().decode(p.getText());
                    case "event" -> {
                        int start = (int) p.currentTokenLocation().getCharOffset();
                        p.skipChildren();
                        p.finishToken();
                        int end = (int) p.currentLocation().getCharOffset();
                        payload = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable dead letter: " + e.getMessage(), e);
        }
        if (id == null || payload == null) {
            throw new IOException(file + ": not a dead letter (no id or no event)");
        }
        return new SpoolRecord(id, key, payload, attempts, reason, spooledAt != null ? spooledAt : deadAt);
    }

    /** A sink name or event id as a file-name part. */
    static String safe(String s) {
        if (s == null || s.isEmpty()) {
            return "_";
        }
        String cleaned = s.replaceAll("[^A-Za-z0-9._-]", "_");
        if (cleaned.startsWith(".")) {
            cleaned = "_" + cleaned.substring(1);
        }
        return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
    }
}
