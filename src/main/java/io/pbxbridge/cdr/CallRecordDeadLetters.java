package io.pbxbridge.cdr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
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
