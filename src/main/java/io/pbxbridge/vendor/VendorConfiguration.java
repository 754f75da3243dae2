package io.pbxbridge.vendor;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;

import io.pbxbridge.cdr.HarvestCheckpoints;

/**
 * Base of the vendor components' {@code @UriParams} configurations: the component holds one with the shared
 * options, and each endpoint gets its own copy to override them. The options here are every vendor's: those of the
 * {@code cdr} consumer (the call-record harvest).
 */
public abstract class VendorConfiguration implements Cloneable {

    @UriParam(label = "producer,advanced", defaultValue = "false",
              description = "Call the vendor on the caller's thread instead of the component's pool: for a caller "
                      + "that waits for the answer anyway (the commands job), it saves a thread hand-off per call")
    private boolean synchronous;
    @UriParam(label = "consumer,cdr", defaultValue = "10m", javaType = "java.time.Duration",
              description = "cdr: each window starts this long before the checkpoint, for records that arrive late")
    private long cdrOverlap = 600_000L;
    @UriParam(label = "consumer,cdr", defaultValue = "1m", javaType = "java.time.Duration",
              description = "cdr: each window ends this long before now, away from records still being written")
    private long cdrLag = 60_000L;
    @UriParam(label = "consumer,cdr", defaultValue = "24h", javaType = "java.time.Duration",
              description = "cdr: a source without a checkpoint starts this long before now")
    private long cdrFirstRunLookback = 86_400_000L;
    @UriParam(label = "consumer,cdr", defaultValue = "1000",
              description = "cdr: records per exchange at most")
    private int cdrBatchSize = 1000;
    @UriParam(label = "consumer,cdr", defaultValue = "1h", javaType = "java.time.Duration",
              description = "cdr: readiness goes DOWN when the checkpoint is older than this")
    private long cdrUnhealthyLag = 3_600_000L;
    @UriParam(label = "consumer,cdr", defaultValue = "data/cdr/dead-letter",
              description = "cdr: folder of the records that could not be read, one <source>.ndjson per source")
    private String cdrDeadLetterDirectory = "data/cdr/dead-letter";
    @UriParam(label = "consumer,cdr",
              description = "cdr: where checkpoints are kept; default the bean cdrCheckpoints, else files in "
                            + "data/cdr/checkpoints")
    private HarvestCheckpoints cdrCheckpoints;

    /** A shallow copy, for one endpoint. */
    protected <C extends VendorConfiguration> C copy(Class<C> type) {
        try {
            return type.cast(clone());
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public boolean isSynchronous() {
        return synchronous;
    }

    public void setSynchronous(boolean synchronous) {
        this.synchronous = synchronous;
    }

    public long getCdrOverlap() {
        return cdrOverlap;
    }

    public void setCdrOverlap(long cdrOverlap) {
        this.cdrOverlap = cdrOverlap;
    }

    public long getCdrLag() {
        return cdrLag;
    }

    public void setCdrLag(long cdrLag) {
        this.cdrLag = cdrLag;
    }

    public long getCdrFirstRunLookback() {
        return cdrFirstRunLookback;
    }

    public void setCdrFirstRunLookback(long cdrFirstRunLookback) {
        this.cdrFirstRunLookback = cdrFirstRunLookback;
    }

    public int getCdrBatchSize() {
        return cdrBatchSize;
    }

    public void setCdrBatchSize(int cdrBatchSize) {
        this.cdrBatchSize = cdrBatchSize;
    }

    public long getCdrUnhealthyLag() {
        return cdrUnhealthyLag;
    }

    public void setCdrUnhealthyLag(long cdrUnhealthyLag) {
        this.cdrUnhealthyLag = cdrUnhealthyLag;
    }

    public String getCdrDeadLetterDirectory() {
        return cdrDeadLetterDirectory;
    }

    public void setCdrDeadLetterDirectory(String cdrDeadLetterDirectory) {
        this.cdrDeadLetterDirectory = cdrDeadLetterDirectory;
    }

    public HarvestCheckpoints getCdrCheckpoints() {
        return cdrCheckpoints;
    }

    public void setCdrCheckpoints(HarvestCheckpoints cdrCheckpoints) {
        this.cdrCheckpoints = cdrCheckpoints;
    }
}
