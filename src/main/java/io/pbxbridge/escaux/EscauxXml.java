package io.pbxbridge.escaux;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import io.pbxbridge.support.SafeXml;

/** DOM helpers for the SOP's XML replies, parsed with {@link SafeXml} (no DTD, no external entities). */
final class EscauxXml {

    private EscauxXml() {
    }

    /** The root element of a reply, checked against the operation's root names. */
    static Element root(EscauxOperation op, String body) {
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) {
            throw new EscauxResponseException(op.name(), "empty reply, expected <" + op.roots().get(0) + ">");
        }
        Document doc;
        try {
            doc = SafeXml.parse(text);
        } catch (SAXException e) {
            throw new EscauxResponseException(op.name(), "not well-formed XML (" + e.getMessage() + "); the reply starts with '"
                    + abbreviate(text) + "'", e);
        } catch (IOException e) {
            throw new EscauxResponseException(op.name(), "unreadable XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        String name = name(root);
        if (!op.roots().contains(name)) {
            throw new EscauxResponseException(op.name(), "expected <" + String.join("> or <", op.roots()) + ">, got <"
                    + name + ">: '" + abbreviate(text) + "'");
        }
        return root;
    }

    static String name(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || name.equals(name(e)))) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(name(e))) {
                return e;
            }
        }
        return null;
    }

    /** The trimmed text of the first child {@code name}; null when absent, "" when empty. */
    static String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? null : c.getTextContent().strip();
    }

    /** Child element name to trimmed text, in document order (the last wins on duplicates). */
    static Map<String, String> texts(Element parent) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element e : children(parent, null)) {
            out.put(name(e), e.getTextContent().strip());
        }
        return out;
    }

    static String abbreviate(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() <= 160 ? t : t.substring(0, 157) + "...";
    }
}
