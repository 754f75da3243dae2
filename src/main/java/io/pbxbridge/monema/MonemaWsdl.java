package io.pbxbridge.monema;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.pbxbridge.support.SafeXml;

/**
 * What the client needs from the WSDL a Monema server publishes: the binding style and use, the namespace of the
 * operation elements and where to POST requests.
 *
 * @param style          the binding style and use
 * @param namespace      namespace of the operation wrapper elements
 * @param serviceAddress the {@code soap:address} location, null when the WSDL has none
 * @param soapActions    SOAPAction per operation wire name, as the binding declares them
 * @param outputElements document style: the response element per operation, as the output messages declare them
 */
record MonemaWsdl(MonemaSoapStyle style, String namespace, String serviceAddress, Map<String, String> soapActions,
        Map<String, String> outputElements) {

    static final String DEFAULT_NAMESPACE = "urn:pb_tamtam";
    private static final String WSDL_NS = "http://schemas.xmlsoap.org/wsdl/";
    private static final String SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static final String XSD_NS = "http://www.w3.org/2001/XMLSchema";

    static MonemaWsdl parse(byte[] wsdl, URI from) {
        Document doc;
        try {
            doc = SafeXml.documentBuilder().parse(new ByteArrayInputStream(wsdl));
        } catch (Exception e) {
            throw new MonemaResponseException("WSDL",
                    "the WSDL at " + from + " is not well-formed XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!WSDL_NS.equals(root.getNamespaceURI()) || !"definitions".equals(root.getLocalName())) {
            throw new MonemaResponseException("WSDL", "the document at " + from + " is not a WSDL 1.1 document (root <"
                    + root.getNodeName() + ">)");
        }
        Element binding = first(root, SOAP_NS, "binding");
        if (binding == null) {
            throw new MonemaResponseException("WSDL", "the WSDL at " + from + " has no SOAP 1.1 binding");
        }
        boolean rpc = "rpc".equalsIgnoreCase(binding.getAttribute("style"));
        Element body = first(root, SOAP_NS, "body");
        boolean encoded = body != null && "encoded".equalsIgnoreCase(body.getAttribute("use"));
        String ns;
        if (rpc) {
            ns = body != null && !body.getAttribute("namespace").isEmpty() ? body.getAttribute("namespace")
                    : root.getAttribute("targetNamespace");
        } else {
            Element schema = first(root, XSD_NS, "schema");
            ns = schema != null && !schema.getAttribute("targetNamespace").isEmpty()
                    ? schema.getAttribute("targetNamespace") : root.getAttribute("targetNamespace");
        }
        MonemaSoapStyle style = !rpc ? MonemaSoapStyle.DOCUMENT_LITERAL
                : encoded ? MonemaSoapStyle.RPC_ENCODED : MonemaSoapStyle.RPC_LITERAL;
        Map<String, String> actions = new HashMap<>();
        NodeList ops = root.getElementsByTagNameNS(SOAP_NS, "operation");
        for (int i = 0; i < ops.getLength(); i++) {
            Element soapOp = (Element) ops.item(i);
            if (soapOp.getParentNode() instanceof Element wsdlOp && soapOp.hasAttribute("soapAction")) {
                actions.put(wsdlOp.getAttribute("name"), soapOp.getAttribute("soapAction"));
            }
        }
        Element address = first(root, SOAP_NS, "address");
        String location = address != null ? address.getAttribute("location").trim() : "";
        return new MonemaWsdl(style, ns.isEmpty() ? DEFAULT_NAMESPACE : ns, location.isEmpty() ? null : location,
                Map.copyOf(actions), rpc ? Map.of() : outputElements(root));
    }

    /** The configured style without a WSDL: operations in {@code namespace}, {@code ns#operation} actions. */
    static MonemaWsdl of(MonemaSoapStyle style, String namespace) {
        return new MonemaWsdl(style, namespace != null ? namespace : DEFAULT_NAMESPACE, null, Map.of(), Map.of());
    }

    /** The element a reply to {@code operation} is wrapped in: {@code <operation>Response} unless the WSDL says. */
    String responseElement(String operation) {
        return outputElements.getOrDefault(operation, operation + "Response");
    }

    /** portType operation -> output message -> its part's element (document style names it freely). */
    private static Map<String, String> outputElements(Element root) {
        Map<String, String> partElements = new HashMap<>();
        for (Element message : children(root, "message")) {
            for (Element part : children(message, "part")) {
                if (part.hasAttribute("element")) {
                    partElements.put(message.getAttribute("name"), localName(part.getAttribute("element")));
                }
            }
        }
        Map<String, String> out = new HashMap<>();
        for (Element portType : children(root, "portType")) {
            for (Element op : children(portType, "operation")) {
                for (Element output : children(op, "output")) {
                    String element = partElements.get(localName(output.getAttribute("message")));
                    if (element != null) {
                        out.put(op.getAttribute("name"), element);
                    }
                }
            }
        }
        return Map.copyOf(out);
    }

    private static java.util.List<Element> children(Element parent, String local) {
        java.util.List<Element> out = new java.util.ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && WSDL_NS.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String localName(String qname) {
        return qname.substring(qname.indexOf(':') + 1);
    }

    String soapAction(String operation) {
        return soapActions.getOrDefault(operation, namespace + "#" + operation);
    }

    boolean rpc() {
        return style != MonemaSoapStyle.DOCUMENT_LITERAL;
    }

    boolean encoded() {
        return style == MonemaSoapStyle.RPC_ENCODED;
    }

    @Override
    public String toString() {
        return style.name().toLowerCase(Locale.ROOT) + " " + namespace;
    }

    private static Element first(Element root, String ns, String local) {
        NodeList list = root.getElementsByTagNameNS(ns, local);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }
}
