package io.pbxbridge.metasec;

/** The request was refused by the component before it was sent: a missing or invalid input. */
public class MetasecValidationException extends MetasecException {

    public MetasecValidationException(String action, String message) {
        super(action, "INVALID_REQUEST", "refused by the client before sending", Kind.INVALID_REQUEST,
                action + ": " + message, null);
    }
}
