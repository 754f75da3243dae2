package io.pbxbridge.vendor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.testsupport.SelfSignedHttpsServer;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorException.Kind;

/**
 * HTTPS with a self-signed certificate (made by keytool for this test, as a vendor's server has one): refused with
 * the JVM's trust, accepted with a trust store holding it, PKCS12 or JKS.
 */
class VendorHttpClientTlsTest {

    @TempDir
    static Path dir;
    static SelfSignedHttpsServer server;
    static String address;
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = new SelfSignedHttpsServer(dir, ex -> {
            requests.incrementAndGet();
            byte[] reply = "secure".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, reply.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply);
            }
        });
        address = server.address();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static VendorHttpClient client(TrustStore trustStore) {
        return VendorHttpClient.builder("test").settings(VendorHttpSettings.of(Duration.ofSeconds(5),
                Duration.ofSeconds(5)).withTrustStore(trustStore)).build();
    }

    static VendorHttpRequest ping() {
        return VendorHttpRequest.get(address, "/ping").operation("ping").build();
    }

    @Test
    void aSelfSignedServerIsRefusedWithTheJvmsTrust() {
        int before = requests.get();
        try (VendorHttpClient jvmTrust = client(null)) {
            VendorException e = assertThrows(VendorException.class, () -> jvmTrust.send(ping()));
            assertTrue(e.getMessage().startsWith("test ping: TLS with " + address + " failed"), e.getMessage());
            assertTrue(e.getMessage().contains("the JVM's trust store"), e.getMessage());
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
            // nothing was sent: the request is written after the handshake
            assertEquals(Kind.UNREACHABLE, e.getKind());
            assertTrue(e.provesNotExecuted());
        }
        assertEquals(before, requests.get());
    }

    @Test
    void aTrustStoreHoldingItsCertificateIsTrusted() {
        for (String type : new String[] { "PKCS12", "JKS" }) {
            TrustStore store = new TrustStore(server.trustStore(type).toString(),
                    SelfSignedHttpsServer.TRUST_STORE_PASSWORD, type);
            try (VendorHttpClient trusting = client(store)) {
                assertEquals("secure", trusting.sendForSuccess(ping()).bodyAsString(), type);
            }
        }
    }

    @Test
    void anUnreadableTrustStoreIsSaidAtOnceWithoutItsPassword() {
        TrustStore wrong = new TrustStore(server.trustStore("JKS").toString(), "not-the-password", "JKS");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client(wrong));
        assertTrue(e.getMessage().contains("trust.jks"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
        assertFalse(wrong.toString().contains("not-the-password"), wrong.toString());
        assertThrows(IllegalArgumentException.class,
                () -> client(new TrustStore(dir.resolve("missing.p12").toString(), null, null)));
        // keytool's PKCS12 encrypts its certificates: without the password it holds none, which every handshake
        // would otherwise report as "the trustAnchors parameter must be non-empty"
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> client(new TrustStore(server.trustStore("PKCS12").toString(), null, null)));
        assertTrue(empty.getMessage().contains("holds no certificate; is its password missing?"), empty.getMessage());
    }
}
