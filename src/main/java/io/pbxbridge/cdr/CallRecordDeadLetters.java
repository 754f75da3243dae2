package io.pbxbridge.cdr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pbxbridge.support.Json;

/**
 * The records of one source that could not be read, one JSON line each ({@code time}, {@code source}, {@code run},
 * {@code reason}, {@code raw}: the vendor's record as sent), appended to {@code <folder>/<source>.ndjson} and forced
 * to disk before the run's checkpoint moves past them: a bad record is kept, never silently dropped.
 */
final class CallRecordDeadLetters implements AutoCloseable {

    private final Path file;
    private FileChannel channel;

    CallRecordDeadLetters(Path folder, String source) {
        this.file = folder.resolve(FileHarvestCheckpoints.fileName(source) + ".ndjson");
    }

    Path file() {
        return file;
    }

    /** A short digest of a dead letter's text, by which the checkpoint remembers it. */
    static String hash(String raw) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(String.valueOf(raw).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    void write(String source, long run, String reason, String raw) throws IOException {
        if (channel == null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("source", source);
        line.put("run", run);
        line.put("reason", reason);
        line.put("raw", raw);
        byte[] json = Json.MAPPER.writeValueAsBytes(line);
        ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Forces what was written to disk. */
    void force() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
