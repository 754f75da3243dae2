package io.pbxbridge.monema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;

/**
 * A real PHP ext/soap {@code SoapServer} speaking the Monema API (rpc/encoded, the same WSDL as the simulator),
 * under PHP's built-in web server ({@code php -S}), for interoperability tests against a SOAP stack that is not
 * ours. State (login {@code demo} / {@code demo-secret}, credit 50, modem {@code fax-a}, extensions 100..119, six
 * calls) lives in {@link #stateFile()}, see {@code src/test/resources/php/monema_server.php}.
 *
 * <pre>{@code
 * assumeTrue(PhpMonemaServer.phpAvailable(), "php with the soap extension is not installed");
 * try (PhpMonemaServer php = PhpMonemaServer.start()) {
 *     ... php.address() ...
 *     assertEquals("fax-a", php.state().at("/sent_faxes/0/modem").asText());
 * }
 * }</pre>
 */
public final class PhpMonemaServer implements AutoCloseable {

    private static final String PATH = "/public_api/pb_tamtam_wsdl.php";
    private static final String WSDL_RESOURCE = "/io/pbxbridge/sandbox/monema/pb_tamtam-rpc-encoded.wsdl";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private static volatile Boolean available;

    private final Path dir;
    private final Process process;
    private final String address;

    private PhpMonemaServer(Path dir, Process process, String address) {
        this.dir = dir;
        this.process = process;
        this.address = address;
    }

    /** Whether {@code php} is on the PATH with the soap extension ({@code php -m} lists it). */
    public static boolean phpAvailable() {
        Boolean a = available;
        if (a == null) {
            a = probePhp();
            available = a;
        }
        return a;
    }

    private static boolean probePhp() {
        try {
            Process p = new ProcessBuilder("php", "-m").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && out.lines().anyMatch(l -> l.trim().equalsIgnoreCase("soap"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Copies the PHP scripts and the WSDL (with this server's address) to a new temporary directory, starts
     * {@code php -S 127.0.0.1:<free port>} there and waits (at most 10 s) until the WSDL is served.
     */
    public static PhpMonemaServer start() {
        if (!phpAvailable()) {
            throw new IllegalStateException("php with the soap extension is not available");
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between probe and bind
            Path dir = null;
            try {
                dir = Files.createTempDirectory("monema-php-");
                int port = freePort();
                String address = "http://127.0.0.1:" + port + PATH;
                copyResource("/php/monema_server.php", dir.resolve("monema_server.php"));
                copyResource("/php/router.php", dir.resolve("router.php"));
                String wsdl = new String(resource(WSDL_RESOURCE), StandardCharsets.UTF_8).replace("@ADDRESS@", address);
                Files.writeString(dir.resolve("pb_tamtam.wsdl"), wsdl);
                Process process = new ProcessBuilder(List.of("php",
                        "-d", "display_errors=stderr", "-d", "log_errors=0", "-d", "error_reporting=-1",
                        "-d", "soap.wsdl_cache_enabled=0", "-d", "post_max_size=1G", "-d", "memory_limit=1G",
                        "-S", "127.0.0.1:" + port, "-t", dir.toString(), dir.resolve("router.php").toString()))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("php-server.log").toFile())
                        .start();
                PhpMonemaServer server = new PhpMonemaServer(dir, process, address);
                try {
                    server.awaitWsdl();
                    return server;
                } catch (IllegalStateException e) {
                    last = e;
                    server.close();
                }
            } catch (IOException e) {
                deleteRecursively(dir);
                throw new UncheckedIOException("Cannot start the PHP Monema server", e);
            }
        }
        throw last;
    }

    private void awaitWsdl() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(address + "?wsdl")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("php -S exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("pb_tamtam")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for php -S", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for php -S", e);
            }
        }
        throw new IllegalStateException("php -S did not serve the WSDL within " + STARTUP_TIMEOUT + ": " + log());
    }

    /** {@code http://127.0.0.1:<port>/public_api/pb_tamtam_wsdl.php}; append {@code ?wsdl} for the WSDL. */
    public String address() {
        return address;
    }

    /** The server's state, a JSON file rewritten atomically on every change. */
    public Path stateFile() {
        return dir.resolve("state.json");
    }

    /** The temporary directory the server runs from (scripts, WSDL, state, uploads/, php-server.log). */
    public Path directory() {
        return dir;
    }

    /**
     * The parsed state: {@code accounts.demo.credit}, {@code calls[]}, {@code tags[]}, {@code extensions[]},
     * {@code transfers.<extensionId>}, {@code uploads.<sessionId>}, {@code sent_faxes[]} (session_id, login,
     * modem, destinations[], use_cover, cover{}, document, bytes, sha256, sent_at), {@code sent_sms[]}.
     */
    public JsonNode state() {
        try {
            return Json.MAPPER.readTree(stateFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What php -S wrote (access log, PHP errors). */
    public String log() {
        try {
            return Files.readString(dir.resolve("php-server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops php -S and deletes the temporary directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PhpMonemaServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Resource not found on the classpath: " + name);
            }
            return in.readAllBytes();
        }
    }

    private static void copyResource(String name, Path target) throws IOException {
        Files.write(target, resource(name));
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
