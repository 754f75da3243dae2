package io.pbxbridge.mor;

/**
 * MOR answered, but not with what the operation returns: another root element, an action where a page was expected,
 * an empty reply, a field that is not a number or a date. Outcome unknown, not transient.
 */
public class MorResponseException extends MorException {

    public static final String CODE = "MALFORMED_RESPONSE";

    public MorResponseException(String operation, String message) {
        this(operation, message, null);
    }

    public MorResponseException(String operation, String message, Throwable cause) {
        super(operation, CODE, "malformed response", Kind.MALFORMED_REPLY, message, cause);
    }
}
