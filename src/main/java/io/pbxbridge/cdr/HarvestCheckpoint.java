package io.pbxbridge.cdr;

import java.time.Instant;
import java.util.Map;

/**
 * Where a source's harvest stands: the end of the last committed window ({@code watermark}), the number of that run,
 * and the keys of the records it delivered that the next window's overlap will list again ({@code recentKeys}: key
 * to start, epoch seconds), so that they are not delivered twice; likewise the records it could not read
 * ({@code recentDeadLetters}: a hash of the vendor's text to the end of the window that listed it), so that the
 * overlap does not dead-letter them twice.
 *
 * @param source     the harvest source, e.g. {@code monema:host/login}
 * @param run        the last committed run's number (0: none yet)
 * @param watermark  the end of the last committed window
 * @param recentKeys keys delivered with a start inside the next run's overlap
 * @param committed  when it was committed
 * @param recentDeadLetters records dead-lettered that the next window may list again
 */
public record HarvestCheckpoint(String source, long run, Instant watermark, Map<String, Long> recentKeys,
                                Instant committed, Map<String, Long> recentDeadLetters) {

    public HarvestCheckpoint {
        recentKeys = recentKeys == null ? Map.of() : Map.copyOf(recentKeys);
        recentDeadLetters = recentDeadLetters == null ? Map.of() : Map.copyOf(recentDeadLetters);
    }

    public HarvestCheckpoint(String source, long run, Instant watermark, Map<String, Long> recentKeys,
                             Instant committed) {
        this(source, run, watermark, recentKeys, committed, Map.of());
    }

    /** No run committed yet: the first window starts at {@code start}. */
    public static HarvestCheckpoint initial(String source, Instant start) {
        return new HarvestCheckpoint(source, 0, start, Map.of(), null);
    }

    public boolean isInitial() {
        return run == 0;
    }
}
