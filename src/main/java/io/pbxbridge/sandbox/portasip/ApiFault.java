package io.pbxbridge.sandbox.portasip;

/**
 * A JSON API fault: HTTP 500 with {@code {"faultcode": ..., "faultstring": ...}}. The codes the simulator uses:
 * <ul>
 * <li>{@code Server.Session.check_auth.auth_failed}: no {@code auth_info}, an unknown or expired session, wrong
 * credentials in {@code auth_info};</li>
 * <li>{@code Server.Session.login.auth_failed}: {@code login} with a wrong login, domain or password;</li>
 * <li>{@code Client.<Service>.<method>.validation_error}: missing, unknown or invalid parameters (a value outside the
 * spec's list, too long, the wrong type, the reserved name ROOT, a name in use, a missing {@code upload_file});</li>
 * <li>{@code Server.<Service>.<method>.not_found}: an id (menu, transition, conference, directory entry) the account
 * does not have, or audio that was never stored;</li>
 * <li>{@code Client.unknown_method}: a service or method the API does not have.</li>
 * </ul>
 */
final class ApiFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final String faultcode;
    final String faultstring;

    ApiFault(String faultcode, String faultstring) {
        super(faultcode + ": " + faultstring, null, false, false);
        this.faultcode = faultcode;
        this.faultstring = faultstring;
    }

    static ApiFault authFailed() {
        return new ApiFault("Server.Session.check_auth.auth_failed", "Authentication failed");
    }

    static ApiFault validation(String service, String method, String what) {
        return new ApiFault("Client." + service + "." + method + ".validation_error", what);
    }

    static ApiFault notFound(String service, String method, String what) {
        return new ApiFault("Server." + service + "." + method + ".not_found", what);
    }

    static ApiFault unknownMethod(String service, String method) {
        return new ApiFault("Client.unknown_method", "Unknown method " + service + "/" + method);
    }
}
