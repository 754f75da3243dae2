package io.pbxbridge.vendor.http;

import java.io.IOException;
import java.net.SocketTimeoutException;

import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;

/**
 * How one vendor reports a failed HTTP call: the transport decides which failure it is (with
 * {@link VendorFailures}: I/O kinds, transient statuses) and writes the message, naming the operation and the
 * address with secrets masked; the vendor makes its own {@link VendorException} of it, e.g. Escaux's connection,
 * fault and response exceptions. {@link #of(String)} makes plain {@link VendorException}s.
 */
public interface VendorHttpFailures {

    /**
     * No complete answer: connection refused or not made in time, TLS refused, read timeout, connection dropped.
     * The kind is {@link VendorFailures#ioKind} of {@code cause}: unreachable (not sent) or no answer (unknown).
     */
    VendorException ioFailure(VendorHttpRequest request, String message, IOException cause);

    /** HTTP 5xx, 408 or 429 ({@link VendorFailures#isTransientStatus}): transient, outcome unknown. */
    VendorException transientStatus(VendorHttpRequest request, VendorHttpResponse response, String message);

    /** Another 4xx: the vendor refused the request. */
    VendorException refusedStatus(VendorHttpRequest request, VendorHttpResponse response, String message);

    /** Neither success nor an error (a redirect, which is not followed): not what the operation returns. */
    VendorException unexpectedStatus(VendorHttpRequest request, VendorHttpResponse response, String message);

    /** Plain {@link VendorException}s of {@code vendor}, coded {@code HTTP <status>} or as {@link #ioCode}. */
    static VendorHttpFailures of(String vendor) {
        return new PlainHttpFailures(vendor);
    }

    /** {@code TIMEOUT} for a connect or read timeout, otherwise the exception's simple class name. */
    static String ioCode(IOException cause) {
        return cause instanceof SocketTimeoutException ? "TIMEOUT" : cause.getClass().getSimpleName();
    }
}
