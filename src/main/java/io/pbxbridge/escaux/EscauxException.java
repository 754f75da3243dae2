package io.pbxbridge.escaux;

import io.pbxbridge.vendor.VendorException;

/**
 * An Escaux operation failed. Subclasses tell routes what to do about it: {@link EscauxConnectionException} is
 * transient (retry), {@link EscauxFaultException} is the SOP's refusal (a failure result code),
 * {@link EscauxResponseException} a reply that does not fit the operation and {@link EscauxValidationException} a
 * request refused before it was sent (all permanent). Messages never contain pincodes or passwords.
 */
public class EscauxException extends VendorException {

    public EscauxException(String operation, String code, String meaning, Kind kind, String message, Throwable cause) {
        super(EscauxComponent.SCHEME, operation, code, meaning, kind, message, cause);
    }

    /** What the code means according to the spec, or the SOP's error text. */
    public String getMeaning() {
        return getVendorMessage();
    }
}
