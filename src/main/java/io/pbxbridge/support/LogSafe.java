package io.pbxbridge.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Text that came from outside (file names, sidecar fields, what a server answered) made safe to log, write into a
 * report or put into an event: bounded in length, so a 5 MB field does not become 5 MB of log, and, for logs, with
 * control characters shown as escapes, so a newline in a file name cannot forge a log line.
 */
public final class LogSafe {

    /** The default bound of one field: enough for any real name, number or modem. */
    public static final int MAX_CHARS = 256;
    /** The bound of a message that may quote a field (a reason, a server's answer). */
    public static final int MAX_MESSAGE_CHARS = 1024;

    private LogSafe() {
    }

    /** {@code value} for a log line: control characters escaped, at most {@link #MAX_CHARS} characters kept. */
    public static String text(Object value) {
        return text(value, MAX_CHARS);
    }

    /** {@code value} for a log line: control characters escaped, at most {@code max} characters kept. */
    public static String text(Object value, int max) {
        if (value == null) {
            return "null";
        }
        return escapeControls(truncate(value.toString(), max));
    }

    /**
     * {@code value} cut to {@code max} characters, followed by an ellipsis and the original length when it was
     * longer: for fields written as JSON (which escapes control characters itself). Null stays null.
     */
    public static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = max;
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // do not split a character in two
        }
        return value.substring(0, end) + "…(" + value.length() + " chars)";
    }

    /**
     * At most {@code maxItems} items, each cut to {@link #MAX_CHARS}; when there were more, the last item says how
     * many were left out. Null stays null.
     */
    public static List<String> truncate(Collection<?> values, int maxItems) {
        if (values == null) {
            return null;
        }
        List<String> out = new ArrayList<>(Math.min(values.size(), maxItems + 1));
        for (Object v : values) {
            if (out.size() == maxItems) {
                out.add("…(" + (values.size() - maxItems) + " more)");
                break;
            }
            out.add(truncate(String.valueOf(v), MAX_CHARS));
        }
        return out;
    }

    /**
     * Control characters (line breaks, tabs, escape, ...), Unicode line and paragraph separators and the
     * bidirectional overrides written as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}.
     */
    static String escapeControls(String s) {
        int i = 0;
        while (i < s.length() && !unsafe(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
