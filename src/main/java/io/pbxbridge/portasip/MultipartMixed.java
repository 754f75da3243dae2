package io.pbxbridge.portasip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/mixed} body part by part as it comes (RFC 2046): each part's headers, then its content as
 * a stream that ends at the next boundary. Nothing is held in memory beyond a boundary's length; a part not read to
 * its end is skipped by {@link #next()}.
 */
final class MultipartMixed {

    /** Longest header block of a part. */
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final PushbackInputStream in;
    private final byte[] delimiter;
    private PartStream current;
    private boolean finished;

    /** A part: its headers (names in lower case) and its content. */
    record Part(Map<String, String> headers, InputStream body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The Content-Type's media type in lower case, without parameters; null when absent. */
        String mediaType() {
            String ct = header("content-type");
            return ct == null ? null : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        }

        /** The {@code filename} of the Content-Disposition, or null. */
        String filename() {
            return parameter(header("content-disposition"), "filename");
        }
    }

    MultipartMixed(InputStream body, String boundary) {
        // a virtual CRLF in front, so the first boundary is found like every other one
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.in = new PushbackInputStream(new SequenceInputStream(
                new ByteArrayInputStream(new byte[] { '\r', '\n' }), new java.io.BufferedInputStream(body, 16384)),
                delimiter.length);
    }

    /** The boundary of a {@code multipart/...} Content-Type, or null. */
    static String boundary(String contentType) {
        return parameter(contentType, "boundary");
    }

    /** The next part, or null after the closing boundary. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            // the preamble, up to the first boundary
            skip(new PartStream());
        } else {
            skip(current);
        }
        // after a boundary: "--" closes the body, otherwise the rest of the line
        int a = in.read();
        int b = in.read();
        if (a == '-' && b == '-') {
            finished = true;
            return null;
        }
        if (a < 0 || b < 0) {
            throw new EOFException("the multipart body ends without its closing boundary");
        }
        in.unread(b);
        in.unread(a);
        readLine(); // transport padding and CRLF
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("a multipart part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        current = new PartStream();
        return new Part(headers, current);
    }

    /** Reads a whole (small) part, failing beyond {@code max} bytes. */
    static byte[] readAll(InputStream part, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = part.read(buf)) >= 0;) {
            out.write(buf, 0, n);
            if (out.size() > max) {
                throw new IOException("a multipart part is longer than " + max + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static void skip(InputStream part) throws IOException {
        byte[] buf = new byte[8192];
        while (part.read(buf) >= 0) {
            // skipped
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n';) {
            if (c < 0) {
                throw new EOFException("the multipart body ends inside a part's headers");
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("a multipart header line is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(c);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code name}'s value among the parameters of a header ({@code a/b; name="value"}), or null. */
    static String parameter(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String p : header.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    /** A part's content: the bytes up to the next delimiter. */
    private final class PartStream extends InputStream {

        private boolean done;

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the multipart body ends inside a part");
            }
            if (b == (delimiter[0] & 0xff)) {
                byte[] rest = new byte[delimiter.length - 1];
                int n = in.readNBytes(rest, 0, rest.length);
                if (n == rest.length && matches(rest)) {
                    done = true;
                    return -1;
                }
                in.unread(rest, 0, n);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int i = 0;
            while (i < len) {
                int c = read();
                if (c < 0) {
                    break;
                }
                b[off + i++] = (byte) c;
            }
            return i == 0 ? -1 : i;
        }

        private boolean matches(byte[] rest) {
            for (int i = 0; i < rest.length; i++) {
                if (rest[i] != delimiter[i + 1]) {
                    return false;
                }
            }
            return true;
        }
    }
}
