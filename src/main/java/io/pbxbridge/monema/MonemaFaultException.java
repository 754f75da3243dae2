package io.pbxbridge.monema;

/** The Monema server refused the request: a SOAP fault, an HTTP 4xx, or an operation that answered {@code false}. */
public class MonemaFaultException extends MonemaException {

    public MonemaFaultException(String operation, String faultCode, String message) {
        super(operation, faultCode, Kind.REFUSED, message, null);
    }
}
