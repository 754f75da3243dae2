package io.pbxbridge.fax;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;

/**
 * One JSON file per job under the state folder, replaced atomically on every change, and the same jobs in memory:
 * the outbox filter asks about every PDF at every poll, and the folder is read once, at first use. Only while this
 * process is the one that runs the jobs: with several instances, a standby's memory would miss what the leader did
 * since (a job it left {@code SENDING} would be taken for a new one and faxed again when this instance takes over), so
 * a standby reads the folder at each call, and the memory is filled again once it runs the jobs.
 */
final class FaxJobStore {

    private static final Logger LOG = LoggerFactory.getLogger(FaxJobStore.class);
    private static final String SUFFIX = ".state.json";
    /** The longest job id used as it is in file names (bytes): documents with longer names are refused. */
    static final int MAX_KEY_BYTES = 196;

    private final Path dir;
    private final BooleanSupplier runsTheJobs;
    private final Map<String, FaxJobState> jobs = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    /**
     * @param runsTheJobs whether this process is the only one changing the jobs now (one instance, or the leader of
     *                    the outbox)
     */
    FaxJobStore(Path dir, BooleanSupplier runsTheJobs) {
        this.dir = dir;
        this.runsTheJobs = runsTheJobs;
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
        if (!runsTheJobs.getAsBoolean()) {
            loaded = false;
            Map<String, FaxJobState> now = new ConcurrentHashMap<>();
            read(now);
            return now;
        }
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    jobs.clear();
                    read(jobs);
                    loaded = true;
                }
            }
        }
        return jobs;
    }

    private void read(Map<String, FaxJobState> jobs) {
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
        return dir.resolve(fileName(jobId, SUFFIX));
    }

    /**
     * The name of a file about a job: {@code jobId + suffix}, or, for a job id over {@link #MAX_KEY_BYTES} bytes,
     * its start and a hash of the whole (so two long names stay apart). Such a job is refused (its document's name is
     * too long), but its state and error report must still be written: with the suffix and the temporary name of
     * {@link AtomicFiles} the full name would be over the 255 bytes file systems allow.
     */
    static String fileName(String jobId, String suffix) {
        byte[] utf8 = jobId.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_KEY_BYTES) {
            return jobId + suffix;
        }
        int end = jobId.length();
        while (jobId.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES - 17) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(jobId.charAt(end - 1))) {
            end--;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(utf8);
            return jobId.substring(0, end) + "~" + HexFormat.of().formatHex(hash, 0, 8) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
