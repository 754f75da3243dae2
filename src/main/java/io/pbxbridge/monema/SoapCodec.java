package io.pbxbridge.monema;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.pbxbridge.support.SafeXml;

/**
 * Builds request wrapper elements from the operation table and decodes replies. Decoding is tolerant of what PHP
 * SOAP servers send: SOAP-ENC arrays of {@code item}s, repeated literal elements, a single {@code return} accessor
 * instead of the named part, multi-ref ({@code href="#id"}) accessors, {@code xsi:nil}.
 */
final class SoapCodec {

    static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String XSD = "http://www.w3.org/2001/XMLSchema";
    private static final String XMLNS = "http://www.w3.org/2000/xmlns/";

    private final MonemaWsdl wsdl;
    private final ThreadLocal<DocumentBuilder> builders = ThreadLocal.withInitial(SafeXml::documentBuilder);

    SoapCodec(MonemaWsdl wsdl) {
        this.wsdl = wsdl;
    }

    /**
     * The request wrapper element. {@code values} are in the operation's parameter order: String, Number, Boolean,
     * or byte[] for base64Binary (only {@code length} bytes of it).
     */
    Element request(MonemaOperation op, Object[] values, int length) {
        Document doc = builders.get().newDocument();
        Element wrapper = doc.createElementNS(wsdl.namespace(), "ns1:" + op.wireName());
        if (wsdl.encoded()) {
            wrapper.setAttributeNS(XMLNS, "xmlns:xsi", XSI);
            wrapper.setAttributeNS(XMLNS, "xmlns:xsd", XSD);
            wrapper.setAttributeNS(SOAP_ENV, "SOAP-ENV:encodingStyle", SOAP_ENC);
        }
        List<MonemaOperation.Param> params = op.params();
        for (int i = 0; i < params.size(); i++) {
            MonemaOperation.Param p = params.get(i);
            Element e = doc.createElementNS(null, p.name());
            if (wsdl.encoded()) {
                e.setAttributeNS(XSI, "xsi:type", "xsd:" + p.xsdType());
            }
            Object v = values[i];
            if (v instanceof byte[] bytes) {
                // CDATA: base64 never needs escaping, and the XML writer then copies it instead of checking each char
                e.appendChild(doc.createCDATASection(Base64.getEncoder().encodeToString(
                        length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length))));
            } else if (v != null) {
                e.setTextContent(v.toString());
            }
            wrapper.appendChild(e);
        }
        return wrapper;
    }

    /** The whole SOAP 1.1 request envelope of {@code op}, in UTF-8: for requests sent without CXF. */
    byte[] envelope(MonemaOperation op, Object[] values) {
        Element wrapper = request(op, values, 0);
        Document doc = wrapper.getOwnerDocument();
        Element envelope = doc.createElementNS(SOAP_ENV, "SOAP-ENV:Envelope");
        Element body = doc.createElementNS(SOAP_ENV, "SOAP-ENV:Body");
        doc.appendChild(envelope).appendChild(body).appendChild(wrapper);
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("monema: cannot write the " + op.wireName() + " request", e);
        }
    }

    /** A decoded reply: the operation's response wrapper plus any multi-ref elements that followed it. */
    Reply reply(MonemaOperation op, List<Element> body) {
        if (body.isEmpty()) {
            throw new MonemaResponseException(op.wireName(), op.wireName() + ": the server answered an empty SOAP body");
        }
        Element wrapper = body.get(0);
        String expected = wsdl.responseElement(op.wireName());
        if (!expected.equalsIgnoreCase(wrapper.getLocalName())) {
            throw new MonemaResponseException(op.wireName(), op.wireName() + ": expected <" + expected
                    + "> in the SOAP body but the server answered <" + wrapper.getNodeName() + ">");
        }
        Map<String, Element> ids = new HashMap<>();
        for (Element e : body) {
            if (e.hasAttribute("id")) {
                ids.put(e.getAttribute("id"), e);
            }
        }
        return new Reply(op.wireName(), wrapper, ids);
    }

    static final class Reply {
        private final String operation;
        private final Element wrapper;
        private final Map<String, Element> ids;

        Reply(String operation, Element wrapper, Map<String, Element> ids) {
            this.operation = operation;
            this.wrapper = wrapper;
            this.ids = ids;
        }

        /** The text of a single-valued part (null for xsi:nil). */
        String scalar(String part) {
            Element accessor = accessor(part);
            if (accessor == null) {
                throw missing(part);
            }
            return text(accessor);
        }

        /** The fields of a multi-part reply, or of the single struct accessor a server may wrap them in. */
        SoapStruct fields() {
            List<Element> children = children(wrapper);
            if (children.size() == 1 && !children(children.get(0)).isEmpty()) {
                return struct(children.get(0), "response");
            }
            return struct(wrapper, "response");
        }

        /** Items of an array part: structs. */
        List<SoapStruct> structs(String part, String itemType) {
            List<SoapStruct> out = new ArrayList<>();
            for (Element item : items(part)) {
                out.add(struct(item, itemType));
            }
            return out;
        }

        /** Items of an array part: strings. */
        List<String> strings(String part) {
            List<String> out = new ArrayList<>();
            for (Element item : items(part)) {
                String t = text(item);
                if (t != null) {
                    out.add(t);
                }
            }
            return out;
        }

        private List<Element> items(String part) {
            List<Element> named = new ArrayList<>();
            for (Element c : children(wrapper)) {
                if (part.equalsIgnoreCase(c.getLocalName())) {
                    named.add(resolve(c));
                }
            }
            if (named.size() > 1) {
                return named; // literal style may repeat the part element itself
            }
            Element accessor = named.isEmpty() ? accessor(part) : named.get(0);
            if (accessor == null || isNil(accessor)) {
                return List.of();
            }
            List<Element> kids = children(accessor);
            if (!kids.isEmpty() && children(kids.get(0)).isEmpty() && !isArray(accessor)
                    && !"item".equals(kids.get(0).getLocalName())) {
                return List.of(accessor); // a lone struct where an array of one was expected
            }
            List<Element> items = new ArrayList<>(kids.size());
            for (Element k : kids) {
                items.add(resolve(k));
            }
            return items;
        }

        private SoapStruct struct(Element e, String what) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (Element c : children(e)) {
                fields.put(c.getLocalName().toLowerCase(Locale.ROOT), text(resolve(c)));
            }
            return new SoapStruct(operation, what, fields);
        }

        private Element accessor(String part) {
            List<Element> children = children(wrapper);
            for (Element c : children) {
                if (part.equalsIgnoreCase(c.getLocalName())) {
                    return resolve(c);
                }
            }
            // servers that name the single output part "return" (or anything else)
            return children.size() == 1 ? resolve(children.get(0)) : null;
        }

        private Element resolve(Element e) {
            String href = e.getAttribute("href");
            if (href.startsWith("#")) {
                Element target = ids.get(href.substring(1));
                if (target == null) {
                    throw new MonemaResponseException(operation,
                            operation + " response: multi-ref " + href + " points to no element");
                }
                return target;
            }
            return e;
        }

        private MonemaResponseException missing(String part) {
            return new MonemaResponseException(operation, operation + " response: <" + wrapper.getNodeName()
                    + "> has no '" + part + "' part");
        }

        private static boolean isArray(Element e) {
            return e.hasAttributeNS(SOAP_ENC, "arrayType") || e.getAttributeNS(XSI, "type").endsWith("Array");
        }

        private static boolean isNil(Element e) {
            String nil = e.getAttributeNS(XSI, "nil");
            return "true".equals(nil) || "1".equals(nil);
        }

        private static String text(Element e) {
            return isNil(e) ? null : e.getTextContent();
        }

        private static List<Element> children(Element e) {
            List<Element> out = new ArrayList<>();
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeType() == Node.ELEMENT_NODE) {
                    out.add((Element) n);
                }
            }
            return out;
        }
    }
}
