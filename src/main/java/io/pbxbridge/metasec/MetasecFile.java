package io.pbxbridge.metasec;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file the WebTAPI sends (a recording, a camera picture, a camera stream) as it arrives: read it, then close it,
 * which gives the connection back. Never held whole in memory here.
 */
public final class MetasecFile extends FilterInputStream {

    private final String name;
    private final String contentType;
    private final long contentLength;
    private final Closeable response;

    MetasecFile(InputStream body, Closeable response, String name, String contentType, long contentLength) {
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
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            response.close();
        }
    }

    @Override
    public String toString() {
        return "MetasecFile[" + name + ", " + contentType + ", " + contentLength + " bytes]";
    }
}
