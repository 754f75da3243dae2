package io.pbxbridge.mor;

/**
 * MOR refused the request and said why: an {@code <action>} with {@code <status>failed</status>} (code
 * {@code FAILED}, the {@code <status_message>} in {@link #getVendorMessage()}), a page with a non-empty
 * {@code <error_msg>} ({@code ERROR_MSG}), an {@code <error>} ({@code ERROR}), or an HTTP 4xx. Not carried out, not
 * transient.
 */
public class MorFaultException extends MorException {

    public MorFaultException(String operation, String code, String vendorMessage, String message) {
        super(operation, code, vendorMessage, Kind.REFUSED, message, null);
    }
}
