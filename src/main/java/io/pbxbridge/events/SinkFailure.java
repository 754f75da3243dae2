package io.pbxbridge.events;

import io.pbxbridge.vendor.VendorFailures;

/** How a failed delivery is treated: retried and spooled, dead-lettered, or the end of the subscription. */
public enum SinkFailure {
    /** Connection problems, timeouts, HTTP 5xx/408/429: retry, then spool and replay. */
    TRANSIENT,
    /** The sink refused this event (HTTP 4xx, a malformed address): dead letter at once. */
    PERMANENT,
    /** HTTP 410 Gone: the receiver ended the subscription; it is disabled. */
    GONE;

    public static SinkFailure of(Throwable failure) {
        Integer status = VendorFailures.findHttpStatus(failure);
        if (status != null && status == 410) {
            return GONE;
        }
        return VendorFailures.isTransient(failure) ? TRANSIENT : PERMANENT;
    }
}
