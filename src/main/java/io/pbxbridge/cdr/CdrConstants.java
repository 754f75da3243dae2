package io.pbxbridge.cdr;

import org.apache.camel.spi.Metadata;

/** Headers and exchange properties of the call-record batches that the vendors' {@code cdr} consumers emit. */
public final class CdrConstants {

    @Metadata(label = "consumer", description = "The harvest source: vendor and server/account, e.g. monema:host/login.",
              javaType = "String")
    public static final String SOURCE = "CamelPbxCdrSource";
    @Metadata(label = "consumer", description = "The run's number; one more than the last committed run's.",
              javaType = "Long")
    public static final String RUN = "CamelPbxCdrRun";
    @Metadata(label = "consumer", description = "The run's window start (exclusive), ISO-8601.", javaType = "String")
    public static final String WINDOW_FROM = "CamelPbxCdrWindowFrom";
    @Metadata(label = "consumer", description = "The run's window end (inclusive), ISO-8601.", javaType = "String")
    public static final String WINDOW_TO = "CamelPbxCdrWindowTo";
    @Metadata(label = "consumer", description = "True for a backfill run (its checkpoint is not moved).",
              javaType = "Boolean")
    public static final String BACKFILL = "CamelPbxCdrBackfill";

    /**
     * Exchange property on the last batch of a live run: the {@link HarvestCheckpoint} that its on-completion commits.
     * A sink that can store it with its rows in one transaction (PostgreSQL) does so.
     */
    public static final String CHECKPOINT = "CamelPbxCdrCheckpoint";

    private CdrConstants() {
    }
}
