package io.pbxbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.pbxbridge.Application;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.ChildJvm;

/**
 * pbx-bridge run as it is run (its main class, the shipped application.properties and routes/, its log configuration,
 * settings in environment variables), with one invalid setting at a time: it stops at once with exit code 1 and one
 * ERROR line naming the setting, its value and what is expected; no stack trace. An {@code abc} for a number (the retry count of old) left
 * the fax route restarting forever, {@code CAMEL_COMPONENT_MONEMA_STYLE} was ignored, a webhook signed with the sample
 * secret, and in a folder without application.properties Camel started with no routes and waited.
 */
class InvalidConfigurationTest {

    /** The sample secret in the repository (Sandbox.WEBHOOK_SECRET). */
    static final String SANDBOX_WEBHOOK_SECRET = "whsec_c2FuZGJveC1zZWNyZXQtbm90LWZvci1wcm9kdWN0aW9u";

    @TempDir
    Path tmp;

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of(Map.of("FAX_CONCURRENCY", "abc"), List.of("fax.concurrency = \"abc\"",
                        "environment variable FAX_CONCURRENCY", "expected a whole number")),
                Arguments.of(Map.of("FAX_VENDOR_OUTAGE_MAX_WAIT", "soon"), List.of(
                        "fax.vendor-outage.max-wait = \"soon\"", "expected a duration")),
                Arguments.of(Map.of("FAX_MAX_SIZE", "-1"), List.of("fax.max-size = \"-1\"",
                        "expected a size in bytes (a whole number of at least 0)")),
                Arguments.of(Map.of("EVENTS_KAFKA_BROKERS", "kafka-without-port"), List.of(
                        "events.kafka.brokers = \"kafka-without-port\"", "expected host:port")),
                Arguments.of(Map.of("CAMEL_COMPONENT_MONEMA_STYLE", "FOO"), List.of(
                        "camel.component.monema.style = \"FOO\"",
                        "expected one of AUTO, RPC_ENCODED, RPC_LITERAL, DOCUMENT_LITERAL")),
                Arguments.of(Map.of("CAMEL_COMPONENT_ESCAUX_PING_INTERVAL", "fast"), List.of(
                        "camel.component.escaux.ping-interval = \"fast\"", "expected a whole number")),
                Arguments.of(Map.of("ESCAUX_ENABLED", "true"), List.of(
                        "escaux.enabled = true but camel.component.escaux.address is not set", "ESCAUX_ADDRESS")),
                Arguments.of(Map.of("ESCAUX_ENABLED", "maybe"), List.of("escaux.enabled = \"maybe\"",
                        "expected true, false or empty (on when configured)")),
                Arguments.of(Map.of("EVENTS_WEBHOOK_ENABLED", "true"), List.of("events.webhook.secret is not set",
                        "a secret of its own", "EVENTS_WEBHOOK_SECRET")),
                Arguments.of(Map.of("EVENTS_WEBHOOK_ENABLED", "true", "EVENTS_WEBHOOK_SECRET", SANDBOX_WEBHOOK_SECRET),
                        List.of("events.webhook.secret is the sandbox's sample secret", "EVENTS_WEBHOOK_SECRET")),
                Arguments.of(Map.of("COMMANDS_OWNER_TIMEOUT", "6s"), List.of(
                        "commands.owner-timeout = 6000 ms must be at least twice commands.heartbeat = 5000 ms")),
                Arguments.of(Map.of("EVENTS_WEBHOOK_SECRET", "not-a-whsec-secret"), List.of(
                        "events.webhook.secret = \"xxxxxx\"", "expected whsec_ followed by base64")));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void anInvalidSettingStopsTheStartUpInOneLine(Map<String, String> setting, List<String> expected)
            throws Exception {
        Map<String, String> env = new LinkedHashMap<>(AppFolders.environment(tmp));
        env.put("PBX_SANDBOX", "false"); // nothing listens, nothing connects
        env.putAll(setting);
        String line = failedStart(AppFolders.project(), env);
        for (String fragment : expected) {
            assertTrue(line.contains(fragment), "the line says " + fragment + ": " + line);
        }
        assertFalse(line.contains("not-a-whsec-secret"), "no secret value in the line: " + line);
    }

    @Test
    void startedInAFolderWithoutApplicationPropertiesItSaysWhichFolder() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String line = failedStart(empty, Map.of());
        assertTrue(line.contains("No application.properties in " + empty.toRealPath()), line);
    }

    @Test
    void startedInAFolderWithoutRoutesItSaysWhichFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("settings-only"));
        Files.copy(AppFolders.project().resolve("application.properties"), folder.resolve("application.properties"));
        Map<String, String> env = new LinkedHashMap<>(AppFolders.environment(tmp));
        env.put("PBX_SANDBOX", "false");
        String line = failedStart(folder, env);
        assertTrue(line.contains("No routes/ folder in " + folder.toRealPath()), line);
    }

    /** Runs the application in {@code folder}; it must exit with 1 saying why in one ERROR line, which is returned. */
    static String failedStart(Path folder, Map<String, String> env) throws Exception {
        ChildJvm child = ChildJvm.builder(Application.class).heap("256m").applicationLogging().directory(folder)
                .env(env).start();
        int exit = child.awaitExit(60);
        List<String> log = child.lines();
        String all = String.join("\n", log);
        assertEquals(1, exit, "exit code; printed:\n" + all);
        List<String> errors = log.stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), "one ERROR line; printed:\n" + all);
        assertTrue(errors.get(0).contains("pbx-bridge cannot start: "), errors.get(0));
        assertTrue(log.stream().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")
                || l.contains("Exception in thread")), "no stack trace; printed:\n" + all);
        return errors.get(0);
    }
}
