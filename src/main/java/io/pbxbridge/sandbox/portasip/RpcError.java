package io.pbxbridge.sandbox.portasip;

/**
 * A JSON-RPC error on the Call Control socket: {@code code}, {@code message}, {@code details} (the spec's three
 * fields), written in the envelope {@link PortaSipFaults.ErrorEnvelope} chooses.
 */
final class RpcError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final String code;
    final String message;
    final String details;

    RpcError(String code, String message, String details) {
        super(code + ": " + details, null, false, false);
        this.code = code;
        this.message = message;
        this.details = details;
    }

    static RpcError unsupportedMethod(String details) {
        return new RpcError("sip.unsupported_method", "Unsupported method", details);
    }

    static RpcError wrongParameters(String details) {
        return new RpcError("sip.wrong_parameters", "Bad parameters", details);
    }

    static RpcError callNotFound(String details) {
        return new RpcError("sip.call_not_found", "Not found", details);
    }

    static RpcError disabled(String details) {
        return new RpcError("sip.call_control_disabled", "Disabled", details);
    }

    static RpcError internal(String details) {
        return new RpcError("internal_error", "Internal server error", details);
    }

    static RpcError authFailed() {
        return new RpcError("Server.Session.check_auth.auth_failed", "Authentication failed",
                "no valid session on this socket and no valid auth_info in the request");
    }

    static RpcError loginFailed() {
        return new RpcError("Server.Session.login.auth_failed", "Login failed", "wrong login, domain or password");
    }

    static RpcError notSubscribed(String method, String scope) {
        return new RpcError("Server.CallControl." + method + ".not_subscribed", "Not subscribed",
                "this socket has no subscription for " + scope);
    }

    static RpcError accessDenied(String method, String scope) {
        return new RpcError("Server.CallControl." + method + ".access_denied", "Access denied",
                "the account may not see " + scope);
    }
}
