package io.pbxbridge.monema;

import io.pbxbridge.vendor.VendorFailures;

/**
 * The Monema server could not be reached or did not answer properly: connection refused or reset, timeout, HTTP 5xx
 * without a SOAP fault, a truncated reply. Transient: retrying later may succeed.
 */
public class MonemaConnectionException extends MonemaException {

    public MonemaConnectionException(String operation, String faultCode, String message, Throwable cause) {
        super(operation, faultCode, VendorFailures.ioKind(cause), message, cause);
    }
}
