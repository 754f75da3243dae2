package io.pbxbridge.sandbox.escaux;

/** A tiny XML writer for the simulator's replies and events. */
final class Xml {

    private final StringBuilder b = new StringBuilder();

    Xml open(String name) {
        b.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        b.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>text</name>}; null text writes an empty element. */
    Xml el(String name, Object text) {
        if (text == null || text.toString().isEmpty()) {
            b.append('<').append(name).append("/>");
        } else {
            b.append('<').append(name).append('>').append(escape(text.toString())).append("</").append(name).append('>');
        }
        return this;
    }

    Xml nl() {
        b.append('\n');
        return this;
    }

    static String escape(String s) {
        StringBuilder o = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (r != null && o == null) {
                o = new StringBuilder(s.substring(0, i));
            }
            if (o != null) {
                if (r != null) {
                    o.append(r);
                } else {
                    o.append(c);
                }
            }
        }
        return o == null ? s : o.toString();
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
