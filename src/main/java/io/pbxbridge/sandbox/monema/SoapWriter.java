package io.pbxbridge.sandbox.monema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes responses byte for byte the way PHP's ext/soap {@code SoapServer} does (checked against PHP 8.2): the same
 * prefixes ({@code SOAP-ENV}, {@code ns1}, {@code xsd}, {@code xsi}, {@code SOAP-ENC}), the same order of namespace
 * declarations (order of first use, as libxml registers them), {@code xsi:type} on every rpc/encoded accessor,
 * {@code SOAP-ENC:arrayType} on arrays, one line, trailing newline.
 */
final class SoapWriter {

    static final String NS = "urn:pb_tamtam";
    private static final String ENC_STYLE = "http://schemas.xmlsoap.org/soap/encoding/";
    private static final String XML_DECL = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    sealed interface Value permits Scalar, Struct, ArrayOf {
    }

    /** A simple value; {@code type} is the qualified xsd type ({@code xsd:int}); {@code text == null} is nil. */
    record Scalar(String type, String text) implements Value {
    }

    /** A struct of complex type {@code ns1:<type>}. */
    record Struct(String type, List<Part> fields) implements Value {
    }

    /**
     * A SOAP-ENC array: {@code itemType} qualified ({@code ns1:Calls}, {@code xsd:string}), {@code arrayType} the
     * WSDL's array type local name ({@code ArrayOfCalls}). {@code items} may make each item when it is read (a lazy
     * list), for answers written as they are made.
     */
    record ArrayOf(String itemType, String arrayType, List<? extends Value> items) implements Value {
    }

    record Part(String name, Value value) {
    }

    private SoapWriter() {
    }

    static Scalar str(String s) {
        return new Scalar("xsd:string", s);
    }

    static Scalar integer(long v) {
        return new Scalar("xsd:int", Long.toString(v));
    }

    static Scalar bool(boolean v) {
        return new Scalar("xsd:boolean", v ? "true" : "false");
    }

    /** A double as PHP prints it (shortest form: {@code 50}, {@code 0.05}, {@code 99.95}). */
    static Scalar dbl(BigDecimal v) {
        return new Scalar("xsd:double", formatDouble(v));
    }

    static String formatDouble(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        return v.stripTrailingZeros().toPlainString();
    }

    static Part part(String name, Value v) {
        return new Part(name, v);
    }

    // ---- rpc/encoded ------------------------------------------------------------------------------------------

    static String rpcResponse(String operation, List<Part> parts) {
        StringBuilder sb = new StringBuilder(700);
        try {
            writeRpcResponse(sb, operation, parts);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /**
     * {@link #rpcResponse} written to {@code out} as it is made: the items of an array are taken one at a time, so an
     * answer of any size is never held whole (a lazy {@link ArrayOf#items} list makes each item when asked).
     */
    static void writeRpcResponse(Appendable out, String operation, List<Part> parts) throws IOException {
        // libxml declares the namespaces in the envelope in the order of their first use in the body; the items of
        // an array use the same ones, so the parts with each array cut to its first item tell that order up front
        Set<String> used = new LinkedHashSet<>();
        StringBuilder scratch = new StringBuilder();
        for (Part p : parts) {
            rpc(scratch, p.name, firstItemOnly(p.value), used);
        }
        for (String leftover : List.of("xsd", "xsi", "SOAP-ENC")) {
            used.add(leftover);
        }
        out.append(XML_DECL).append("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"").append(SoapRequest.SOAP11_ENV)
                .append("\" xmlns:ns1=\"").append(NS).append('"');
        used.remove("ns1"); // declared first, always
        for (String prefix : used) {
            out.append(" xmlns:").append(prefix).append("=\"").append(namespaceOf(prefix)).append('"');
        }
        out.append(" SOAP-ENV:encodingStyle=\"").append(ENC_STYLE).append("\"><SOAP-ENV:Body><ns1:")
                .append(operation).append("Response>");
        Set<String> ignored = new HashSet<>();
        for (Part p : parts) {
            rpc(out, p.name, p.value, ignored);
        }
        out.append("</ns1:").append(operation).append("Response></SOAP-ENV:Body></SOAP-ENV:Envelope>\n");
    }

    private static Value firstItemOnly(Value v) {
        return v instanceof ArrayOf a && a.items.size() > 1
                ? new ArrayOf(a.itemType, a.arrayType, a.items.subList(0, 1)) : v;
    }

    /** Writes one accessor; {@code used} collects the namespace prefixes in the order libxml registers them. */
    private static void rpc(Appendable out, String name, Value value, Set<String> used) throws IOException {
        if (value instanceof Scalar s) {
            if (s.text == null) {
                used.add("xsi");
                out.append('<').append(name).append(" xsi:nil=\"true\"/>");
                return;
            }
            // libxml registers the type's namespace, then xsi, after the content
            used.add(prefixOf(s.type));
            used.add("xsi");
            out.append('<').append(name).append(" xsi:type=\"").append(s.type).append("\">")
                    .append(escape(s.text)).append("</").append(name).append('>');
        } else if (value instanceof Struct st) {
            out.append('<').append(name).append(" xsi:type=\"ns1:").append(st.type).append("\">");
            for (Part f : st.fields) {
                rpc(out, f.name, f.value, used);
            }
            used.add("xsi");
            out.append("</").append(name).append('>');
        } else if (value instanceof ArrayOf a) {
            // SOAP-ENC:arrayType is set before the items are serialized, xsi:type after
            used.add(prefixOf(a.itemType));
            used.add("SOAP-ENC");
            int size = a.items.size();
            out.append('<').append(name).append(" SOAP-ENC:arrayType=\"").append(a.itemType).append('[')
                    .append(Integer.toString(size)).append("]\" xsi:type=\"ns1:").append(a.arrayType).append('"');
            if (size == 0) {
                used.add("xsi");
                out.append("/>");
                return;
            }
            out.append('>');
            for (Value item : a.items) {
                rpc(out, "item", item, used);
            }
            used.add("xsi");
            out.append("</").append(name).append('>');
        }
    }

    // ---- document/literal (wrapped) ---------------------------------------------------------------------------

    /**
     * The response element of an operation in the document/literal WSDL: {@code <op>Response}, except for
     * C_makeCall, whose {@code C_makeCallResponse} would clash with the request element of the operation of that name.
     */
    static String docResponseElement(String operation) {
        return "C_makeCall".equals(operation) ? "C_makeCallResult" : operation + "Response";
    }

    static String docResponse(String operation, List<Part> parts) {
        StringBuilder sb = new StringBuilder(500);
        try {
            writeDocResponse(sb, operation, parts);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /** {@link #docResponse} written to {@code out} as it is made, an array's items one at a time. */
    static void writeDocResponse(Appendable out, String operation, List<Part> parts) throws IOException {
        out.append(XML_DECL).append("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"").append(SoapRequest.SOAP11_ENV)
                .append("\" xmlns:ns1=\"").append(NS).append("\"><SOAP-ENV:Body><ns1:")
                .append(docResponseElement(operation)).append('>');
        for (Part p : parts) {
            doc(out, p.name, p.value);
        }
        out.append("</ns1:").append(docResponseElement(operation)).append("></SOAP-ENV:Body></SOAP-ENV:Envelope>\n");
    }

    private static void doc(Appendable out, String name, Value value) throws IOException {
        if (value instanceof Scalar s) {
            if (s.text != null) { // nil: minOccurs="0", not nillable, so left out
                out.append('<').append(name).append('>').append(escape(s.text)).append("</").append(name)
                        .append('>');
            }
        } else if (value instanceof Struct st) {
            out.append('<').append(name).append('>');
            for (Part f : st.fields) {
                doc(out, f.name, f.value);
            }
            out.append("</").append(name).append('>');
        } else if (value instanceof ArrayOf a) {
            if (a.items.isEmpty()) {
                out.append('<').append(name).append("/>");
            } else {
                out.append('<').append(name).append('>');
                for (Value item : a.items) {
                    doc(out, "item", item);
                }
                out.append("</").append(name).append('>');
            }
        }
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    /** A SOAP 1.1 fault as ext/soap writes it (same for both styles). */
    static String fault(String code, String message) {
        return XML_DECL + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" + SoapRequest.SOAP11_ENV
                + "\"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:" + code + "</faultcode><faultstring>"
                + escape(message) + "</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n";
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String prefixOf(String qname) {
        int colon = qname.indexOf(':');
        return colon < 0 ? "xsd" : qname.substring(0, colon);
    }

    private static String namespaceOf(String prefix) {
        return switch (prefix) {
            case "xsd" -> "http://www.w3.org/2001/XMLSchema";
            case "xsi" -> "http://www.w3.org/2001/XMLSchema-instance";
            case "SOAP-ENC" -> ENC_STYLE;
            case "ns1" -> NS;
            default -> throw new IllegalArgumentException(prefix);
        };
    }

    /** Escapes text content as libxml does. */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '\r' -> "&#13;";
                default -> null;
            };
            if (rep == null && c < 0x20 && c != '\n' && c != '\t') {
                rep = ""; // not representable in XML 1.0
            }
            if (rep != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(rep);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
