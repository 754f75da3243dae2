package io.pbxbridge.portasip;

import io.pbxbridge.vendor.VendorException;

/**
 * A PortaSIP operation failed. {@link PortaSipFaultException}: the JSON API answered with a fault (HTTP 500,
 * {@code faultcode}/{@code faultstring}); {@link PortaSipCallControlException}: a Call Control method answered with a
 * JSON-RPC error; {@link PortaSipConnectionException}: no answer (unreachable, timeout, socket closed, HTTP 5xx
 * without a fault); {@link PortaSipResponseException}: an answer that is not what the method returns;
 * {@link PortaSipValidationException}: refused before sending. Messages never contain a password or a session id.
 */
public class PortaSipException extends VendorException {

    public PortaSipException(String operation, String code, String vendorMessage, Kind kind, String message,
                             Throwable cause) {
        super(PortaSipComponent.SCHEME, operation, code, vendorMessage, kind, message, cause);
    }
}
