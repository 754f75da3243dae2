package io.pbxbridge.escaux;

import java.io.IOException;

import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpResponse;

/**
 * Escaux's exceptions for failed HTTP calls: {@link EscauxConnectionException} (transient) when the SOP could not be
 * reached or did not answer and for HTTP 5xx, 408 and 429; {@link EscauxFaultException} for another 4xx;
 * {@link EscauxResponseException} for any other status.
 */
final class EscauxHttpFailures implements VendorHttpFailures {

    static final EscauxHttpFailures INSTANCE = new EscauxHttpFailures();

    private EscauxHttpFailures() {
    }

    @Override
    public EscauxException ioFailure(VendorHttpRequest request, String message, IOException cause) {
        return new EscauxConnectionException(request.operation(), VendorHttpFailures.ioCode(cause), message, cause);
    }

    @Override
    public EscauxException transientStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return new EscauxConnectionException(request.operation(), "HTTP " + response.status(), message, null);
    }

    @Override
    public EscauxException refusedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        String code = "HTTP " + response.status();
        return new EscauxFaultException(request.operation(), code,
                response.reason() == null || response.reason().isBlank() ? code : code + " " + response.reason(),
                message, false);
    }

    @Override
    public EscauxException unexpectedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return new EscauxResponseException(request.operation(), message);
    }
}
