package io.pbxbridge.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * Numbers the events of each call 1, 2, 3... The counters of recent calls are saved to disk at most every
 * {@code snapshotMillis} and at shutdown; after a crash the saved counters are resumed with a safety gap larger than
 * any call's events between two snapshots, so numbers within a call only ever grow (consumers order by them; a gap
 * is harmless, a repeat is not). Saving by time, not by count, keeps fsyncs off the hot path at high rates.
 */
public final class CallSequencer {

    private static final Logger LOG = LoggerFactory.getLogger(CallSequencer.class);
    static final long RESTART_GAP = 10_000;

    private final Path file;
    private final int maxCalls;
    private final long snapshotNanos;
    private final Map<String, Long> counters;
    private long lastSnapshot = System.nanoTime();

    public CallSequencer(Path file, int maxCalls, long snapshotMillis) {
        this.file = file;
        this.maxCalls = maxCalls;
        this.snapshotNanos = snapshotMillis * 1_000_000L;
        this.counters = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > CallSequencer.this.maxCalls;
            }
        };
        load();
    }

    /** The next number for {@code callId}, starting at 1. */
    public synchronized long next(String callId) {
        long n = counters.merge(callId == null ? "" : callId, 1L, Long::sum);
        if (System.nanoTime() - lastSnapshot >= snapshotNanos) {
            save(false);
        }
        return n;
    }

    /** Saves the counters; {@code clean} marks an orderly shutdown, after which no gap is needed. */
    public synchronized void save(boolean clean) {
        lastSnapshot = System.nanoTime();
        if (file == null) {
            return;
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("clean", clean);
        snapshot.put("counters", counters);
        try {
            AtomicFiles.write(file, Json.write(snapshot));
        } catch (IOException e) {
            LOG.warn("Could not save call sequence counters to {}: {}", file, e.getMessage());
        }
    }

    private void load() {
        if (file == null) {
            return;
        }
        try {
            Snapshot s = Json.MAPPER.readValue(Files.readAllBytes(file), new TypeReference<Snapshot>() {
            });
            long gap = s.clean() ? 0 : RESTART_GAP;
            s.counters().forEach((k, v) -> counters.put(k, v + gap));
            if (gap > 0) {
                LOG.info("Resumed sequence counters of {} calls after an unclean stop (+{} gap)", counters.size(), gap);
            }
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException e) {
            LOG.warn("Could not read call sequence counters {} ({}); numbering restarts with a gap", file,
                    e.getMessage());
        }
        // until the next orderly shutdown, a crash must not reuse numbers handed out from here on
        save(false);
    }

    record Snapshot(boolean clean, Map<String, Long> counters) {
    }
}
