package io.pbxbridge.escaux;

import java.nio.charset.StandardCharsets;

/**
 * Bytes of the event stream that are not an event, as the frame decoder reports them: text between events, a DTD,
 * an event over the size limit (its first bytes), an element that is not well-formed.
 *
 * @param reason why the bytes were rejected
 * @param bytes  the raw bytes (for an oversize event: the first {@code maxEventSize} bytes)
 * @param size   how many bytes were rejected in all (for an oversize event: {@code maxEventSize + 1}, as it is cut
 *               as soon as it is known to be larger)
 */
public record EscauxRejectedFrame(Reason reason, byte[] bytes, long size) {

    /** Why bytes were rejected. */
    public enum Reason {
        /** Bytes that never form an element (text between events, a stray end tag, a broken tag). */
        GARBAGE,
        /** An event larger than the configured limit. */
        OVERSIZE,
        /** A DOCTYPE declaration: DTDs (and their entities) are never processed. */
        DOCTYPE,
        /** A complete element that is not well-formed XML (e.g. mismatched tags). */
        MALFORMED,
        /**
         * An event that never ended: the connection closed, the next event started, or no byte completed it for the
         * time allowed (an event cut short, a {@code <} in a value).
         */
        TRUNCATED
    }

    /** The bytes as text, for logs (UTF-8, possibly cut). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String t = text().replaceAll("\\s+", " ");
        return reason + " (" + size + " bytes): '" + (t.length() > 120 ? t.substring(0, 117) + "..." : t) + "'";
    }
}
