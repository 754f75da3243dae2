package io.pbxbridge.vendor.http;

import org.apache.hc.core5.http.HttpResponse;

/** A response read in full: status, headers and body. */
public final class VendorHttpResponse extends VendorHttpReply {

    private final byte[] body;

    VendorHttpResponse(HttpResponse response, byte[] body) {
        super(response);
        this.body = body;
    }

    /** A copy of the body; empty when there was none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded with the response's {@link #charset()}. */
    public String bodyAsString() {
        return new String(body, charset());
    }

    @Override
    public String toString() {
        return "HTTP " + status() + " (" + body.length + " bytes)";
    }
}
