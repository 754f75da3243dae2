package io.pbxbridge.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.config.Vendors.State;
import io.pbxbridge.config.Vendors.Vendor;
import io.pbxbridge.events.SinkGuard;
import io.pbxbridge.support.SecretMasking;

/**
 * Logs once, when the routes have started, where pbx-bridge connects: each vendor's address (Escaux's event socket
 * too) or why it is off, and each sink's target (file, Kafka cluster and topic, SMTP server, webhook URL) or that it
 * is off. The values are the effective ones (environment variables, {@code -D}, sandbox defaults applied; Camel's
 * own summary prints application.properties as written, {@code {{env:...}}} and all), with secrets masked: the
 * password of a URI's user info and every query parameter whose name is secret.
 */
public final class ConnectionTargets implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTargets.class);
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@?#]*)@");
    private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&])([^=&#]+)=([^&#]*)");

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes are started after this; see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        List<String> lines = lines(context);
        StringBuilder text = new StringBuilder("Connection targets (secrets masked):");
        for (String line : lines) {
            text.append(System.lineSeparator()).append("    ").append(line);
        }
        LOG.info("{}", text);
    }

    /** One line per vendor and per sink: name, then where it connects or that it is off. */
    static List<String> lines(CamelContext context) {
        List<String> lines = new ArrayList<>();
        Vendors.of(context).ifPresent(vendors -> {
            for (State state : vendors.states()) {
                lines.add(row(state.vendor().title(), state.on() ? vendor(context, state) : "off (" + state.reason()
                        + ")"));
            }
        });
        // from the model: a route that is not started may not be among the context's routes
        List<String> sinks = context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()
                .stream().filter(r -> "sinks".equals(r.getGroup())).map(RouteDefinition::getRouteId).sorted().toList();
        for (String routeId : sinks) {
            boolean started = context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started;
            SinkGuard guard = started ? guard(context, routeId) : null;
            // a sink without a guard (the PortaSIP call journal) writes on its own
            lines.add(row(routeId, guard != null ? mask(guard.getTarget()) : started ? "on" : "off"));
        }
        commands(context, lines);
        return lines;
    }

    private static String vendor(CamelContext context, State state) {
        String line = mask(state.address());
        if (state.vendor() == Vendor.ESCAUX) {
            String host = Settings.resolve(context, state.vendor().key("event-host")).orElse("").trim();
            if (host.isEmpty()) {
                host = hostOf(state.address());
            }
            line += ", events " + host + ":" + Settings.resolve(context, state.vendor().key("event-port")).orElse("?");
        }
        if (state.vendor() == Vendor.PORTASIP) {
            line += ", login " + Settings.resolve(context, state.vendor().key("login")).orElse("").trim();
            List<String> scopes = new ArrayList<>();
            for (String scope : List.of("accounts", "customers", "main-offices", "ivr-access-numbers")) {
                String ids = Settings.resolve(context, state.vendor().key(scope)).orElse("").trim();
                if (!ids.isEmpty()) {
                    scopes.add(scope + " " + ids);
                }
            }
            line += ", events of " + (scopes.isEmpty() ? "no scope (set PORTASIP_ACCOUNTS, PORTASIP_CUSTOMERS, "
                    + "PORTASIP_MAIN_OFFICES or PORTASIP_IVR_ACCESS_NUMBERS)" : String.join(", ", scopes));
        }
        if (state.vendor() == Vendor.METASEC) {
            line += Settings.resolve(context, state.vendor().key("path")).orElse("").trim() + ", user "
                    + Settings.resolve(context, state.vendor().key("user")).orElse("").trim() + ", events: a poll every "
                    + Settings.resolve(context, state.vendor().key("poll-interval")).orElse("2000").trim() + " ms";
        }
        if (state.vendor() == Vendor.MONEMA) {
            String serviceAddress = Settings.resolve(context, state.vendor().key("service-address")).orElse("");
            if (!serviceAddress.isBlank()) {
                line += ", requests to " + mask(serviceAddress);
            }
            line += ", login " + Settings.resolve(context, state.vendor().key("login")).orElse("");
        }
        if (state.vendor() == Vendor.MOR) {
            String basePath = Settings.resolve(context, state.vendor().key("base-path")).orElse("").trim();
            line += basePath.isEmpty() ? "" : ", pages under " + basePath;
            line += ", user " + Settings.resolve(context, state.vendor().key("username")).orElse("").trim();
            String userId = Settings.resolve(context, state.vendor().key("user-id")).orElse("").trim();
            line += userId.isEmpty() ? " (no user_id/hash)" : " (user_id " + userId + ")";
        }
        return line;
    }

    /** The command sources, where their answers go, and the ledger. */
    private static void commands(CamelContext context, List<String> lines) {
        if (isStarted(context, "commands-kafka")) {
            lines.add(row("commands-kafka", "kafka:" + setting(context, "commands.kafka.topic") + "?brokers="
                    + setting(context, "commands.kafka.brokers") + " -> " + setting(context,
                            "commands.kafka.results-topic")));
        } else {
            lines.add(row("commands-kafka", "off"));
        }
        lines.add(row("commands-folder", isStarted(context, "commands-folder") ? setting(context, "commands.folder")
                + "/inbox -> " + setting(context, "commands.folder") + "/results" : "off"));
        io.pbxbridge.command.CommandExecutor executor = context.getRegistry().lookupByNameAndType(
                io.pbxbridge.command.CommandBeans.EXECUTOR, io.pbxbridge.command.CommandExecutor.class);
        if (executor != null) {
            lines.add(row("command-ledger", executor.ledger().describe()));
        }
    }

    private static boolean isStarted(CamelContext context, String routeId) {
        return context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started;
    }

    private static String setting(CamelContext context, String key) {
        return Settings.resolve(context, key).orElse("").trim();
    }

    private static SinkGuard guard(CamelContext context, String routeId) {
        for (SinkGuard guard : context.getRegistry().findByType(SinkGuard.class)) {
            if (routeId.equals(SinkGuard.routeId(guard.getSink()))) {
                return guard;
            }
        }
        return null;
    }

    private static String row(String name, String target) {
        return String.format("%-16s %s", name, target);
    }

    private static String hostOf(String address) {
        try {
            return URI.create(address).getHost();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    /**
     * {@code uri} as it may be logged: the password of its user info and the value of every query parameter whose
     * name is secret (password, secret, token, ..., as {@link SecretMasking#isSecretKey} and Camel say) replaced by
     * {@value SecretMasking#MASK}, and any known secret value masked wherever it appears.
     */
    public static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = URISupport.sanitizeUri(uri);
        Matcher userInfo = USER_INFO.matcher(masked);
        if (userInfo.find() && userInfo.group(2).contains(":")) {
            String user = userInfo.group(2).substring(0, userInfo.group(2).indexOf(':'));
            masked = userInfo.group(1) + user + ":" + SecretMasking.MASK + "@" + masked.substring(userInfo.end());
        }
        Matcher parameter = QUERY_PARAMETER.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (parameter.find()) {
            String value = SecretMasking.isSecretKey(parameter.group(2)) ? SecretMasking.MASK : parameter.group(3);
            parameter.appendReplacement(out, Matcher.quoteReplacement(parameter.group(1) + parameter.group(2) + "="
                    + value));
        }
        parameter.appendTail(out);
        return SecretMasking.mask(out.toString());
    }
}
