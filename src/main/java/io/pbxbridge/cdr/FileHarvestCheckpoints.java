package io.pbxbridge.cdr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * Checkpoints as JSON files, one per source ({@code <directory>/<source>.json}, the source's characters that are not
 * safe in a file name replaced), each replaced by write-and-rename: a crash leaves the previous checkpoint or the
 * new one, never half of one.
 */
public class FileHarvestCheckpoints implements HarvestCheckpoints {

    private final Path directory;

    public FileHarvestCheckpoints(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public Path file(String source) {
        return directory.resolve(fileName(source) + ".json");
    }

    /** A file name for {@code source}: letters, digits, dot, dash and underscore kept, the rest {@code _}. */
    public static String fileName(String source) {
        return source.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public HarvestCheckpoint load(String source) throws IOException {
        Path f = file(source);
        byte[] json;
        try {
            json = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, HarvestCheckpoint.class);
        } catch (IOException e) {
            throw new IOException("The CDR checkpoint " + f + " cannot be read (" + e.getMessage()
                    + "); move it away to start that source again from its first-run point", e);
        }
    }

    @Override
    public void commit(HarvestCheckpoint checkpoint) throws IOException {
        AtomicFiles.write(file(checkpoint.source()), Json.MAPPER.writeValueAsBytes(checkpoint));
    }
}
