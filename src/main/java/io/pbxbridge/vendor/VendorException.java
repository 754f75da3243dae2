package io.pbxbridge.vendor;

/**
 * A PBX vendor operation failed. Every component throws a subclass of this one, so a route needs one
 * {@code onException(VendorException.class)} for every vendor, and {@link #isTransient()} tells it whether trying
 * again later may succeed. {@link #getKind()} says what is known about the request: whether it reached the vendor
 * and whether the vendor's answer proves it was not carried out, which decides whether a request that changes state
 * may be sent again. Messages never contain a password, a session id or a secret.
 */
public class VendorException extends RuntimeException {

    /** What happened to the request. */
    public enum Kind {
        /** The vendor could not be reached (connection refused, no route, name not resolved): not sent. */
        UNREACHABLE(true, true),
        /** Sent, but no complete answer came back (timeout, dropped connection, HTTP 5xx): outcome unknown. */
        NO_ANSWER(true, false),
        /** The vendor answered that it did not carry the request out (a fault, a failure code, HTTP 4xx). */
        REFUSED(false, true),
        /** The vendor answered with something the operation does not return: outcome unknown. */
        MALFORMED_REPLY(false, false),
        /** Refused by pbx-bridge before anything was sent (a missing or invalid input). */
        INVALID_REQUEST(false, true);

        private final boolean transientFailure;
        private final boolean notExecuted;

        Kind(boolean transientFailure, boolean notExecuted) {
            this.transientFailure = transientFailure;
            this.notExecuted = notExecuted;
        }

        public boolean isTransient() {
            return transientFailure;
        }

        /** True when the request is known not to have been carried out, so sending it again cannot double it. */
        public boolean provesNotExecuted() {
            return notExecuted;
        }
    }

    private final String vendor;
    private final String operation;
    private final String code;
    private final String vendorMessage;
    private final Kind kind;

    /**
     * @param vendor        the component's scheme, e.g. {@code escaux}
     * @param operation     the operation's wire name, e.g. {@code C_sendFax}
     * @param code          the vendor's code (fault code, result code), an HTTP status ({@code HTTP 503}) or a local code
     * @param vendorMessage what the vendor said (or what the code means), if anything
     * @param message       the whole explanation, naming the operation and what was wrong
     */
    public VendorException(String vendor, String operation, String code, String vendorMessage, Kind kind,
                           String message, Throwable cause) {
        super(message, cause);
        this.vendor = vendor;
        this.operation = operation;
        this.code = code;
        this.vendorMessage = vendorMessage;
        this.kind = kind;
    }

    /** The component's scheme: {@code monema}, {@code escaux}... */
    public String getVendor() {
        return vendor;
    }

    /** Wire name of the operation that failed. */
    public String getOperation() {
        return operation;
    }

    /** The vendor's code, an HTTP status ({@code HTTP 503}) or a local code ({@code MALFORMED_RESPONSE}); may be null. */
    public String getCode() {
        return code;
    }

    /** The vendor's own text for the failure, or what its code means; may be null. */
    public String getVendorMessage() {
        return vendorMessage;
    }

    public Kind getKind() {
        return kind;
    }

    /** Whether trying again later may succeed. */
    public boolean isTransient() {
        return kind.isTransient();
    }

    /** Whether the request is known not to have been carried out (see {@link Kind#provesNotExecuted()}). */
    public boolean provesNotExecuted() {
        return kind.provesNotExecuted();
    }
}
