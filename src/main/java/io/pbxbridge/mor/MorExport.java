package io.pbxbridge.mor;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file MOR exports (rates or calls, PDF or CSV), read as it comes: never whole in memory. The reader must close it
 * (a Camel file producer does), which gives the connection back. The producer also sets {@code CamelFileName} and
 * {@code Content-Type}, so {@code to("file:exports")} writes it under MOR's name.
 */
public final class MorExport extends FilterInputStream {

    private final String fileName;
    private final String contentType;
    private final long contentLength;
    private final AutoCloseable onClose;

    MorExport(InputStream body, String fileName, String contentType, long contentLength, AutoCloseable onClose) {
        super(body);
        this.fileName = fileName;
        this.contentType = contentType;
        this.contentLength = contentLength;
        this.onClose = onClose;
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
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            try {
                onClose.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "MorExport[" + fileName + ", " + contentType + (contentLength >= 0 ? ", " + contentLength + " bytes" : "")
                + "]";
    }
}
