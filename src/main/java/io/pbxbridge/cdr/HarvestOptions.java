package io.pbxbridge.cdr;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@code cdr} consumer harvests, from its endpoint's options.
 *
 * @param overlap          how far before the checkpoint each window starts again, for records that arrive late
 * @param lag              how far behind now each window ends, away from records still being written
 * @param firstRunLookback where a source without a checkpoint starts: this long before now
 * @param batchSize        records per exchange at most
 * @param unhealthyLag     readiness goes DOWN when the checkpoint is older than this
 * @param deadLetters      folder of the records that could not be read ({@code <source>.ndjson})
 * @param checkpoints      where checkpoints are kept
 */
public record HarvestOptions(Duration overlap, Duration lag, Duration firstRunLookback, int batchSize,
                             Duration unhealthyLag, Path deadLetters, HarvestCheckpoints checkpoints) {

    public HarvestOptions {
        if (overlap.isNegative() || lag.isNegative() || firstRunLookback.isNegative()) {
            throw new IllegalArgumentException("cdr: overlap, lag and first-run lookback cannot be negative");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("cdr: batchSize must be at least 1, not " + batchSize);
        }
    }
}
