package io.pbxbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pbxbridge.support.SecretMasking;

/**
 * No secret reaches the log at any level. Camel logs resolved property values at DEBUG and TRACE (the placeholder
 * resolution, the bean and component options it sets, endpoint URIs with RAW() values): the Monema password, the
 * webhook signing secret and the e-mail password must show as xxxxxx there.
 * <p>
 * The faithful case runs the application as it is run: a child JVM started in the project folder with the secrets in
 * environment variables and LOG_LEVEL=DEBUG (then TRACE), its console captured from start to stop. The in-process
 * case gives them as override properties, as the tests do.
 */
class SecretLoggingTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "DEBUG", "TRACE" })
    void secretsFromTheEnvironmentAreNotLoggedByTheApplication(String level) throws Exception {
        Canaries canaries = new Canaries();
        Path classes = Path.of(Application.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", childClasspath(),
                // the application's own log configuration, not the tests'
                "-Dlog4j2.configurationFile=" + classes.resolve("log4j2.properties").toUri(),
                "-Dcamel.main.shutdown-timeout=10", "-Devents.drain-timeout=1000"));
        folders().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(Application.class.getName());

        // to a file rather than a pipe: the JDK closes a pipe under a reader when the process ends
        Path console = dir.resolve("console.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir().toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile());
        Map<String, String> env = builder.environment();
        env.put("LOG_LEVEL", level);
        env.put("PBX_SANDBOX", "false");
        env.put("MONEMA_ADDRESS", "http://127.0.0.1:" + closedPort() + "/public_api/pb_tamtam_wsdl.php");
        env.put("MONEMA_LOGIN", "demo");
        env.put("MONEMA_PASSWORD", canaries.monemaPassword);
        env.put("ESCAUX_ADDRESS", "http://127.0.0.1:" + closedPort());
        env.put("ESCAUX_EVENT_PORT", Integer.toString(closedPort()));
        env.put("EVENTS_WEBHOOK_ENABLED", "true");
        env.put("EVENTS_WEBHOOK_URL", "http://127.0.0.1:" + closedPort() + "/hook");
        env.put("EVENTS_WEBHOOK_SECRET", canaries.webhookSecret);
        env.put("EVENTS_EMAIL_PASSWORD", canaries.emailPassword);

        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (!read(console).contains("(pbx-bridge) started in")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    fail("pbx-bridge did not start:\n" + tail(read(console)));
                }
                Thread.sleep(100);
            }
            // the first delivery attempts and reconnects (failing: nothing listens) are logged too
            Thread.sleep(1500);
        } finally {
            process.destroy(); // SIGTERM: Camel's graceful stop, logged as well
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        List<String> log = read(console).lines().toList();
        assertTrue(log.stream().anyMatch(l -> l.contains("Apache Camel (Main)") && l.contains("shutdown")),
                "the application stopped: " + tail(String.join("\n", log)));
        canaries.assertAbsent(log);
        assertLogged(log, level);
        // what used to leak: Camel resolving {{env:MONEMA_PASSWORD:...}} at DEBUG, now with the value masked
        assertTrue(log.stream().anyMatch(l -> l.contains(" DEBUG ") && l.contains("MONEMA_PASSWORD")
                && l.contains(SecretMasking.MASK)), "Camel's resolution of MONEMA_PASSWORD is logged, masked");
    }

    @Test
    void secretsGivenAsPropertiesAreNotLoggedAtTrace() throws Exception {
        Canaries canaries = new Canaries();
        Level before = LogManager.getRootLogger().getLevel();
        Capture capture = Capture.open(); // as the console appender: there before the application starts
        Main main = Application.newMain();
        try {
            Configurator.setRootLevel(Level.TRACE);
            main.addOverrideProperty("sandbox.enabled", "false");
            main.addOverrideProperty("camel.main.routes-include-pattern", "file:routes/events-*.camel.yaml");
            main.addOverrideProperty("camel.main.shutdown-timeout", "10");
            main.addOverrideProperty("events.drain-timeout", "1000");
            main.addOverrideProperty("camel.component.escaux.address", "http://127.0.0.1:" + closedPort());
            main.addOverrideProperty("camel.component.escaux.event-host", "127.0.0.1");
            main.addOverrideProperty("camel.component.escaux.event-port", Integer.toString(closedPort()));
            folders().forEach(main::addOverrideProperty);
            main.addOverrideProperty("events.webhook.enabled", "true");
            main.addOverrideProperty("events.webhook.url", "http://127.0.0.1:" + closedPort() + "/hook");
            main.addOverrideProperty("events.webhook.secret", canaries.webhookSecret);
            main.addOverrideProperty("camel.component.monema.password", canaries.monemaPassword);
            main.addOverrideProperty("events.email.password", canaries.emailPassword);
            main.start();
            Thread.sleep(1000);
        } finally {
            main.stop();
            Configurator.setRootLevel(before);
            capture.close();
        }
        List<String> log = capture.lines();
        canaries.assertAbsent(log);
        assertLogged(log, "TRACE");
    }

    @Test
    void secretKeysAndMasking() {
        for (String key : List.of("events.webhook.secret", "camel.component.monema.password", "events.email.password",
                "signingSecret", "MONEMA_PASSWORD", "EVENTS_WEBHOOK_SECRET", "camel.component.kafka.sasl-jaas-config",
                "access-token", "secretKey")) {
            assertTrue(SecretMasking.isSecretKey(key), key);
        }
        for (String key : List.of("camel.component.monema.login", "events.email.username", "events.webhook.url",
                "events.webhook.secret-enabled", "events.email.password-file", "PWD", "PATH")) {
            assertFalse(SecretMasking.isSecretKey(key), key);
        }
        String secret = "p@ss w&rd-" + UUID.randomUUID();
        SecretMasking.addSecret(secret);
        assertEquals("password=xxxxxx&x=1", SecretMasking.mask("password=" + secret + "&x=1"));
        assertEquals("uri?password=xxxxxx", SecretMasking.mask("uri?password="
                + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8)));
        assertEquals("<p>xxxxxx</p>", SecretMasking.mask("<p>" + secret.replace("&", "&amp;") + "</p>"));
        String clean = "nothing secret here";
        assertTrue(SecretMasking.mask(clean) == clean, "unchanged text is the same instance");
        SecretMasking.addSecret("abc"); // too short to mask without masking ordinary text
        assertEquals("abc", SecretMasking.mask("abc"));
    }

    /** Random secret values, and every form of them that must not be logged. */
    private static final class Canaries {
        final String monemaPassword = "S3cretCanary-" + UUID.randomUUID();
        final String webhookKey = "HookCanary-" + UUID.randomUUID();
        final String webhookBase64 = Base64.getEncoder().encodeToString(webhookKey.getBytes(StandardCharsets.UTF_8));
        final String webhookSecret = "whsec_" + webhookBase64;
        final String emailPassword = "MailCanary-" + UUID.randomUUID();

        void assertAbsent(List<String> log) {
            for (String canary : List.of(monemaPassword, webhookBase64, webhookKey, emailPassword)) {
                List<String> leaks = log.stream().filter(l -> l.contains(canary)).limit(5).toList();
                assertTrue(leaks.isEmpty(), "a secret is logged:\n" + String.join("\n", leaks));
            }
        }
    }

    private static void assertLogged(List<String> log, String level) {
        long debug = log.stream().filter(l -> l.contains(" DEBUG ")).count();
        assertTrue(debug > 100, "DEBUG lines logged: " + debug);
        if (level.equals("TRACE")) {
            long trace = log.stream().filter(l -> l.contains(" TRACE ")).count();
            assertTrue(trace > 100, "TRACE lines logged: " + trace);
        }
        // the masks are where Camel logged the values
        assertTrue(log.stream().anyMatch(l -> l.contains(SecretMasking.MASK)), "masked values logged");
    }

    /** Every folder and file the routes write, in the temp folder. */
    private Map<String, String> folders() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("camel.management.port", io.pbxbridge.testsupport.FreePort.managementPort());
        m.put("events.state", dir.resolve("events/state").toString());
        m.put("events.spool.dir", dir.resolve("events/spool").toString());
        m.put("events.deadletter.dir", dir.resolve("events/deadletter").toString());
        m.put("events.ndjson.uri", "file:" + dir.resolve("events") + "?fileName=call-events.ndjson&fileExist=Append");
        m.put("cdr.escaux.enabled", "false");
        m.put("escaux.rejected-uri", "file:" + dir.resolve("events") + "?fileName=rejected.log&fileExist=Append");
        m.put("fax.outbox", dir.resolve("fax/outbox").toString());
        m.put("fax.sent", dir.resolve("fax/sent").toString());
        m.put("fax.failed", dir.resolve("fax/failed").toString());
        m.put("fax.state", dir.resolve("fax/state").toString());
        m.put("fax.events-uri", "file:" + dir.resolve("events") + "?fileName=fax-events.ndjson&fileExist=Append");
        return m;
    }

    /** The project folder (application.properties, routes/). */
    private static Path projectDir() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        assertTrue(Files.isRegularFile(base.resolve("application.properties")), "project folder: " + base);
        return base;
    }

    /** The tests' classpath without the test classes and resources (log4j2-test.properties). */
    private static String childClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(cp.split(File.pathSeparator))
                .filter(e -> !e.isBlank() && !Path.of(e).normalize().endsWith(Path.of("target", "test-classes")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** A local port nothing listens on. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Records each event's message and exception as the console would show them, from every logger. */
    private static final class Capture extends AbstractAppender {

        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        private Capture() {
            super("secret-logging-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        }

        static Capture open() {
            Capture capture = new Capture();
            capture.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().addAppender(capture, null, null);
            context.updateLoggers();
            return capture;
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line = new StringBuilder().append(' ').append(event.getLevel()).append(' ')
                    .append(event.getLoggerName()).append(" - ").append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        void close() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().removeAppender(getName());
            context.updateLoggers();
            stop();
        }
    }
}
