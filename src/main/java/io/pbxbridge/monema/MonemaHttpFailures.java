package io.pbxbridge.monema;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.pbxbridge.support.LogSafe;
import io.pbxbridge.support.SafeXml;
import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpResponse;

/**
 * Monema's exceptions for the requests it sends through the vendor HTTP transport, as {@link MonemaClient#translate}
 * sorts CXF's: a SOAP fault (a PHP server answers it with HTTP 500) is the server's refusal,
 * {@link MonemaFaultException} with its fault code; otherwise HTTP 5xx, 408 and 429 and I/O failures are
 * {@link MonemaConnectionException}s (transient), another 4xx a refusal, any other status a
 * {@link MonemaResponseException}.
 */
final class MonemaHttpFailures implements VendorHttpFailures {

    static final MonemaHttpFailures INSTANCE = new MonemaHttpFailures();

    private MonemaHttpFailures() {
    }

    @Override
    public MonemaException ioFailure(VendorHttpRequest request, String message, IOException cause) {
        return new MonemaConnectionException(request.operation(), VendorHttpFailures.ioCode(cause), message, cause);
    }

    @Override
    public MonemaException transientStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        MonemaException fault = fault(request, response);
        return fault != null ? fault
                : new MonemaConnectionException(request.operation(), "HTTP " + response.status(), message, null);
    }

    @Override
    public MonemaException refusedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        MonemaException fault = fault(request, response);
        return fault != null ? fault
                : new MonemaFaultException(request.operation(), "HTTP " + response.status(), message);
    }

    @Override
    public MonemaException unexpectedStatus(VendorHttpRequest request, VendorHttpResponse response, String message) {
        MonemaException fault = fault(request, response);
        return fault != null ? fault : new MonemaResponseException(request.operation(), message);
    }

    /** The SOAP fault the start of the error answer holds, or null (an HTML error page, a cut one). */
    static MonemaFaultException fault(VendorHttpRequest request, VendorHttpResponse response) {
        byte[] body = response.body();
        String head = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8);
        if (!head.contains("Fault")) {
            return null;
        }
        try {
            Document doc = SafeXml.parse(new ByteArrayInputStream(body));
            NodeList faults = doc.getElementsByTagNameNS(SoapCodec.SOAP_ENV, "Fault");
            if (faults.getLength() == 0) {
                return null;
            }
            Element f = (Element) faults.item(0);
            return fault(request.operation(), child(f, "faultcode"), child(f, "faultstring"));
        } catch (Exception e) {
            return null;
        }
    }

    /** The server refused {@code op}: as {@link MonemaClient#translate} words a fault CXF read. */
    static MonemaFaultException fault(String op, String faultCode, String faultString) {
        String code = faultCode == null ? null : faultCode.substring(faultCode.indexOf(':') + 1).trim();
        String text = faultString == null ? "" : LogSafe.truncate(faultString.trim(), LogSafe.MAX_MESSAGE_CHARS);
        return new MonemaFaultException(op, code, "the Monema server refused " + op + ": " + text
                + (code != null ? " (fault code " + code + ")" : ""));
    }

    private static String child(Element e, String local) {
        NodeList l = e.getElementsByTagNameNS("*", local);
        if (l.getLength() == 0) {
            l = e.getElementsByTagName(local);
        }
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }
}
