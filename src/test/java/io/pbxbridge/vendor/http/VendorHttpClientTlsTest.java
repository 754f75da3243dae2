package io.pbxbridge.vendor.http;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorException.Kind;

/**
 * HTTPS with a self-signed certificate (made by keytool for this test, as a vendor's server has one): refused with
 * the JVM's trust, accepted with a trust store holding it, PKCS12 or JKS.
 */
class VendorHttpClientTlsTest {

    static final String SERVER_PASSWORD = "server-pass-1";
    static final String TRUST_PASSWORD = "trust-pass-2";

    @TempDir
    static Path dir;
    static HttpsServer server;
    static String address;
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path serverStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.cer");
        keytool("-genkeypair", "-alias", "sop", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                serverStore.toString(), "-storepass", SERVER_PASSWORD);
        keytool("-exportcert", "-alias", "sop", "-keystore", serverStore.toString(), "-storepass", SERVER_PASSWORD,
                "-file", cert.toString());
        for (String type : new String[] { "PKCS12", "JKS" }) {
            keytool("-importcert", "-noprompt", "-alias", "sop", "-file", cert.toString(), "-storetype", type,
                    "-keystore", dir.resolve("trust." + type.toLowerCase()).toString(), "-storepass", TRUST_PASSWORD);
        }

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            ks.load(in, SERVER_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, SERVER_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] reply = "secure".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, reply.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
        address = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not end");
        assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ": " + output);
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
            TrustStore store = new TrustStore(dir.resolve("trust." + type.toLowerCase()).toString(), TRUST_PASSWORD,
                    type);
            try (VendorHttpClient trusting = client(store)) {
                assertEquals("secure", trusting.sendForSuccess(ping()).bodyAsString(), type);
            }
        }
    }

    @Test
    void anUnreadableTrustStoreIsSaidAtOnceWithoutItsPassword() {
        TrustStore wrong = new TrustStore(dir.resolve("trust.jks").toString(), "not-the-password", "JKS");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client(wrong));
        assertTrue(e.getMessage().contains("trust.jks"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
        assertFalse(wrong.toString().contains("not-the-password"), wrong.toString());
        assertThrows(IllegalArgumentException.class,
                () -> client(new TrustStore(dir.resolve("missing.p12").toString(), null, null)));
        // keytool's PKCS12 encrypts its certificates: without the password it holds none, which every handshake
        // would otherwise report as "the trustAnchors parameter must be non-empty"
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> client(new TrustStore(dir.resolve("trust.pkcs12").toString(), null, null)));
        assertTrue(empty.getMessage().contains("holds no certificate; is its password missing?"), empty.getMessage());
    }
}
