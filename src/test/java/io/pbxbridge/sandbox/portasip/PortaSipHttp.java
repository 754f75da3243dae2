package io.pbxbridge.sandbox.portasip;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain client of the simulator's JSON API for the tests: form or multipart POSTs, multipart/mixed answers. */
final class PortaSipHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, content type, the JSON (the first part of a multipart one), the file if any. */
    record Answer(int status, String contentType, JsonNode json, String fileType, String fileDisposition,
                  byte[] file, String raw) {
        String faultcode() {
            return json.path("faultcode").asText(null);
        }
    }

    final HttpClient http;
    final String base;

    PortaSipHttp(HttpClient http, String base) {
        this.http = http;
        this.base = base;
    }

    PortaSipHttp(String base) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** POST form-urlencoded to /rest/service/method/; auth and params JSON text (null = left out). */
    Answer post(String service, String method, String auth, String params) throws Exception {
        return postTo("/rest/" + service + "/" + method + "/", auth, params);
    }

    Answer postTo(String path, String auth, String params) throws Exception {
        StringBuilder body = new StringBuilder();
        if (auth != null) {
            body.append("auth_info=").append(URLEncoder.encode(auth, StandardCharsets.UTF_8));
        }
        if (params != null) {
            body.append(body.length() > 0 ? "&" : "").append("params=")
                    .append(URLEncoder.encode(params, StandardCharsets.UTF_8));
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return read(http.send(req, HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** POST multipart/form-data with auth_info, params and (if not null) a file part named {@code fileField}. */
    Answer multipart(String service, String method, String auth, String params, String fileField, String filename,
                     String fileType, byte[] file) throws Exception {
        String boundary = "----test" + System.nanoTime();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        field(b, boundary, "auth_info", auth);
        field(b, boundary, "params", params);
        if (file != null) {
            b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                    + "\"; filename=\"" + filename + "\"\r\nContent-Type: " + fileType + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            b.writeBytes(file);
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/rest/" + service + "/" + method + "/"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build();
        return read(http.send(req, HttpResponse.BodyHandlers.ofByteArray()));
    }

    private static void field(ByteArrayOutputStream b, String boundary, String name, String value) {
        if (value == null) {
            return;
        }
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    static Answer read(HttpResponse<byte[]> r) {
        String ct = r.headers().firstValue("Content-Type").orElse("");
        byte[] body = r.body();
        if (!ct.startsWith("multipart/mixed")) {
            String text = new String(body, StandardCharsets.UTF_8);
            return new Answer(r.statusCode(), ct, ct.startsWith("application/json") ? json(text) : null, null, null,
                    null, text);
        }
        String boundary = ct.substring(ct.indexOf("boundary=") + "boundary=".length()).trim();
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int first = indexOf(body, delim, 0);
        int second = indexOf(body, delim, first + delim.length);
        int end = indexOf(body, ("\r\n--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1), second);
        String part1 = new String(body, first + delim.length, second - first - delim.length, StandardCharsets.UTF_8);
        String json = part1.substring(part1.indexOf("\r\n\r\n") + 4).trim();
        int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), second);
        String headers = new String(body, second + delim.length, headersEnd - second - delim.length,
                StandardCharsets.ISO_8859_1);
        String type = null;
        String disposition = null;
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                type = line.substring(13).trim();
            } else if (line.regionMatches(true, 0, "Content-Disposition:", 0, 20)) {
                disposition = line.substring(20).trim();
            }
        }
        byte[] file = Arrays.copyOfRange(body, headersEnd + 4, end);
        return new Answer(r.statusCode(), ct, json(json), type, disposition, file, null);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found in the multipart body");
    }
}
