package io.pbxbridge.metasec;

import io.pbxbridge.vendor.VendorException;

/**
 * A METASEC WebTAPI action failed. Subclasses tell routes what to do about it: {@link MetasecConnectionException} is
 * transient (the server could not be reached or did not answer), {@link MetasecRefusedException} is the WebTAPI's
 * {@code 0} (an error, or a session that expired: the WebTAPI does not tell them apart), {@link MetasecLoginException}
 * a refused login, {@link MetasecResponseException} an answer that does not fit the action and
 * {@link MetasecValidationException} a request refused before it was sent. Messages name the action and never contain
 * the password or the session id.
 */
public class MetasecException extends VendorException {

    public MetasecException(String action, String code, String vendorMessage, Kind kind, String message,
                            Throwable cause) {
        super(MetasecComponent.SCHEME, action, code, vendorMessage, kind, message, cause);
    }

    /** The action's wire name, e.g. {@code call_hangup}. */
    public String getAction() {
        return getOperation();
    }
}
