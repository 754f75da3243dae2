package io.pbxbridge.fax;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.LogSafe;

/**
 * Decides when a PDF of the outbox is ready: its size and modification time have stayed the same over two polls
 * and for {@code settleMillis} (so a file still being written is left alone), and its
 * destinations are known (a sidecar that parses, or a file name with numbers) or the sidecar grace period is over, in
 * which case the job is taken and failed with the reason. The grace period counts from when the job was first seen
 * (kept in its state, so also across a restart), not from the file's modification time: a PDF copied in with its
 * old time keeps its full grace. A job waiting for the vendor is let through again at its next attempt time. Files
 * that wait (not a PDF, a PDF without its sidecar) are logged once each, saying why.
 */
public class FaxOutboxFilter implements GenericFileFilter<File> {

    /** How often the memory of files that left the outbox is cleared. */
    private static final long CLEANUP_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(FaxOutboxFilter.class);

    private final Map<String, Sighting> lastSeen = new ConcurrentHashMap<>();
    /** What was last logged about each file that waits (see {@link #tellOnce}). */
    private final Map<String, String> told = new ConcurrentHashMap<>();
    private volatile long nextCleanup;
    private long settleMillis = 1000;
    private long sidecarGraceMillis = 60_000;
    private FaxJobs jobs;

    /**
     * A file's size and modification time, and since when (by this process's clock) they have not changed: the
     * modification time itself may be old (a copy that kept it) or ahead (another machine's clock).
     */
    private record Sighting(long length, long modified, long since) {
        Sighting unlessUnchanged(Sighting now) {
            return length == now.length && modified == now.modified ? this : now;
        }
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        if (file.isDirectory()) {
            return false;
        }
        long now = System.currentTimeMillis();
        if (now >= nextCleanup) {
            nextCleanup = now + CLEANUP_MILLIS;
            lastSeen.keySet().removeIf(path -> !Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS));
            told.keySet().removeIf(path -> !Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS));
            jobs.forgetVanishedJobs();
        }
        String name = file.getFileNameOnly();
        String path = file.getAbsoluteFilePath();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".pdf")) {
            if (!name.toLowerCase(Locale.ROOT).endsWith(".json")) {
                tellOnce(path, "Outbox file {} is not faxed: only NAME.pdf documents are (with their NAME.json"
                        + " sidecars); it stays in the outbox", name);
            } else if (!Files.exists(documentOf(Path.of(path)))) {
                tellOnce(path, "Sidecar {} waits for its document {}", name, documentOf(Path.of(name)));
            }
            return false;
        }
        FaxJobState state = jobs.arrived(FaxJobs.jobId(Path.of(name)), name, Instant.ofEpochMilli(now));
        Sighting seen = new Sighting(file.getFileLength(), file.getLastModified(), now);
        Sighting previous = lastSeen.merge(path, seen, Sighting::unlessUnchanged);
        if (previous == seen || now - previous.since() < settleMillis) {
            return false; // new or changed since the last poll, or not unchanged for long enough: look again
        }
        if (state.status() == FaxJobState.Status.WAITING && state.nextAttemptAt() != null
                && now < state.nextAttemptAt().toEpochMilli()) {
            return false; // waiting for the vendor: FaxJobs logged when it is tried again
        }
        Path pdf = Path.of(path);
        Path sidecar = FaxRequest.sidecarOf(pdf);
        Instant firstSeen = state.firstSeenAt() != null ? state.firstSeenAt() : Instant.ofEpochMilli(now);
        boolean graceOver = now - firstSeen.toEpochMilli() >= sidecarGraceMillis;
        Instant graceEnds = firstSeen.plusMillis(sidecarGraceMillis).truncatedTo(ChronoUnit.SECONDS);
        if (Files.exists(sidecar, LinkOption.NOFOLLOW_LINKS)) {
            if (!FaxRequest.sidecarReadable(sidecar) && !graceOver) {
                tellOnce(path, "Fax job {} waits for its sidecar {} to be complete JSON; it fails if it is not by {}",
                        FaxJobs.jobId(pdf), sidecar.getFileName(), graceEnds);
                return false;
            }
        } else if (!FaxRequest.nameHasDestinations(name) && !graceOver) {
            tellOnce(path, "Fax job {} waits for its sidecar {}: its name has no destinations (DIGITS[,DIGITS...]__"
                    + "NAME.pdf); it fails with \"no destination\" if none comes by {}", FaxJobs.jobId(pdf),
                    sidecar.getFileName(), graceEnds);
            return false;
        }
        lastSeen.remove(path);
        told.remove(path);
        return true;
    }

    /**
     * Logs, once for each file and reason, why a file of the outbox waits: a file left there for days is one line,
     * not one per poll. Names come from outside and are logged safe.
     */
    private void tellOnce(String path, String message, Object... args) {
        if (message.equals(told.put(path, message))) {
            return;
        }
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i] instanceof Instant ? args[i] : LogSafe.text(args[i]);
        }
        LOG.info(message, args);
    }

    private static Path documentOf(Path sidecar) {
        String name = sidecar.getFileName().toString();
        return sidecar.resolveSibling(name.substring(0, name.length() - 5) + ".pdf");
    }

    public long getSettleMillis() {
        return settleMillis;
    }

    /** How long a PDF must stay unchanged before it is taken. */
    public void setSettleMillis(long settleMillis) {
        this.settleMillis = settleMillis;
    }

    public long getSidecarGraceMillis() {
        return sidecarGraceMillis;
    }

    /** How long to wait for a PDF's sidecar, from when the PDF was first seen, before failing it for no destination. */
    public void setSidecarGraceMillis(long sidecarGraceMillis) {
        this.sidecarGraceMillis = sidecarGraceMillis;
    }

    public FaxJobs getJobs() {
        return jobs;
    }

    /** The jobs of the outbox: where each job's first sighting is kept. */
    public void setJobs(FaxJobs jobs) {
        this.jobs = jobs;
    }
}
