package io.pbxbridge.monema;

import io.pbxbridge.vendor.VendorException;

/**
 * A Monema operation failed. Subclasses tell routes what to do about it: {@link MonemaConnectionException} is
 * transient (retry), {@link MonemaFaultException} is the vendor's refusal and {@link MonemaResponseException} a reply
 * that does not fit the operation (both permanent). Messages never contain the login password.
 */
public class MonemaException extends VendorException {

    public MonemaException(String operation, String faultCode, Kind kind, String message, Throwable cause) {
        super(MonemaComponent.SCHEME, operation, faultCode, null, kind, message, cause);
    }

    /** The vendor's fault code (e.g. {@code SOAP-ENV:Client}), an HTTP status, or a local code; may be null. */
    public String getFaultCode() {
        return getCode();
    }
}
