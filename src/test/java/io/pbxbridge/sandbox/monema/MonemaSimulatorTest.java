package io.pbxbridge.sandbox.monema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.pbxbridge.sandbox.monema.MonemaSimulator.Style;
import io.pbxbridge.support.SafeXml;

/** Talks to the simulator over its socket with raw SOAP 1.1 envelopes, in both styles. */
class MonemaSimulatorTest {

    private static final String ENV = "http://schemas.xmlsoap.org/soap/envelope/";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @ParameterizedTest
    @EnumSource(Style.class)
    void servesTheWsdlWithItsAddress(Style style) throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().style(style).start()) {
            for (String url : List.of(sim.address() + "?wsdl", sim.address())) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
                assertTrue(r.body().contains("<soap:address location=\"" + sim.address() + "\"/>"), r.body());
                assertFalse(r.body().contains("@ADDRESS@"));
                assertTrue(r.body().contains(style == Style.RPC_ENCODED ? "style=\"rpc\"" : "style=\"document\""));
            }
            assertTrue(sim.address().matches("http://127\\.0\\.0\\.1:\\d+/public_api/pb_tamtam_wsdl\\.php"));
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void getCredit(Style style) throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().style(style)
                .account("acme", "s3cret", new BigDecimal("12.50")).start()) {
            HttpResponse<String> r = call(sim, "C_getCredit", params("clientLogin", "acme", "clientPassword", "s3cret"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("12.5", text(r.body(), "credit"));
            assertEquals(1, sim.requestCount("C_getCredit"));
            if (style == Style.RPC_ENCODED) {
                // byte for byte what PHP 8.2's SoapServer writes for this WSDL
                assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
                        + " xmlns:ns1=\"urn:pb_tamtam\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
                        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                        + " xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\""
                        + " SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><SOAP-ENV:Body>"
                        + "<ns1:C_getCreditResponse><credit xsi:type=\"xsd:double\">12.5</credit>"
                        + "</ns1:C_getCreditResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n", r.body());
            } else {
                assertTrue(r.body().contains("<ns1:C_getCreditResponse><credit>12.5</credit></ns1:C_getCreditResponse>"),
                        r.body());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void wrongPasswordIsAClientFault(Style style) throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().style(style).start()) {
            HttpResponse<String> r = call(sim, "C_getCredit", params("clientLogin", "demo", "clientPassword", "nope"));
            assertEquals(500, r.statusCode());
            assertEquals("SOAP-ENV:Client", text(r.body(), "faultcode"));
            assertEquals("Invalid login or password", text(r.body(), "faultstring"));
            // ClientPassword is capitalised in C_getCalls; names match case-insensitively, or by position
            r = call(sim, "C_getCalls", params("clientLogin", "demo", "ClientPassword", "demo-secret", "dateStart", "",
                    "dateEnd", "", "fromId", "", "type", "internal"));
            assertEquals(200, r.statusCode(), r.body());
            r = call(sim, "C_getCredit", params("arg0", "demo", "arg1", "demo-secret"));
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void chunkedUploadThenSendFax(Style style) throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().style(style).start()) {
            byte[] part1 = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".getBytes(StandardCharsets.US_ASCII);
            byte[] part2 = new byte[70_000];
            for (int i = 0; i < part2.length; i++) {
                part2[i] = (byte) (i * 31);
            }
            String session = startUpload(sim);
            assertEquals("" + part1.length, text(uploadChunk(sim, session, part1).body(), "file_size"));
            assertEquals(Map.of(session, (long) part1.length), sim.uploadSessions());
            assertEquals("" + (part1.length + part2.length),
                    text(uploadChunk(sim, session, part2).body(), "file_size"));

            HttpResponse<String> r = sendFax(sim, session, "modem-2", "+34911234567, 0034931112233");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("true", text(r.body(), "ok"));

            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(part1);
            sha.update(part2);
            SentFax fax = sim.sentFaxes().get(0);
            assertEquals(HexFormat.of().formatHex(sha.digest()), fax.sha256());
            assertEquals(part1.length + part2.length, fax.bytes());
            assertEquals(List.of("+34911234567", "0034931112233"), fax.destinations());
            assertEquals("modem-2", fax.modem());
            assertTrue(fax.useCover());
            assertEquals("Jane Doe", fax.cover().get("coverDestName"));
            assertEquals(new BigDecimal("99.80"), sim.credit("demo"));
            assertTrue(sim.uploadSessions().isEmpty());

            r = sendFax(sim, session, "modem-2", "+34911234567");
            assertEquals(500, r.statusCode());
            assertEquals("Unknown upload session " + session, text(r.body(), "faultstring"));
        }
    }

    @Test
    void sendFaxChecksTheDocumentModemNumbersAndCredit() throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().account("demo", "demo-secret", new BigDecimal("100.00"))
                .account("poor", "pw", new BigDecimal("0.12")).start()) {
            HttpResponse<String> poor = call(sim, "C_startFaxUpload", params("clientLogin", "poor", "clientPassword", "pw"));
            String poorSession = text(poor.body(), "sessionId");
            poor = call(sim, "C_sendFax", params("clientLogin", "poor", "clientPassword", "pw", "sessionId", poorSession,
                    "faxModem", "modem-1", "destNumbers", "5551234,5551235", "useCover", "false"));
            assertEquals("Insufficient credit: 0.20 needed, 0.12 available", text(poor.body(), "faultstring"));
            assertEquals("Unknown upload session " + poorSession,
                    text(sendFax(sim, poorSession, "modem-1", "5551234").body(), "faultstring"));

            String session = startUpload(sim);
            assertEquals("Uploaded document is empty", text(sendFax(sim, session, "modem-1", "5551234").body(),
                    "faultstring"));
            uploadChunk(sim, session, "Hello, this is not a PDF".getBytes(StandardCharsets.US_ASCII));
            assertEquals("Unknown fax modem modem-9",
                    text(sendFax(sim, session, "modem-9", "5551234").body(), "faultstring"));
            assertEquals("Invalid destination number '12ab'",
                    text(sendFax(sim, session, "modem-1", "5551234,12ab").body(), "faultstring"));
            HttpResponse<String> r = sendFax(sim, session, "modem-1", "5551234");
            assertEquals(500, r.statusCode());
            assertEquals("SOAP-ENV:Client", text(r.body(), "faultcode"));
            assertEquals("Uploaded document is not a PDF", text(r.body(), "faultstring"));
            assertTrue(sim.sentFaxes().isEmpty());
            assertEquals(new BigDecimal("100.00"), sim.credit("demo"));
        }
    }

    @Test
    void refusesConnectionsThenListensAgainOnTheSamePort() throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().start()) {
            int port = sim.port();
            sim.faults().refuseConnections(true);
            IOException e = assertThrows(IOException.class, () -> http.send(
                    HttpRequest.newBuilder(URI.create(sim.address() + "?wsdl")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertTrue(e instanceof ConnectException || e.getCause() instanceof ConnectException, e.toString());
            sim.faults().refuseConnections(false);
            assertEquals(port, sim.port());
            HttpResponse<String> r = call(sim, "C_getCredit", params("clientLogin", "demo", "clientPassword", "demo-secret"));
            assertEquals("100", text(r.body(), "credit"));
        }
    }

    @Test
    void injectedFailures() throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().start()) {
            String session = startUpload(sim);
            sim.faults().failChunk(2, Faults.Failure.DROP_CONNECTION);
            sim.faults().failNext("C_getCredit", Faults.Failure.HTTP_503);
            sim.faults().malformedNext("C_getFaxModems");
            assertEquals(200, uploadChunk(sim, session, new byte[] {'%'}).statusCode());
            assertThrows(IOException.class, () -> uploadChunk(sim, session, new byte[] {'P'}));
            assertEquals("2", text(uploadChunk(sim, session, new byte[] {'D'}).body(), "file_size"));
            assertEquals(3, sim.requestCount("C_uploadFaxChunk"));

            HttpResponse<String> r = call(sim, "C_getCredit", params("clientLogin", "demo", "clientPassword", "demo-secret"));
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("<html>"));
            r = call(sim, "C_getFaxModems", params("clientLogin", "demo", "clientPassword", "demo-secret"));
            assertEquals(200, r.statusCode());
            assertFalse(r.body().contains("C_getFaxModemsResponse"), r.body());
            r = call(sim, "C_getFaxModems", params("clientLogin", "demo", "clientPassword", "demo-secret"));
            assertTrue(r.body().contains("<modems SOAP-ENC:arrayType=\"xsd:string[2]\" xsi:type=\"ns1:ArrayOfstring\">"
                    + "<item xsi:type=\"xsd:string\">modem-1</item><item xsi:type=\"xsd:string\">modem-2</item></modems>"),
                    r.body());

            r = post(sim, "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                    + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" + ENV + "\"><SOAP-ENV:Body><ns1:C_getCredit xmlns:ns1=\"urn:pb_tamtam\">"
                    + "<clientLogin>&e;</clientLogin></ns1:C_getCredit></SOAP-ENV:Body></SOAP-ENV:Envelope>");
            assertEquals(500, r.statusCode());
            assertEquals("SOAP-ENV:Client", text(r.body(), "faultcode"));
            assertFalse(r.body().contains("root:"), r.body());
            r = post(sim, "<not-soap/>");
            assertEquals(500, r.statusCode());
            assertEquals("SOAP-ENV:Client", text(r.body(), "faultcode"));
            r = call(sim, "C_doesNotExist", params("clientLogin", "demo", "clientPassword", "demo-secret"));
            assertEquals("Procedure 'C_doesNotExist' not present", text(r.body(), "faultstring"));
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void callLogMakeCallAndRecordings(Style style) throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().style(style).initialCalls(30).start()) {
            List<SimCall> log = sim.calls("demo");
            assertEquals(30, log.size());
            HttpResponse<String> r = call(sim, "C_getCalls", params("clientLogin", "demo", "ClientPassword",
                    "demo-secret", "dateStart", "", "dateEnd", "", "fromId", "" + log.get(9).id(), "type", ""));
            List<Element> items = elements(r.body(), "item");
            assertEquals(20, items.size());
            if (style == Style.RPC_ENCODED) {
                assertTrue(r.body().contains("SOAP-ENC:arrayType=\"ns1:Calls[20]\" xsi:type=\"ns1:ArrayOfCalls\""));
            }

            r = call(sim, "C_makeCallResponse", params("clientLogin", "demo", "clientPassword", "demo-secret",
                    "SourceExt", "113", "destExt", "+34911234567", "variables", "{CALLERID}=\"Sales\" {LANG}=\"es\""));
            assertEquals("true", text(r.body(), "ok"));
            assertEquals("BUSY", text(r.body(), "status"));
            String uniqueid = text(r.body(), "uniqueid");
            assertEquals(uniqueid, sim.calls("demo").get(30).uniqueid());
            r = call(sim, "C_makeCallResponse", params("clientLogin", "demo", "clientPassword", "demo-secret",
                    "SourceExt", "999", "destExt", "101", "variables", ""));
            assertEquals("false", text(r.body(), "ok"));
            assertEquals("NO_SUCH_EXTENSION", text(r.body(), "status"));

            SimCall recorded = log.stream().filter(SimCall::recorded).findFirst().orElseThrow();
            r = call(sim, "C_getCallDownloadLink", params("clientLogin", "demo", "clientPassword", "demo-secret",
                    "callId", "" + recorded.id()));
            String url = text(r.body(), "url");
            assertEquals("http://127.0.0.1:" + sim.port() + "/recordings/" + recorded.uniqueid() + ".wav", url);
            HttpResponse<byte[]> wav = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, wav.statusCode());
            assertEquals("RIFF", new String(Arrays.copyOf(wav.body(), 4), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void delaysServerFaultsStopStartTrickleAndConcurrency() throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().initialCalls(3).callTrickle(Duration.ofMillis(50))
                .start()) {
            Map<String, String> login = params("clientLogin", "demo", "clientPassword", "demo-secret");
            sim.faults().delayOperation("C_getCredit", Duration.ofMillis(300));
            long t0 = System.nanoTime();
            call(sim, "C_getCredit", login);
            assertTrue(System.nanoTime() - t0 >= 290_000_000L);
            sim.faults().failNext("C_getCredit", Faults.Failure.SOAP_FAULT_SERVER);
            sim.faults().failNext("C_getCredit", Faults.Failure.HTTP_500_HTML);
            sim.faults().reset();
            t0 = System.nanoTime();
            assertEquals(200, call(sim, "C_getCredit", login).statusCode());
            assertTrue(System.nanoTime() - t0 < 290_000_000L);
            sim.faults().failNext("C_getCredit", Faults.Failure.SOAP_FAULT_SERVER);
            sim.faults().failNext("C_getCredit", Faults.Failure.HTTP_500_HTML);
            HttpResponse<String> r = call(sim, "C_getCredit", login);
            assertEquals(500, r.statusCode());
            assertEquals("SOAP-ENV:Server", text(r.body(), "faultcode"));
            r = call(sim, "C_getCredit", login);
            assertEquals(500, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

            long deadline = System.nanoTime() + 3_000_000_000L;
            while (sim.calls("demo").size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<SimCall> log = sim.calls("demo");
            assertTrue(log.size() >= 5, "trickled calls: " + log.size());
            for (int i = 1; i < log.size(); i++) {
                assertTrue(log.get(i).id() > log.get(i - 1).id());
            }

            int port = sim.port();
            sim.stop();
            sim.start();
            assertEquals(port, sim.port());

            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 6; t++) {
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < 5; i++) {
                            HttpResponse<String> sms = call(sim, "C_sendSMS", params("clientLogin", "demo",
                                    "clientPassword", "demo-secret", "callerId", "ACME", "dstNumber", "+34600111222",
                                    "message", "Hello " + i));
                            assertEquals("true", text(sms.body(), "ok"));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            assertEquals(30, sim.sentSms().size());
            assertEquals(new BigDecimal("98.50"), sim.credit("demo"));
        }
    }

    /**
     * What harvests need: many calls added fast, in id order; a late call (earlier date, next id); a corrupt one; a
     * cap on the calls of one answer, which is streamed (chunked) and as PHP writes it; faults on the n-th request.
     */
    @ParameterizedTest
    @EnumSource(Style.class)
    void callLogForHarvests(Style style) throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().style(style).initialCalls(0).maxCallsPerAnswer(4)
                .start()) {
            Instant t = Instant.parse("2026-01-10T10:00:00Z");
            sim.addCalls("demo", 9, t, t.plusSeconds(80));
            List<SimCall> log = sim.calls("demo");
            assertEquals(9, sim.callCount("demo"));
            for (int i = 0; i < 9; i++) {
                assertEquals(t.getEpochSecond() + 10L * i, log.get(i).calldate());
                assertTrue(i == 0 || log.get(i).id() > log.get(i - 1).id());
            }
            SimCall late = sim.addCall("demo", t.plusSeconds(5));
            assertTrue(late.id() > log.get(8).id());
            assertEquals(t.getEpochSecond() + 5, late.calldate());
            SimCall corrupt = sim.addCorruptCall("demo", t.plusSeconds(90), Map.of("duration", "abc & co"));
            assertEquals(List.of(late, corrupt), sim.calls("demo").subList(9, 11));

            // the cap: the first 4 calls after fromId
            Map<String, String> all = params("clientLogin", "demo", "ClientPassword", "demo-secret", "dateStart", "",
                    "dateEnd", "", "fromId", "", "type", "");
            HttpResponse<String> r = call(sim, "C_getCalls", all);
            assertTrue(r.headers().firstValue("Content-Length").isEmpty(), "streamed: " + r.headers().map());
            List<Element> items = elements(r.body(), "item");
            assertEquals(4, items.size());
            assertEquals("" + log.get(0).id(), text(r.body(), "id"));
            if (style == Style.RPC_ENCODED) {
                // libxml's order of namespace declarations: first use in the body
                assertTrue(r.body().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope "
                        + "xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"urn:pb_tamtam\" "
                        + "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "
                        + "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                        + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "), r.body());
                assertTrue(r.body().contains("SOAP-ENC:arrayType=\"ns1:Calls[4]\""), r.body());
            }
            Map<String, String> afterLate = new LinkedHashMap<>(all);
            afterLate.put("fromId", "" + late.id());
            r = call(sim, "C_getCalls", afterLate);
            assertEquals(1, elements(r.body(), "item").size());
            assertTrue(r.body().contains(">abc &amp; co</duration>"), r.body());
            assertEquals("" + corrupt.id(), text(r.body(), "id"));

            // the 2nd request from now fails, the 3rd is cut after half its calls
            sim.faults().failNext("C_getCalls", 2, Faults.Failure.SOAP_FAULT_SERVER);
            sim.faults().malformedNext("C_getCalls", 3, Faults.Malformed.TRUNCATED);
            assertEquals(200, call(sim, "C_getCalls", all).statusCode());
            assertEquals(500, call(sim, "C_getCalls", all).statusCode());
            r = call(sim, "C_getCalls", all);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().endsWith("</item>"), r.body());
            assertEquals(2, r.body().split("<item", -1).length - 1, r.body());
            assertEquals(4, elements(call(sim, "C_getCalls", all).body(), "item").size());
        }
    }

    /** A million calls take seconds and tens of megabytes (as objects they would take hundreds). */
    @Test
    void aMillionCallsTakeSecondsAndLittleMemory() {
        try (MonemaSimulator sim = MonemaSimulator.builder().initialCalls(0).start()) {
            long before = heapUsedAfterGc();
            Instant now = Instant.now();
            long t0 = System.nanoTime();
            sim.addCalls("demo", 1_000_000, now.minusSeconds(86_400), now);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long megabytes = (heapUsedAfterGc() - before) / (1024 * 1024);
            assertEquals(1_000_000, sim.callCount("demo"));
            assertTrue(ms < 30_000, ms + " ms");
            assertTrue(megabytes < 100, megabytes + " MB");
        }
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private String startUpload(MonemaSimulator sim) throws Exception {
        HttpResponse<String> r = call(sim, "C_startFaxUpload", params("clientLogin", "demo", "clientPassword", "demo-secret"));
        assertEquals(200, r.statusCode(), r.body());
        String session = text(r.body(), "sessionId");
        assertNotNull(session);
        return session;
    }

    private HttpResponse<String> uploadChunk(MonemaSimulator sim, String session, byte[] data) throws Exception {
        return call(sim, "C_uploadFaxChunk", params("clientLogin", "demo", "clientPassword", "demo-secret",
                "sessionId", session, "chunk", Base64.getEncoder().encodeToString(data)));
    }

    private HttpResponse<String> sendFax(MonemaSimulator sim, String session, String modem, String numbers)
            throws Exception {
        return call(sim, "C_sendFax", params("clientLogin", "demo", "clientPassword", "demo-secret", "sessionId",
                session, "faxModem", modem, "destNumbers", numbers, "useCover", "true", "coverDestName", "Jane Doe",
                "coverDestCompany", "ACME", "coverDestLocation", "Madrid", "coverDestVoicePhone", "+34911000000",
                "coverDestSubject", "Invoice", "coverDestComments", "Thanks & regards <3"));
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private HttpResponse<String> call(MonemaSimulator sim, String op, Map<String, String> params) throws Exception {
        StringBuilder sb = new StringBuilder();
        boolean rpc = sim.style() == Style.RPC_ENCODED;
        if (rpc) {
            sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"").append(ENV)
                    .append("\" xmlns:ns1=\"urn:pb_tamtam\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"")
                    .append(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
                    .append(" xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\"")
                    .append(" SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">")
                    .append("<SOAP-ENV:Body><ns1:").append(op).append('>');
        } else {
            sb.append("<soap:Envelope xmlns:soap=\"").append(ENV).append("\"><soap:Header/><soap:Body>")
                    .append("<tns:").append(op).append(" xmlns:tns=\"urn:pb_tamtam\">");
        }
        params.forEach((k, v) -> {
            String type = k.equals("chunk") ? "xsd:base64Binary" : k.equals("useCover") ? "xsd:boolean" : "xsd:string";
            sb.append('<').append(k);
            if (rpc) {
                sb.append(" xsi:type=\"").append(type).append('"');
            }
            sb.append('>').append(v.replace("&", "&amp;").replace("<", "&lt;")).append("</").append(k).append('>');
        });
        sb.append(rpc ? "</ns1:" + op + "></SOAP-ENV:Body></SOAP-ENV:Envelope>" : "</tns:" + op + "></soap:Body></soap:Envelope>");
        return post(sim, sb.toString());
    }

    private HttpResponse<String> post(MonemaSimulator sim, String envelope) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.address()))
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"urn:pb_tamtam#op\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Element> elements(String xml, String localName) throws Exception {
        Document doc = SafeXml.parse(xml);
        NodeList nl = doc.getElementsByTagNameNS("*", localName);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            out.add((Element) nl.item(i));
        }
        return out;
    }

    private static String text(String xml, String localName) throws Exception {
        List<Element> e = elements(xml, localName);
        return e.isEmpty() ? null : e.get(0).getTextContent();
    }
}
