package io.pbxbridge.escaux;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.Direction;
import io.pbxbridge.support.SafeXml;

/**
 * Reads one event element of the SOP's event stream and normalizes it to a {@link CallEvent}.
 *
 * <p>Events are flat ({@code <evParked><ParkSlot>1000</ParkSlot><Channel>...</Channel></evParked>}), so they are
 * read by a small scanner over the string (the hot path). Anything else (attributes, nesting, CDATA, comments) is
 * read with the {@link SafeXml} StAX factory (DTDs and external entities off). Only the five predefined entities and
 * character references are decoded; any other entity reference is kept as written, never resolved.
 *
 * <ul>
 * <li>{@code evNewOrigChannel} -> {@value #RINGING}: callId and legId = Channel, from = CallerId, to =
 * Extension.</li>
 * <li>{@code evParked} -> {@value #PARKED}: callId and legId = Channel, the slot in details.ParkSlot.</li>
 * <li>{@code evPong} -> {@value #PONG} (liveness).</li>
 * <li>any other element -> {@code escaux.<element name>} with its fields in details.</li>
 * </ul>
 */
public final class EscauxEvents {

    public static final String VENDOR = "escaux";
    public static final String RINGING = "call.ringing";
    public static final String PARKED = "call.parked";
    public static final String PONG = "escaux.pong";

    private EscauxEvents() {
    }

    /** A parsed event: its element name and fields (values are strings, or maps/lists for nested content). */
    public record Parsed(String name, Map<String, Object> fields) {
    }

    /** Thrown for an element that is not well-formed. */
    public static final class MalformedEventException extends Exception {
        MalformedEventException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    public static CallEvent toCallEvent(String xml, String source, String id, Instant timestamp)
            throws MalformedEventException {
        return toCallEvent(parse(xml), xml, source, id, timestamp);
    }

    public static CallEvent toCallEvent(Parsed p, String xml, String source, String id, Instant timestamp) {
        Map<String, Object> f = p.fields();
        String channel = string(f.get("Channel"));
        return switch (p.name()) {
            case "evNewOrigChannel" -> {
                String from = string(f.get("CallerId"));
                String to = string(f.get("Extension"));
                yield new CallEvent(id, VENDOR, source, RINGING, channel, channel, from, to,
                        Direction.isExtension(from) ? Direction.INTERNAL : Direction.INBOUND, "Ring", timestamp, f,
                        xml);
            }
            case "evParked" -> new CallEvent(id, VENDOR, source, PARKED, channel, channel, null, null, null, "Parked",
                    timestamp, f, xml);
            case "evPong" -> new CallEvent(id, VENDOR, source, PONG, null, null, null, null, null, null, timestamp, f,
                    xml);
            default -> new CallEvent(id, VENDOR, source, "escaux." + p.name(), channel, channel,
                    string(f.get("CallerId")), string(f.get("Extension")), null, null, timestamp, f, xml);
        };
    }

    private static String string(Object o) {
        return o instanceof String s ? s : null;
    }


    /** Parses one event element (as cut by {@link EscauxEventFrameDecoder}). */
    public static Parsed parse(String xml) throws MalformedEventException {
        Parsed p = parseFlat(xml);
        return p != null ? p : parseStax(xml);
    }

    /** The fast path: a flat element of simple text children, or null when the element is anything else. */
    static Parsed parseFlat(String s) {
        int n = s.length();
        if (n < 3 || s.charAt(0) != '<') {
            return null;
        }
        int i = 1;
        int nameEnd = nameEnd(s, i);
        if (nameEnd == i || nameEnd >= n) {
            return null;
        }
        String name = s.substring(1, nameEnd);
        char c = s.charAt(nameEnd);
        if (c == '/') {
            return nameEnd + 1 < n && s.charAt(nameEnd + 1) == '>' && nameEnd + 2 == n
                    ? new Parsed(name, Collections.emptyMap()) : null;
        }
        if (c != '>') {
            return null; // attributes or whitespace in the tag
        }
        i = nameEnd + 1;
        Map<String, Object> fields = new LinkedHashMap<>();
        for (;;) {
            int lt = s.indexOf('<', i);
            if (lt < 0 || lt + 1 >= n || !blank(s, i, lt)) {
                return null; // mixed content
            }
            char d = s.charAt(lt + 1);
            if (d == '/') {
                // must be the root's end tag, and the end of the string
                int e = lt + 2 + name.length();
                return e < n && s.charAt(e) == '>' && s.startsWith(name, lt + 2) && blank(s, e + 1, n)
                        ? new Parsed(name, fields) : null;
            }
            int cEnd = nameEnd(s, lt + 1);
            if (cEnd == lt + 1 || cEnd >= n) {
                return null;
            }
            String child = s.substring(lt + 1, cEnd);
            char t = s.charAt(cEnd);
            if (t == '/') {
                if (cEnd + 1 >= n || s.charAt(cEnd + 1) != '>' || fields.containsKey(child)) {
                    return null;
                }
                fields.put(child, "");
                i = cEnd + 2;
                continue;
            }
            if (t != '>') {
                return null;
            }
            int textStart = cEnd + 1;
            int close = s.indexOf('<', textStart);
            if (close < 0 || close + 2 + child.length() >= n || s.charAt(close + 1) != '/'
                    || !s.startsWith(child, close + 2) || s.charAt(close + 2 + child.length()) != '>'
                    || fields.containsKey(child)) {
                return null; // nested, CDATA, comment, mismatched or repeated: the careful path decides
            }
            fields.put(child, unescape(s, textStart, close).strip());
            i = close + 3 + child.length();
        }
    }

    private static int nameEnd(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '<' || c == '&') {
                break;
            }
            i++;
        }
        return i;
    }

    private static boolean blank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Decodes the predefined entities and character references; other references stay as written. */
    static String unescape(String s, int from, int to) {
        int amp = s.indexOf('&', from);
        if (amp < 0 || amp >= to) {
            return s.substring(from, to);
        }
        StringBuilder b = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c != '&') {
                b.append(c);
                i++;
                continue;
            }
            int semi = s.indexOf(';', i);
            if (semi < 0 || semi >= to || semi - i > 10) {
                b.append(c);
                i++;
                continue;
            }
            String ref = s.substring(i + 1, semi);
            String rep = switch (ref) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> charRef(ref);
            };
            if (rep == null) {
                b.append(s, i, semi + 1); // not resolved
            } else {
                b.append(rep);
            }
            i = semi + 1;
        }
        return b.toString();
    }

    private static String charRef(String ref) {
        try {
            if (ref.startsWith("#x") || ref.startsWith("#X")) {
                return new String(Character.toChars(Integer.parseInt(ref.substring(2), 16)));
            }
            if (ref.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(ref.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** The careful path: any well-formed element; nested elements become maps, repeated ones lists. */
    static Parsed parseStax(String xml) throws MalformedEventException {
        XMLStreamReader r = null;
        try {
            r = SafeXml.inputFactory().createXMLStreamReader(new StringReader(xml));
            while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                if (r.getEventType() == XMLStreamConstants.DTD) {
                    throw new MalformedEventException("a DOCTYPE inside an event is not allowed", null);
                }
            }
            if (r.getEventType() != XMLStreamConstants.START_ELEMENT) {
                throw new MalformedEventException("no element", null);
            }
            String name = r.getLocalName();
            Object content = element(r);
            while (r.hasNext()) {
                r.next();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = content instanceof Map<?, ?> m ? (Map<String, Object>) m
                    : ((String) content).isEmpty() ? Map.of() : Map.of("value", content);
            return new Parsed(name, fields);
        } catch (XMLStreamException | RuntimeException e) {
            throw new MalformedEventException("not well-formed XML: " + e.getMessage(), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release
                }
            }
        }
    }

    /** Reads the current element to its end: its text, or a map of attributes (@name) and children. */
    private static Object element(XMLStreamReader r) throws XMLStreamException, MalformedEventException {
        Map<String, Object> children = new LinkedHashMap<>();
        for (int a = 0; a < r.getAttributeCount(); a++) {
            children.put("@" + r.getAttributeLocalName(a), r.getAttributeValue(a));
        }
        StringBuilder text = new StringBuilder();
        while (r.hasNext()) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> {
                    String child = r.getLocalName();
                    Object v = element(r);
                    Object prev = children.get(child);
                    if (prev == null) {
                        children.put(child, v);
                    } else if (prev instanceof List<?> l) {
                        @SuppressWarnings("unchecked")
                        List<Object> list = (List<Object>) l;
                        list.add(v);
                    } else {
                        List<Object> list = new ArrayList<>();
                        list.add(prev);
                        list.add(v);
                        children.put(child, list);
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                    text.append(r.getText());
                case XMLStreamConstants.ENTITY_REFERENCE -> text.append('&').append(r.getLocalName()).append(';');
                case XMLStreamConstants.END_ELEMENT -> {
                    if (children.isEmpty()) {
                        return text.toString().strip();
                    }
                    if (!text.toString().isBlank()) {
                        children.put("#text", text.toString().strip());
                    }
                    return children;
                }
                default -> {
                    // comments, processing instructions
                }
            }
        }
        throw new MalformedEventException("element not closed", null);
    }
}
