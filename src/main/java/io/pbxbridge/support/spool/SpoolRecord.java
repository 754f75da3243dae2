package io.pbxbridge.support.spool;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One event waiting in an {@link EventSpool} (or lying in the dead-letter folder).
 *
 * @param id        the event id (consumers dedupe by it: the spool delivers at least once)
 * @param key       the call id; the spool is FIFO, so events of one call keep their order
 * @param payload   the event's bytes exactly as delivered to the sink (normally JSON)
 * @param attempts  delivery attempts made so far
 * @param reason    why it was spooled (the last delivery failure), may be null
 * @param spooledAt when it was spooled; {@code null} means now
 */
public record SpoolRecord(String id, String key, byte[] payload, int attempts, String reason, Instant spooledAt) {

    public SpoolRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
        if (spooledAt == null) {
            spooledAt = Instant.now();
        }
    }

    /** The same record with another attempt count and reason (e.g. after a failed replay). */
    public SpoolRecord withAttempts(int newAttempts, String newReason) {
        return new SpoolRecord(id, key, payload, newAttempts, newReason, spooledAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpoolRecord r && attempts == r.attempts && id.equals(r.id) && Objects.equals(key, r.key)
                && Arrays.equals(payload, r.payload) && Objects.equals(reason, r.reason)
                && spooledAt.equals(r.spooledAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, key, Arrays.hashCode(payload), attempts, reason, spooledAt);
    }

    @Override
    public String toString() {
        return "SpoolRecord[id=" + id + ", key=" + key + ", payload=" + payload.length + " bytes, attempts=" + attempts
                + ", reason=" + reason + ", spooledAt=" + spooledAt + "]";
    }
}
