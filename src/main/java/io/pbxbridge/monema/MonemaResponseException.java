package io.pbxbridge.monema;

/** The server answered, but not with what the operation returns (wrong element, missing or malformed field). */
public class MonemaResponseException extends MonemaException {

    public MonemaResponseException(String operation, String message) {
        super(operation, "MALFORMED_RESPONSE", Kind.MALFORMED_REPLY, message, null);
    }
}
