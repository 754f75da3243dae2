package io.pbxbridge.vendor.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;

/**
 * A successful response whose body is read as it comes (exports, recordings): the caller reads {@link #body()} and
 * must {@link #close()} this, which gives the connection back (to the pool when the body was read to its end). A
 * failure while reading is the stream's {@link IOException}: the vendor's codec classifies it
 * ({@link io.pbxbridge.vendor.VendorFailures}).
 */
public final class VendorHttpStream extends VendorHttpReply implements Closeable {

    private final ClassicHttpResponse response;
    private final InputStream body;
    private final long length;

    VendorHttpStream(ClassicHttpResponse response) throws IOException {
        super(response);
        this.response = response;
        HttpEntity entity = response.getEntity();
        this.body = entity == null ? InputStream.nullInputStream() : entity.getContent();
        this.length = entity == null ? 0 : entity.getContentLength();
    }

    /** The body; read it before {@link #close()}. */
    public InputStream body() {
        return body;
    }

    /** The body's length when the server said it, otherwise -1. */
    public long contentLength() {
        return length;
    }

    @Override
    public void close() throws IOException {
        response.close();
    }

    /**
     * Closes without reading the rest of the body, dropping the connection: for a body that is not wanted to its end,
     * which {@link #close()} would read first (a camera's stream never ends).
     */
    public void abort() throws IOException {
        if (response instanceof ModalCloseable modal) {
            modal.close(CloseMode.IMMEDIATE);
        } else {
            response.close();
        }
    }

    @Override
    public String toString() {
        return "HTTP " + status() + " (streaming)";
    }
}
