package io.pbxbridge.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.sandbox.escaux.EscauxFaults.HttpFailure;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.testsupport.DebugLog;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.testsupport.SelfSignedHttpsServer;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpRequest;

/** The escaux component over the vendor HTTP transport: one transport per settings, trust store options, secrets. */
class EscauxTransportTest {

    @TempDir
    Path dir;
    CamelContext camel;
    EscauxComponent component;
    ProducerTemplate template;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        component = new EscauxComponent();
        camel.addComponent("escaux", component);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    EscauxConfiguration configuration(String uri) {
        return camel.getEndpoint(uri, EscauxEndpoint.class).getConfiguration();
    }

    @Test
    void endpointsWithTheSameConnectionSettingsShareOneTransport() {
        VendorHttpClient ping = component.httpClient(configuration("escaux:ccPing?address=http://10.0.0.1"));
        VendorHttpClient hangup = component.httpClient(configuration("escaux:ccHangup?address=http://10.0.0.2"));
        VendorHttpClient slow = component.httpClient(configuration("escaux:ccPing?requestTimeout=60000"));
        assertSame(ping, hangup);
        assertNotSame(ping, slow);
        assertEquals(Duration.ofMinutes(1), slow.settings().responseTimeout());
    }

    @Test
    void theTransportsCloseWhenTheContextStops() {
        VendorHttpClient before = component.httpClient(configuration("escaux:ccPing"));
        camel.stop();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> before.send(VendorHttpRequest.get("http://127.0.0.1:1", "/x").build()));
        assertTrue(closed.getMessage().contains("shut down"), closed.getMessage());
        assertNotSame(before, component.httpClient(new EscauxConfiguration()));
    }

    @Test
    void theTrustStoreOptionsVerifyAnHttpsSop() throws Exception {
        try (SelfSignedHttpsServer sop = new SelfSignedHttpsServer(dir, ex -> {
            byte[] reply = "<ccPingResult><Result>0</Result></ccPingResult>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/xml");
            ex.sendResponseHeaders(200, reply.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply);
            }
        })) {
            Exchange untrusted = template.request("escaux:ccPing?address=" + sop.address(), e -> {
            });
            EscauxConnectionException e = assertInstanceOf(EscauxConnectionException.class, untrusted.getException());
            assertTrue(e.getMessage().contains("TLS with " + sop.address() + " failed"), e.getMessage());
            assertTrue(e.provesNotExecuted());

            EscauxResult pong = template.requestBody("escaux:ccPing?address=" + sop.address() + "&trustStore="
                    + sop.trustStore("JKS") + "&trustStorePassword=RAW(" + SelfSignedHttpsServer.TRUST_STORE_PASSWORD
                    + ")&trustStoreType=JKS", null, EscauxResult.class);
            assertEquals(0, pong.code());
        }
    }

    @Test
    void pincodesAndPasswordsAreMaskedInTheLogAndInMessages() {
        try (EscauxSimulator sim = EscauxSimulator.builder().build().start()) {
            String base = "escaux:%s?address=" + sim.address() + "&ext=672";
            try (DebugLog debugLog = DebugLog.of("io.pbxbridge.vendor"); LogCapture log = LogCapture.open()) {
                template.requestBody(String.format(base, "dbAuthenticate") + "&command=set&password=6720"
                        + "&newPassword=7531", null, AuthenticateResult.class);
                sim.faults().failNext("dbCheckPincode", HttpFailure.HTTP_500);
                Exchange failed = template.request(String.format(base, "dbCheckPincode") + "&pincode=7531", e -> {
                });
                VendorException e = assertInstanceOf(EscauxConnectionException.class, failed.getException());
                assertTrue(e.getMessage().contains("/xml/dbCheckPincode.php?ext=672&pincode=xxxxxx"), e.getMessage());

                List<String> debug = log.messages(Level.DEBUG, "VendorHttpClient");
                assertTrue(debug.contains("escaux dbAuthenticate: GET " + sim.address() + "/xml/dbAuthenticate.php"
                        + "?ext=672&password=xxxxxx&command=set&newpassword=xxxxxx"), debug.toString());
                for (String line : debug) {
                    assertFalse(line.contains("6720") || line.contains("7531"), line);
                }
                assertFalse(e.getMessage().contains("7531"), e.getMessage());
            }
        }
    }
}
