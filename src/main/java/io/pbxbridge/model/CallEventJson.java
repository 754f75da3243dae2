package io.pbxbridge.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import io.pbxbridge.support.IsoInstant;

/**
 * A {@link CallEvent} as JSON bytes, byte for byte what {@code Json.MAPPER} writes ({@link CallEventSerializer}:
 * the same fields, order, null handling and escapes; {@code CallEventJsonTest} compares the two), in about 60 % of
 * the time. It is the Kafka value of every event, on the thread that reads the event socket. Only the common case is
 * taken: all text ASCII and every detail a string (or null); for anything else {@link #bytes} answers null and the
 * caller uses Jackson.
 */
public final class CallEventJson {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Out> BUFFERS = ThreadLocal.withInitial(Out::new);
    private static final byte[] ID = name("id");
    private static final byte[] VENDOR = name("vendor");
    private static final byte[] SOURCE = name("source");
    private static final byte[] TYPE = name("type");
    private static final byte[] CALL_ID = name("callId");
    private static final byte[] LEG_ID = name("legId");
    private static final byte[] FROM = name("from");
    private static final byte[] TO = name("to");
    private static final byte[] DIRECTION = name("direction");
    private static final byte[] STATE = name("state");
    private static final byte[] TIMESTAMP = name("timestamp");
    private static final byte[] DETAILS = name("details");
    private static final byte[] RAW = name("raw");

    private CallEventJson() {
    }

    /** The JSON of {@code e}, or null when it has non-ASCII text or a detail that is not a string. */
    public static byte[] bytes(CallEvent e) {
        Out out = BUFFERS.get();
        out.length = 0;
        out.fieldSeparator = '{';
        return event(out, e) ? Arrays.copyOf(out.bytes, out.length) : null;
    }

    /**
     * {@code {"name1":"value1",...,"dataName":<the JSON of e>}}: an envelope of string fields (null ones left out)
     * around the event, as Jackson writes it; null when {@link #bytes} would be. {@code names} come from
     * {@link #fieldName}.
     */
    public static byte[] enveloped(byte[][] names, String[] values, byte[] dataName, CallEvent e) {
        Out out = BUFFERS.get();
        out.length = 0;
        out.fieldSeparator = '{';
        for (int i = 0; i < names.length; i++) {
            if (!out.field(names[i], values[i])) {
                return null;
            }
        }
        out.name(dataName);
        out.fieldSeparator = '{';
        if (!event(out, e)) {
            return null;
        }
        out.put('}');
        return Arrays.copyOf(out.bytes, out.length);
    }

    /** The event's object, its fields in Jackson's order; false at what only Jackson can write. */
    private static boolean event(Out out, CallEvent e) {
        boolean written = out.field(ID, e.id())
                && out.field(VENDOR, e.vendor())
                && out.field(SOURCE, e.source())
                && out.field(TYPE, e.type())
                && out.field(CALL_ID, e.callId())
                && out.field(LEG_ID, e.legId())
                && out.field(FROM, e.from())
                && out.field(TO, e.to())
                && out.field(DIRECTION, e.direction() == null ? null : e.direction().name())
                && out.field(STATE, e.state())
                && out.field(TIMESTAMP, e.timestamp() == null ? null : IsoInstant.format(e.timestamp()))
                && out.details(e.details())
                && out.field(RAW, e.raw());
        if (!written) {
            return false;
        }
        if (out.fieldSeparator == '{') {
            out.put('{'); // no field at all
        }
        out.put('}');
        return true;
    }

    /** A field name as {@link #enveloped} takes it. */
    public static byte[] fieldName(String name) {
        return name(name);
    }

    /** {@code "name":} */
    private static byte[] name(String name) {
        return ('"' + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    /** A growing byte buffer, one per thread, reused from event to event. */
    private static final class Out {
        byte[] bytes = new byte[1024];
        int length;
        char fieldSeparator;

        void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void put(char c) {
            ensure(1);
            bytes[length++] = (byte) c;
        }

        void raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        void name(byte[] name) {
            put(fieldSeparator);
            fieldSeparator = ',';
            raw(name);
        }

        boolean field(byte[] name, String value) {
            if (value == null) {
                return true;
            }
            name(name);
            return string(value);
        }

        boolean details(Map<String, Object> details) {
            if (details == null) {
                return true;
            }
            name(DETAILS);
            char separator = '{';
            for (Map.Entry<String, Object> d : details.entrySet()) {
                put(separator);
                separator = ',';
                if (!string(d.getKey())) {
                    return false;
                }
                put(':');
                Object v = d.getValue();
                if (v == null) {
                    raw(NULL);
                } else if (!(v instanceof String s) || !string(s)) {
                    return false;
                }
            }
            if (separator == '{') {
                put('{');
            }
            put('}');
            return true;
        }

        /** A quoted JSON string with Jackson's escapes; false at the first character outside ASCII. */
        boolean string(String s) {
            int n = s.length();
            ensure(n * 6 + 2); // at worst every character as a six-byte escape, and the quotes
            byte[] b = bytes;
            int p = length;
            b[p++] = '"';
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else if (c >= 0x80) {
                    return false;
                } else {
                    b[p++] = '\\';
                    switch (c) {
                        case '"', '\\' -> b[p++] = (byte) c;
                        case '\b' -> b[p++] = 'b';
                        case '\t' -> b[p++] = 't';
                        case '\n' -> b[p++] = 'n';
                        case '\f' -> b[p++] = 'f';
                        case '\r' -> b[p++] = 'r';
                        default -> {
                            b[p++] = 'u';
                            b[p++] = '0';
                            b[p++] = '0';
                            b[p++] = HEX[c >> 4];
                            b[p++] = HEX[c & 0xF];
                        }
                    }
                }
            }
            b[p++] = '"';
            length = p;
            return true;
        }
    }
}
