package io.pbxbridge.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * Numbers the events of each call 1, 2, 3... Numbers within a call only ever grow, across crashes and restarts
 * (consumers order by them; a gap is harmless, a repeat is not):
 * <ul>
 * <li>the counters of recent calls are snapshotted at most every {@code snapshotMillis} and at shutdown, written
 * atomically and forced to disk; saving by time, not by count, keeps fsyncs off the hot path at high rates;</li>
 * <li>a call seen for the first time is appended to a journal ({@code <file>.calls.<generation>}, one JSON string a
 * line) before its first number is handed out; each snapshot starts a new journal and deletes the older ones once it
 * is on disk, as it holds their calls;</li>
 * <li>after an unclean stop every saved counter resumes with a gap larger than any call's events between two
 * snapshots, and every journaled call missing from the snapshot resumes at that gap.</li>
 * </ul>
 * The journal is written but not forced: it survives a killed process (kill -9; the operating system has it) but a
 * power cut may lose its last moments, so calls first seen then may be numbered from 1 again.
 *
 * <p>The counters are kept in {@link #STRIPES} stripes by call id, each with its own lock and its own share of
 * {@code maxCalls} (the least recently numbered calls of a stripe are forgotten first), so that the threads routing
 * different calls do not queue for one lock.
 */
public final class CallSequencer {

    private static final Logger LOG = LoggerFactory.getLogger(CallSequencer.class);
    static final long RESTART_GAP = 10_000;

    static final int STRIPES = 16;

    /** ASCII JSON: any call id, lone surrogates included, reads back as it was. */
    private static final ObjectWriter ASCII_JSON = Json.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private final Path file;
    private final long snapshotNanos;
    private final Map<String, Long>[] stripes;
    private volatile long lastSnapshot = System.nanoTime();
    /** Numbers handed out after an orderly save must not be taken for the last ones at the next start. */
    private volatile boolean savedClean;

    private final Object journalLock = new Object();
    private FileChannel journal; // guarded by journalLock
    private boolean journalFailing; // guarded by journalLock
    private long generation; // guarded by this
    /** Journals whose calls the next snapshot covers; guarded by this. */
    private final List<Path> retired = new ArrayList<>();

    @SuppressWarnings("unchecked")
    public CallSequencer(Path file, int maxCalls, long snapshotMillis) {
        this.file = file;
        this.snapshotNanos = snapshotMillis * 1_000_000L;
        int perStripe = Math.max(1, (maxCalls + STRIPES - 1) / STRIPES);
        this.stripes = new Map[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > perStripe;
                }
            };
        }
        load();
    }

    private Map<String, Long> stripe(String key) {
        return stripes[Math.floorMod(key.hashCode(), STRIPES)];
    }

    /** The next number for {@code callId}, starting at 1. */
    public long next(String callId) {
        String key = callId == null ? "" : callId;
        Map<String, Long> stripe = stripe(key);
        long n;
        synchronized (stripe) {
            n = stripe.merge(key, 1L, Long::sum);
            if (n == 1) {
                // under the stripe lock: no thread hands out a number of this call before it is journaled
                journal(key);
            }
        }
        if (savedClean || System.nanoTime() - lastSnapshot >= snapshotNanos) {
            synchronized (this) {
                if (savedClean || System.nanoTime() - lastSnapshot >= snapshotNanos) {
                    save(false);
                }
            }
        }
        return n;
    }

    /** Saves the counters; {@code clean} marks an orderly shutdown, after which no gap is needed. */
    public synchronized void save(boolean clean) {
        lastSnapshot = System.nanoTime();
        if (file == null) {
            return;
        }
        // before the copy: a number handed out after it sees the flag and saves again
        savedClean = clean;
        // before the copy too: a call in the retired journal was counted before it, so the snapshot has it
        rotateJournal();
        Map<String, Long> counters = new LinkedHashMap<>();
        for (Map<String, Long> stripe : stripes) {
            synchronized (stripe) {
                counters.putAll(stripe);
            }
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("clean", clean);
        snapshot.put("counters", counters);
        try {
            AtomicFiles.write(file, ASCII_JSON.writeValueAsBytes(snapshot));
        } catch (IOException e) {
            LOG.warn("Could not save call sequence counters to {}: {}", file, e.getMessage());
            return; // the retired journals stay until a snapshot holds their calls
        }
        for (Iterator<Path> it = retired.iterator(); it.hasNext();) {
            Path old = it.next();
            try {
                Files.deleteIfExists(old);
                it.remove();
            } catch (IOException e) {
                LOG.warn("Could not delete call journal {}: {}", old, e.getMessage());
            }
        }
    }

    /** Saves as an orderly stop and lets go of the journal: another process may take the counters over. */
    public synchronized void close() {
        save(true);
        synchronized (journalLock) {
            if (journal != null) {
                try {
                    journal.close();
                } catch (IOException e) {
                    LOG.debug("Closing call journal: {}", e.getMessage());
                }
                journal = null;
            }
        }
    }

    private Path journalPath(long gen) {
        return file.resolveSibling(file.getFileName() + ".calls." + gen);
    }

    /** Appends a new call to the journal: written, not forced, so one syscall on the hot path. */
    private void journal(String key) {
        if (file == null) {
            return;
        }
        byte[] line;
        try {
            line = ASCII_JSON.writeValueAsBytes(key);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a string always serializes
        }
        ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        synchronized (journalLock) {
            try {
                if (journal == null) {
                    throw new IOException("no journal open");
                }
                while (buf.hasRemaining()) {
                    journal.write(buf);
                }
                journalFailing = false;
            } catch (IOException e) {
                if (!journalFailing) { // once per failure streak: new calls may come by the thousand
                    LOG.warn("Could not journal new calls of {}: {}; a crash may repeat their numbers", file,
                            e.getMessage());
                    journalFailing = true;
                }
            }
        }
    }

    /** Switches new calls to a fresh journal and retires the current one (caller holds this). */
    private void rotateJournal() {
        Path next = journalPath(generation + 1);
        FileChannel fresh;
        try {
            Files.createDirectories(next.toAbsolutePath().getParent());
            // no truncation: should the listing at start have missed this file, its calls stay
            fresh = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Could not start call journal {}: {}", next, e.getMessage());
            return; // the current journal goes on and is kept
        }
        FileChannel old;
        synchronized (journalLock) {
            old = journal;
            journal = fresh;
        }
        if (old != null) {
            retired.add(journalPath(generation));
            try {
                old.close();
            } catch (IOException e) {
                LOG.debug("Closing call journal: {}", e.getMessage());
            }
        }
        generation++;
    }

    private void load() {
        if (file == null) {
            return;
        }
        Snapshot s = null;
        try {
            s = Json.MAPPER.readValue(Files.readAllBytes(file), Snapshot.class);
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException e) {
            LOG.warn("Could not read call sequence counters {} ({}); numbering restarts with a gap", file,
                    e.getMessage());
        }
        Set<String> journaled = readJournals();
        Map<String, Long> counters = s == null || s.counters() == null ? Map.of() : s.counters();
        // a journaled call means numbers were handed out after the snapshot, even a clean one
        long gap = s != null && s.clean() && journaled.isEmpty() ? 0 : RESTART_GAP;
        counters.forEach((k, v) -> stripe(k).put(k, v + gap));
        int added = 0;
        for (String k : journaled) { // after the snapshot's calls: they are the most recent
            if (stripe(k).putIfAbsent(k, RESTART_GAP) == null) {
                added++;
            }
        }
        if ((gap > 0 && !counters.isEmpty()) || added > 0) {
            LOG.info("Resumed sequence counters of {} calls after an unclean stop (+{} gap), {} more from the journal",
                    counters.size(), gap, added);
        }
        // until the next orderly shutdown, a crash must not reuse numbers handed out from here on
        save(false);
    }

    /** The calls of all journals left on disk, oldest first; they are retired by the first snapshot. */
    private Set<String> readJournals() {
        String prefix = file.getFileName() + ".calls.";
        Map<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.toAbsolutePath().getParent(),
                p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : dir) {
                try {
                    found.put(Long.parseLong(p.getFileName().toString().substring(prefix.length())), p);
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            LOG.warn("Could not list call journals of {}: {}", file, e.getMessage());
        }
        Set<String> calls = new LinkedHashSet<>();
        for (Map.Entry<Long, Path> j : found.entrySet()) {
            generation = Math.max(generation, j.getKey());
            retired.add(j.getValue());
            try {
                readJournal(Files.readAllBytes(j.getValue()), calls);
            } catch (IOException e) {
                LOG.warn("Could not read call journal {}: {}", j.getValue(), e.getMessage());
            }
        }
        return calls;
    }

    /** Adds the ids of the journal's complete lines; a line cut by a crash was never followed by a number. */
    private static void readJournal(byte[] bytes, Set<String> calls) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            try {
                String id = Json.MAPPER.readValue(bytes, start, i - start, String.class);
                if (id != null) {
                    calls.add(id);
                }
            } catch (IOException e) {
                LOG.warn("Skipped an unreadable call journal line: {}", e.getMessage());
            }
            start = i + 1;
        }
    }

    record Snapshot(boolean clean, Map<String, Long> counters) {
    }
}
