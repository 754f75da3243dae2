package io.pbxbridge.mor;

import java.io.InputStream;

import io.pbxbridge.vendor.http.VendorFile;
import io.pbxbridge.vendor.http.VendorHttpStream;

/**
 * A file MOR exports (rates or calls, PDF or CSV), read as it comes: never whole in memory. The reader must close it
 * (a Camel file producer does), which gives the connection back. The producer also sets {@code CamelFileName} and
 * {@code Content-Type}, so {@code to("file:exports")} writes it under MOR's name.
 */
public final class MorExport extends VendorFile {

    MorExport(InputStream body, String fileName, String contentType, long contentLength, VendorHttpStream reply) {
        super(body, reply, fileName, contentType, contentLength);
    }

    /** The file's name from {@code Content-Disposition}, or a default such as {@code calls.csv}. */
    public String fileName() {
        return name();
    }
}
