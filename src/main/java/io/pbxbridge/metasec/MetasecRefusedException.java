package io.pbxbridge.metasec;

/**
 * The WebTAPI answered {@code 0}: "if there was an error, the return value is 0" (the spec's only error report),
 * or an HTTP 4xx. A {@code 0} cannot tell a refused action (an unknown channel, extension, queue, relay...) from a
 * session that expired: {@link #sessionMayHaveExpired()} is true for those, and the component then logs in again, and
 * sends the request once more only when the action is safe to repeat. Not transient: sending the same request again
 * is the caller's decision.
 */
public class MetasecRefusedException extends MetasecException {

    private final boolean sessionMayHaveExpired;

    /** A bare {@code 0}. */
    public MetasecRefusedException(String action) {
        this(action, "0", "the WebTAPI answered 0 to " + action + " (an error; or the session had expired)", true);
    }

    public MetasecRefusedException(String action, String code, String message, boolean sessionMayHaveExpired) {
        super(action, code, "error", Kind.REFUSED, message, null);
        this.sessionMayHaveExpired = sessionMayHaveExpired;
    }

    /** Whether the answer is one an expired session gets too (a bare {@code 0}). */
    public boolean sessionMayHaveExpired() {
        return sessionMayHaveExpired;
    }
}
