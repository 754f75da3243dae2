package io.pbxbridge.cdr;

import java.time.Instant;

/**
 * The span of one harvest run: records that started after {@code from} and at or before {@code to}. A live run's
 * window is {@code (checkpoint - overlap, now - lag]}; a backfill's is the range asked for.
 */
public record HarvestWindow(Instant from, Instant to) {

    public HarvestWindow {
        if (from == null || to == null) {
            throw new IllegalArgumentException("a harvest window needs both ends");
        }
    }

    public boolean isEmpty() {
        return !to.isAfter(from);
    }

    /** Whether a record that started at {@code start} belongs to this window. */
    public boolean contains(Instant start) {
        return start.isAfter(from) && !start.isAfter(to);
    }

    @Override
    public String toString() {
        return "(" + from + ", " + to + "]";
    }
}
