package io.pbxbridge.mor;

import io.pbxbridge.vendor.VendorException;

/**
 * A MOR operation failed. Subclasses tell routes what to do about it: {@link MorConnectionException} is transient
 * (MOR could not be reached, did not answer, HTTP 5xx); {@link MorFaultException} is MOR's refusal with its text
 * ({@code <status>failed</status>}, {@code <error_msg>}, {@code <error>}), {@link MorAuthenticationException} the
 * refusals that are about the account (bad login, unknown user, incorrect hash) and {@link MorLoggedOutException}
 * MOR's login page instead of the page asked for; {@link MorResponseException} a reply that does not fit the
 * operation ({@link MorUnreadablePageException}: a page that cannot be read, with its position) and
 * {@link MorValidationException} a request refused before it was sent. Messages never contain the password, the
 * API secret key, a hash or a device's SIP password.
 */
public class MorException extends VendorException {

    public MorException(String operation, String code, String vendorMessage, Kind kind, String message,
                        Throwable cause) {
        super(MorComponent.SCHEME, operation, code, vendorMessage, kind, message, cause);
    }
}
