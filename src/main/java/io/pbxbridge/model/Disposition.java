package io.pbxbridge.model;

/** How a call ended, in the vendor-neutral vocabulary of {@link CallRecord}. */
public enum Disposition {
    ANSWERED,
    NO_ANSWER,
    BUSY,
    FAILED,
    CANCELLED,
    UNKNOWN
}
