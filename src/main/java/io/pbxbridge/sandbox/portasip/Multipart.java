package io.pbxbridge.sandbox.portasip;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.vertx.core.buffer.Buffer;

/**
 * The answer of a method that gets audio: {@code multipart/mixed; boundary=...} with two parts, first
 * {@code application/json} (the result object), then the file ({@code Content-Type} as uploaded, or
 * {@code audio/basic}; {@code Content-Disposition: attachment; filename="..."}). CRLF line ends, as RFC 2046 says.
 */
final class Multipart {

    private static final Random RANDOM = new Random();

    final String boundary;
    final Buffer body;

    private Multipart(String boundary, Buffer body) {
        this.boundary = boundary;
        this.body = body;
    }

    String contentType() {
        return "multipart/mixed; boundary=" + boundary;
    }

    static Multipart mixed(String json, AudioFile audio) {
        String boundary = "psim-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + "-"
                + Long.toHexString(System.nanoTime());
        Buffer b = Buffer.buffer(json.length() + audio.bytes().length + 400);
        b.appendString("--" + boundary + "\r\n");
        b.appendString("Content-Type: application/json\r\n\r\n");
        b.appendString(json, StandardCharsets.UTF_8.name());
        b.appendString("\r\n--" + boundary + "\r\n");
        b.appendString("Content-Type: " + audio.contentType() + "\r\n");
        b.appendString("Content-Disposition: attachment; filename=\"" + audio.filename().replace("\"", "") + "\"\r\n");
        b.appendString("Content-Length: " + audio.bytes().length + "\r\n\r\n");
        b.appendBytes(audio.bytes());
        b.appendString("\r\n--" + boundary + "--\r\n");
        return new Multipart(boundary, b);
    }
}
