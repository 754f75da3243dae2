package io.pbxbridge.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

import org.apache.camel.CamelContext;

import io.pbxbridge.config.Vendors;

/**
 * The PBXs commands may name as their {@code target}, {@code <vendor>/<connection>}. Each vendor's {@code main}
 * connection is its component as configured ({@code camel.component.<vendor>.*}); more connections of a vendor are
 * {@code commands.target.<vendor>.<name> = <endpoint options>} (e.g. {@code address=http://sop2.example.com}),
 * the options of the endpoints the commands of that target are sent to. A vendor that is off (no address outside the
 * sandbox, {@code <vendor>.enabled=false}) is no target.
 */
public final class CommandTargets {

    public static final String MAIN = "main";
    static final String PREFIX = "commands.target.";

    /** A resolved target: the vendor's verbs and the endpoint options of the connection ("" for main). */
    public record Target(String name, CommandVerbs verbs, String endpointOptions) {

        /**
         * The endpoint URI of {@code operation} on this target: synchronous, since the executor waits for the answer
         * on its own thread anyway.
         */
        public String uri(String operation) {
            return verbs.vendor() + ":" + operation + "?synchronous=true"
                    + (endpointOptions.isEmpty() ? "" : "&" + endpointOptions);
        }
    }

    private final Map<String, CommandVerbs> vendors = new LinkedHashMap<>();
    private final Map<String, String> offReasons = new LinkedHashMap<>();
    private final Map<String, String> connections = new LinkedHashMap<>();

    /** @param vendors every vendor's verb table; those of vendors that are off answer nothing */
    public CommandTargets(CamelContext context, CommandVerbs... vendors) {
        Optional<Vendors> states = Vendors.of(context);
        for (CommandVerbs v : vendors) {
            this.vendors.put(v.vendor(), v);
            states.flatMap(s -> s.states().stream().filter(st -> st.vendor().component().equals(v.vendor()))
                    .findFirst()).filter(st -> !st.on()).ifPresent(st -> offReasons.put(v.vendor(), st.reason()));
            connections.put(v.vendor() + "/" + MAIN, "");
        }
        Properties extra = context.getPropertiesComponent().loadProperties(k -> k.startsWith(PREFIX));
        for (String key : extra.stringPropertyNames()) {
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot > 0 && this.vendors.containsKey(rest.substring(0, dot))) {
                connections.put(rest.substring(0, dot) + "/" + rest.substring(dot + 1),
                        context.resolvePropertyPlaceholders(extra.getProperty(key)).trim());
            }
        }
    }

    /**
     * The target of {@code command}.
     *
     * @throws CommandRejectedException an unknown target, or one whose vendor is off
     */
    public Target resolve(Command command) throws CommandRejectedException {
        String name = command.target().contains("/") ? command.target() : command.target() + "/" + MAIN;
        String options = connections.get(name);
        if (options == null) {
            throw new CommandRejectedException("unknown target '" + command.target() + "'; the targets are "
                    + String.join(", ", new TreeSet<>(connections.keySet())));
        }
        String off = offReasons.get(command.vendor());
        if (off != null) {
            throw new CommandRejectedException("target '" + command.target() + "' is off: " + off);
        }
        return new Target(name, vendors.get(command.vendor()), options);
    }

    /** The target names, for the start-up line. */
    public Map<String, String> connections() {
        return Map.copyOf(connections);
    }
}
