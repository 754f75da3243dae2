package io.pbxbridge.metasec;

import java.io.InputStream;

import io.pbxbridge.vendor.http.VendorFile;
import io.pbxbridge.vendor.http.VendorHttpStream;

/**
 * A file the WebTAPI sends (a recording, a camera picture, a camera stream) as it arrives: read it, then close it,
 * which gives the connection back. Never held whole in memory here.
 */
public final class MetasecFile extends VendorFile {

    MetasecFile(InputStream body, VendorHttpStream response, String name, String contentType, long contentLength) {
        super(body, response, name, contentType, contentLength);
    }
}
