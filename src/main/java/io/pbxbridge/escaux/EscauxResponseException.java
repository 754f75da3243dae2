package io.pbxbridge.escaux;

/** The SOP answered, but not with what the operation returns (wrong element, not XML/JSON, missing field...). */
public class EscauxResponseException extends EscauxException {

    public EscauxResponseException(String operation, String message) {
        super(operation, "MALFORMED_RESPONSE", "malformed response", Kind.MALFORMED_REPLY,
                operation + " response: " + message, null);
    }

    public EscauxResponseException(String operation, String message, Throwable cause) {
        super(operation, "MALFORMED_RESPONSE", "malformed response", Kind.MALFORMED_REPLY,
                operation + " response: " + message, cause);
    }
}
