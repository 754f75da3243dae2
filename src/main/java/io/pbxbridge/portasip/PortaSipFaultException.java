package io.pbxbridge.portasip;

/**
 * The JSON API answered with a fault: HTTP 500 whose body is {@code {"faultcode": ..., "faultstring": ...}}.
 * {@link #getCode()} is the {@code faultcode} (e.g. {@code Server.Session.check_auth.auth_failed},
 * {@code Client.AutoAttendant.create_menu.validation_error}), {@link #getVendorMessage()} the {@code faultstring}.
 * The server refused the request (REFUSED), unless the code says it failed inside ({@code ...internal_error}): then
 * whether it was carried out is unknown (NO_ANSWER, transient).
 */
public class PortaSipFaultException extends PortaSipException {

    public PortaSipFaultException(String operation, String faultcode, String faultstring, String message) {
        super(operation, faultcode, faultstring, kindOf(faultcode), message, null);
    }

    /** Whether the code is an authentication fault (an expired or unknown session, wrong credentials). */
    public boolean isAuthFault() {
        return PortaSipFaults.isAuthFault(getCode());
    }

    static Kind kindOf(String code) {
        return PortaSipFaults.isInternalError(code) ? Kind.NO_ANSWER : Kind.REFUSED;
    }
}
