package io.pbxbridge.metasec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.pbxbridge.vendor.http.VendorHttpStream;

/**
 * A file the WebTAPI sends (a recording, a camera picture, a camera stream) as it arrives: read it, then close it,
 * which gives the connection back. Never held whole in memory here.
 */
public final class MetasecFile extends FilterInputStream {

    private final String name;
    private final String contentType;
    private final long contentLength;
    private final VendorHttpStream response;
    private volatile boolean ended;

    MetasecFile(InputStream body, VendorHttpStream response, String name, String contentType, long contentLength) {
        super(body);
        this.response = response;
        this.name = name;
        this.contentType = contentType;
        this.contentLength = contentLength;
    }

    /** The file's name (the recording's, or the one the server gave), or null. */
    public String name() {
        return name;
    }

    /** The server's {@code Content-Type}, e.g. {@code audio/x-wav}, {@code image/jpeg}, or null. */
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

    /**
     * Gives the connection back when the file was read to its end; drops it otherwise, without reading the rest (a
     * camera's stream has no end).
     */
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
        return "MetasecFile[" + name + ", " + contentType + ", " + contentLength + " bytes]";
    }
}
