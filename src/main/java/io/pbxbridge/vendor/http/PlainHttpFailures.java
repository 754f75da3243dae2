package io.pbxbridge.vendor.http;

import java.io.IOException;

import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorException.Kind;
import io.pbxbridge.vendor.VendorFailures;

/** {@link VendorHttpFailures#of}: plain {@link VendorException}s. */
record PlainHttpFailures(String vendor) implements VendorHttpFailures {

    @Override
    public VendorException ioFailure(VendorHttpRequest request, String message, IOException cause) {
        return new VendorException(vendor, request.operation(), VendorHttpFailures.ioCode(cause), null,
                VendorFailures.ioKind(cause), message, cause);
    }

    @Override
    public VendorException transientStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return status(request, response, Kind.NO_ANSWER, message);
    }

    @Override
    public VendorException refusedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return status(request, response, Kind.REFUSED, message);
    }

    @Override
    public VendorException unexpectedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        return status(request, response, Kind.MALFORMED_REPLY, message);
    }

    private VendorException status(VendorHttpRequest request, VendorHttpResponse response, Kind kind, String message) {
        return new VendorException(vendor, request.operation(), "HTTP " + response.status(), response.reason(), kind,
                message, null);
    }
}
