package io.pbxbridge.vendor.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/** What every reply has: status, reason and headers. */
public abstract sealed class VendorHttpReply permits VendorHttpResponse, VendorHttpStream {

    private final int status;
    private final String reason;
    private final Map<String, List<String>> headers;

    VendorHttpReply(HttpResponse response) {
        this.status = response.getCode();
        this.reason = response.getReasonPhrase();
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            h.computeIfAbsent(header.getName(), k -> new ArrayList<>()).add(header.getValue());
        }
        h.replaceAll((k, v) -> List.copyOf(v));
        this.headers = Collections.unmodifiableMap(h);
    }

    public int status() {
        return status;
    }

    /** The reason phrase, e.g. {@code Service Unavailable}; may be null or empty. */
    public String reason() {
        return reason;
    }

    /** 2xx. */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    /** Every value of a header (any case), e.g. {@code Set-Cookie}. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** Every header, names in any case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The {@code Content-Type} header, or null. */
    public String contentType() {
        return header("Content-Type");
    }

    /** The charset of {@code Content-Type}, UTF-8 when it names none (or one this JVM does not know). */
    public Charset charset() {
        String ct = contentType();
        if (ct == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            Charset c = ContentType.parseLenient(ct).getCharset();
            return c != null ? c : StandardCharsets.UTF_8;
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
