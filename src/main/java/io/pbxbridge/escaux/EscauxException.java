package io.pbxbridge.escaux;

/**
 * An Escaux operation failed. Subclasses tell routes what to do about it: {@link EscauxConnectionException} is
 * transient (retry), {@link EscauxFaultException} is the SOP's refusal (a failure result code),
 * {@link EscauxResponseException} a reply that does not fit the operation and {@link EscauxValidationException} a
 * request refused before it was sent (all permanent). Messages never contain pincodes or passwords.
 */
public class EscauxException extends RuntimeException {

    private final String operation;
    private final String code;
    private final String meaning;

    public EscauxException(String operation, String code, String meaning, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.code = code;
        this.meaning = meaning;
    }

    /** The operation that failed, e.g. {@code dbSetProfile}. */
    public String getOperation() {
        return operation;
    }

    /** The SOP's result code ({@code 1}, {@code 3}, {@code NOK}...), an HTTP status, or a local code. */
    public String getCode() {
        return code;
    }

    /** What the code means according to the spec, or the SOP's error text. */
    public String getMeaning() {
        return meaning;
    }

    /** Whether trying again later may succeed. */
    public boolean isTransient() {
        return false;
    }
}
