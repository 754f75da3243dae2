package io.pbxbridge.cdr;

/**
 * Where harvest checkpoints are kept, one per source: written atomically, read at each run. The default keeps each in
 * its own file ({@link FileHarvestCheckpoints}); with the PostgreSQL sink they live in its database and commit with
 * the rows.
 */
public interface HarvestCheckpoints {

    /** The source's checkpoint, or null when it has none yet. */
    HarvestCheckpoint load(String source) throws Exception;

    /** Replaces the source's checkpoint, atomically. */
    void commit(HarvestCheckpoint checkpoint) throws Exception;
}
