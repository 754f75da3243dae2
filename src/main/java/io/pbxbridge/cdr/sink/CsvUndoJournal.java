package io.pbxbridge.cdr.sink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * The undo journal of one source's CSV folder, {@code .uncommitted.json}: the run that appends and, for each day file
 * it appended to, that file's length before the run (-1: the file did not exist). It is replaced atomically before
 * the run's first append to a file, so a run that never commits (killed, or a batch failed) can be cut away
 * whatever moment it stopped at: the harvest sends its records again.
 */
final class CsvUndoJournal {

    static final String FILE = ".uncommitted.json";

    private static final Logger LOG = LoggerFactory.getLogger(CsvUndoJournal.class);
    /** Only day files of the folder: a journal edited by hand cannot make the undo cut anything else. */
    private static final Pattern DAY_FILE = Pattern.compile("[+-]?\\d{4,}-\\d{2}-\\d{2}\\.csv");

    /** As written: {@code {"source":"monema:host/acme","run":7,"lengthsBefore":{"2025-01-31.csv":1234}}}. */
    record Content(String source, long run, Map<String, Long> lengthsBefore) {
    }

    private final Path folder;
    private final String source;
    private final long run;
    private final Map<String, Long> lengthsBefore;
    private boolean unsaved;

    private CsvUndoJournal(Path folder, String source, long run, Map<String, Long> lengthsBefore) {
        this.folder = folder;
        this.source = source;
        this.run = run;
        this.lengthsBefore = lengthsBefore;
    }

    /** A journal for {@code run}, empty, not written yet. */
    static CsvUndoJournal begin(Path folder, String source, long run) {
        return new CsvUndoJournal(folder, source, run, new LinkedHashMap<>());
    }

    /** The journal left in {@code folder}, or null. */
    static CsvUndoJournal load(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        Content c;
        try {
            c = Json.MAPPER.readValue(json, Content.class);
        } catch (IOException e) {
            throw unreadable(file, e.getMessage());
        }
        if (c.source() == null || c.lengthsBefore() == null) {
            throw unreadable(file, "it has no source or no lengthsBefore");
        }
        for (Map.Entry<String, Long> e : c.lengthsBefore().entrySet()) {
            if (!DAY_FILE.matcher(e.getKey()).matches() || e.getValue() == null) {
                throw unreadable(file, "\"" + e.getKey() + "\" is not a day file with its length");
            }
        }
        return new CsvUndoJournal(folder, c.source(), c.run(), new LinkedHashMap<>(c.lengthsBefore()));
    }

    private static IOException unreadable(Path file, String why) {
        return new IOException("The undo journal " + file + " of the call-record CSV files cannot be read (" + why
                + "); it tells how far to cut the files back after a run that did not commit: repair it, or remove it"
                + " after checking the day files it names for records written twice");
    }

    String source() {
        return source;
    }

    long run() {
        return run;
    }

    boolean covers(String dayFile) {
        return lengthsBefore.containsKey(dayFile);
    }

    /** Adds a file to undo: {@link #saveIfChanged()} before appending to it. */
    void add(String dayFile, long lengthBefore) {
        lengthsBefore.put(dayFile, lengthBefore);
        unsaved = true;
    }

    void saveIfChanged() throws IOException {
        if (unsaved) {
            AtomicFiles.write(folder.resolve(FILE), Json.MAPPER.writeValueAsBytes(
                    new Content(source, run, lengthsBefore)));
            AtomicFiles.forceDirectory(folder); // the journal's rename on disk before the appends it covers
            unsaved = false;
        }
    }

    /** Cuts every file back to its length before the run, removes those the run created; then the journal goes. */
    void undo() throws IOException {
        long cut = 0;
        int removed = 0;
        for (Map.Entry<String, Long> e : lengthsBefore.entrySet()) {
            Path file = folder.resolve(e.getKey());
            long before = e.getValue();
            if (before < 0) {
                removed += Files.deleteIfExists(file) ? 1 : 0;
                continue;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                long size = ch.size();
                if (size > before) {
                    ch.truncate(before);
                    ch.force(true);
                    cut += size - before;
                } else if (size < before) {
                    LOG.warn("The call-record CSV {} has {} bytes, fewer than the {} it had before run {} of {}: cut"
                            + " by something else", file, size, before, run, source);
                }
            } catch (NoSuchFileException gone) {
                LOG.warn("The call-record CSV {} that run {} of {} appended to is gone", file, run, source);
            }
        }
        LOG.info("Run {} of {} did not commit: {} bytes it appended to the call-record CSV files of {} are cut, {} of"
                + " the files removed that it created; the harvest sends its records again", run, source, cut, folder,
                removed);
        delete();
    }

    void delete() throws IOException {
        Files.deleteIfExists(folder.resolve(FILE));
        AtomicFiles.forceDirectory(folder);
    }
}
