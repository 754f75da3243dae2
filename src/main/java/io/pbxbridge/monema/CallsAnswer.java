package io.pbxbridge.monema;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.pbxbridge.support.LogSafe;
import io.pbxbridge.support.SafeXml;
import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpStream;

/**
 * The answer to one C_getCalls, read call by call with StAX as it arrives, so that an answer of any size takes the
 * memory of one call. Both SOAP styles: the {@code item}s of an rpc/encoded SOAP-ENC array or of a document/literal
 * list, the part element repeated once per call, or a lone struct where a list of one was expected (the shapes
 * {@link SoapCodec} reads). A SOAP fault is a {@link MonemaFaultException}; an answer that is not the operation's, or
 * not well-formed XML, a {@link MonemaResponseException} naming the position; an answer that breaks off (the
 * connection dropped) a {@link MonemaConnectionException}. The document is read to its end: a cut one fails even
 * after its last call.
 */
final class CallsAnswer implements AutoCloseable {

    /** More than this many characters in one call is not a call. */
    static final int MAX_CALL_CHARS = 64 * 1024;

    /**
     * One call as the server wrote it.
     *
     * @param fields its fields' text by lower-cased local name (null for {@code xsi:nil})
     * @param text   the element, as read (namespace declarations of its ancestors left out), for dead letters: valid
     *               until the next call is read (a buffer reused from call to call, made a string only for a call
     *               that cannot be read); {@link #xml()} copies it
     */
    record Call(Map<String, String> fields, CharSequence text) {

        String xml() {
            return text.toString();
        }
    }

    /** An element read whole: a call, or a field of a call whose part is the call itself. */
    private record Element(String name, boolean struct, Map<String, String> fields, CharSequence xml) {

        Call call() {
            return new Call(fields, xml);
        }
    }

    private enum State {
        /** Between the parts of the response wrapper. */
        PARTS,
        /** Inside a part that lists calls. */
        ITEMS,
        /** After the wrapper. */
        DONE
    }

    private final VendorHttpStream stream;
    private final XMLStreamReader reader;
    private final String operation;
    private final Map<String, String> fieldNames = new HashMap<>();
    /** The XML of the element being read, and its text when it has no children: reused from call to call. */
    private final StringBuilder elementXml = new StringBuilder(1024);
    private final StringBuilder ownText = new StringBuilder();
    private State state = State.PARTS;
    private long calls;

    private CallsAnswer(VendorHttpStream stream, XMLStreamReader reader, String operation) {
        this.stream = stream;
        this.reader = reader;
        this.operation = operation;
    }

    /**
     * Reads {@code stream} up to the response wrapper {@code responseElement}; closes it when that fails.
     *
     * @throws MonemaException a SOAP fault, another element, a document that is not SOAP or not XML
     */
    static CallsAnswer read(VendorHttpStream stream, String operation, String responseElement) {
        XMLStreamReader reader = null;
        try {
            // large reads: the parser asks for 4000 bytes at a time, which the transport reads from its socket 8 KiB
            // at a time (a system call per two parser reads, some 7 % of a large harvest's time)
            reader = SafeXml.inputFactory().createXMLStreamReader(new BufferedInputStream(stream.body(), 64 * 1024));
            CallsAnswer answer = new CallsAnswer(stream, reader, operation);
            answer.openWrapper(responseElement);
            return answer;
        } catch (XMLStreamException e) {
            closeQuietly(reader, stream);
            throw unreadable(operation, 0, e);
        } catch (RuntimeException e) {
            closeQuietly(reader, stream);
            throw e;
        }
    }

    private void openWrapper(String responseElement) throws XMLStreamException {
        reader.nextTag();
        if (!SoapCodec.SOAP_ENV.equals(reader.getNamespaceURI()) || !"Envelope".equals(reader.getLocalName())) {
            throw new MonemaResponseException(operation, operation + ": the answer is not a SOAP 1.1 envelope but <"
                    + elementName() + "> " + at(reader.getLocation()));
        }
        while (reader.nextTag() == XMLStreamConstants.START_ELEMENT && !isSoap("Body")) {
            skipElement(); // a SOAP header
        }
        if (!isSoap("Body")) {
            throw new MonemaResponseException(operation, operation + ": the SOAP answer has no Body");
        }
        if (reader.nextTag() != XMLStreamConstants.START_ELEMENT) {
            throw new MonemaResponseException(operation, operation + ": the server answered an empty SOAP body");
        }
        if (isSoap("Fault")) {
            throw fault();
        }
        if (!responseElement.equalsIgnoreCase(reader.getLocalName())) {
            throw new MonemaResponseException(operation, operation + ": expected <" + responseElement
                    + "> in the SOAP body but the server answered <" + elementName() + ">");
        }
    }

    /** Calls read so far. */
    long callsRead() {
        return calls;
    }

    /** The next call, or null at the end of the answer (the document having been read to its end). */
    Call next() {
        try {
            while (true) {
                switch (state) {
                    case ITEMS -> {
                        if (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
                            return counted(readElement().call());
                        }
                        state = State.PARTS;
                    }
                    case PARTS -> {
                        if (reader.nextTag() != XMLStreamConstants.START_ELEMENT) {
                            readToEnd();
                            state = State.DONE;
                            return null;
                        }
                        Call first = readPart();
                        if (first != null) {
                            return counted(first);
                        }
                    }
                    case DONE -> {
                        return null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw unreadable(operation, calls, e);
        }
    }

    private Call counted(Call c) {
        calls++;
        return c;
    }

    /**
     * At the start of a part of the wrapper: reads it when it is one call (a repeated literal part, a lone struct)
     * and returns it; when it lists calls, reads the first and goes on {@link State#ITEMS}; null when it is empty.
     */
    private Call readPart() throws XMLStreamException {
        requireNoHref();
        StringBuilder partXml = startTag(new StringBuilder(512));
        if (isNil()) {
            skipElement();
            return null;
        }
        boolean array = reader.getAttributeValue(SoapCodec.SOAP_ENC, "arrayType") != null;
        if (reader.nextTag() != XMLStreamConstants.START_ELEMENT) {
            return null; // an empty list
        }
        Element first = readElement();
        if (array || first.struct() || "item".equals(first.name())) {
            state = State.ITEMS;
            return first.call();
        }
        // the part is a call itself: its first child was a field
        Map<String, String> fields = new LinkedHashMap<>(first.fields());
        partXml.append(first.xml());
        while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
            Element field = readElement();
            fields.putAll(field.fields());
            partXml.append(field.xml());
            requireSize(partXml);
        }
        endTag(partXml);
        return new Call(Collections.unmodifiableMap(fields), partXml.toString());
    }

    /**
     * Reads the element at the reader's start tag to its end tag: its XML, and its children's text by name (an
     * element without children, a field, maps its own name to its text).
     */
    private Element readElement() throws XMLStreamException {
        requireNoHref();
        elementXml.setLength(0);
        StringBuilder xml = startTag(elementXml);
        Map<String, String> fields = new LinkedHashMap<>(32); // a call's 13 fields without a resize
        String ownName = fieldName(reader.getLocalName());
        boolean ownNil = isNil();
        ownText.setLength(0);
        String field = null;
        boolean fieldNil = false;
        String text = null; // a field's text: one event, unless split by the parser (then joined)
        boolean children = false;
        int depth = 1;
        while (depth > 0) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    if (depth == 2) {
                        requireNoHref();
                        children = true;
                        field = fieldName(reader.getLocalName());
                        fieldNil = isNil();
                        text = null;
                    }
                    startTag(xml);
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    endTag(xml);
                    if (depth == 2) {
                        fields.put(field, fieldNil ? null : text == null ? "" : text);
                    }
                    depth--;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE,
                     XMLStreamConstants.ENTITY_REFERENCE -> {
                    String t = reader.getText();
                    escape(xml, t);
                    if (depth == 1) {
                        ownText.append(t);
                    } else {
                        text = text == null ? t : text + t;
                    }
                }
                default -> {
                    // comments, processing instructions
                }
            }
            requireSize(xml);
        }
        if (!children) {
            fields.put(ownName, ownNil ? null : ownText.toString());
        }
        return new Element(ownName, children, Collections.unmodifiableMap(fields), xml);
    }

    /** The lower-cased local name (the same few names, a million times). */
    private String fieldName(String localName) {
        return fieldNames.computeIfAbsent(localName, n -> n.toLowerCase(Locale.ROOT));
    }

    private void requireNoHref() {
        String href = reader.getAttributeValue(null, "href");
        if (href != null) {
            // multi-ref targets follow the wrapper: resolving them would mean holding the whole answer
            throw new MonemaResponseException(operation, operation + ": the answer lists its calls as multi-ref "
                    + "accessors (href=\"" + LogSafe.text(href) + "\"), which are not read as a stream "
                    + at(reader.getLocation()));
        }
    }

    private void requireSize(StringBuilder xml) {
        if (xml.length() > MAX_CALL_CHARS) {
            throw new MonemaResponseException(operation, operation + ": call " + (calls + 1) + " of the answer is "
                    + "larger than " + MAX_CALL_CHARS + " characters " + at(reader.getLocation()));
        }
    }

    private MonemaFaultException fault() throws XMLStreamException {
        String code = null;
        String string = null;
        while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
            String name = reader.getLocalName();
            if ("faultcode".equals(name)) {
                code = reader.getElementText();
            } else if ("faultstring".equals(name)) {
                string = reader.getElementText();
            } else {
                skipElement();
            }
        }
        return MonemaHttpFailures.fault(operation, code, string);
    }

    private void readToEnd() throws XMLStreamException {
        while (reader.hasNext()) {
            reader.next();
        }
    }

    private void skipElement() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int e = reader.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private boolean isSoap(String local) {
        return reader.isStartElement() && SoapCodec.SOAP_ENV.equals(reader.getNamespaceURI())
                && local.equals(reader.getLocalName());
    }

    private boolean isNil() {
        String nil = reader.getAttributeValue(SoapCodec.XSI, "nil");
        return "true".equals(nil) || "1".equals(nil);
    }

    private StringBuilder startTag(StringBuilder xml) {
        name(xml.append('<'), reader.getPrefix(), reader.getLocalName());
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            name(xml.append(' '), reader.getAttributePrefix(i), reader.getAttributeLocalName(i)).append("=\"");
            escape(xml, reader.getAttributeValue(i));
            xml.append('"');
        }
        return xml.append('>');
    }

    private void endTag(StringBuilder xml) {
        name(xml.append("</"), reader.getPrefix(), reader.getLocalName()).append('>');
    }

    /** The current element's qualified name, for a message. */
    private String elementName() {
        return LogSafe.text(name(new StringBuilder(), reader.getPrefix(), reader.getLocalName()));
    }

    private static StringBuilder name(StringBuilder xml, String prefix, String local) {
        if (prefix != null && !prefix.isEmpty()) {
            xml.append(prefix).append(':');
        }
        return xml.append(local);
    }

    private static void escape(StringBuilder xml, String text) {
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            String entity = switch (text.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (entity != null) {
                xml.append(text, from, i).append(entity);
                from = i + 1;
            }
        }
        xml.append(text, from, text.length());
    }

    /**
     * Why the answer could not be read: the connection broke off (the parser's I/O failed: transient), or the text
     * is not XML, or not XML of this shape (where it goes wrong).
     */
    private static MonemaException unreadable(String operation, long calls, XMLStreamException e) {
        for (Throwable t = e; t != null; t = t.getCause() != null ? t.getCause() : nested(t)) {
            if (t instanceof IOException io) {
                return new MonemaConnectionException(operation, VendorHttpFailures.ioCode(io), "the answer of the "
                        + "Monema server to " + operation + " broke off after " + calls + " calls: "
                        + io.getMessage(), e);
            }
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        return new MonemaResponseException(operation, operation + ": the answer cannot be read as XML "
                + at(e.getLocation()) + " (after " + calls + " calls): " + LogSafe.text(message));
    }

    private static Throwable nested(Throwable t) {
        return t instanceof XMLStreamException x ? x.getNestedException() : null;
    }

    private static String at(Location l) {
        return l == null ? "" : "at line " + l.getLineNumber() + ", column " + l.getColumnNumber();
    }

    @Override
    public void close() {
        closeQuietly(reader, stream);
    }

    private static void closeQuietly(XMLStreamReader reader, VendorHttpStream stream) {
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (XMLStreamException e) {
            // the stream below is closed next
        }
        try {
            stream.close();
        } catch (IOException e) {
            // a connection that could not be given back is dropped by the pool
        }
    }
}
