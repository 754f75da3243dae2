package io.pbxbridge.vendor.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file a vendor answers with (an export, a recording, a camera picture or stream), read as it arrives: never whole
 * in memory. The reader must close it, which gives the connection back when the file was read to its end, and drops
 * the connection otherwise rather than reading the rest (a camera's stream has no end).
 */
public class VendorFile extends FilterInputStream {

    private final String name;
    private final String contentType;
    private final long contentLength;
    private final VendorHttpStream response;
    private volatile boolean ended;

    protected VendorFile(InputStream body, VendorHttpStream response, String name, String contentType,
                         long contentLength) {
        super(body);
        this.response = response;
        this.name = name;
        this.contentType = contentType;
        this.contentLength = contentLength;
    }

    /** The file's name (the one the server gave, or a default), or null. */
    public String name() {
        return name;
    }

    /** The server's {@code Content-Type}, or null. */
    public String contentType() {
        return contentType;
    }

    /** The length when the server said it, else -1 (a stream). */
    public long contentLength() {
        return contentLength;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        ended |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (ended) {
            response.close();
        } else {
            response.abort();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + contentType + (contentLength >= 0 ? ", "
                + contentLength + " bytes" : "") + "]";
    }
}
