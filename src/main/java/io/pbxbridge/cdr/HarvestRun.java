package io.pbxbridge.cdr;

import java.time.Duration;
import java.time.Instant;

/**
 * The figures of one harvest run, and its one log line: source, window, records read, new, repeats skipped, dead
 * letters, checkpoint before and after, duration.
 */
public final class HarvestRun {

    private final String source;
    private final long number;
    private final HarvestWindow window;
    private final boolean backfill;
    private final Instant before;
    private final long startNanos = System.nanoTime();
    long read;
    long fresh;
    long repeats;
    long outside;
    long dead;
    int batches;
    private Instant after;
    private Duration duration;
    private String failure;

    HarvestRun(String source, long number, HarvestWindow window, boolean backfill, Instant before) {
        this.source = source;
        this.number = number;
        this.window = window;
        this.backfill = backfill;
        this.before = before;
    }

    void committed(Instant watermark) {
        after = watermark;
        duration = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    void failed(String why) {
        failure = why;
        duration = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public String source() {
        return source;
    }

    public long number() {
        return number;
    }

    public HarvestWindow window() {
        return window;
    }

    public boolean isBackfill() {
        return backfill;
    }

    public long read() {
        return read;
    }

    /** Records delivered to the sinks. */
    public long fresh() {
        return fresh;
    }

    /** Records already delivered (the overlap, or a call listed under several extensions), skipped. */
    public long repeats() {
        return repeats;
    }

    /** Records the vendor listed outside the window (after its end: still being written), left for a later run. */
    public long outside() {
        return outside;
    }

    /** Exchanges emitted (the last one carries the checkpoint). */
    public int batchesEmitted() {
        return batches;
    }

    public long deadLetters() {
        return dead;
    }

    public boolean isCommitted() {
        return after != null;
    }

    public String failure() {
        return failure;
    }

    public Duration duration() {
        return duration;
    }

    /** The run's one line. */
    public String line() {
        StringBuilder s = new StringBuilder(backfill ? "CDR backfill " : "CDR harvest ").append(source)
                .append(" run ").append(number).append(": window ").append(window)
                .append(", ").append(read).append(" read, ").append(fresh).append(" new, ")
                .append(repeats).append(" repeats skipped, ").append(dead).append(" dead letters");
        if (outside > 0) {
            s.append(", ").append(outside).append(" outside the window");
        }
        if (failure != null) {
            s.append("; FAILED: ").append(failure).append("; checkpoint stays at ").append(before);
        } else {
            s.append(", checkpoint ").append(before).append(" -> ").append(after);
        }
        if (duration != null) {
            s.append(", ").append(duration.toMillis()).append(" ms");
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
