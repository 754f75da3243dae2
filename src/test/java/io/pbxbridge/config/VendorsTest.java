package io.pbxbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.escaux.EscauxComponent;
import io.pbxbridge.monema.MonemaComponent;
import io.pbxbridge.portasip.PortaSipComponent;
import io.pbxbridge.portasip.PortaSipEventConsumer;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.webhook.StandardWebhooks;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.LocalPorts;
import io.pbxbridge.testsupport.LogCapture;

/**
 * Real servers one vendor at a time, through Camel Main with the shipped application.properties and routes: outside
 * the sandbox a vendor without an address is off (its routes do not start, said once); in the sandbox the vendors
 * follow the simulators' ports, set in one place; a sandbox port in use stops the start-up in one line naming the
 * setting; the connection targets are logged once, secrets masked; Monema not answering is a WARN at start-up.
 */
class VendorsTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    Main main;
    MonemaSimulator monema;
    LogCapture log;

    @AfterEach
    void tearDown() {
        if (main != null) {
            main.stop();
        }
        if (monema != null) {
            monema.stop();
        }
        if (log != null) {
            log.close();
        }
    }

    Main start(Map<String, String> settings) throws Exception {
        log = LogCapture.open();
        main = Application.newMain();
        Map<String, String> all = new LinkedHashMap<>(AppFolders.settings(tmp));
        all.put("camel.main.shutdown-timeout", "10");
        all.put("events.drain-timeout", "1000");
        all.put("sandbox.metasec.port", Integer.toString(LocalPorts.free()));
        all.put("sandbox.metasec.call-interval-seconds", "0");
        all.putAll(settings);
        all.forEach(main::addOverrideProperty);
        main.start();
        return main;
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    ServiceStatus status(String routeId) {
        return context().getRouteController().getRouteStatus(routeId);
    }

    @Test
    void outsideTheSandboxAVendorWithoutAnAddressIsOffAndItsRoutesDoNotStart() throws Exception {
        monema = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("monema")).build().start();
        start(Map.of("sandbox.enabled", "false", "camel.component.monema.address", monema.address(),
                "camel.component.monema.login", "demo", "camel.component.monema.password", "demo-secret",
                "cdr.escaux.enabled", "true"));

        assertEquals(ServiceStatus.Started, status("fax-from-folder"), "Monema has an address: its route runs");
        assertNotEquals(ServiceStatus.Started, status("source-escaux"), "Escaux has none: not at the sandbox's");
        assertNotEquals(ServiceStatus.Started, status("cdr-escaux"));
        List<String> off = log.messages(Level.INFO).stream().filter(m -> m.startsWith("Escaux is off")).toList();
        assertEquals(1, off.size(), "said once: " + off);
        assertTrue(off.get(0).contains("ESCAUX_ADDRESS") && off.get(0).contains("cdr-escaux")
                && off.get(0).contains("source-escaux"), off.get(0));
        assertTrue(log.messages(Level.INFO).stream().noneMatch(m -> m.startsWith("Monema is off")));
    }

    @Test
    void inTheSandboxTheVendorsFollowTheSimulatorPorts() throws Exception {
        int monemaPort = LocalPorts.free();
        int escauxHttp = LocalPorts.free();
        int escauxEvents = LocalPorts.free();
        int portasipPort = LocalPorts.free();
        start(Map.of("sandbox.enabled", "true", "sandbox.monema.port", Integer.toString(monemaPort),
                "sandbox.escaux.http-port", Integer.toString(escauxHttp),
                "sandbox.escaux.event-port", Integer.toString(escauxEvents),
                "sandbox.portasip.port", Integer.toString(portasipPort),
                "sandbox.escaux.call-interval-seconds", "0", "sandbox.monema.call-interval-seconds", "0",
                "sandbox.portasip.call-interval-seconds", "0",
                "sandbox.mor.port", Integer.toString(LocalPorts.free())));

        var escaux = context().getComponent("escaux", EscauxComponent.class).getConfiguration();
        assertEquals("http://127.0.0.1:" + escauxHttp, escaux.getAddress());
        assertEquals(escauxEvents, escaux.getEventPort());
        assertEquals("http://127.0.0.1:" + monemaPort + "/public_api/pb_tamtam_wsdl.php",
                context().getComponent("monema", MonemaComponent.class).getConfiguration().getAddress());
        assertEquals(ServiceStatus.Started, status("source-escaux"));
        assertEquals(ServiceStatus.Started, status("fax-from-folder"));
        var portasip = context().getComponent("portasip", PortaSipComponent.class).getConfiguration();
        assertEquals("http://127.0.0.1:" + portasipPort, portasip.getAddress());
        assertEquals("123001", portasip.getLogin());
        assertEquals("30", portasip.getCustomers(), "the sample IP Centrex's calls");
        assertEquals(ServiceStatus.Started, status("source-portasip"));
        Await.until(WAIT, "the PortaSIP events subscribed", () -> ((PortaSipEventConsumer) context()
                .getRoute("source-portasip").getConsumer()).isSubscribed());
        // Monema answers the start-up probe on its simulator
        Await.until(WAIT, "the start-up probe", () -> log.messages(Level.INFO, "VendorStartupProbe").stream()
                .anyMatch(m -> m.contains("Monema at http://127.0.0.1:" + monemaPort) && m.contains("answers")));
        VendorStartupProbe probe = context().getRegistry().lookupByNameAndType("startupProbe.monema",
                VendorStartupProbe.class);
        assertTrue(probe.result().orElseThrow().ok(), probe.result().toString());
    }

    /** No sample account outside the sandbox: a real Monema without MONEMA_LOGIN / MONEMA_PASSWORD is an error. */
    @Test
    void outsideTheSandboxMonemaNeedsAnAccountOfItsOwn() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of("sandbox.enabled", "false",
                "camel.component.monema.address", "http://127.0.0.1:" + LocalPorts.free() + "/x.php")));
        String line = String.valueOf(StartupFailure.describe(e).orElse(null));
        assertTrue(line.contains("has no account: set MONEMA_LOGIN and MONEMA_PASSWORD"), line);
    }

    /** The same for PortaSIP: PORTASIP_LOGIN / PORTASIP_PASSWORD. */
    @Test
    void outsideTheSandboxPortaSipNeedsAnAccountOfItsOwn() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of("sandbox.enabled", "false",
                "camel.component.portasip.address", "https://127.0.0.1:" + LocalPorts.free())));
        String line = String.valueOf(StartupFailure.describe(e).orElse(null));
        assertTrue(line.contains("PortaSIP at https://127.0.0.1:") && line.contains("has no account: set "
                + "PORTASIP_LOGIN and PORTASIP_PASSWORD"), line);
    }

    @Test
    void aSandboxPortInUseStopsTheStartUpInOneLineNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exception e = assertThrows(Exception.class, () -> start(Map.of("sandbox.enabled", "true",
                    "sandbox.monema.port", Integer.toString(taken.getLocalPort()),
                    "sandbox.escaux.http-port", Integer.toString(LocalPorts.free()),
                    "sandbox.escaux.event-port", Integer.toString(LocalPorts.free()),
                    "sandbox.portasip.port", Integer.toString(LocalPorts.free()),
                    "sandbox.mor.port", Integer.toString(LocalPorts.free()))));
            String line = String.valueOf(StartupFailure.describe(e).orElse(null));
            assertTrue(line.contains("127.0.0.1:" + taken.getLocalPort())
                    && line.contains("set sandbox.monema.port (SANDBOX_MONEMA_PORT) to a free port"), line);
            assertFalse(line.contains("sandbox.escaux"), "only the port in use: " + line);
            assertTrue(log.messages(Level.ERROR).isEmpty(), "nothing else logged, no stack trace: "
                    + log.messages(Level.ERROR));
        }
    }

    @Test
    void theConnectionTargetsAreLoggedOnceWithSecretsMasked() throws Exception {
        int closed = LocalPorts.free();
        start(Map.of("sandbox.enabled", "false",
                "camel.component.escaux.address", "http://127.0.0.1:" + closed,
                "camel.component.escaux.event-port", Integer.toString(closed),
                "events.kafka.enabled", "true", "events.kafka.brokers", "127.0.0.1:" + closed,
                "events.webhook.enabled", "true",
                "events.webhook.url", "https://hook-user:HookPass-123@127.0.0.1:" + closed + "/x?token=Tok-456&a=1",
                "events.webhook.secret", StandardWebhooks.newSecret()));

        List<String> summaries = log.messages(Level.INFO).stream().filter(m -> m.startsWith("Connection targets"))
                .toList();
        assertEquals(1, summaries.size(), "logged once: " + summaries);
        String summary = summaries.get(0);
        assertTrue(summary.matches("(?s).*Escaux +http://127\\.0\\.0\\.1:" + closed + ", events 127\\.0\\.0\\.1:"
                + closed + "\\b.*"), summary);
        assertTrue(summary.matches("(?s).*Monema +off \\(no address outside the sandbox.*"), summary);
        assertTrue(summary.matches("(?s).*PortaSIP +off \\(no address outside the sandbox: set PORTASIP_ADDRESS.*"),
                summary);
        assertTrue(summary.contains("kafka:pbx-events?brokers=127.0.0.1:" + closed), summary);
        assertTrue(summary.contains("https://hook-user:xxxxxx@127.0.0.1:" + closed + "/x?token=xxxxxx&a=1"), summary);
        assertTrue(summary.matches("(?s).*sink-email +off.*"), summary);
        assertFalse(summary.contains("HookPass-123") || summary.contains("Tok-456") || summary.contains("{{"), summary);
    }

    @Test
    void monemaNotAnsweringAtStartUpIsAWarningNamingTheAddressAndTheCause() throws Exception {
        String address = "http://127.0.0.1:" + LocalPorts.free() + "/public_api/pb_tamtam_wsdl.php";
        start(Map.of("sandbox.enabled", "false", "camel.component.monema.address", address,
                "camel.component.monema.login", "demo", "camel.component.monema.password", "demo-secret",
                "camel.component.monema.connect-timeout", "2000"));

        Await.until(WAIT, "a warning about Monema", () -> !log.messages(Level.WARN, "VendorStartupProbe").isEmpty());
        String warning = log.messages(Level.WARN, "VendorStartupProbe").get(0);
        assertTrue(warning.startsWith("Monema at " + address + " did not answer at start-up (UNREACHABLE)"), warning);
        VendorStartupProbe.Result result = context().getRegistry()
                .lookupByNameAndType("startupProbe.monema", VendorStartupProbe.class).result().orElseThrow();
        assertFalse(result.ok());
        assertEquals("UNREACHABLE", result.kind());
        assertEquals(address, result.address());
    }
}
