package io.pbxbridge.metasec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * The files of one WebTAPI connection in the {@code stateDirectory}: {@code <host>_<user>/snapshot.json}, the last
 * snapshot of {@code metasec:events} (written atomically: a temporary file forced to disk and renamed over it, so a
 * restart finds the old snapshot or the new one, never half), and {@code <host>_<user>/calls/}, the journal of the
 * derived call records.
 */
final class MetasecStateFiles {

    private static final Logger LOG = LoggerFactory.getLogger(MetasecStateFiles.class);
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(MetasecTracker.State.class);
    private static final ObjectReader READER = Json.MAPPER.readerFor(MetasecTracker.State.class);

    private final Path dir;

    MetasecStateFiles(Path stateDirectory, String source) {
        this.dir = stateDirectory.resolve(folderName(source));
    }

    /** {@code source} as a folder name: anything but letters, digits, {@code .-_} as {@code _}. */
    static String folderName(String source) {
        StringBuilder b = new StringBuilder(source.length());
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') ? c : '_');
        }
        return b.toString();
    }

    Path directory() {
        return dir;
    }

    Path snapshot() {
        return dir.resolve("snapshot.json");
    }

    Path journal() {
        return dir.resolve("calls");
    }

    /** The saved snapshot, or null when there is none (or it cannot be read: it is then set aside, and said). */
    MetasecTracker.State load() {
        Path file = snapshot();
        try {
            MetasecTracker.State s = READER.readValue(Files.readAllBytes(file));
            if (s.version != MetasecTracker.STATE_VERSION) {
                LOG.warn("metasec: {} is of another version ({}); starting from a new snapshot", file, s.version);
                return null;
            }
            return s;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling("snapshot.unreadable-" + System.currentTimeMillis() + ".json");
            try {
                Files.move(file, aside);
            } catch (IOException moved) {
                // left where it is: overwritten by the next snapshot
            }
            LOG.warn("metasec: the saved snapshot {} cannot be read ({}); moved to {}, starting from a new snapshot "
                    + "(the running calls are taken as they are, not announced)", file, e.getMessage(), aside);
            return null;
        }
    }

    /**
     * Saves the snapshot atomically; {@code force}: forced to disk before the rename (what survives a power cut),
     * else only written (what survives a killed process).
     */
    void save(MetasecTracker.State state, boolean force) throws IOException {
        AtomicFiles.write(snapshot(), WRITER.writeValueAsBytes(state), force);
    }

    /** The start of the earliest call in the saved snapshot, or null: for a harvest while no poller runs. */
    Instant pendingSince() {
        MetasecTracker.State s;
        try {
            s = READER.readValue(Files.readAllBytes(snapshot()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Instant min = null;
        if (s != null) {
            for (MetasecTracker.Call c : s.calls) {
                if (c.start != null && (min == null || c.start.isBefore(min))) {
                    min = c.start;
                }
            }
        }
        return min;
    }
}
