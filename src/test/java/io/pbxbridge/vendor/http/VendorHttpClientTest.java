package io.pbxbridge.vendor.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.pbxbridge.testsupport.DebugLog;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.testsupport.MisbehavingHttpServer;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorException.Kind;

/** The vendor HTTP transport against real servers: what it sends, what it returns, how each failure is classified. */
class VendorHttpClientTest {

    /** What the server received. */
    record Received(String method, String uri, String contentType, String body, Map<String, List<String>> headers) {
    }

    static HttpServer server;
    static String address;
    static final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    static final byte[] BIG = new byte[1 << 20];

    static VendorHttpClient client;

    @BeforeAll
    static void start() throws IOException {
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) (i * 31);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", VendorHttpClientTest::handle);
        server.start();
        address = "http://127.0.0.1:" + server.getAddress().getPort();
        client = client(settings(), "pincode");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop(0);
    }

    @BeforeEach
    void clear() {
        received.clear();
    }

    static VendorHttpSettings settings() {
        return VendorHttpSettings.of(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    static VendorHttpClient client(VendorHttpSettings settings, String... secrets) {
        return VendorHttpClient.builder("test").settings(settings).secretParameters(secrets).build();
    }

    /**
     * {@code /status/<code>}: that status, echoing the query; {@code /big}: 1 MiB; {@code .../latin1}: a body in
     * ISO-8859-1 (under any base path); anything else: 200 "ok".
     */
    static void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()),
                ex.getRequestHeaders().getFirst("Content-Type"), body, Map.copyOf(ex.getRequestHeaders())));
        byte[] reply;
        int status = 200;
        if (path.startsWith("/status/")) {
            status = Integer.parseInt(path.substring("/status/".length()));
            reply = ("fault " + status + " for " + ex.getRequestURI().getRawQuery()).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Location", address + "/elsewhere");
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=UTF-8");
        } else if (path.equals("/big")) {
            reply = BIG;
            ex.getResponseHeaders().add("Content-Type", "audio/wav");
        } else if (path.endsWith("/latin1")) {
            reply = "café".getBytes(StandardCharsets.ISO_8859_1);
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=ISO-8859-1");
            ex.getResponseHeaders().add("X-Reply", "a");
            ex.getResponseHeaders().add("X-Reply", "b");
        } else {
            reply = "ok".getBytes(StandardCharsets.UTF_8);
        }
        ex.sendResponseHeaders(status, reply.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply);
        }
    }

    static VendorException failure(Runnable call) {
        return assertThrows(VendorException.class, call::run);
    }

    // ---- what is sent and returned ----

    @Test
    void getSendsTheQueryInOrderAndReadsTheResponseInItsCharset() {
        VendorHttpResponse r = client.send(VendorHttpRequest.get(address + "/base/", "latin1").operation("op")
                .query("z", "1").query("a", "b c").query("skipped", null).query("ü", "&=+").header("X-Test", "t")
                .build());
        Received got = received.poll();
        assertEquals("GET", got.method());
        assertEquals("/base/latin1?z=1&a=b+c&%C3%BC=%26%3D%2B", got.uri());
        assertEquals(List.of("t"), got.headers().get("X-test"));
        assertEquals(200, r.status());
        assertEquals("café", r.bodyAsString());
        assertEquals(StandardCharsets.ISO_8859_1, r.charset());
        assertEquals(List.of("a", "b"), r.headers("x-reply"));
        assertEquals("a", r.header("X-REPLY"));
    }

    @Test
    void postSendsAFormInOrderOrARawBody() {
        client.sendForSuccess(VendorHttpRequest.post(address, "/login").form("user", "u 1").form("pass", "p&q=")
                .form("none", null).build());
        Received form = received.poll();
        assertEquals("POST", form.method());
        assertEquals("application/x-www-form-urlencoded", form.contentType());
        assertEquals("user=u+1&pass=p%26q%3D", form.body());

        client.sendForSuccess(VendorHttpRequest.post(address, "/rest/Session/login").body("{\"a\":\"é\"}",
                "application/json; charset=UTF-8").build());
        Received json = received.poll();
        assertEquals("application/json; charset=UTF-8", json.contentType());
        assertEquals("{\"a\":\"é\"}", json.body());

        assertThrows(IllegalStateException.class, () -> VendorHttpRequest.get(address, "/x").form("a", "b"));
        assertThrows(IllegalStateException.class,
                () -> VendorHttpRequest.post(address, "/x").form("a", "b").body("{}", "application/json").build());
        assertThrows(IllegalArgumentException.class, () -> VendorHttpRequest.get("ftp://h", "/x"));
    }

    // ---- statuses ----

    @Test
    void sendReturnsAnyStatusRequireSuccessClassifiesIt() {
        VendorHttpResponse fault = client.send(VendorHttpRequest.get(address, "/status/500").query("q", "1").build());
        assertEquals(500, fault.status());
        assertEquals("fault 500 for q=1", fault.bodyAsString()); // a codec can read a fault served as HTTP 500

        for (int status : new int[] { 500, 503, 408, 429 }) {
            VendorException e = failure(() -> client.sendForSuccess(
                    VendorHttpRequest.get(address, "/status/" + status).operation("op").build()));
            assertEquals(Kind.NO_ANSWER, e.getKind(), e.getMessage());
            assertTrue(e.isTransient());
            assertEquals("HTTP " + status, e.getCode());
            assertEquals("op", e.getOperation());
            assertEquals("test", e.getVendor());
            assertTrue(e.getMessage().startsWith("test op: HTTP " + status), e.getMessage());
            assertTrue(e.getMessage().contains("fault " + status), e.getMessage());
        }
        for (int status : new int[] { 400, 401, 404 }) {
            VendorException e = failure(() -> client.sendForSuccess(
                    VendorHttpRequest.get(address, "/status/" + status).build()));
            assertEquals(Kind.REFUSED, e.getKind(), e.getMessage());
            assertFalse(e.isTransient());
            assertTrue(e.provesNotExecuted());
        }
        received.clear();
        VendorException redirect = failure(() -> client.sendForSuccess(
                VendorHttpRequest.post(address, "/status/302").form("a", "1").build()));
        assertEquals(Kind.MALFORMED_REPLY, redirect.getKind());
        assertEquals(1, received.size(), "the redirect was followed: " + received);
    }

    // ---- secrets ----

    @Test
    void secretValuesAreMaskedInLogLinesAndMessages() {
        List<String> secrets = List.of("98765", "tok-secret-1", "abcdef123456", "pw-secret-2");
        try (DebugLog debugLog = DebugLog.of("io.pbxbridge.vendor"); LogCapture log = LogCapture.open()) {
            // pincode: the client's secret; api_token: a secret key; SID: this request's
            VendorHttpRequest get = VendorHttpRequest.get(address, "/status/404").operation("check").query("ext", "101")
                    .query("PINCODE", "98765").query("api_token", "tok-secret-1").query("SID", "abcdef123456")
                    .secret("sid").build();
            VendorException e = failure(() -> client.sendForSuccess(get));
            client.send(VendorHttpRequest.post(address, "/login").form("user", "u").form("password", "pw-secret-2")
                    .build());

            String expected = "GET " + address + "/status/404?ext=101&PINCODE=xxxxxx&api_token=xxxxxx&SID=xxxxxx";
            List<String> debug = log.messages(Level.DEBUG, "VendorHttpClient");
            assertTrue(debug.contains("test check: " + expected), debug.toString());
            assertTrue(debug.contains("test /login: POST " + address + "/login form user=u&password=xxxxxx"),
                    debug.toString());
            // the server echoed the query: masked in the message too
            assertTrue(e.getMessage().contains("/status/404?ext=101&PINCODE=xxxxxx"), e.getMessage());
            assertTrue(e.getMessage().contains("fault 404 for ext=101&PINCODE=xxxxxx"), e.getMessage());
            for (String secret : secrets) {
                assertFalse(e.getMessage().contains(secret), e.getMessage());
                assertFalse(get.toString().contains(secret), get.toString());
                for (String line : debug) {
                    assertFalse(line.contains(secret), line);
                }
            }
            assertTrue(received.stream().anyMatch(r -> r.uri().contains("PINCODE=98765")), "sent as is");
        }
    }

    @Test
    void multipartFormWithFilePartsFromBytesAndFromAFile() throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("vendor-http-", ".au");
        try (DebugLog debugLog = DebugLog.of("io.pbxbridge.vendor"); LogCapture log = LogCapture.open()) {
            java.nio.file.Files.write(file, BIG);
            client.sendForSuccess(VendorHttpRequest.post(address, "/upload").operation("upload")
                    .form("auth_info", "{\"session_id\":\"0123456789abcdef\"}").form("params", "{\"a\":\"é\"}")
                    .secret("auth_info")
                    .file(new VendorHttpRequest.FilePart("upload_file", "x.au", "audio/basic", new byte[] { 1, 2, 3 },
                            null))
                    .file(new VendorHttpRequest.FilePart("second", "big.au", "audio/basic", null, file)).build());
            Received r = received.poll();
            assertTrue(r.contentType().startsWith("multipart/form-data;") && r.contentType().contains("boundary="),
                    r.contentType());
            assertTrue(r.body().contains("name=\"params\"") && r.body().contains("{\"a\":\"é\"}"), "UTF-8 text part");
            assertTrue(r.body().contains("name=\"upload_file\"; filename=\"x.au\""), r.body().substring(0, 400));
            assertTrue(r.body().contains("filename=\"big.au\""));
            assertTrue(r.body().length() > BIG.length, "the file part is all there");
            List<String> debug = log.messages(Level.DEBUG, "VendorHttpClient");
            assertTrue(debug.stream().anyMatch(l -> l.contains("multipart auth_info=xxxxxx&params=")
                    && l.contains("FilePart[upload_file, x.au, audio/basic, 3 bytes]")), debug.toString());
            assertTrue(debug.stream().noneMatch(l -> l.contains("0123456789abcdef")), debug.toString());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new VendorHttpRequest.FilePart("f", "f", "audio/basic", null, null));
        assertThrows(IllegalStateException.class, () -> VendorHttpRequest.get(address, "/x").multipart());
    }

    @Test
    void secretValuesInsideFieldsAreMaskedInMessages() {
        // a fault that echoes the password it was sent inside a JSON field
        VendorHttpRequest r = VendorHttpRequest.get(address, "/status/404").operation("login")
                .query("params", "{\"password\":\"pw-inside-9\"}").secretValue("pw-inside-9", "ab", null).build();
        VendorException e = failure(() -> client.sendForSuccess(r));
        assertFalse(e.getMessage().contains("pw-inside-9"), e.getMessage());
        assertTrue(e.getMessage().contains("xxxxxx"), e.getMessage());
        assertEquals("a xxxxxx b", r.mask("a pw-inside-9 b"));
        assertEquals("ab", r.mask("ab"), "values shorter than 4 characters are not masked");
    }

    // ---- I/O failures: sent or not ----

    @Test
    void aRefusedConnectionIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        VendorException e = failure(() -> client.send(VendorHttpRequest.get("http://127.0.0.1:" + port, "/x").build()));
        assertEquals(Kind.UNREACHABLE, e.getKind(), e.getMessage());
        assertTrue(e.isTransient() && e.provesNotExecuted());
        assertInstanceOf(HttpHostConnectException.class, e.getCause());
        assertTrue(e.getMessage().contains("cannot connect to http://127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aConnectionThatDoesNotOpenInTimeIsUnreachable() throws IOException {
        // a listener that never accepts, its backlog full: the kernel drops further connection attempts
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        queued.add(s);
                    } catch (SocketTimeoutException filled) {
                        s.close();
                        break;
                    }
                }
                try (VendorHttpClient quick = client(VendorHttpSettings.of(Duration.ofMillis(300), Duration.ofSeconds(5)))) {
                    VendorException e = failure(() -> quick.send(
                            VendorHttpRequest.get("http://127.0.0.1:" + full.getLocalPort(), "/x").build()));
                    assertInstanceOf(ConnectTimeoutException.class, e.getCause());
                    assertEquals(Kind.UNREACHABLE, e.getKind(), e.getMessage());
                    assertEquals("TIMEOUT", e.getCode());
                    assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
                }
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aDroppedRequestIsSentOnceAndItsOutcomeUnknown() throws IOException {
        try (MisbehavingHttpServer dropping = MisbehavingHttpServer.dropping()) {
            VendorException e = failure(() -> client.send(VendorHttpRequest.get(dropping.address(), "/x").build()));
            assertEquals(Kind.NO_ANSWER, e.getKind(), e.getMessage());
            assertTrue(e.isTransient());
            assertFalse(e.provesNotExecuted());
            assertInstanceOf(NoHttpResponseException.class, e.getCause());
            assertEquals(1, dropping.requests());
        }
    }

    @Test
    void aRequestDroppedOnAPooledConnectionIsNotSentAgain() throws IOException {
        try (MisbehavingHttpServer sop = MisbehavingHttpServer.answeringThenDropping(1, "text/plain", "ok")) {
            assertEquals("ok", client.sendForSuccess(VendorHttpRequest.get(sop.address(), "/first").build())
                    .bodyAsString());
            VendorException e = failure(() -> client.send(VendorHttpRequest.get(sop.address(), "/second").build()));
            assertEquals(Kind.NO_ANSWER, e.getKind(), e.getMessage());
            assertFalse(e.provesNotExecuted());
            assertEquals(List.of("GET /first HTTP/1.1", "GET /second HTTP/1.1"), sop.requestLines());
            assertEquals(1, sop.connections(), "the second request did not go over the pooled connection");
        }
    }

    @Test
    void aReadTimeoutIsNoAnswer() throws IOException {
        try (MisbehavingHttpServer silent = MisbehavingHttpServer.answeringThenHolding(0, "text/plain", "")) {
            VendorException e = failure(() -> client.send(VendorHttpRequest.post(silent.address(), "/x")
                    .form("a", "1").responseTimeout(Duration.ofMillis(300)).build()));
            assertEquals(Kind.NO_ANSWER, e.getKind(), e.getMessage());
            assertInstanceOf(SocketTimeoutException.class, e.getCause());
            assertFalse(e.getCause() instanceof ConnectTimeoutException);
            assertEquals("TIMEOUT", e.getCode());
            assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
            assertEquals(1, silent.requests());
        }
    }

    @Test
    void aKeptAliveConnectionTheServerClosedIsReplacedBeforeUse() throws Exception {
        try (MisbehavingHttpServer sop = MisbehavingHttpServer.answeringAndClosingIdle(100, "text/plain", "ok")) {
            client.sendForSuccess(VendorHttpRequest.get(sop.address(), "/x").build());
            // longer than the server's idle time and the pool's validate-after-inactivity: waiting is the point
            Thread.sleep(VendorHttpClient.VALIDATE_AFTER_INACTIVITY_MS + 200);
            assertEquals("ok", client.sendForSuccess(VendorHttpRequest.get(sop.address(), "/x").build())
                    .bodyAsString());
            assertEquals(2, sop.connections());
            assertEquals(2, sop.requests());
        }
    }

    // ---- streaming and the pool ----

    @Test
    void aLargeBodyIsStreamedAndItsConnectionGivenBack() throws IOException {
        try (VendorHttpClient one = client(settings().withMaxConnections(1))) {
            try (VendorHttpStream stream = one.sendStreaming(VendorHttpRequest.get(address, "/big").build())) {
                assertEquals(200, stream.status());
                assertEquals("audio/wav", stream.contentType());
                assertEquals(BIG.length, stream.contentLength());
                InputStream in = stream.body();
                assertArrayEquals(BIG, in.readAllBytes());
            }
            // the one connection is free again; an error status of a stream frees it too
            VendorException e = failure(() -> one.sendStreaming(VendorHttpRequest.get(address, "/status/503").build()));
            assertEquals("HTTP 503", e.getCode());
            assertTrue(e.getMessage().contains("fault 503"), e.getMessage());
            assertEquals("ok", one.sendForSuccess(VendorHttpRequest.get(address, "/x").build()).bodyAsString());
        }
    }

    @Test
    void noFreePooledConnectionInTimeIsUnreachable() throws IOException {
        try (VendorHttpClient one = client(VendorHttpSettings.of(Duration.ofMillis(300), Duration.ofSeconds(5))
                .withMaxConnections(1));
             VendorHttpStream holding = one.sendStreaming(VendorHttpRequest.get(address, "/big").build())) {
            received.clear();
            VendorException e = failure(() -> one.send(VendorHttpRequest.get(address, "/x").build()));
            assertInstanceOf(ConnectionRequestTimeoutException.class, e.getCause());
            assertEquals(Kind.UNREACHABLE, e.getKind(), e.getMessage());
            assertTrue(received.isEmpty());
            holding.body().readAllBytes();
        }
    }

    @Test
    void oneClientServesManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (VendorHttpClient four = client(settings().withMaxConnections(4))) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String n = Integer.toString(i);
                replies.add(pool.submit(() -> four.sendForSuccess(VendorHttpRequest.get(address, "/n")
                        .query("n", n).build()).bodyAsString()));
            }
            for (Future<String> r : replies) {
                assertEquals("ok", r.get(10, TimeUnit.SECONDS));
            }
            assertEquals(64, received.stream().filter(r -> r.uri().startsWith("/n?n=")).map(Received::uri)
                    .distinct().count());
        } finally {
            pool.shutdownNow();
        }
    }
}
