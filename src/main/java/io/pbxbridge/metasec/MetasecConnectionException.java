package io.pbxbridge.metasec;

import io.pbxbridge.vendor.VendorFailures;

/**
 * The WebTAPI could not be reached or did not answer: connection refused or reset, timeout, HTTP 5xx, 408 or 429, a
 * reply cut off while it was read. Transient; {@link #provesNotExecuted()} tells whether the request may have reached
 * the server.
 */
public class MetasecConnectionException extends MetasecException {

    public MetasecConnectionException(String action, String code, String message, Throwable cause) {
        super(action, code, "connection failure", cause == null ? Kind.NO_ANSWER : VendorFailures.ioKind(cause),
                message, cause);
    }
}
