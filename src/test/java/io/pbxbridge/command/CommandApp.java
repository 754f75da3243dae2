package io.pbxbridge.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.main.Main;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.Application;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.Ndjson;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.FreePort;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * pbx-bridge for the command tests: its settings (every folder under {@code dir}, the simulators as its PBXs, fast
 * retries), run either in this JVM through Camel Main ({@link #start()}, the event and command routes only) or as
 * the application itself in a JVM of its own ({@link #startChild()}, every route, the settings as environment
 * variables). Also what a test sends and reads: commands ({@link Cmd}), the result files, the event stream's NDJSON
 * file.
 */
final class CommandApp implements AutoCloseable {

    static final String LOGIN = "demo";
    static final String PASSWORD = "demo-secret";
    static final Duration WAIT = Duration.ofSeconds(30);

    final Path dir;
    final Map<String, String> settings = new LinkedHashMap<>();
    final int managementPort = FreePort.next();
    Main main;
    ChildJvm child;
    /** Every child started, in order: their output is kept for a failing test's report. */
    final List<ChildJvm> children = new ArrayList<>();

    CommandApp(Path dir) {
        this.dir = dir;
        settings.put("sandbox.enabled", "false");
        settings.put("camel.management.port", Integer.toString(managementPort));
        settings.put("camel.main.shutdown-timeout", "10");
        settings.putAll(AppFolders.settings(dir));
        settings.put("cdr.escaux.enabled", "false");
        settings.put("cdr.monema.enabled", "false");
        settings.put("cdr.missed-calls.enabled", "false");
        settings.put("commands.kafka.enabled", "false");
        settings.put("commands.folder.enabled", "false");
        settings.put("commands.retry.delay", "100");
        settings.put("commands.retry.max-delay", "400");
        settings.put("commands.retry.max-duration", "5s");
    }

    CommandApp with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    CommandApp escaux(EscauxSimulator escaux) {
        return with("camel.component.escaux.address", escaux.address())
                .with("camel.component.escaux.event-host", "127.0.0.1")
                .with("camel.component.escaux.event-port", Integer.toString(escaux.eventPort()))
                .with("camel.component.escaux.request-timeout", "5000")
                .with("camel.component.escaux.reconnect-delay", "100")
                .with("camel.component.escaux.max-reconnect-delay", "1000");
    }

    CommandApp monema(MonemaSimulator monema) {
        return with("camel.component.monema.address", monema.address())
                .with("camel.component.monema.login", LOGIN)
                .with("camel.component.monema.password", PASSWORD)
                .with("camel.component.monema.receive-timeout", "5000");
    }

    /**
     * The PortaSIP simulator as the portasip target, logged in as 123001; customer 30 (its IP Centrex) is the scope
     * {@code portasip:events} (route source-portasip) subscribes to, whose call table the live-call verbs look calls
     * up in, and the scope they are listed in when the table does not have them.
     */
    CommandApp portasip(io.pbxbridge.sandbox.portasip.PortaSipSimulator portasip) {
        return with("camel.component.portasip.address", portasip.address())
                .with("camel.component.portasip.login", "123001")
                .with("camel.component.portasip.domain", "sip.example.com")
                .with("camel.component.portasip.password", "secret001")
                .with("camel.component.portasip.customers", "30")
                .with("camel.component.portasip.i-customer", "30")
                .with("camel.component.portasip.call-control-timeout", "5000");
    }

    /** The Kafka source on, against {@code kafka}, with {@code consumers} consumers in this instance. */
    CommandApp kafka(KafkaBroker kafka, int consumers) {
        return with("commands.kafka.enabled", "true").with("commands.kafka.brokers", kafka.bootstrapServers())
                .with("commands.kafka.consumers", Integer.toString(consumers));
    }

    /** The ledger in PostgreSQL. */
    CommandApp postgres(String url, String user, String password) {
        return with("commands.store", "postgres").with("commands.postgres.url", url)
                .with("commands.postgres.user", user).with("commands.postgres.password", password);
    }

    // ---- running it --------------------------------------------------------------------------------------------

    /** Starts it in this JVM: the event routes (the NDJSON sink) and the command routes. */
    CommandApp start() throws Exception {
        main = Application.newMain();
        main.addOverrideProperty("camel.main.routes-include-pattern",
                "file:routes/events-*.camel.yaml,file:routes/commands.camel.yaml");
        settings.forEach(main::addOverrideProperty);
        main.start();
        return this;
    }

    /**
     * Starts the application ({@link Application}, every route) in a JVM of its own, with the settings as
     * environment variables, and waits until its routes are up.
     */
    ChildJvm startChild(String... jvmArgs) throws Exception {
        ChildJvm.Builder b = ChildJvm.builder(Application.class).heap("192m").jvmArg("-XX:+UseSerialGC")
                .applicationLogging().directory(AppFolders.project()).env(environment());
        for (String a : jvmArgs) {
            b.jvmArg(a);
        }
        child = b.start();
        children.add(child);
        child.awaitLines(l -> l.stream().anyMatch(x -> x.contains("Routes startup")), WAIT.toSeconds(),
                "the start of pbx-bridge");
        return child;
    }

    /**
     * The settings as the application reads them from its environment: the name application.properties gives a
     * setting ({@code {{env:ESCAUX_ADDRESS:}}}), else the README's rule (upper case, dots and dashes as underscores).
     */
    Map<String, String> environment() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^\\s*([\\w.-]+)\\s*=\\s*\\{\\{env:(\\w+)[:}].*$");
        for (String l : Files.readAllLines(AppFolders.project().resolve("application.properties"))) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                documented.put(m.group(1), m.group(2));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((key, value) -> env.put(documented.getOrDefault(key,
                key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')), value));
        return env;
    }

    void stop() throws Exception {
        if (main != null) {
            main.stop();
            main = null;
        }
        if (child != null && child.isAlive()) {
            child.stop();
        }
    }

    @Override
    public void close() throws Exception {
        if (child != null && child.isAlive()) {
            child.kill();
        }
        stop();
    }

    /** Each child's output, for a failing test: {@code target/command-e2e/<name>-<n>.log}. */
    void keepLogs(String name) throws IOException {
        Path logs = Files.createDirectories(AppFolders.project().resolve("target/command-e2e"));
        for (int i = 0; i < children.size(); i++) {
            Files.write(logs.resolve(name + "-" + (i + 1) + ".log"), children.get(i).lines());
        }
    }

    /**
     * Executes {@code command} in this JVM's app as the command routes do (the {@code commandExecutor} bean: parse,
     * target, verb, ledger, vendor call) and returns the result it answers.
     */
    JsonNode execute(Cmd command) throws Exception {
        org.apache.camel.CamelContext context = main.getCamelContext();
        CommandExecutor executor = context.getRegistry().lookupByNameAndType(CommandBeans.EXECUTOR,
                CommandExecutor.class);
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
        exchange.getIn().setBody(command.bytes());
        executor.execute(exchange);
        return json(exchange.getIn().getBody(byte[].class));
    }

    // ---- what it writes ----------------------------------------------------------------------------------------

    Path commands() {
        return Path.of(settings.get("commands.folder"));
    }

    /** The result file of command {@code id} in the folder, once it is there. */
    JsonNode awaitResultFile(String id) {
        Path file = commands().resolve("results").resolve(CommandExecutor.fileName(id));
        Await.until(WAIT, "the result file " + file, () -> Files.isRegularFile(file));
        return json(read(file));
    }

    static JsonNode json(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events on the event stream's NDJSON file so far. */
    List<JsonNode> events() {
        try {
            return Ndjson.read(dir.resolve("events/call-events.ndjson"));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of {@code type} about {@code subject} so far. */
    List<JsonNode> events(String type, String subject) {
        return events().stream().filter(e -> e.path("type").asText().equals(type)
                && e.path("subject").asText().equals(subject)).toList();
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    /** A command in its CloudEvents structured form, as a business system sends it. */
    static final class Cmd {
        final String id;
        final ObjectNode root = Json.MAPPER.createObjectNode();
        private final ObjectNode data;
        private final ObjectNode params;

        Cmd(String id, String verb, String target) {
            this.id = id;
            root.put("specversion", "1.0").put("id", id).put("source", "test/e2e").put("type",
                    "pbx.command." + verb);
            data = root.putObject("data");
            data.put("target", target);
            params = data.putObject("params");
        }

        static Cmd of(String id, String verb, String target) {
            return new Cmd(id, verb, target);
        }

        Cmd param(String name, Object value) {
            params.set(name, Json.MAPPER.valueToTree(value));
            return this;
        }

        Cmd callId(String callId) {
            data.put("callId", callId);
            return this;
        }

        /** Any field of {@code data}, as it is. */
        Cmd data(String name, Object value) {
            data.set(name, Json.MAPPER.valueToTree(value));
            return this;
        }

        Cmd notAfter(Instant notAfter) {
            data.put("notAfter", notAfter.toString());
            return this;
        }

        byte[] bytes() {
            try {
                return Json.MAPPER.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return root.toString();
        }
    }
}
