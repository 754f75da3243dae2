package io.pbxbridge.mor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.pbxbridge.support.SafeXml;

/**
 * The tolerant reader of MOR's pages. The spec's own samples are not well-formed XML (VENDORS.md §2g) and a real
 * server may send the same; this reads what a real server would plausibly send:
 * <ol>
 * <li>{@link MorRepairingStream} repairs, as the bytes stream through, what makes a page not well-formed: the
 * declaration without its {@code ?}, {@code & quot;}, {@code <<processed>}, stray {@code <} and {@code &}, text
 * outside the root, a DOCTYPE (dropped unread);</li>
 * <li>the StAX parser of {@link SafeXml} (no DTD, no external entity) reads the result, and this builds the elements:
 * text between child elements (the {@code ++++} and {@code .....} banners) is ignored, attributes where MOR writes
 * elements ({@code <device id="1">}) are kept as fields ({@link MorElement#field}).</li>
 * </ol>
 * Each repair is counted in the page's {@link MorRepairs}, with the line and column of its first occurrence. A page
 * that still cannot be read is a {@link MorUnreadablePageException} naming the page and the position; a connection
 * that fails while the page is read is the {@link IOException} it was.
 * <p>
 * Large lists are read as they come: the elements at the {@code stream} path (e.g. {@code calls_stat/calls/call}
 * below the root) are handed to a consumer as each one ends, not kept, so a 100,000-call list is never whole in
 * memory.
 */
final class MorXmlReader {

    private static final String[] NONE = new String[0];

    private MorXmlReader() {
    }

    /** Reads a whole page (a test's sample, a small reply). */
    static MorDocument read(String text, String operation, String page) {
        try {
            return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "UTF-8", operation, page,
                    null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringReader does not fail
        }
    }

    /**
     * Reads the page from {@code bytes}.
     *
     * @param encoding  the encoding the HTTP reply names, or null: then the page's declaration's, else UTF-8
     * @param operation the operation, for messages
     * @param page      the page's path, for messages
     * @param stream    the path below the root whose elements go to {@code sink} instead of the tree, or null
     * @param sink      takes each streamed element when it ends
     * @throws MorUnreadablePageException a page that cannot be read
     * @throws IOException                reading {@code bytes} failed (the connection)
     */
    static MorDocument read(InputStream bytes, String encoding, String operation, String page, String stream,
                            Consumer<MorElement> sink) throws IOException {
        return readStreaming(bytes, encoding, operation, page, stream, sink == null ? null
                : (item, root) -> sink.accept(item));
    }

    /**
     * Takes each streamed element as it ends, with the page's root as read so far: its fields that came before the
     * list (a call list's {@code currency}) are there.
     */
    interface ItemSink {
        void accept(MorElement item, MorElement root);
    }

    /** {@link #read(InputStream, String, String, String, String, Consumer)}, the sink seeing the root too. */
    static MorDocument readStreaming(InputStream bytes, String encoding, String operation, String page, String stream,
                                     ItemSink sink) throws IOException {
        MorRepairs repairs = new MorRepairs();
        MorRepairingStream repaired = new MorRepairingStream(bytes, repairs);
        String[] path = stream == null ? NONE : stream.split("/");
        XMLStreamReader r = null;
        try {
            r = encoding == null ? SafeXml.inputFactory().createXMLStreamReader(repaired)
                    : SafeXml.inputFactory().createXMLStreamReader(repaired, encoding);
            MorElement root = build(r, repaired, repairs, path, sink);
            if (root == null) {
                throw new MorUnreadablePageException(operation, page, 0, 0,
                        "empty reply: no element (expected <page> or <action>)", null);
            }
            return new MorDocument(root, repairs);
        } catch (XMLStreamException e) {
            IOException io = ioCause(e);
            if (io != null) {
                throw io;
            }
            Location at = e.getLocation();
            int line = at == null || at.getLineNumber() < 1 ? 0 : repaired.inputLine(at.getLineNumber());
            int column = line == 0 ? 0 : repaired.inputColumn(at.getLineNumber(), Math.max(1, at.getColumnNumber()));
            throw new MorUnreadablePageException(operation, page, line, column, reason(e), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // the reply is closed by its owner
                }
            }
        }
    }

    private static MorElement build(XMLStreamReader r, MorRepairingStream repaired, MorRepairs repairs,
                                    String[] path, ItemSink sink) throws XMLStreamException {
        MorElement[] stack = new MorElement[16];
        int depth = 0;
        // how many leading segments of path the open elements below the root match
        int matched = 0;
        MorElement root = null;
        while (r.hasNext()) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    MorElement e = new MorElement(r.getLocalName());
                    if (depth > 0) {
                        MorElement parent = stack[depth - 1];
                        if (!parent.hadChildren) {
                            parent.hadChildren = true;
                            String before = parent.rawText();
                            if (before != null && !before.isBlank()) {
                                // a banner before the first child ends where this element starts
                                int[] at = bannerStart(before, r.getLocation(), repaired, true);
                                repairs.add(MorRepair.Kind.BANNER, at[0], at[1], before);
                            }
                            parent.clearText();
                        }
                        parent.inBanner = false;
                        if (matched == depth - 1 && depth - 1 < path.length && path[depth - 1].equals(e.name)) {
                            matched = depth;
                        }
                    }
                    int attributes = r.getAttributeCount();
                    if (attributes > 0) {
                        StringBuilder sample = new StringBuilder("<").append(e.name);
                        for (int i = 0; i < attributes; i++) {
                            String name = r.getAttributeLocalName(i);
                            e.attribute(name, r.getAttributeValue(i));
                            sample.append(' ').append(name).append("=\"...\"");
                        }
                        Location at = r.getLocation();
                        repairs.add(MorRepair.Kind.ATTRIBUTE_FORM, repaired.inputLine(at.getLineNumber()),
                                repaired.inputColumn(at.getLineNumber(), at.getColumnNumber()),
                                sample.append('>').toString());
                    }
                    if (depth == stack.length) {
                        stack = Arrays.copyOf(stack, depth * 2);
                    }
                    stack[depth++] = e;
                    if (root == null) {
                        root = e;
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                    if (depth == 0) {
                        break;
                    }
                    MorElement top = stack[depth - 1];
                    char[] chars = r.getTextCharacters();
                    int start = r.getTextStart();
                    int length = r.getTextLength();
                    if (top.hadChildren) {
                        int first = firstNonSpace(chars, start, length);
                        if (first >= 0 && !top.inBanner) {
                            String text = new String(chars, start, length);
                            int[] at = bannerStart(text, r.getLocation(), repaired, false);
                            repairs.add(MorRepair.Kind.BANNER, at[0], at[1], text);
                            top.inBanner = true;
                        }
                    } else if (top.rawText() == null && firstNonSpace(chars, start, length) < 0) {
                        // leading whitespace, stripped anyway: the line break after <call>, mostly
                    } else {
                        top.appendText(chars, start, length);
                        if (top.bannerLine == 0 && looksLikeBanner(chars, start, length)) {
                            // an ellipsis in a list that has no items: reported if the page reads it as a list
                            String text = new String(chars, start, length);
                            int[] at = bannerStart(text, r.getLocation(), repaired, false);
                            top.bannerLine = at[0];
                            top.bannerColumn = at[1];
                        }
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    MorElement e = stack[--depth];
                    stack[depth] = null;
                    e.endText();
                    if (depth > 0) {
                        MorElement parent = stack[depth - 1];
                        parent.inBanner = false;
                        if (matched == depth && depth == path.length) {
                            matched = depth - 1;
                            sink.accept(e, root);
                        } else {
                            if (matched == depth) {
                                matched = depth - 1;
                            }
                            parent.add(e);
                        }
                    }
                }
                default -> {
                    // comments, processing instructions, whitespace outside the root
                }
            }
        }
        return root;
    }

    /**
     * Where the first non-space character of {@code text} is in the page: from the text's start ({@code atEnd}
     * false) or end ({@code atEnd} true) location.
     */
    private static int[] bannerStart(String text, Location at, MorRepairingStream repaired, boolean atEnd) {
        int parserLine = at.getLineNumber();
        int parserColumn = at.getColumnNumber();
        int first = 0;
        while (first < text.length() && Character.isWhitespace(text.charAt(first))) {
            first++;
        }
        int breaksBefore = 0;
        int lastBreak = -1;
        for (int i = 0; i < first; i++) {
            if (text.charAt(i) == '\n') {
                breaksBefore++;
                lastBreak = i;
            }
        }
        int line;
        int column;
        if (atEnd) {
            int breaksAfter = 0;
            for (int i = first; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    breaksAfter++;
                }
            }
            line = parserLine - breaksAfter;
            column = lastBreak >= 0 ? first - lastBreak : Math.max(1, parserColumn - (text.length() - first));
        } else {
            line = parserLine + breaksBefore;
            column = lastBreak >= 0 ? first - lastBreak : parserColumn + first;
        }
        return new int[] { repaired.inputLine(line), repaired.inputColumn(line, column) };
    }

    private static int firstNonSpace(char[] chars, int start, int length) {
        for (int i = start, end = start + length; i < end; i++) {
            char c = chars[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
        }
        return -1;
    }

    /** Only dots, pluses and the like, three or more: the spec's {@code .....} and {@code ++++}. */
    private static boolean looksLikeBanner(char[] chars, int start, int length) {
        int marks = 0;
        for (int i = start, end = start + length; i < end; i++) {
            char c = chars[i];
            if (c == '.' || c == '+' || c == '-' || c == '=' || c == '*' || c == '#' || c == '~') {
                marks++;
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return marks >= 3;
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
            if (t instanceof XMLStreamException x && x.getNestedException() instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** The parser's message without its own position (the page's is given instead) and on one line. */
    private static String reason(XMLStreamException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int at = m.indexOf("\n at [row,col");
        if (at < 0) {
            at = m.indexOf(" at [row,col");
        }
        if (at >= 0) {
            m = m.substring(0, at);
        }
        if (m.startsWith("ParseError at [row,col]:")) {
            int nl = m.indexOf("Message:");
            m = nl >= 0 ? m.substring(nl + "Message:".length()) : m;
        }
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
