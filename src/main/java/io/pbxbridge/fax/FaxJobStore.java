package io.pbxbridge.fax;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;

/**
 * One JSON file per job under the state folder, replaced atomically on every change, and the same jobs in memory:
 * the outbox filter asks about every PDF at every poll, and the folder is read once, at first use.
 */
final class FaxJobStore {

    private static final Logger LOG = LoggerFactory.getLogger(FaxJobStore.class);
    private static final String SUFFIX = ".state.json";

    private final Path dir;
    private final Map<String, FaxJobState> jobs = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    FaxJobStore(Path dir) {
        this.dir = dir;
    }

    /** The job's state, or null when it has none. */
    FaxJobState load(String jobId) {
        return jobs().get(jobId);
    }

    void save(FaxJobState state) {
        try {
            AtomicFiles.write(file(state.jobId()), Json.writePretty(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fax job state for " + LogSafe.text(state.jobId()), e);
        }
        jobs().put(state.jobId(), state);
    }

    void delete(String jobId) {
        try {
            Files.deleteIfExists(file(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jobs().remove(jobId);
    }

    /** Every job with a state. */
    Collection<FaxJobState> all() {
        return List.copyOf(jobs().values());
    }

    /** Deletes the state of the jobs that {@code gone} says are no longer there. */
    void deleteIf(Predicate<FaxJobState> gone) {
        for (FaxJobState state : all()) {
            if (gone.test(state)) {
                try {
                    delete(state.jobId());
                } catch (UncheckedIOException e) {
                    LOG.warn("Cannot delete the state of fax job {}: {}", LogSafe.text(state.jobId()), e.getMessage());
                }
            }
        }
    }

    private Map<String, FaxJobState> jobs() {
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    read();
                    loaded = true;
                }
            }
        }
        return jobs;
    }

    private void read() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(SUFFIX) || name.startsWith(".")) {
                    continue;
                }
                try {
                    FaxJobState state = Json.MAPPER.readValue(Files.readAllBytes(file), FaxJobState.class);
                    if (state != null && state.jobId() != null) {
                        jobs.put(state.jobId(), state);
                    }
                } catch (IOException e) {
                    LOG.warn("Ignoring the fax job state {}, which cannot be read: {}", LogSafe.text(file),
                            LogSafe.text(e.getMessage(), LogSafe.MAX_MESSAGE_CHARS));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fax job states in " + dir, e);
        }
    }

    private Path file(String jobId) {
        return dir.resolve(jobId + SUFFIX);
    }
}
