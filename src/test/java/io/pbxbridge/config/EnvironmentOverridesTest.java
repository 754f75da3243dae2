package io.pbxbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.ChildJvm;

/**
 * The README's rule, every key of application.properties can be set by an environment variable named after it (upper
 * case, dots and dashes as underscores), checked in a process of its own with real environment variables, for a
 * sample of each kind of key: {@code camel.component.*} (ignored by Camel Main 4.17 until pbx-bridge applied them),
 * {@code camel.main.*}, {@code camel.routecontroller.*}, the application's own keys, and the connection settings that
 * also read a short variable ({@code MONEMA_ADDRESS}). A {@code -D} system property wins over the environment, for
 * every kind of key.
 */
class EnvironmentOverridesTest {

    @TempDir
    Path tmp;

    @Test
    void everyKindOfKeyIsSetByItsEnvironmentVariable() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(AppFolders.environment(tmp));
        env.put("PBX_SANDBOX", "false");
        env.put("CAMEL_COMPONENT_ESCAUX_PING_INTERVAL", "4321");
        env.put("CAMEL_COMPONENT_MONEMA_RECEIVE_TIMEOUT", "7654");
        env.put("CAMEL_COMPONENT_ESCAUX_ADDRESS", "http://sop.example.com");
        env.put("CAMEL_COMPONENT_ESCAUX_PONG_TIMEOUT", "3333");
        env.put("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "17");
        env.put("CAMEL_ROUTECONTROLLER_BACK_OFF_DELAY", "1234");
        env.put("FAX_CONCURRENCY", "3");
        env.put("EVENTS_KAFKA_BROKERS", "kafka-1.example.com:9093");
        env.put("CDR_ESCAUX_PAGE_SIZE", "45");
        env.put("CDR_BATCH_SIZE", "66");
        env.put("MONEMA_ADDRESS", "http://monema.example.com/public_api/pb_tamtam_wsdl.php");
        env.put("MONEMA_LOGIN", "acme");
        env.put("MONEMA_PASSWORD", "Acme-Secret-1");

        ChildJvm child = ChildJvm.builder(EffectiveSettingsProcess.class).heap("256m")
                .jvmArg("-Dcamel.component.escaux.pong-timeout=2222")
                .jvmArg("-Dcdr.batch-size=77")
                .directory(AppFolders.project()).env(env)
                .args("component.escaux.pingInterval", "component.monema.receiveTimeout", "component.escaux.address",
                        "component.escaux.pongTimeout", "main.shutdownTimeout", "routecontroller.backOffDelay",
                        "property.fax.concurrency", "property.events.kafka.brokers",
                        "property.cdr.escaux.page-size", "property.cdr.batch-size",
                        "component.monema.address")
                .start();
        assertEquals(0, child.awaitExit(60), "exit code; printed:\n" + child.tail());
        Map<String, String> effective = new LinkedHashMap<>();
        child.lines().stream().filter(l -> l.startsWith("EFFECTIVE ")).map(l -> l.substring(10).split("=", 2))
                .forEach(kv -> effective.put(kv[0], kv[1]));

        assertEquals("4321", effective.get("component.escaux.pingInterval"), "CAMEL_COMPONENT_ESCAUX_PING_INTERVAL");
        assertEquals("7654", effective.get("component.monema.receiveTimeout"), "CAMEL_COMPONENT_MONEMA_RECEIVE_TIMEOUT");
        assertEquals("http://sop.example.com", effective.get("component.escaux.address"),
                "CAMEL_COMPONENT_ESCAUX_ADDRESS over the file's {{env:ESCAUX_ADDRESS:}}");
        assertEquals("2222", effective.get("component.escaux.pongTimeout"), "-D over CAMEL_COMPONENT_ESCAUX_PONG_TIMEOUT");
        assertEquals("17", effective.get("main.shutdownTimeout"), "CAMEL_MAIN_SHUTDOWN_TIMEOUT");
        assertEquals("1234", effective.get("routecontroller.backOffDelay"), "CAMEL_ROUTECONTROLLER_BACK_OFF_DELAY");
        assertEquals("3", effective.get("property.fax.concurrency"), "FAX_CONCURRENCY");
        assertEquals("kafka-1.example.com:9093", effective.get("property.events.kafka.brokers"), "EVENTS_KAFKA_BROKERS");
        assertEquals("45", effective.get("property.cdr.escaux.page-size"), "CDR_ESCAUX_PAGE_SIZE");
        assertEquals("77", effective.get("property.cdr.batch-size"), "-D over CDR_BATCH_SIZE, as for the camel.* keys");
        assertEquals("http://monema.example.com/public_api/pb_tamtam_wsdl.php",
                effective.get("component.monema.address"), "MONEMA_ADDRESS");
    }
}
