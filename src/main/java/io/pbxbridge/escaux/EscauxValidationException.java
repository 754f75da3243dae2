package io.pbxbridge.escaux;

/**
 * The request was refused by the component before it was sent, because the SOP would refuse or misread it: a
 * missing mandatory input, a {@code ccOriginate} variable value outside the allowed characters, a PUM call within
 * 90 seconds of the previous one for the same extension ({@link EscauxPumIntervalException}).
 */
public class EscauxValidationException extends EscauxException {

    public EscauxValidationException(String operation, String message) {
        super(operation, "INVALID_REQUEST", "refused by the client before sending", Kind.INVALID_REQUEST,
                operation + ": " + message, null);
    }

    protected EscauxValidationException(String operation, String code, String meaning, String message) {
        super(operation, code, meaning, Kind.INVALID_REQUEST, message, null);
    }
}
