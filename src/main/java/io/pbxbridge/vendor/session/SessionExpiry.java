package io.pbxbridge.vendor.session;

/** What a failed call says about its session ({@link SessionExpiryDetector}). */
public enum SessionExpiry {
    /** The failure is not about the session: it is the call's. */
    NOT_EXPIRED,
    /** The session had expired and the reply proves the request was not carried out: it may be sent again. */
    EXPIRED_NOT_EXECUTED,
    /** The session had expired (or may have), and whether the request was carried out is unknown. */
    EXPIRED_OUTCOME_UNKNOWN
}
