package io.pbxbridge.sandbox.monema;

/** A SOAP fault the simulator answers with (HTTP 500), faultcode {@code SOAP-ENV:<code>}. */
final class SimFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final String code;

    SimFault(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static SimFault client(String message) {
        return new SimFault("Client", message);
    }

    static SimFault server(String message) {
        return new SimFault("Server", message);
    }
}
