package io.pbxbridge.escaux;

/**
 * The SOP could not be reached or did not answer: connection refused or reset, timeout, HTTP 5xx. Transient:
 * retrying later may succeed.
 */
public class EscauxConnectionException extends EscauxException {

    public EscauxConnectionException(String operation, String code, String message, Throwable cause) {
        super(operation, code, "connection failure", message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
