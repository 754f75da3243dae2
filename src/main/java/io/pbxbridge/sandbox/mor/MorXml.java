package io.pbxbridge.sandbox.mor;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes a MOR page as the spec prints its samples: one element per line, no indentation. With {@code broken} on,
 * the callers add the spec's literal faults where its samples have them ({@link #prologWithoutQuestionMark},
 * {@link #filler}, {@link #brokenEntities}, {@code <<processed>}).
 */
final class MorXml {

    private final Writer out;
    final boolean broken;

    MorXml(Writer out, boolean broken) {
        this.out = out;
        this.broken = broken;
    }

    /** {@code <?xml version="1.0" encoding="UTF-8"?>}, the prolog of the spec's pages. */
    MorXml prolog() throws IOException {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        return this;
    }

    /**
     * The prolog of the spec's login and callback answers, {@code encoding="utf-8"}; in broken mode without its
     * {@code ?} as the spec prints it: {@code <?xml version="1.0" encoding="utf-8">}.
     */
    MorXml prologWithoutQuestionMark() throws IOException {
        out.write(broken ? "<?xml version=\"1.0\" encoding=\"utf-8\">\n" : "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        return this;
    }

    MorXml open(String name) throws IOException {
        out.write('<');
        out.write(name);
        out.write(">\n");
        return this;
    }

    MorXml close(String name) throws IOException {
        out.write("</");
        out.write(name);
        out.write(">\n");
        return this;
    }

    MorXml el(String name, String value) throws IOException {
        out.write('<');
        out.write(name);
        out.write('>');
        escape(value == null ? "" : value);
        out.write("</");
        out.write(name);
        out.write(">\n");
        return this;
    }

    MorXml el(String name, long value) throws IOException {
        return el(name, Long.toString(value));
    }

    /** An element with an attribute, {@code <device id="1">IAX2/101</device>} (the CallerIDs page's form). */
    MorXml elWithAttribute(String name, String attribute, String attributeValue, String value) throws IOException {
        out.write('<');
        out.write(name);
        out.write(' ');
        out.write(attribute);
        out.write("=\"");
        escape(attributeValue);
        out.write("\">");
        escape(value);
        out.write("</");
        out.write(name);
        out.write(">\n");
        return this;
    }

    /** An element written as is (already escaped, or deliberately broken). */
    MorXml raw(String line) throws IOException {
        out.write(line);
        out.write('\n');
        return this;
    }

    /** In broken mode, the spec's text between elements ({@code .....}, banners); nothing otherwise. */
    MorXml filler(String text) throws IOException {
        if (broken) {
            out.write(text);
            out.write('\n');
        }
        return this;
    }

    private void escape(String s) throws IOException {
        int n = s.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "" : null;
            };
            if (rep != null) {
                out.write(s, start, i - start);
                out.write(rep);
                start = i + 1;
            }
        }
        out.write(s, start, n - start);
    }

    /** {@code s} escaped for element text. */
    static String escaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * The spec's devices {@code cid} entities with a space after the ampersand and a trailing space:
     * {@code "101" <101>} -> {@code & quot;101& quot; & lt;101& gt; }.
     */
    static String brokenEntities(String value) {
        return escaped(value).replace("&", "& ") + " ";
    }
}
