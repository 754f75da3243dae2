package io.pbxbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * XML parsers for untrusted vendor input: no DTDs, no external entities, no XInclude. A document that declares a
 * DOCTYPE is rejected rather than parsed.
 */
public final class SafeXml {

    private static final DocumentBuilderFactory DBF = newDocumentBuilderFactory();
    private static final XMLInputFactory XIF = newXmlInputFactory();
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(SafeXml::documentBuilder);

    private SafeXml() {
    }

    public static DocumentBuilder documentBuilder() {
        try {
            DocumentBuilder builder = DBF.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Document parse(InputStream in) throws IOException, SAXException {
        return builder().parse(in);
    }

    public static Document parse(String xml) throws IOException, SAXException {
        return builder().parse(new InputSource(new StringReader(xml)));
    }

    /** This thread's builder, reset: making one per document costs more than parsing a small vendor reply. */
    private static DocumentBuilder builder() {
        DocumentBuilder b = BUILDERS.get();
        b.reset();
        b.setErrorHandler(null);
        return b;
    }

    /** A StAX factory with DTD support and external entities switched off. */
    public static XMLInputFactory inputFactory() {
        return XIF;
    }

    private static DocumentBuilderFactory newDocumentBuilderFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("XML parser cannot be secured", e);
        }
        return f;
    }

    private static XMLInputFactory newXmlInputFactory() {
        XMLInputFactory f = XMLInputFactory.newInstance();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }
}
