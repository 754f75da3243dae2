package io.pbxbridge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An HTTPS server on 127.0.0.1 with a self-signed certificate made by {@code keytool} in a directory of the test's,
 * as a vendor's server has one, and trust stores (PKCS12 and JKS) holding that certificate for the client.
 */
public final class SelfSignedHttpsServer implements AutoCloseable {

    public static final String TRUST_STORE_PASSWORD = "trust-pass-2";
    private static final String SERVER_PASSWORD = "server-pass-1";

    private final Path dir;
    private final HttpsServer server;

    /** Makes the certificate and the trust stores in {@code dir} and serves {@code handler} at {@code /}. */
    public SelfSignedHttpsServer(Path dir, HttpHandler handler) throws IOException, GeneralSecurityException {
        this.dir = dir;
        Path serverStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.cer");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", serverStore.toString(), "-storepass", SERVER_PASSWORD);
        keytool("-exportcert", "-alias", "server", "-keystore", serverStore.toString(), "-storepass",
                SERVER_PASSWORD, "-file", cert.toString());
        for (String type : new String[] { "PKCS12", "JKS" }) {
            keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-storetype", type,
                    "-keystore", trustStore(type).toString(), "-storepass", TRUST_STORE_PASSWORD);
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
        server.createContext("/", handler);
        server.start();
    }

    /** {@code https://127.0.0.1:<port>} */
    public String address() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The trust store of {@code type} (PKCS12 or JKS) holding the server's certificate. */
    public Path trustStore(String type) {
        return dir.resolve("trust." + type.toLowerCase(Locale.ROOT));
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
