package io.pbxbridge.fax;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/** One JSON file per job under the state folder, replaced atomically on every change. */
final class FaxJobStore {

    private final Path dir;

    FaxJobStore(Path dir) {
        this.dir = dir;
    }

    FaxJobState load(String jobId) {
        Path file = file(jobId);
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(file), FaxJobState.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fax job state " + file, e);
        }
    }

    void save(FaxJobState state) {
        try {
            AtomicFiles.write(file(state.jobId()), Json.writePretty(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fax job state for " + state.jobId(), e);
        }
    }

    void delete(String jobId) {
        try {
            Files.deleteIfExists(file(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String jobId) {
        return dir.resolve(jobId + ".state.json");
    }
}
