package io.pbxbridge.escaux;

import io.pbxbridge.vendor.VendorFailures;

/**
 * The SOP could not be reached or did not answer: connection refused or reset, timeout, HTTP 5xx. Transient:
 * retrying later may succeed; {@link #provesNotExecuted()} tells whether the request may have reached the SOP.
 */
public class EscauxConnectionException extends EscauxException {

    public EscauxConnectionException(String operation, String code, String message, Throwable cause) {
        super(operation, code, "connection failure", VendorFailures.ioKind(cause), message, cause);
    }
}
