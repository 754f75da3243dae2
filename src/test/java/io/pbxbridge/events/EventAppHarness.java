package io.pbxbridge.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.Application;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Ndjson;
import io.pbxbridge.testsupport.Management;

/**
 * Runs pbx-bridge's event-forwarding routes (routes/events-*.camel.yaml) through Camel Main against an Escaux
 * simulator (or none: Escaux off) and, with {@link #withPortaSip}, a PortaSIP simulator, with every folder in a temp
 * dir and fast retry timings; sinks are switched on by the test.
 */
final class EventAppHarness implements AutoCloseable {

    final Path dir;
    final EscauxSimulator escaux;
    final Map<String, String> properties = new LinkedHashMap<>();
    /** The management server's port (health and metrics), free for this run. */
    final int managementPort;
    Main main;

    EventAppHarness(Path dir, EscauxSimulator escaux) {
        this.dir = dir;
        this.escaux = escaux;
        properties.put("sandbox.enabled", "false");
        // the events routes, and the CDR harvest that announces Escaux missed calls
        properties.put("camel.main.routes-include-pattern",
                "file:routes/events-*.camel.yaml,file:routes/cdr-harvest.camel.yaml");
        properties.put("camel.main.shutdown-timeout", "15");
        if (escaux != null) {
            properties.put("camel.component.escaux.address", "http://127.0.0.1:" + escaux.httpPort());
            properties.put("camel.component.escaux.event-host", "127.0.0.1");
            properties.put("camel.component.escaux.event-port", Integer.toString(escaux.eventPort()));
            properties.put("camel.component.escaux.reconnect-delay", "100");
            properties.put("camel.component.escaux.max-reconnect-delay", "1000");
        } else {
            properties.put("escaux.enabled", "false");
        }
        properties.put("portasip.rejected-uri", "file:" + dir.resolve("events")
                + "?fileName=portasip-rejected.log&fileExist=Append");
        properties.put("escaux.rejected-uri", "file:" + dir.resolve("events") + "?fileName=rejected.log&fileExist=Append");
        properties.put("events.state", dir.resolve("state").toString());
        properties.put("events.spool.dir", dir.resolve("spool").toString());
        properties.put("events.deadletter.dir", dir.resolve("deadletter").toString());
        properties.put("events.ndjson.uri", "file:" + dir.resolve("events") + "?fileName=call-events.ndjson&fileExist=Append");
        properties.put("events.retry.max-attempts", "3");
        properties.put("events.retry.delay", "100");
        properties.put("events.retry.max-delay", "400");
        properties.put("events.replay.initial-delay", "200");
        properties.put("events.replay.max-delay", "1000");
        properties.put("cdr.folder", dir.resolve("cdr").toString());
        properties.put("commands.folder", dir.resolve("commands").toString());
        properties.put("commands.documents", dir.resolve("commands/documents").toString());
        properties.put("cdr.escaux.enabled", "false");
        properties.put("cdr.monema.enabled", "false");
        managementPort = io.pbxbridge.testsupport.FreePort.next();
        properties.put("camel.management.port", Integer.toString(managementPort));
    }

    /** The HTTP status of {@code /observe/health/ready} (200 ready, 503 not), or -1 when it does not answer. */
    int readiness() {
        return Management.readiness(managementPort);
    }

    /** GET on the management server: status and body. */
    Management.Answer management(String path) throws Exception {
        return Management.get(managementPort, path);
    }

    /**
     * PortaSIP on, at {@code sim} as its sample account 123001, its events subscribed to customer 30 (every sample
     * call), with fast reconnects.
     */
    EventAppHarness withPortaSip(io.pbxbridge.sandbox.portasip.PortaSipSimulator sim) {
        return with("camel.component.portasip.address", sim.address())
                .with("camel.component.portasip.login", "123001")
                .with("camel.component.portasip.domain", "sip.example.com")
                .with("camel.component.portasip.password", "secret001")
                .with("camel.component.portasip.customers", "30")
                .with("camel.component.portasip.call-control-timeout", "3000")
                .with("camel.component.portasip.reconnect-delay", "100")
                .with("camel.component.portasip.max-reconnect-delay", "1000");
    }

    EventAppHarness with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** The webhook subscription {@code main} on, posting to {@code receiver}, signed with {@code secret}. */
    EventAppHarness withWebhook(io.pbxbridge.testsupport.WebhookReceiver receiver, String secret) {
        return with("events.webhook.enabled", "true").with("events.webhook.url", receiver.url())
                .with("events.webhook.secret", secret);
    }

    EventAppHarness start() throws Exception {
        main = Application.newMain();
        properties.forEach(main::addOverrideProperty);
        main.start();
        return this;
    }

    void stop() {
        if (main != null) {
            main.stop();
            main = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    ProducerTemplate template() {
        return main.getCamelContext().createProducerTemplate();
    }

    List<JsonNode> ndjson() throws Exception {
        return Ndjson.read(dir.resolve("events/call-events.ndjson"));
    }

    List<Path> deadLetters(String sink) {
        Path d = dir.resolve("deadletter").resolve(sink);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (var files = Files.list(d)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
