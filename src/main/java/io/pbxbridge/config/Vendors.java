package io.pbxbridge.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteDefinitionHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which vendors pbx-bridge talks to. Each has a switch ({@code monema.enabled}, {@code escaux.enabled},
 * {@code portasip.enabled}) and a
 * connection block ({@code camel.component.<vendor>.*}); a vendor is on when its switch is not {@code false} and it
 * has an address (in the sandbox, a vendor without one is pointed at its simulator before this is decided). A vendor
 * that is off is said so once in the log, and the routes that use it (consume from or send to its component) do not
 * start: outside the sandbox, a vendor nobody configured is not talked to at a sandbox address.
 * <p>
 * Why routes are found by their endpoints rather than an {@code autoStartup} placeholder in each: a route that calls
 * a vendor that is off cannot work whatever its file says, and this holds for routes added later too.
 */
public final class Vendors {

    /** The name this is bound under in the registry. */
    public static final String BEAN = "pbxVendors";

    private static final Logger LOG = LoggerFactory.getLogger(Vendors.class);

    /** A vendor: its component, and its name in the log. */
    public enum Vendor {
        METASEC("metasec", "METASEC"),
        MONEMA("monema", "Monema"),
        ESCAUX("escaux", "Escaux"),
        PORTASIP("portasip", "PortaSIP"),
        MOR("mor", "MOR");

        final String component;
        final String title;

        Vendor(String component, String title) {
            this.component = component;
            this.title = title;
        }

        public String component() {
            return component;
        }

        public String title() {
            return title;
        }

        /** The switch, e.g. {@code monema.enabled}. */
        public String switchKey() {
            return component + ".enabled";
        }

        /** A connection setting, e.g. {@code camel.component.monema.address}. */
        public String key(String option) {
            return "camel.component." + component + "." + option;
        }

        /** The short environment variable application.properties reads for an option, e.g. MONEMA_ADDRESS. */
        public String envAlias(String option) {
            return (component + "_" + option).toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    /** Whether a vendor is on, where it points, and if off why. */
    public record State(Vendor vendor, boolean on, String address, String reason) {
    }

    private final Map<Vendor, State> states;

    private Vendors(Map<Vendor, State> states) {
        this.states = states;
    }

    /**
     * Decides each vendor from its switch and address (call after the sandbox's defaults are applied, before the
     * components are configured) and binds the result as {@value #BEAN}.
     *
     * @throws ConfigurationException when a vendor switched on has no address
     */
    public static Vendors decide(CamelContext context) {
        Map<Vendor, State> states = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Vendor v : Vendor.values()) {
            String switchValue = Settings.resolve(context, v.switchKey()).orElse("").trim();
            String address = text(context, v.key("address"));
            if (switchValue.equalsIgnoreCase("false")) {
                states.put(v, new State(v, false, address, v.switchKey() + " = false"));
                continue;
            }
            if (address.isEmpty()) {
                if (switchValue.equalsIgnoreCase("true")) {
                    problems.add(v.switchKey() + " = true but " + v.key("address") + " is not set: set "
                            + v.envAlias("address") + " (outside the sandbox every vendor needs its own address)");
                }
                states.put(v, new State(v, false, "", "no address outside the sandbox: set " + v.envAlias("address")
                        + " to use it"));
                continue;
            }
            if (v == Vendor.METASEC && (text(context, v.key("user")).isEmpty()
                    || text(context, v.key("password")).isEmpty())) {
                // no sample account outside the sandbox: the WebTAPI's login needs both
                problems.add("METASEC at " + address + " has no account: set " + v.envAlias("user") + " and "
                        + v.envAlias("password"));
            }
            if ((v == Vendor.MONEMA || v == Vendor.PORTASIP) && (text(context, v.key("login")).isEmpty()
                    || text(context, v.key("password")).isEmpty())) {
                // no sample account outside the sandbox: it would log in to a real server as the sample one
                problems.add(v.title() + " at " + address + " has no account: set " + v.envAlias("login") + " and "
                        + v.envAlias("password"));
            }
            if (v == Vendor.MOR && (text(context, v.key("username")).isEmpty()
                    || text(context, v.key("password")).isEmpty())) {
                // as Monema: no sample account outside the sandbox
                problems.add("MOR at " + address + " has no account: set " + v.envAlias("username") + " and "
                        + v.envAlias("password"));
            }
            states.put(v, new State(v, true, address, null));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n", problems));
        }
        Vendors vendors = new Vendors(states);
        context.getRegistry().bind(BEAN, vendors);
        return vendors;
    }

    /** The decision of {@link #decide} for {@code context}, if it was made. */
    public static Optional<Vendors> of(CamelContext context) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(BEAN, Vendors.class));
    }

    public State state(Vendor vendor) {
        return states.get(vendor);
    }

    public boolean isOn(Vendor vendor) {
        return states.get(vendor).on();
    }

    public List<State> states() {
        return List.copyOf(states.values());
    }

    /**
     * Marks the routes that use a vendor that is off as not to be started, and says once per such vendor that it is
     * off, why, and which routes do not start. Call once the routes are loaded and before the context starts.
     */
    public void holdRoutesOfVendorsOff(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (State state : states.values()) {
            if (state.on()) {
                continue;
            }
            List<String> held = new ArrayList<>();
            for (RouteDefinition route : model.getRouteDefinitions()) {
                if (uses(context, route, state.vendor())) {
                    route.setAutoStartup("false");
                    held.add(route.getRouteId());
                }
            }
            LOG.info("{} is off ({}){}", state.vendor().title(), state.reason(),
                    held.isEmpty() ? "" : ": its routes " + String.join(", ", held) + " do not start");
        }
    }

    /** Once Camel Main has loaded the routes (before they start): {@link #holdRoutesOfVendorsOff}. */
    public static final class RouteHold extends MainListenerSupport {

        @Override
        public void afterConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            of(context).ifPresent(vendors -> vendors.holdRoutesOfVendorsOff(context));
        }
    }

    /** Whether {@code route} consumes from or sends to {@code vendor}'s component. */
    private static boolean uses(CamelContext context, RouteDefinition route, Vendor vendor) {
        for (String uri : RouteDefinitionHelper.gatherAllStaticEndpointUris(context, route, true, true)) {
            String resolved = uri;
            if (uri.contains("{{")) {
                try {
                    resolved = context.resolvePropertyPlaceholders(uri);
                } catch (RuntimeException e) {
                    continue; // a template's own placeholder: not a vendor endpoint
                }
            }
            if (resolved.startsWith(vendor.component() + ":")) {
                return true;
            }
        }
        return false;
    }

    private static String text(CamelContext context, String key) {
        return Settings.resolve(context, key).orElse("").trim();
    }
}
