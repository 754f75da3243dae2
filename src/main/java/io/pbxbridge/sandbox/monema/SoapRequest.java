package io.pbxbridge.sandbox.monema;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.pbxbridge.support.SafeXml;

/**
 * A SOAP 1.1 request as the simulator sees it: the operation (local name of the first child of the Body) and its
 * accessor children, in order. Works for rpc/encoded ({@code <ns1:C_op><clientLogin xsi:type=..>}) and
 * document/literal wrapped ({@code <tns:C_op><clientLogin>}) alike. Parsed with StAX from the request stream (the
 * request is not buffered as a whole); DTDs are refused.
 */
final class SoapRequest {

    static final String SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    record Param(String name, String value) {
    }

    final String operation;
    final List<Param> params;

    private SoapRequest(String operation, List<Param> params) {
        this.operation = operation;
        this.params = Collections.unmodifiableList(params);
    }

    /**
     * The value of a part: the accessor whose name matches {@code parts[index]} case-insensitively; failing that,
     * the accessor at the same position if its name is none of the parts' names (e.g. {@code arg0}); else null.
     */
    String get(List<String> parts, int index) {
        String name = parts.get(index);
        for (Param p : params) {
            if (p.name.equalsIgnoreCase(name)) {
                return p.value;
            }
        }
        if (index < params.size()) {
            Param p = params.get(index);
            for (String part : parts) {
                if (part.equalsIgnoreCase(p.name)) {
                    return null;
                }
            }
            return p.value;
        }
        return null;
    }

    /** Parses a SOAP 1.1 envelope; throws a Client (or VersionMismatch) {@link SimFault} if it is not one. */
    static SoapRequest parse(InputStream in) {
        XMLStreamReader r = null;
        try {
            r = SafeXml.inputFactory().createXMLStreamReader(in);
            int ev = nextTag(r);
            if (ev != XMLStreamConstants.START_ELEMENT || !"Envelope".equals(r.getLocalName())) {
                throw SimFault.client("Bad Request: the body is not a SOAP envelope");
            }
            if (SOAP12_ENV.equals(r.getNamespaceURI())) {
                throw new SimFault("VersionMismatch", "Wrong Version: only SOAP 1.1 is supported");
            }
            if (!SOAP11_ENV.equals(r.getNamespaceURI())) {
                throw new SimFault("VersionMismatch", "Wrong Version: unknown envelope namespace '"
                        + r.getNamespaceURI() + "'");
            }
            // Envelope children: optional Header, then Body
            boolean inBody = false;
            while (!inBody) {
                ev = nextTag(r);
                if (ev != XMLStreamConstants.START_ELEMENT) {
                    throw SimFault.client("Bad Request: the envelope has no Body");
                }
                if ("Body".equals(r.getLocalName()) && SOAP11_ENV.equals(r.getNamespaceURI())) {
                    inBody = true;
                } else if ("Header".equals(r.getLocalName()) && SOAP11_ENV.equals(r.getNamespaceURI())) {
                    skipElement(r);
                } else {
                    throw SimFault.client("Bad Request: unexpected element '" + r.getLocalName()
                            + "' in the envelope");
                }
            }
            ev = nextTag(r);
            if (ev != XMLStreamConstants.START_ELEMENT) {
                throw SimFault.client("Bad Request: the SOAP Body is empty");
            }
            String operation = r.getLocalName();
            List<Param> params = new ArrayList<>();
            while ((ev = nextTag(r)) == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                boolean nil = "true".equals(r.getAttributeValue(XSI, "nil"))
                        || "1".equals(r.getAttributeValue(XSI, "nil"));
                String text = readText(r);
                params.add(new Param(name, nil ? null : text));
            }
            // the rest of the document must be well-formed too (a truncated request is a bad request)
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.DTD) {
                    throw SimFault.client("Bad Request: DTDs are not allowed");
                }
            }
            return new SoapRequest(operation, params);
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof SimFault f) {
                throw f;
            }
            throw SimFault.client("Bad Request: the body is not well-formed XML (" + oneLine(e.getMessage()) + ")");
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /** Next START_ELEMENT or END_ELEMENT (or END_DOCUMENT), skipping whitespace, comments and PIs. */
    private static int nextTag(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT:
                    return ev;
                case XMLStreamConstants.DTD:
                    throw SimFault.client("Bad Request: DTDs are not allowed");
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA:
                    if (!r.isWhiteSpace() && !r.getText().isBlank()) {
                        throw SimFault.client("Bad Request: unexpected text in the envelope");
                    }
                    break;
                default:
                    break;
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    /** Text content of the current element (descendant text concatenated); leaves r on its END_ELEMENT. */
    private static String readText(XMLStreamReader r) throws XMLStreamException {
        StringBuilder sb = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE,
                        XMLStreamConstants.ENTITY_REFERENCE -> sb.append(r.getText());
                case XMLStreamConstants.END_DOCUMENT -> throw SimFault.client("Bad Request: truncated XML");
                default -> {
                }
            }
        }
        return sb.toString();
    }

    private static void skipElement(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (ev == XMLStreamConstants.END_DOCUMENT) {
                throw SimFault.client("Bad Request: truncated XML");
            }
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
