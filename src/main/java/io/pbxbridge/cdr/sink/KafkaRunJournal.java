package io.pbxbridge.cdr.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * Where the CDR topic ended when a source's run began to send, written (atomically) before its first record: if the
 * run does not commit, everything it may have put on the topic lies after these offsets, so its replay reads them
 * back instead of sending them twice. One file per source, {@code <folder>/<source>.json}.
 *
 * @param source  the harvest source
 * @param topic   the topic the offsets are of
 * @param run     the run that sends after them; uncommitted while greater than the source's committed run
 * @param offsets partition to end offset when the first uncommitted run began
 * @param written when the offsets were taken
 */
record KafkaRunJournal(String source, String topic, long run, Map<Integer, Long> offsets, Instant written) {

    KafkaRunJournal {
        offsets = Collections.unmodifiableMap(new TreeMap<>(offsets == null ? Map.of() : offsets));
    }

    static Path file(Path folder, String source) {
        return folder.resolve(FileHarvestCheckpoints.fileName(source) + ".json");
    }

    /** The journal in {@code file}, or null when there is none. */
    static KafkaRunJournal load(Path file) throws IOException {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, KafkaRunJournal.class);
        } catch (IOException e) {
            throw new IOException("The CDR Kafka journal " + file + " cannot be read (" + e.getMessage() + "); "
                    + "moving it away lets the sink go on, but the records of an uncommitted run may then reach "
                    + "the topic twice", e);
        }
    }

    /** The same offsets for a later attempt: they stay until a run commits. */
    KafkaRunJournal forRun(long nextRun) {
        return new KafkaRunJournal(source, topic, nextRun, offsets, written);
    }

    void write(Path file) throws IOException {
        AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(this));
    }
}
