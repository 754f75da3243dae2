package io.pbxbridge.portasip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpRequest.FilePart;
import io.pbxbridge.vendor.http.VendorHttpSettings;
import io.pbxbridge.vendor.http.VendorHttpStream;
import io.pbxbridge.vendor.session.SessionKey;
import io.pbxbridge.vendor.session.SessionManager;
import io.pbxbridge.vendor.session.SessionToken;

/**
 * The PortaSIP JSON API of one server and login: {@code POST <address><basePath>/<Service>/<method>/} with the form
 * fields {@code auth_info} ({@code {"session_id": ...}}) and {@code params} (JSON), each request sent once by the
 * vendor HTTP transport. The session is the component's {@link SessionManager}'s: one {@code Session/login} per
 * address and login, shared by every endpoint, renewed once when a request meets an authentication fault (PortaSIP
 * checks the session before it executes anything, so the request is then sent again, whatever it is).
 * <p>
 * Audio (our decision with the simulator; the spec only shows SOAP attachments): a method that stores audio is sent
 * as {@code multipart/form-data} with {@code auth_info}, {@code params} and the file part {@code upload_file}; a method
 * that reads audio is answered with {@code multipart/mixed}, a JSON part (the result) then the file part
 * ({@link PortaSipAudio}). Faults are {@link PortaSipFaultException}s (see {@link PortaSipHttpFailures}). The password
 * and session ids are masked in every log line and message the transport writes. Thread-safe.
 */
public class PortaSipClient {

    /** The form field holding the session (or credentials): masked wherever the transport writes a request. */
    static final String AUTH_INFO = "auth_info";
    static final String PARAMS = "params";
    /** The file part of audio uploads. */
    static final String UPLOAD_FILE = "upload_file";
    /** The largest JSON part of a multipart/mixed reply. */
    private static final int MAX_JSON_PART = 1 << 20;

    private final String address;
    private final String apiBase;
    private final String login;
    private final String domain;
    private final String password;
    private final SessionKey key;
    private final VendorHttpClient http;
    private final SessionManager<SessionToken> sessions;

    /**
     * @param http     the transport ({@link #transport}), shared with other endpoints and closed by its owner
     * @param sessions the component's sessions
     */
    PortaSipClient(PortaSipConfiguration c, VendorHttpClient http, SessionManager<SessionToken> sessions) {
        this.address = c.baseAddress();
        this.apiBase = address + c.normalizedBasePath();
        this.login = c.getLogin();
        this.domain = c.getDomain();
        this.password = c.getPassword();
        this.key = sessionKey(c);
        this.http = http;
        this.sessions = sessions;
    }

    /** Whose session: the API's base address and the login (with its domain). */
    static SessionKey sessionKey(PortaSipConfiguration c) {
        return new SessionKey(c.baseAddress() + c.normalizedBasePath(), c.sessionAccount());
    }

    /** The HTTP transport of PortaSIP: its exceptions and its secret form field. */
    static VendorHttpClient transport(VendorHttpSettings settings) {
        return VendorHttpClient.builder(PortaSipComponent.SCHEME).settings(settings)
                .failures(PortaSipHttpFailures.INSTANCE).secretParameters(AUTH_INFO, "password", "session_id").build();
    }

    SessionKey key() {
        return key;
    }

    /** The server's base address, e.g. {@code https://portasip.example.com:8445}. */
    public String address() {
        return address;
    }

    /**
     * Calls {@code op} with the managed session and returns its JSON result (an object).
     *
     * @param upload the audio to send ({@code multipart/form-data}), or null
     */
    public JsonNode call(PortaSipOperation op, ObjectNode params, Upload upload) {
        return sessions.call(key, k -> login(), op.safeToRepeat(), session -> {
            VendorHttpRequest request = request(op, session, params, upload);
            return json(op, http.sendForSuccess(request).bodyAsString(), request);
        });
    }

    /** Calls an audio-reading {@code op} with the managed session: the JSON result and the file of its reply. */
    public PortaSipAudio callForAudio(PortaSipOperation op, ObjectNode params) {
        return sessions.call(key, k -> login(), op.safeToRepeat(), session -> audio(op, session, params));
    }

    /** Logs in ({@code Session/login}) with the configured credentials: a new session, not the managed one. */
    public SessionToken login() {
        if (login == null || login.isBlank()) {
            throw new PortaSipValidationException("login", "the login is not configured (the login option)");
        }
        ObjectNode params = Json.MAPPER.createObjectNode();
        params.put("login", login);
        if (domain != null && !domain.isBlank()) {
            params.put("domain", domain);
        }
        params.put("password", password == null ? "" : password);
        VendorHttpRequest request = VendorHttpRequest.post(apiBase, "/Session/login/").operation("login")
                .secret(PARAMS).secretValue(password).form(PARAMS, params.toString()).build();
        JsonNode result = json(PortaSipOperation.login, http.sendForSuccess(request).bodyAsString(), request);
        String id = text(result, "session_id");
        if (id == null || id.isBlank()) {
            throw new PortaSipResponseException("login", "no session_id in the reply (fields: "
                    + LogSafe.truncate(fieldNames(result), LogSafe.MAX_CHARS) + ")", null);
        }
        return new SessionToken(id);
    }

    /** Ends {@code session} ({@code Session/logout}). */
    public PortaSipSuccess logout(SessionToken session) {
        PortaSipOperation op = PortaSipOperation.logout;
        VendorHttpRequest request = request(op, session, Json.MAPPER.createObjectNode(), null);
        JsonNode result = json(op, http.sendForSuccess(request).bodyAsString(), request);
        return new PortaSipSuccess(result.path("success").asInt(1));
    }

    /** Ends the managed session of this address and login, if any: the next call logs in again. */
    public boolean logoutManaged() throws Exception {
        return sessions.logout(key);
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    private VendorHttpRequest request(PortaSipOperation op, SessionToken session, ObjectNode params, Upload upload) {
        ObjectNode auth = Json.MAPPER.createObjectNode().put("session_id", session.value());
        VendorHttpRequest.Builder b = VendorHttpRequest.post(apiBase, "/" + op.service() + "/" + op.wireName() + "/")
                .operation(op.wireName()).secretValue(password, session.value())
                .form(AUTH_INFO, auth.toString()).form(PARAMS, params.toString());
        if (upload != null) {
            b.file(upload.part());
        }
        return b.build();
    }

    /** The JSON object of a reply, or its fault as an exception. */
    private static JsonNode json(PortaSipOperation op, String body, VendorHttpRequest request) {
        JsonNode n;
        try {
            n = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PortaSipResponseException(op.wireName(), "not JSON (" + Json.problem(e) + "); it starts with '"
                    + LogSafe.truncate(request.mask(body), 120) + "'", e);
        }
        if (n == null || !n.isObject()) {
            throw new PortaSipResponseException(op.wireName(), "expected a JSON object, got '"
                    + LogSafe.truncate(request.mask(String.valueOf(body)), 120) + "'", null);
        }
        PortaSipFaultException fault = PortaSipHttpFailures.fault(request, n);
        if (fault != null) {
            throw fault;
        }
        return n;
    }

    /** Reads a {@code multipart/mixed} reply: its JSON part, then its file part (in memory or spooled). */
    private PortaSipAudio audio(PortaSipOperation op, SessionToken session, ObjectNode params) {
        VendorHttpRequest request = request(op, session, params, null);
        try (VendorHttpStream reply = http.sendStreaming(request)) {
            String contentType = reply.header("Content-Type");
            String boundary = MultipartMixed.boundary(contentType);
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")
                    || boundary == null) {
                byte[] start = reply.body().readNBytes(MAX_JSON_PART);
                // a JSON reply: a fault, or a result without the audio
                JsonNode n = json(op, new String(start, StandardCharsets.UTF_8), request);
                PortaSipDryRun.check(params, n);
                throw new PortaSipResponseException(op.wireName(), "expected multipart/mixed with the audio, got "
                        + contentType + " with only " + LogSafe.truncate(fieldNames(n), 120), null);
            }
            MultipartMixed parts = new MultipartMixed(reply.body(), boundary);
            MultipartMixed.Part first = parts.next();
            if (first == null) {
                throw new PortaSipResponseException(op.wireName(), "an empty multipart/mixed reply", null);
            }
            JsonNode result = json(op, new String(MultipartMixed.readAll(first.body(), MAX_JSON_PART),
                    StandardCharsets.UTF_8), request);
            MultipartMixed.Part file = parts.next();
            if (file == null) {
                throw new PortaSipResponseException(op.wireName(), "no file part after the JSON part", null);
            }
            String name = firstText(result, "filename", "prompt");
            if (name == null) {
                name = file.filename();
            }
            String type = file.header("content-type");
            PortaSipAudio audio = read(name, type == null ? "application/octet-stream" : type, file.body());
            while (parts.next() != null) {
                // parts after the file are not expected; read to the end so the connection is reused
            }
            return audio;
        } catch (IOException e) {
            VendorException.Kind kind = VendorFailures.ioKind(e);
            throw new PortaSipConnectionException(op.wireName(), e.getClass().getSimpleName(), kind,
                    "portasip " + op.wireName() + ": the audio reply broke off: " + VendorFailures.rootMessage(e), e);
        }
    }

    /** The file part: in memory up to {@link PortaSipAudio#IN_MEMORY_LIMIT} bytes, else in a temporary file. */
    private static PortaSipAudio read(String name, String contentType, InputStream body) throws IOException {
        byte[] head = body.readNBytes(PortaSipAudio.IN_MEMORY_LIMIT);
        int next = body.read();
        if (next < 0) {
            return new PortaSipAudio(name, contentType, head, null, head.length);
        }
        Path tmp = Files.createTempFile("portasip-audio-", ".tmp");
        tmp.toFile().deleteOnExit();
        long size;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(head);
            out.write(next);
            size = head.length + 1L + body.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new PortaSipAudio(name, contentType, null, tmp, size);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) {
            v = n.get(field.replace('_', ' ')); // the spec's damaged samples: "session id"
        }
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            String v = text(n, f);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String fieldNames(JsonNode n) {
        StringBuilder b = new StringBuilder();
        n.fieldNames().forEachRemaining(f -> b.append(b.length() == 0 ? "" : ", ").append(f));
        return b.toString();
    }

    /**
     * Audio to send as the file part {@code upload_file}: bytes, or a file streamed from disk (a temporary one when
     * the audio came as a stream, deleted after the call).
     */
    record Upload(String filename, String contentType, byte[] bytes, Path path, boolean temporary) {

        FilePart part() {
            return new FilePart(UPLOAD_FILE, filename, contentType, bytes, path);
        }

        /** Deletes the temporary file, if any. */
        void release() {
            if (temporary && path != null) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    path.toFile().deleteOnExit();
                }
            }
        }
    }
}
