package io.pbxbridge.monema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CatalogCamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.sandbox.monema.Faults.Failure;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.sandbox.monema.SentFax;
import io.pbxbridge.sandbox.monema.SimCall;
import io.pbxbridge.support.Json;

/** Every operation of the monema component against the simulator over HTTP, in the default rpc/encoded style. */
class MonemaComponentTest {

    static final String SECRET = "demo-secret";

    @TempDir
    Path tmp;
    MonemaSimulator sim;
    CamelContext camel;
    ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        start(MonemaSimulator.Style.RPC_ENCODED);
    }

    void start(MonemaSimulator.Style style) throws Exception {
        stop();
        sim = MonemaSimulator.builder().port(0).style(style).dataDir(tmp.resolve("sim-" + style))
                .account("demo", SECRET, new BigDecimal("100.00"))
                .account("poor", "poor-secret", new BigDecimal("0.01"))
                .seed(7).build().start();
        camel = new DefaultCamelContext();
        MonemaComponent monema = new MonemaComponent();
        monema.getConfiguration().setAddress(sim.address());
        monema.getConfiguration().setLogin("demo");
        monema.getConfiguration().setPassword(SECRET);
        monema.getConfiguration().setReceiveTimeout(3000);
        camel.addComponent("monema", monema);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (sim != null) {
            sim.stop();
        }
    }

    <T> T call(String uri, Object body, Map<String, Object> headers, Class<T> type) {
        return template.requestBodyAndHeaders(uri, body, headers, type);
    }

    MonemaException failure(String uri, Object body, Map<String, Object> headers) {
        Exchange ex = template.request(uri, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeaders(new java.util.HashMap<>(headers));
        });
        assertNotNull(ex.getException(), "expected " + uri + " to fail");
        MonemaException me = assertInstanceOf(MonemaException.class, ex.getException());
        assertFalse(me.getMessage().contains(SECRET), "the password leaked into: " + me.getMessage());
        return me;
    }

    /** A dateStart given as an instant is the PBX's local time in its zone: the same calls as UNIX seconds give. */
    @Test
    void datesGivenAsInstantsAreThePbxsLocalTime() throws Exception {
        stop();
        sim = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("sim-tokyo")).zone(java.time.ZoneId.of("Asia/Tokyo"))
                .account("demo", SECRET, new BigDecimal("100.00")).seed(11).build().start();
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
        List<SimCall> log = sim.calls("demo");
        long pivot = log.get(log.size() / 2).calldate();
        String uri = "monema:getCalls?address=" + sim.address() + "&login=demo&password=RAW(" + SECRET + ")";
        @SuppressWarnings("unchecked")
        List<Calls> byUnixSeconds = call(uri, null, Map.of(MonemaConstants.DATE_START, Long.toString(pivot)),
                List.class);
        Exchange ex = template.request(uri + "&timeZone=Asia/Tokyo",
                e -> e.getIn().setHeader(MonemaConstants.DATE_START, java.time.Instant.ofEpochSecond(pivot)));
        assertNull(ex.getException());
        assertEquals("Asia/Tokyo", ex.getMessage().getHeader(MonemaConstants.TIME_ZONE));
        assertEquals(byUnixSeconds.stream().map(Calls::id).toList(),
                ((List<?>) ex.getMessage().getBody(List.class)).stream().map(c -> ((Calls) c).id()).toList());
        assertTrue(byUnixSeconds.size() < log.size(), "the bound excludes calls");
    }

    @Test
    void getCredit() {
        assertEquals(0, new BigDecimal("100.00").compareTo(call("monema:getCredit", null, Map.of(), BigDecimal.class)));
    }

    @ParameterizedTest
    @EnumSource(MonemaSimulator.Style.class)
    void getCallsInBothStylesWithFiltersAndCallRecords(MonemaSimulator.Style style) throws Exception {
        start(style);
        List<SimCall> log = sim.calls("demo");
        @SuppressWarnings("unchecked")
        List<Calls> calls = call("monema:getCalls", null, Map.of(), List.class);
        assertEquals(log.size(), calls.size());
        Calls first = calls.get(0);
        SimCall expected = log.get(0);
        assertEquals(expected.id(), first.id());
        assertEquals(expected.src(), first.src());
        assertEquals(expected.dst(), first.dst());
        assertEquals(expected.uniqueid(), first.uniqueid());
        assertEquals(expected.disposition(), first.disposition());
        assertEquals(expected.calldate(), first.calldate());
        assertEquals(0, expected.cost().compareTo(first.cost()));

        long pivot = log.get(log.size() / 2).id();
        @SuppressWarnings("unchecked")
        List<Calls> later = call("monema:getCalls?fromId=" + pivot, null, Map.of(), List.class);
        assertEquals(log.stream().filter(c -> c.id() > pivot).count(), later.size());
        assertTrue(later.stream().allMatch(c -> c.id() > pivot));

        @SuppressWarnings("unchecked")
        List<Calls> internal = call("monema:getCalls", null, Map.of(MonemaConstants.TYPE, "internal"), List.class);
        assertEquals(log.stream().filter(c -> c.type().equals("internal")).count(), internal.size());

        // C_makeCall and C_makeCallResponse: in document/literal their wrappers would clash; the WSDL names them
        assertEquals(Boolean.TRUE, call("monema:makeCall?sourceExt=101&destExt=102", null, Map.of(), Boolean.class));
        assertEquals(MakeCallStatus.ANSWERED, call("monema:makeCallResponse?sourceExt=101&destExt=102", null,
                Map.of(), MakeCallResult.class).status());

        // each Calls converts to the vendor-neutral CallRecord with a stable key
        Exchange ex = template.request("monema:getCalls", e -> {
        });
        Calls c = ((List<Calls>) ex.getMessage().getBody(List.class)).get(0);
        ex.getMessage().setBody(c);
        CallRecord record = ex.getMessage().getBody(CallRecord.class);
        assertEquals("monema:127.0.0.1/demo:" + c.id(), record.key());
        assertEquals(c.src(), record.from());
        assertEquals(c.duration(), record.duration());
        assertEquals(MonemaCallRecords.disposition(c.disposition()), record.disposition());
        assertTrue(List.of(Disposition.ANSWERED, Disposition.NO_ANSWER, Disposition.BUSY, Disposition.CANCELLED)
                .contains(record.disposition()));
    }

    @Test
    void getCallTags() {
        SimCall tagged = sim.calls("demo").stream().filter(c -> !c.tags().isEmpty()).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<CallsTags> tags = call("monema:getCallTags", null, Map.of(MonemaConstants.CALL_ID, tagged.id()),
                List.class);
        assertEquals(tagged.tags().size(), tags.size());
        assertEquals(tagged.tags().get(0).tag(), tags.get(0).tag());
        assertEquals(tagged.id(), tags.get(0).callsId());
    }

    @Test
    void makeCall() {
        int before = sim.calls("demo").size();
        assertEquals(Boolean.TRUE, call("monema:makeCall?sourceExt=101&destExt=+34910000000", null, Map.of(),
                Boolean.class));
        assertEquals(before + 1, sim.calls("demo").size());
        MonemaException e = failure("monema:makeCall?sourceExt=999&destExt=102", null, Map.of());
        assertInstanceOf(MonemaFaultException.class, e);
    }

    @Test
    void makeCallResponse() {
        MakeCallResult ok = call("monema:makeCallResponse?sourceExt=101&destExt=102",
                null, Map.of(MonemaConstants.VARIABLES, "{CALLERID}=\"Sales\""), MakeCallResult.class);
        assertTrue(ok.ok());
        assertEquals(MakeCallStatus.ANSWERED, ok.status());
        assertNotNull(ok.uniqueid());
        assertEquals(MakeCallStatus.BUSY, call("monema:makeCallResponse?sourceExt=113&destExt=102", null, Map.of(),
                MakeCallResult.class).status());
        MakeCallResult none = call("monema:makeCallResponse?sourceExt=999&destExt=102", null, Map.of(),
                MakeCallResult.class);
        assertFalse(none.ok());
        assertEquals(MakeCallStatus.NO_SUCH_EXTENSION, none.status());
        assertInstanceOf(MonemaFaultException.class,
                failure("monema:makeCallResponse?sourceExt=101&destExt=102&variables=garbage", null, Map.of()));
    }

    @Test
    void getCallDownloadLink() {
        SimCall recorded = sim.calls("demo").stream().filter(SimCall::recorded).findFirst().orElseThrow();
        String url = call("monema:getCallDownloadLink", null, Map.of(MonemaConstants.CALL_ID, recorded.id()),
                String.class);
        assertTrue(url.startsWith("http") && url.contains(recorded.uniqueid()), url);
        SimCall unrecorded = sim.calls("demo").stream().filter(c -> !c.recorded()).findFirst().orElseThrow();
        MonemaException e = failure("monema:getCallDownloadLink?callId=" + unrecorded.id(), null, Map.of());
        assertTrue(e.getMessage().contains("not recorded"), e.getMessage());
    }

    @Test
    void extensionsAndTransfers() {
        @SuppressWarnings("unchecked")
        List<Extensions> extensions = call("monema:getExtensions", null, Map.of(), List.class);
        assertFalse(extensions.isEmpty());
        long id = extensions.get(0).id();
        assertEquals(Boolean.TRUE, call("monema:enableExtensionTransfer?dstNumber=RAW(+34600000001)&external=true", null,
                Map.of(MonemaConstants.EXTENSION_ID, id), Boolean.class));
        ExtensionTransferStatus on = call("monema:getExtensionTransferStatus?extensionId=" + id, null, Map.of(),
                ExtensionTransferStatus.class);
        assertTrue(on.enabled());
        assertTrue(on.external());
        assertEquals("+34600000001", on.number());
        assertEquals(Boolean.TRUE, call("monema:disableExtensionTransfer?extensionId=" + id, null, Map.of(),
                Boolean.class));
        assertFalse(call("monema:getExtensionTransferStatus?extensionId=" + id, null, Map.of(),
                ExtensionTransferStatus.class).enabled());
        MonemaException e = failure("monema:getExtensionTransferStatus?extensionId=9999", null, Map.of());
        assertInstanceOf(MonemaFaultException.class, e);
        assertTrue(e.getMessage().contains("Unknown extension 9999"), e.getMessage());
    }

    @Test
    void sendSmsCostsCredit() {
        assertEquals(Boolean.TRUE, call("monema:sendSMS?callerId=Monema&dstNumber=RAW(+34600000002)", "Hello there",
                Map.of(), Boolean.class));
        assertEquals("Hello there", sim.sentSms().get(0).message());
        assertEquals(0, new BigDecimal("99.95").compareTo(sim.credit("demo")));
        assertInstanceOf(MonemaFaultException.class,
                failure("monema:sendSMS?callerId=x&dstNumber=not-a-number", "hi", Map.of()));
        MonemaException poor = failure("monema:sendSMS?callerId=x&dstNumber=RAW(+34600000002)&login=poor&password=poor-secret",
                "hi", Map.of());
        assertTrue(poor.getMessage().contains("Insufficient credit"), poor.getMessage());
        assertFalse(poor.isTransient());
    }

    @Test
    void faxInSteps() throws Exception {
        @SuppressWarnings("unchecked")
        List<String> modems = call("monema:getFaxModems", null, Map.of(), List.class);
        assertEquals(List.of("modem-1", "modem-2"), modems);
        String session = call("monema:startFaxUpload", null, Map.of(), String.class);
        byte[] pdf = TestPdfs.bytes(100_000, 1);
        byte[] a = java.util.Arrays.copyOfRange(pdf, 0, 60_000);
        byte[] b = java.util.Arrays.copyOfRange(pdf, 60_000, pdf.length);
        assertEquals(60_000L, call("monema:uploadFaxChunk", a, Map.of(MonemaConstants.SESSION_ID, session), Long.class));
        assertEquals(100_000L, call("monema:uploadFaxChunk?sessionId=" + session, b, Map.of(), Long.class));
        assertEquals(Boolean.TRUE, call("monema:sendFax?faxModem=modem-2&destNumbers=RAW(+15550001,15550002)"
                + "&coverDestName=Ann&coverDestSubject=Invoice", null, Map.of(MonemaConstants.SESSION_ID, session),
                Boolean.class));
        SentFax sent = sim.sentFaxes().get(0);
        assertEquals(TestPdfs.sha256(pdf), sent.sha256());
        assertEquals(List.of("+15550001", "15550002"), sent.destinations());
        assertTrue(sent.useCover());
        assertEquals("Ann", sent.cover().get("coverDestName"));
        MonemaException unknown = failure("monema:uploadFaxChunk?sessionId=nope", a, Map.of());
        assertTrue(unknown.getMessage().contains("Unknown upload session nope"), unknown.getMessage());
    }

    @Test
    void faxCompositeStreamsChunksAndSends() throws Exception {
        Path doc = TestPdfs.write(tmp.resolve("big.pdf"), 3 * 1024 * 1024 + 123, 3);
        FaxResult result = call("monema:fax?chunkSize=262144", doc.toFile(),
                Map.of(MonemaConstants.DEST_NUMBERS, List.of("+1 (555) 000-1"), MonemaConstants.FAX_COVER,
                        new FaxCover("Ann", "ACME", "Madrid", "+34910000000", "Hello", "Page 1 of 13")),
                FaxResult.class);
        assertEquals(13, result.chunks());
        assertEquals(doc.toFile().length(), result.bytes());
        assertEquals("modem-1", result.modem()); // the first of getFaxModems
        assertEquals(List.of("+15550001"), result.destinations());
        SentFax sent = sim.sentFaxes().get(0);
        assertEquals(TestPdfs.sha256(doc), sent.sha256());
        assertEquals("ACME", sent.cover().get("coverDestCompany"));
        assertEquals(13, sim.requestCount("C_uploadFaxChunk"));
    }

    @Test
    void faxRefusesBadInputBeforeUploading() throws Exception {
        Map<String, Object> to = Map.of(MonemaConstants.DEST_NUMBERS, "15550001");
        assertEquals("NOT_PDF", failure("monema:fax", "hello, I am text".getBytes(), to).getFaultCode());
        assertEquals("EMPTY_DOCUMENT", failure("monema:fax", new byte[0], to).getFaultCode());
        byte[] truncated = java.util.Arrays.copyOf(TestPdfs.bytes(10_000, 2), 9_000);
        assertEquals("NOT_PDF", failure("monema:fax", truncated, to).getFaultCode());
        assertEquals("BAD_DESTINATION", failure("monema:fax", TestPdfs.bytes(1000, 2),
                Map.of(MonemaConstants.DEST_NUMBERS, "call-me")).getFaultCode());
        assertEquals("DOCUMENT_TOO_LARGE", failure("monema:fax?maxDocumentSize=500", TestPdfs.bytes(1000, 2), to)
                .getFaultCode());
        assertEquals(0, sim.requestCount("C_startFaxUpload"));
    }

    @Test
    void faxWithAnUnknownModemFailsBeforeUploading() throws Exception {
        MonemaException e = failure("monema:fax?faxModem=modem-9&destNumbers=15550001", TestPdfs.bytes(300_000, 3),
                Map.of());
        assertEquals("UNKNOWN_MODEM", e.getFaultCode());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("'modem-9' is not one of the account's fax modems (modem-1, modem-2)"),
                e.getMessage());
        assertEquals(0, sim.requestCount("C_startFaxUpload"), "nothing uploaded for a modem that does not exist");
        assertEquals(0, sim.requestCount("C_uploadFaxChunk"));
        assertTrue(sim.sentFaxes().isEmpty());
    }

    @Test
    void faxWithoutModemFailsClearly(@TempDir Path dir) throws Exception {
        stop();
        sim = MonemaSimulator.builder().port(0).modems().dataDir(dir).build().start();
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
        MonemaException e = failure("monema:fax?address=" + sim.address() + "&login=demo&password=" + SECRET
                + "&destNumbers=15550001", TestPdfs.bytes(1000, 2), Map.of());
        assertEquals("NO_MODEM", e.getFaultCode());
        assertTrue(e.getMessage().contains("no fax modem"), e.getMessage());
    }

    @Test
    void wrongPasswordIsARefusalWithoutThePassword() {
        MonemaException e = failure("monema:getCredit?password=wrong-" + SECRET, null, Map.of());
        assertInstanceOf(MonemaFaultException.class, e);
        assertFalse(e.isTransient());
        assertEquals("Client", e.getFaultCode());
        assertTrue(e.getMessage().contains("Invalid login or password"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-"));
        // and the endpoint URI is masked wherever Camel logs it (Camel masks an option named password whatever the
        // component says: credentialsAreSecretOptions checks what the component says)
        String logged = URISupport.sanitizeUri(camel.getEndpoints().stream()
                .filter(ep -> ep.getEndpointUri().contains("password")).findFirst().orElseThrow().getEndpointUri());
        assertFalse(logged.contains(SECRET), logged);
    }

    /**
     * The credentials are secret options ({@code secret = true}) in the component's generated metadata, which
     * Camel's catalog and tooling read, and in its endpoint URI factory, which Camel asks at run time.
     */
    @Test
    void credentialsAreSecretOptions() throws Exception {
        JsonNode schema = Json.MAPPER.readTree(((CatalogCamelContext) camel).getComponentParameterJsonSchema("monema"));
        for (String option : List.of("login", "password")) {
            assertTrue(schema.path("componentProperties").path(option).path("secret").asBoolean(),
                    "component option " + option + " secret");
            assertTrue(schema.path("properties").path(option).path("secret").asBoolean(),
                    "endpoint option " + option + " secret");
        }
        assertTrue(camel.getCamelContextExtension().getEndpointUriFactory("monema").secretPropertyNames()
                .containsAll(List.of("login", "password")));
    }

    @Test
    void transientFailuresAreConnectionExceptions() {
        sim.faults().failNext("C_getCredit", Failure.HTTP_503);
        MonemaException e503 = failure("monema:getCredit", null, Map.of());
        assertInstanceOf(MonemaConnectionException.class, e503);
        assertEquals("HTTP 503", e503.getFaultCode());

        sim.faults().failNext("C_getCredit", Failure.HTTP_500_HTML);
        assertInstanceOf(MonemaConnectionException.class, failure("monema:getCredit", null, Map.of()));

        sim.faults().failNext("C_getCredit", Failure.DROP_CONNECTION);
        assertInstanceOf(MonemaConnectionException.class, failure("monema:getCredit", null, Map.of()));

        sim.faults().failNext("C_getCredit", Failure.SOAP_FAULT_SERVER);
        MonemaException server = failure("monema:getCredit", null, Map.of());
        assertInstanceOf(MonemaFaultException.class, server);
        assertEquals("Server", server.getFaultCode());

        sim.faults().delayOperation("C_getCredit", Duration.ofSeconds(5));
        MonemaException timeout = failure("monema:getCredit", null, Map.of());
        assertInstanceOf(MonemaConnectionException.class, timeout);
        sim.faults().reset();

        assertEquals(0, new BigDecimal("100.00").compareTo(call("monema:getCredit", null, Map.of(), BigDecimal.class)));
        sim.faults().refuseConnections(true);
        MonemaException refused = failure("monema:getCredit", null, Map.of());
        assertInstanceOf(MonemaConnectionException.class, refused);
        assertTrue(refused.isTransient());
        sim.faults().refuseConnections(false);
        assertEquals(0, new BigDecimal("100.00").compareTo(call("monema:getCredit", null, Map.of(), BigDecimal.class)));
    }

    @Test
    void malformedResponseNamesTheProblem() {
        sim.faults().malformedNext("C_getExtensions");
        MonemaException e = failure("monema:getExtensions", null, Map.of());
        assertTrue(e instanceof MonemaResponseException || e instanceof MonemaConnectionException, e.toString());
        assertTrue(e.getMessage().contains("C_getExtensions"), e.getMessage());
    }

    @Test
    void faxChunkFailureIsTransient() throws Exception {
        sim.faults().failChunk(2, Failure.HTTP_503);
        MonemaException e = failure("monema:fax?chunkSize=65536&destNumbers=15550001", TestPdfs.bytes(300_000, 4),
                Map.of());
        assertInstanceOf(MonemaConnectionException.class, e);
        assertEquals("C_uploadFaxChunk", e.getOperation());
        assertTrue(sim.sentFaxes().isEmpty());
        // a retry starts a new upload session and succeeds
        FaxResult r = call("monema:fax?chunkSize=65536&destNumbers=15550001", TestPdfs.bytes(300_000, 4), Map.of(),
                FaxResult.class);
        assertEquals(5, r.chunks());
        assertEquals(1, sim.sentFaxes().size());
    }

    @Test
    void unknownOperationIsRejectedAtEndpointCreation() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> camel.getEndpoint("monema:getCoffee"));
        assertTrue(e.getMessage().contains("getCoffee"), e.getMessage());
    }

    @Test
    void missingInputSaysWhichOption() {
        CamelExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(CamelExecutionException.class,
                () -> template.requestBody("monema:getCallTags", (Object) null));
        assertTrue(e.getCause().getMessage().contains("callId"), e.getCause().getMessage());
    }
}
