package io.pbxbridge.mor;

/**
 * MOR answered with its login page (or a redirect to it) instead of the page asked for: the session cookie is
 * missing, unknown or expired. MOR, a Rails application, sends the login page before it runs the page's action, so
 * the request was not carried out ({@link #provesNotExecuted()}): the component logs in again once and sends it again,
 * whatever it is. Thrown to the caller only when the page still answers so after a fresh login.
 */
public class MorLoggedOutException extends MorFaultException {

    public static final String CODE = "LOGGED_OUT";

    public MorLoggedOutException(String operation, String message) {
        super(operation, CODE, "Login page", message);
    }
}
