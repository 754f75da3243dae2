package io.pbxbridge.mor;

import java.io.IOException;

import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpResponse;

/**
 * MOR's exceptions for failed HTTP calls: {@link MorConnectionException} (transient) when MOR could not be reached or
 * did not answer and for HTTP 5xx, 408 and 429; {@link MorFaultException} for another 4xx; a redirect to the login
 * page (what a Rails application answers without a session, where the spec's MOR answers the login page itself)
 * is {@link MorLoggedOutException}; any other status {@link MorResponseException}.
 */
final class MorHttpFailures implements VendorHttpFailures {

    static final MorHttpFailures INSTANCE = new MorHttpFailures();

    private MorHttpFailures() {
    }

    @Override
    public MorException ioFailure(VendorHttpRequest request, String message, IOException cause) {
        return new MorConnectionException(request.operation(), VendorHttpFailures.ioCode(cause), message, cause);
    }

    @Override
    public MorException transientStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return new MorConnectionException(request.operation(), "HTTP " + response.status(), message, null);
    }

    @Override
    public MorException refusedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        String code = "HTTP " + response.status();
        return new MorFaultException(request.operation(), code,
                response.reason() == null || response.reason().isBlank() ? code : code + " " + response.reason(),
                message);
    }

    @Override
    public MorException unexpectedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        String location = response.header("Location");
        if (response.status() / 100 == 3 && location != null && location.contains("login")) {
            return new MorLoggedOutException(request.operation(), "mor:" + request.operation()
                    + ": MOR redirected to its login page (HTTP " + response.status() + "): not logged in");
        }
        return new MorResponseException(request.operation(), message);
    }
}
