package io.pbxbridge.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpSettings;

/**
 * The cdr harvest's streaming read of dbGetCallHistory replies, over HTTP from a server that answers each shape a
 * SOP may give: the shapes escaux:dbGetCallHistory accepts give the same CDRs, failure results and replies that
 * are no call history throw, never an empty page.
 */
class EscauxCallHistoryReaderTest {

    static final String A = "{\"timestamp\":\"2030-01-01 10:00:00\",\"uniqueid\":\"1.1\",\"disposition\":\"201\"}";
    static final String B = "{\"timestamp\":\"2030-01-01 10:00:05\",\"uniqueid\":\"1.2\",\"disposition\":\"101\"}";
    static final LocalDateTime START = LocalDateTime.of(2030, 1, 1, 0, 0);

    static HttpServer server;
    static VendorHttpClient transport;
    static EscauxClient client;
    static volatile String reply;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/xml/dbGetCallHistory.json", ex -> {
            byte[] body = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        transport = EscauxClient.transport(VendorHttpSettings.of(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        EscauxConfiguration c = new EscauxConfiguration();
        c.setAddress("http://127.0.0.1:" + server.getAddress().getPort());
        client = new EscauxClient(c, transport, op -> {
        });
    }

    @AfterAll
    static void stop() {
        transport.close();
        server.stop(0);
    }

    static List<String> read(String body) {
        reply = body;
        List<String> ids = new ArrayList<>();
        try (EscauxCallHistoryReader r = client.openCallHistory("102", 10, START)) {
            for (JsonNode n = r.next(); n != null; n = r.next()) {
                ids.add(n.path("uniqueid").asText());
            }
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"CallHistory\":[A,B]}", "[A,B]", "{\"CallHistory\":{\"Call\":[A,B]}}",
            "{\"Result\":0,\"CallHistory\":[A,B],\"Count\":2}", " {\"CallHistory\" : [ A , B ] }\n" })
    void listsOfCalls(String shape) {
        String body = shape.replace("A", A).replace("B", B);
        assertEquals(List.of("1.1", "1.2"), read(body));
        reply = body;
        assertEquals(List.of("1.1", "1.2"), client.dbGetCallHistory("102", 10, START).stream()
                .map(CallHistoryEntry::uniqueid).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"CallHistory\":A}", "{\"CallHistory\":{\"Call\":A}}" })
    void aLoneCall(String shape) {
        assertEquals(List.of("1.1"), read(shape.replace("A", A)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"CallHistory\":[]}", "{\"CallHistory\":null}", "{\"CallHistory\":{}}", "[]" })
    void noCalls(String body) {
        assertEquals(List.of(), read(body));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"Result\":1,\"Error\":\"Unknown extension\"}",
            "{\"Error\":\"Unknown extension\",\"Result\":\"1\"}", "{\"Result\":0}" })
    void failureResults(String body) {
        EscauxFaultException f = assertInstanceOf(EscauxFaultException.class,
                assertThrows(EscauxException.class, () -> read(body)));
        assertEquals("1", f.getCode());
        assertEquals(body.contains("Unknown"), f.getMessage().contains("Unknown extension"), f.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "{\"Unexpected\":true}", "{\"CallHistory\":\"none\"}", "{\"CallHistory\":[A,",
            "{\"CallHistory\":[A]", "{\"CallHistory\":[A]}<br />", "<br />\n<b>Warning</b>: mysql {\"CallHistory\":[]}",
            "\"CallHistory\"" })
    void repliesThatAreNoCallHistory(String body) {
        EscauxException e = assertThrows(EscauxException.class, () -> read(body.replace("A", A)));
        assertInstanceOf(EscauxResponseException.class, e, e.toString());
        assertTrue(e.getMessage().startsWith("dbGetCallHistory response: "), e.getMessage());
    }
}
