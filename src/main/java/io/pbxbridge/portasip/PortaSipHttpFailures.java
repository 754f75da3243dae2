package io.pbxbridge.portasip;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;
import io.pbxbridge.vendor.VendorException.Kind;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpResponse;

/**
 * PortaSIP's exceptions for failed HTTP calls: a reply whose body is a fault ({@code faultcode}, {@code faultstring};
 * the spec's HTTP 500, any status accepted) is a {@link PortaSipFaultException}; an I/O failure, or HTTP 5xx, 408 or
 * 429 without a fault, a {@link PortaSipConnectionException}; another 4xx a {@link PortaSipFaultException} coded
 * {@code HTTP <status>}; any other status a {@link PortaSipResponseException}. The request's secret values (password,
 * session id) are masked in the fault's text.
 */
final class PortaSipHttpFailures implements VendorHttpFailures {

    static final PortaSipHttpFailures INSTANCE = new PortaSipHttpFailures();

    private PortaSipHttpFailures() {
    }

    @Override
    public PortaSipException ioFailure(VendorHttpRequest request, String message, IOException cause) {
        return new PortaSipConnectionException(request.operation(), VendorHttpFailures.ioCode(cause),
                VendorFailures.ioKind(cause), message, cause);
    }

    @Override
    public PortaSipException transientStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        PortaSipFaultException fault = fault(request, response.bodyAsString());
        return fault != null ? fault : new PortaSipConnectionException(request.operation(), "HTTP " + response.status(),
                Kind.NO_ANSWER, message, null);
    }

    @Override
    public PortaSipException refusedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        PortaSipFaultException fault = fault(request, response.bodyAsString());
        String code = "HTTP " + response.status();
        return fault != null ? fault : new PortaSipFaultException(request.operation(), code,
                response.reason() == null || response.reason().isBlank() ? code : code + " " + response.reason(),
                message);
    }

    @Override
    public PortaSipException unexpectedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        PortaSipFaultException fault = fault(request, response.bodyAsString());
        return fault != null ? fault : new PortaSipResponseException(request.operation(), message, null);
    }

    /** The fault {@code body} holds ({@code {"faultcode": ..., "faultstring": ...}}), or null when it holds none. */
    static PortaSipFaultException fault(VendorHttpRequest request, String body) {
        if (body == null || body.isBlank() || !body.stripLeading().startsWith("{")) {
            return null;
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
        return fault(request, n);
    }

    /** The fault of a JSON reply, or null when it is none. */
    static PortaSipFaultException fault(VendorHttpRequest request, JsonNode n) {
        if (n == null || !n.isObject() || !(n.hasNonNull("faultcode") || n.hasNonNull("faultstring"))) {
            return null;
        }
        String code = n.path("faultcode").asText("");
        String text = n.hasNonNull("faultstring") ? request.mask(n.get("faultstring").asText()) : null;
        if (code.isBlank()) {
            code = "UNKNOWN_FAULT";
        }
        return new PortaSipFaultException(request.operation(), code, text, "portasip " + request.operation() + ": fault "
                + code + (text == null || text.isBlank() ? "" : " (" + text + ")"));
    }
}
