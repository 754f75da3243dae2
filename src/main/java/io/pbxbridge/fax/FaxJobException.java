package io.pbxbridge.fax;

/**
 * A fax job cannot be done as submitted (missing or broken sidecar, no destinations, a refused outbox entry, a send
 * whose outcome is unknown). Permanent: trying again would not help. The code and operation go into the job's error
 * report next to the vendors' own.
 */
public class FaxJobException extends RuntimeException {

    /** No sidecar and no destinations in the file name, or a sidecar without destinations. */
    public static final String NO_DESTINATION = "NO_DESTINATION";
    /** A sidecar that cannot be read or is not a valid sidecar. */
    public static final String BAD_SIDECAR = "BAD_SIDECAR";
    /** The process stopped, or the server did not answer, while it was sending the fax: it may have gone out. */
    public static final String SEND_OUTCOME_UNKNOWN = "SEND_OUTCOME_UNKNOWN";

    private final String code;
    private final String operation;

    /**
     * @param code      a stable code, e.g. {@link #BAD_SIDECAR}
     * @param operation the step that failed: {@code sidecar}, {@code outbox}, or the vendor operation
     * @param message   what is wrong, in words
     */
    public FaxJobException(String code, String operation, String message) {
        super(message);
        this.code = code;
        this.operation = operation;
    }

    public String getCode() {
        return code;
    }

    public String getOperation() {
        return operation;
    }
}
