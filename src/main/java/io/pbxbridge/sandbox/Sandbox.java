package io.pbxbridge.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.config.ConfigurationException;
import io.pbxbridge.config.EffectiveSettings;
import io.pbxbridge.config.Settings;
import io.pbxbridge.sandbox.Loopback.PortUnavailableException;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.sandbox.monema.MonemaSimulator;

/**
 * The in-process vendor servers of the default run, on the ports of {@code sandbox.*} in application.properties
 * (the one place they are set), and the defaults that point pbx-bridge at them ({@link #pointAtSimulators}).
 * Started while pbx-bridge is configured, so they are up before the routes, and stopped with the context.
 */
public class Sandbox extends ServiceSupport {

    /**
     * The sample signing secret of webhook subscriptions in the sandbox. It is in the repository, so it signs nothing
     * outside the sandbox: there a subscription without a secret of its own refuses to start.
     */
    public static final String WEBHOOK_SECRET = "whsec_c2FuZGJveC1zZWNyZXQtbm90LWZvci1wcm9kdWN0aW9u";

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final List<String> PORT_KEYS = List.of("sandbox.monema.port", "sandbox.escaux.http-port",
            "sandbox.escaux.event-port");
    private static final List<String> METASEC_PORT_KEYS = List.of("sandbox.metasec.port");
    private static final String HOST = InetAddress.getLoopbackAddress().getHostAddress();

    private final CamelContext context;
    private MonemaSimulator monema;
    private EscauxSimulator escaux;
    private MetasecSimulator metasec;

    public Sandbox(CamelContext context) {
        this.context = context;
    }

    /**
     * Points pbx-bridge at the simulators where it has nothing of its own: a vendor without an address gets its
     * simulator's (its address, and Escaux's event port, from the {@code sandbox.*} ports); the webhook
     * subscription without a secret gets {@link #WEBHOOK_SECRET}. Set before the components are configured, in front
     * of application.properties ({@link EffectiveSettings}); what is set (environment, {@code -D}, the file) stays.
     */
    public static void pointAtSimulators(CamelContext context) {
        EffectiveSettings settings = EffectiveSettings.of(context);
        if (isBlank(context, "camel.component.monema.address")) {
            settings.set("camel.component.monema.address", monemaAddress(port(context, "sandbox.monema.port")),
                    "sandbox");
            // the simulator's account (the sample one): a real server's comes from MONEMA_LOGIN / MONEMA_PASSWORD
            if (isBlank(context, "camel.component.monema.login")) {
                settings.set("camel.component.monema.login", "demo", "sandbox");
                settings.set("camel.component.monema.password", "demo-secret", "sandbox");
            }
        }
        if (isBlank(context, "camel.component.escaux.address")) {
            settings.set("camel.component.escaux.address",
                    "http://" + HOST + ":" + port(context, "sandbox.escaux.http-port"), "sandbox");
            // the simulator's event socket, not a real SOP's 5050
            settings.set("camel.component.escaux.event-port",
                    Integer.toString(port(context, "sandbox.escaux.event-port")), "sandbox");
        }
        if (isBlank(context, "camel.component.metasec.address")) {
            settings.set("camel.component.metasec.address", "http://" + HOST + ":" + port(context,
                    "sandbox.metasec.port"), "sandbox");
            settings.set("camel.component.metasec.path", MetasecSimulator.DEFAULT_PATH, "sandbox");
            if (isBlank(context, "camel.component.metasec.extensions")) {
                settings.set("camel.component.metasec.extensions", "1001,1002,1003,1004,1005,1006", "sandbox");
            }
            // the simulator's account (the sample one): a real server's comes from METASEC_USER / METASEC_PASSWORD
            if (isBlank(context, "camel.component.metasec.user")) {
                settings.set("camel.component.metasec.user", MetasecSimulator.DEFAULT_USER, "sandbox");
                settings.set("camel.component.metasec.password", MetasecSimulator.DEFAULT_PASSWORD, "sandbox");
            }
        }
        if (isBlank(context, "events.webhook.secret")) {
            settings.set("events.webhook.secret", WEBHOOK_SECRET, "sandbox");
        }
    }

    /** The address of a Monema simulator listening on {@code port}. */
    public static String monemaAddress(int port) {
        return "http://" + HOST + ":" + port + MonemaSimulator.PATH;
    }

    /**
     * Starts the simulators. pbx-bridge calls this while it is configured (before Camel starts), so that a port in use
     * stops the start-up with one line rather than Camel's report of a failed context start.
     */
    @Override
    protected void doStart() {
        try {
            startMonema();
            startEscaux();
            startMetasec();
        } catch (PortUnavailableException e) {
            doStop(); // what did start
            throw portsInUse(e);
        } catch (RuntimeException e) {
            doStop();
            throw e;
        }
    }

    private void startMonema() {
        long callSeconds = Long.parseLong(property("sandbox.monema.call-interval-seconds"));
        monema = MonemaSimulator.builder()
                .port(port(context, "sandbox.monema.port"))
                .dataDir(Path.of(property("sandbox.data")).resolve("monema"))
                .callTrickle(callSeconds > 0 ? Duration.ofSeconds(callSeconds) : null)
                .start();
        LOG.info("Sandbox: Monema simulator at {} (login demo)", monema.address());
    }

    private void startEscaux() {
        long escauxCallSeconds = Long.parseLong(property("sandbox.escaux.call-interval-seconds"));
        escaux = EscauxSimulator.builder()
                .httpPort(port(context, "sandbox.escaux.http-port"))
                .eventPort(port(context, "sandbox.escaux.event-port"))
                .callTrickle(escauxCallSeconds > 0 ? Duration.ofSeconds(escauxCallSeconds) : null)
                .build();
        try {
            escaux.start();
        } catch (RuntimeException e) {
            escaux.stop(); // its HTTP server, when the event port is the one taken
            throw e;
        }
        LOG.info("Sandbox: Escaux simulator at {}, events on port {}", escaux.address(), escaux.eventPort());
    }

    private void startMetasec() {
        long seconds = Long.parseLong(property("sandbox.metasec.call-interval-seconds"));
        metasec = MetasecSimulator.builder()
                .port(port(context, "sandbox.metasec.port"))
                .callTrickle(seconds > 0 ? Duration.ofSeconds(seconds) : null)
                .start();
        LOG.info("Sandbox: METASEC simulator at {} (user {})", metasec.url(), MetasecSimulator.DEFAULT_USER);
    }

    /**
     * One line that says which settings to change: every sandbox port that is taken (by a second pbx-bridge on the
     * same machine, usually), not just the first one tried.
     */
    private ConfigurationException portsInUse(PortUnavailableException first) {
        List<String> taken = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (String key : concat(PORT_KEYS, METASEC_PORT_KEYS)) {
            int port = port(context, key);
            if (port == first.port() || !isFree(port)) {
                taken.add(HOST + ":" + port);
                settings.add(key + " (" + Settings.envName(key) + ")");
            }
        }
        Throwable cause = first.getCause() != null ? first.getCause() : first;
        return new ConfigurationException("Sandbox: the simulators cannot listen on " + String.join(", ", taken) + " ("
                + cause.getMessage() + "; another pbx-bridge or another program uses " + (taken.size() > 1 ? "them"
                        : "it") + "): set " + String.join(", ", settings) + (taken.size() > 1 ? " to free ports"
                                : " to a free port"), first);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected void doStop() {
        if (monema != null) {
            monema.stop();
        }
        if (escaux != null) {
            escaux.stop();
        }
        if (metasec != null) {
            metasec.stop();
        }
    }

    private String property(String key) {
        return Settings.resolve(context, key).orElseThrow().trim();
    }

    private static int port(CamelContext context, String key) {
        return Integer.parseInt(Settings.resolve(context, key).orElseThrow().trim());
    }

    private static boolean isBlank(CamelContext context, String key) {
        return Settings.resolve(context, key).map(String::isBlank).orElse(true);
    }
}
