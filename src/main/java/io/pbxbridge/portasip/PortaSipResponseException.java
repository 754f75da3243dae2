package io.pbxbridge.portasip;

/** PortaSIP answered, but not with what the method returns (not JSON, a missing field, a broken multipart reply). */
public class PortaSipResponseException extends PortaSipException {

    public PortaSipResponseException(String operation, String message, Throwable cause) {
        super(operation, "MALFORMED_RESPONSE", "malformed response", Kind.MALFORMED_REPLY,
                operation + " response: " + message, cause);
    }
}
