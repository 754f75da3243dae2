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
 *
 * <p>The counters are kept in {@link #STRIPES} stripes by call id, each with its own lock and its own share of
 * {@code maxCalls} (the least recently numbered calls of a stripe are forgotten first), so that the threads routing
 * different calls do not queue for one lock.
 */
public final class CallSequencer {

    private static final Logger LOG = LoggerFactory.getLogger(CallSequencer.class);
    static final long RESTART_GAP = 10_000;

    static final int STRIPES = 16;

    private final Path file;
    private final long snapshotNanos;
    private final Map<String, Long>[] stripes;
    private volatile long lastSnapshot = System.nanoTime();

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
        }
        if (System.nanoTime() - lastSnapshot >= snapshotNanos) {
            synchronized (this) {
                if (System.nanoTime() - lastSnapshot >= snapshotNanos) {
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
            s.counters().forEach((k, v) -> stripe(k).put(k, v + gap));
            if (gap > 0) {
                LOG.info("Resumed sequence counters of {} calls after an unclean stop (+{} gap)", s.counters().size(),
                        gap);
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
