package io.pbxbridge.mor;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.pbxbridge.vendor.http.VendorHttpStream;

/**
 * A file MOR exports (rates or calls, PDF or CSV), read as it comes: never whole in memory. The reader must close it
 * (a Camel file producer does), which gives the connection back. The producer also sets {@code CamelFileName} and
 * {@code Content-Type}, so {@code to("file:exports")} writes it under MOR's name.
 */
public final class MorExport extends FilterInputStream {

    private final String fileName;
    private final String contentType;
    private final long contentLength;
    private final VendorHttpStream reply;
    private boolean ended;

    MorExport(InputStream body, String fileName, String contentType, long contentLength, VendorHttpStream reply) {
        super(body);
        this.fileName = fileName;
        this.contentType = contentType;
        this.contentLength = contentLength;
        this.reply = reply;
    }

    /** The file's name from {@code Content-Disposition}, or a default such as {@code calls.csv}. */
    public String fileName() {
        return fileName;
    }

    /** {@code application/pdf}, {@code text/csv}..., or null. */
    public String contentType() {
        return contentType;
    }

    /** The length MOR announced, or -1. */
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
     * Gives the connection back; closed before its end (a reader that wanted only the start), the connection is
     * dropped rather than the rest of the file read.
     */
    @Override
    public void close() throws IOException {
        if (ended) {
            reply.close();
        } else {
            reply.abort();
        }
    }

    @Override
    public String toString() {
        return "MorExport[" + fileName + ", " + contentType + (contentLength >= 0 ? ", " + contentLength + " bytes" : "")
                + "]";
    }
}
