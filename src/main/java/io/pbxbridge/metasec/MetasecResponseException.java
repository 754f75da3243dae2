package io.pbxbridge.metasec;

/** The WebTAPI answered, but not with what the action returns (neither 1 nor 0, not a file, an HTML page...). */
public class MetasecResponseException extends MetasecException {

    public MetasecResponseException(String action, String message) {
        super(action, "MALFORMED_RESPONSE", "malformed response", Kind.MALFORMED_REPLY, action + " response: " + message,
                null);
    }
}
