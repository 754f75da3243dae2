package io.pbxbridge.portasip;

/** Refused by the component before anything was sent: a missing or invalid input. */
public class PortaSipValidationException extends PortaSipException {

    public PortaSipValidationException(String operation, String message) {
        super(operation, "INVALID_REQUEST", "refused by the client before sending", Kind.INVALID_REQUEST,
                operation + ": " + message, null);
    }
}
