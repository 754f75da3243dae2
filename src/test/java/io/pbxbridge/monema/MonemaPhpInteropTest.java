package io.pbxbridge.monema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Interoperability with an independent SOAP stack: PHP's ext/soap {@code SoapServer} in rpc/encoded style, as real
 * Monema servers are PHP. The component discovers the style from the WSDL PHP serves and calls all 15 operations.
 * Needs {@code php-cli php-soap} (installed by .ci/run); skipped only outside CI when PHP is missing.
 */
class MonemaPhpInteropTest {

    static PhpMonemaServer php;
    static CamelContext camel;
    static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        if (!PhpMonemaServer.phpAvailable()) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("php with the soap extension is required in CI (.ci/run installs it)");
            }
            System.err.println("MonemaPhpInteropTest SKIPPED: php-cli/php-soap not installed"
                    + " (apt-get install php-cli php-soap)");
            Assumptions.abort("php with ext/soap is not installed");
        }
        php = PhpMonemaServer.start();
        camel = new DefaultCamelContext();
        MonemaComponent monema = new MonemaComponent();
        monema.getConfiguration().setAddress(php.address());
        monema.getConfiguration().setLogin("demo");
        monema.getConfiguration().setPassword("demo-secret");
        camel.addComponent("monema", monema);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (php != null) {
            php.close();
        }
    }

    <T> T call(String uri, Object body, Map<String, Object> headers, Class<T> type) {
        return template.requestBodyAndHeaders(uri, body, headers, type);
    }

    @Test
    void creditCallsAndTags() {
        assertEquals(0, new BigDecimal("50").compareTo(call("monema:getCredit", null, Map.of(), BigDecimal.class)));
        @SuppressWarnings("unchecked")
        List<Calls> calls = call("monema:getCalls", null, Map.of(), List.class);
        assertTrue(calls.size() >= 6, "calls: " + calls);
        Calls first = calls.stream().filter(c -> c.id() == 5001).findFirst().orElseThrow();
        assertTrue(first.recorded());
        assertEquals(1001, first.clientsId());
        @SuppressWarnings("unchecked")
        List<Calls> outgoing = call("monema:getCalls?fromId=5004&type=outgoing", null, Map.of(), List.class);
        assertTrue(outgoing.stream().allMatch(c -> c.id() > 5004), outgoing.toString());
        @SuppressWarnings("unchecked")
        List<CallsTags> tags = call("monema:getCallTags?callId=5001", null, Map.of(), List.class);
        assertFalse(tags.isEmpty());
        assertEquals(5001, tags.get(0).callsId());
        String url = call("monema:getCallDownloadLink?callId=5001", null, Map.of(), String.class);
        assertTrue(url.startsWith("http"), url);
    }

    @Test
    void callsAndExtensions() {
        assertEquals(Boolean.TRUE, call("monema:makeCall?sourceExt=101&destExt=102", null, Map.of(), Boolean.class));
        MakeCallResult r = call("monema:makeCallResponse?sourceExt=101&destExt=102", null, Map.of(),
                MakeCallResult.class);
        assertTrue(r.ok());
        assertEquals(MakeCallStatus.ANSWERED, r.status());
        assertNotNull(r.uniqueid());
        assertEquals(MakeCallStatus.BUSY, call("monema:makeCallResponse?sourceExt=113&destExt=102", null, Map.of(),
                MakeCallResult.class).status());

        @SuppressWarnings("unchecked")
        List<Extensions> extensions = call("monema:getExtensions", null, Map.of(), List.class);
        assertEquals(20, extensions.size());
        long id = extensions.get(0).id();
        assertEquals(Boolean.TRUE, call("monema:enableExtensionTransfer?dstNumber=600111222&external=true", null,
                Map.of(MonemaConstants.EXTENSION_ID, id), Boolean.class));
        ExtensionTransferStatus s = call("monema:getExtensionTransferStatus?extensionId=" + id, null, Map.of(),
                ExtensionTransferStatus.class);
        assertTrue(s.enabled());
        assertTrue(s.external());
        assertEquals("600111222", s.number());
        assertEquals(Boolean.TRUE, call("monema:disableExtensionTransfer?extensionId=" + id, null, Map.of(),
                Boolean.class));
        assertFalse(call("monema:getExtensionTransferStatus?extensionId=" + id, null, Map.of(),
                ExtensionTransferStatus.class).enabled());
    }

    @Test
    void smsAndChunkedFax() throws Exception {
        assertEquals(Boolean.TRUE, call("monema:sendSMS?callerId=Acme&dstNumber=600111222", "Hola", Map.of(),
                Boolean.class));
        @SuppressWarnings("unchecked")
        List<String> modems = call("monema:getFaxModems", null, Map.of(), List.class);
        assertEquals(List.of("fax-a"), modems);

        byte[] pdf = TestPdfs.bytes(700_000, 5);
        FaxResult result = call("monema:fax?chunkSize=262144&destNumbers=15550001,15550002", pdf,
                Map.of(MonemaConstants.FAX_COVER, new FaxCover("Ann", "ACME", "", "", "Hi", "")), FaxResult.class);
        assertEquals(3, result.chunks());
        assertEquals("fax-a", result.modem());
        JsonNode sent = php.state().get("sent_faxes").get(0);
        assertEquals(TestPdfs.sha256(pdf), sent.get("sha256").asText());
        assertEquals(700_000, sent.get("bytes").asLong());
        assertTrue(sent.get("use_cover").asBoolean());

        // the steps one by one
        String session = call("monema:startFaxUpload", null, Map.of(), String.class);
        assertEquals(700_000L, call("monema:uploadFaxChunk?sessionId=" + session, pdf, Map.of(), Long.class));
        assertEquals(Boolean.TRUE, call("monema:sendFax?faxModem=fax-a&destNumbers=15550003&sessionId=" + session,
                null, Map.of(), Boolean.class));
        assertEquals(2, php.state().get("sent_faxes").size());
    }

    @Test
    void phpFaultsBecomeTypedRefusals() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("monema:getCredit?password=nope", (Object) null));
        MonemaFaultException fault = assertInstanceOf(MonemaFaultException.class, e.getCause());
        assertTrue(fault.getMessage().contains("Invalid login or password"), fault.getMessage());
        assertFalse(fault.isTransient());
        CamelExecutionException notPdf = assertThrows(CamelExecutionException.class, () -> {
            String session = call("monema:startFaxUpload", null, Map.of(), String.class);
            call("monema:uploadFaxChunk?sessionId=" + session, "plain text".getBytes(), Map.of(), Long.class);
            call("monema:sendFax?faxModem=fax-a&destNumbers=15550003&sessionId=" + session, null, Map.of(),
                    Boolean.class);
        });
        assertTrue(notPdf.getCause().getMessage().contains("not a PDF"), notPdf.getCause().getMessage());
    }
}
