package io.pbxbridge.portasip;

/**
 * No complete answer: PortaSIP could not be reached (UNREACHABLE: nothing was sent), or the request was sent and no
 * answer came (NO_ANSWER: a timeout, a socket closed before the reply, HTTP 5xx without a fault; whether it was carried
 * out is unknown). Transient. Codes: {@code TIMEOUT}, {@code SOCKET_CLOSED}, {@code CONNECT_FAILED}, {@code HTTP 503},
 * or the I/O exception's class name.
 */
public class PortaSipConnectionException extends PortaSipException {

    public PortaSipConnectionException(String operation, String code, Kind kind, String message, Throwable cause) {
        super(operation, code, "connection failure", kind, message, cause);
    }
}
