package io.pbxbridge.metasec;

import java.io.IOException;

import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpResponse;

/**
 * METASEC's exceptions for failed HTTP calls: {@link MetasecConnectionException} (transient) when the server could
 * not be reached or did not answer and for HTTP 5xx, 408 and 429; {@link MetasecRefusedException} for another 4xx;
 * {@link MetasecResponseException} for any other status.
 */
final class MetasecHttpFailures implements VendorHttpFailures {

    static final MetasecHttpFailures INSTANCE = new MetasecHttpFailures();

    private MetasecHttpFailures() {
    }

    @Override
    public MetasecException ioFailure(VendorHttpRequest request, String message, IOException cause) {
        return new MetasecConnectionException(request.operation(), VendorHttpFailures.ioCode(cause), message, cause);
    }

    @Override
    public MetasecException transientStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return new MetasecConnectionException(request.operation(), "HTTP " + response.status(), message, null);
    }

    @Override
    public MetasecException refusedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return new MetasecRefusedException(request.operation(), "HTTP " + response.status(), message, false);
    }

    @Override
    public MetasecException unexpectedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return new MetasecResponseException(request.operation(), message);
    }
}
