package io.pbxbridge.portasip;

/**
 * A Call Control method answered with a JSON-RPC error, in either envelope PortaSIP may use:
 * {@code {"cseq": N, "error": {"code", "message", "details"}}} or {@code {"cseq": N, "success": 0, "code", ...}}.
 * {@link #getCode()} is the code ({@code sip.call_not_found}, {@code sip.wrong_parameters},
 * {@code Server.CallControl.get_sip_calls_list.not_subscribed}...), {@link #getVendorMessage()} the message and
 * {@link #getDetails()} the details. REFUSED, unless the code is an internal error (outcome unknown).
 */
public class PortaSipCallControlException extends PortaSipException {

    private final String details;
    private final long cseq;

    public PortaSipCallControlException(String method, long cseq, String code, String vendorMessage, String details,
                                        String message) {
        super(method, code, vendorMessage, PortaSipFaultException.kindOf(code), message, null);
        this.details = details;
        this.cseq = cseq;
    }

    /** The error's {@code details}, if any. */
    public String getDetails() {
        return details;
    }

    /** The request's {@code cseq}. */
    public long getCseq() {
        return cseq;
    }

    /** Whether the code is an authentication error (the session is not valid). */
    public boolean isAuthFault() {
        return PortaSipFaults.isAuthFault(getCode());
    }
}
