package io.pbxbridge.mor;

import io.pbxbridge.vendor.VendorFailures;

/**
 * MOR could not be reached or did not answer: connection refused or reset, timeout, a page cut off by a dropped
 * connection, HTTP 5xx. Transient: retrying later may succeed; {@link #provesNotExecuted()} tells whether the request
 * may have reached MOR.
 */
public class MorConnectionException extends MorException {

    public MorConnectionException(String operation, String code, String message, Throwable cause) {
        super(operation, code, "connection failure", VendorFailures.ioKind(cause), message, cause);
    }
}
