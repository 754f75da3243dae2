package io.pbxbridge.portasip;

import java.util.Locale;

import io.pbxbridge.vendor.session.SessionExpiry;
import io.pbxbridge.vendor.session.SessionExpiryDetector;

/** How PortaSIP's fault and error codes read. */
final class PortaSipFaults {

    /**
     * An authentication fault on a request made with a session ({@code Server.Session.check_auth.auth_failed} and
     * any other {@code check_auth} code, {@code *.auth_failed}, {@code *not_authenticated}): PortaSIP checks the session
     * before it executes anything, so the request was not carried out and may be sent again with a new session. Not
     * {@code Server.Session.login.auth_failed}: that is a login refused (wrong credentials), which another login
     * would not fix.
     */
    static final SessionExpiryDetector EXPIRY = failure -> failure instanceof PortaSipFaultException
            || failure instanceof PortaSipCallControlException
            ? (isAuthFault(failure.getCode()) ? SessionExpiry.EXPIRED_NOT_EXECUTED : SessionExpiry.NOT_EXPIRED)
            : SessionExpiry.NOT_EXPIRED;

    private PortaSipFaults() {
    }

    static boolean isAuthFault(String code) {
        if (code == null) {
            return false;
        }
        String c = code.toLowerCase(Locale.ROOT);
        if (c.contains("session.login.")) {
            return false;
        }
        return c.contains("check_auth") || c.endsWith("auth_failed") || c.contains("not_authenticated")
                || c.contains("unauthenticated") || c.endsWith("session_expired");
    }

    /** {@code internal_error}, {@code sip.internal_server_error}, {@code Server.X.y.internal_error}. */
    static boolean isInternalError(String code) {
        if (code == null) {
            return false;
        }
        String c = code.toLowerCase(Locale.ROOT);
        return c.endsWith("internal_error") || c.endsWith("internal_server_error");
    }
}
