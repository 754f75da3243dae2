package io.pbxbridge.monema;

/**
 * A Monema operation failed. Subclasses tell routes what to do about it: {@link MonemaConnectionException} is
 * transient (retry), {@link MonemaFaultException} is the vendor's refusal and {@link MonemaResponseException} a reply
 * that does not fit the operation (both permanent). Messages never contain the login password.
 */
public class MonemaException extends RuntimeException {

    private final String operation;
    private final String faultCode;

    public MonemaException(String operation, String faultCode, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.faultCode = faultCode;
    }

    /** Wire name of the operation that failed, e.g. {@code C_sendFax}. */
    public String getOperation() {
        return operation;
    }

    /** The vendor's fault code (e.g. {@code SOAP-ENV:Client}), an HTTP status, or a local code; may be null. */
    public String getFaultCode() {
        return faultCode;
    }

    /** Whether trying again later may succeed. */
    public boolean isTransient() {
        return false;
    }
}
