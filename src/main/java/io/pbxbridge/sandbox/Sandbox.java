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
import io.pbxbridge.sandbox.mor.MorSimulator;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;

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
            "sandbox.escaux.event-port", "sandbox.portasip.port", "sandbox.mor.port", "sandbox.metasec.port");
    /** The PortaSIP simulator's sample account pbx-bridge logs in as, and the customer whose calls it follows. */
    static final String PORTASIP_LOGIN = "123001";
    static final String PORTASIP_DOMAIN = "sip.example.com";
    static final String PORTASIP_PASSWORD = "secret001";
    static final String PORTASIP_CUSTOMER = "30";
    /** The MOR simulator's sample account: user demo, user_id 2, its API secret key. */
    static final String MOR_USERNAME = "demo";
    static final String MOR_PASSWORD = "demo-secret";
    static final String MOR_USER_ID = "2";
    private static final String HOST = InetAddress.getLoopbackAddress().getHostAddress();

    private final CamelContext context;
    private MonemaSimulator monema;
    private EscauxSimulator escaux;
    private PortaSipSimulator portasip;
    private MorSimulator mor;
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
        if (isBlank(context, "camel.component.portasip.address")) {
            settings.set("camel.component.portasip.address",
                    "http://" + HOST + ":" + port(context, "sandbox.portasip.port"), "sandbox");
            // the simulator's sample account: a real server's comes from PORTASIP_LOGIN / PORTASIP_PASSWORD
            if (isBlank(context, "camel.component.portasip.login")) {
                settings.set("camel.component.portasip.login", PORTASIP_LOGIN, "sandbox");
                settings.set("camel.component.portasip.domain", PORTASIP_DOMAIN, "sandbox");
                settings.set("camel.component.portasip.password", PORTASIP_PASSWORD, "sandbox");
            }
            // the calls of the sample IP Centrex (customer 30: its accounts, call queue and IVR access number)
            if (isBlank(context, "camel.component.portasip.accounts")
                    && isBlank(context, "camel.component.portasip.customers")
                    && isBlank(context, "camel.component.portasip.main-offices")
                    && isBlank(context, "camel.component.portasip.ivr-access-numbers")) {
                settings.set("camel.component.portasip.customers", PORTASIP_CUSTOMER, "sandbox");
            }
        }
        if (isBlank(context, "camel.component.mor.address")) {
            settings.set("camel.component.mor.address", "http://" + HOST + ":" + port(context, "sandbox.mor.port"),
                    "sandbox");
            // the simulator's account: a real server's comes from MOR_USERNAME, MOR_PASSWORD, MOR_USER_ID and
            // MOR_API_SECRET_KEY
            if (isBlank(context, "camel.component.mor.username")) {
                settings.set("camel.component.mor.username", MOR_USERNAME, "sandbox");
                settings.set("camel.component.mor.password", MOR_PASSWORD, "sandbox");
                settings.set("camel.component.mor.user-id", MOR_USER_ID, "sandbox");
                settings.set("camel.component.mor.api-secret-key", MorSimulator.DEFAULT_API_KEY, "sandbox");
            }
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
            startPortaSip();
            startMor();
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

    private void startPortaSip() {
        long seconds = Long.parseLong(property("sandbox.portasip.call-interval-seconds"));
        portasip = PortaSipSimulator.builder()
                .port(port(context, "sandbox.portasip.port"))
                .callTrickle(seconds > 0 ? Duration.ofSeconds(seconds) : null)
                .build();
        try {
            portasip.start();
        } catch (RuntimeException e) {
            portasip.close();
            portasip = null;
            throw e;
        }
        LOG.info("Sandbox: PortaSIP simulator at {}, Call Control at {} (login {}, customer {})", portasip.address(),
                portasip.wsAddress(), PORTASIP_LOGIN, PORTASIP_CUSTOMER);
    }

    private void startMor() {
        long seconds = Long.parseLong(property("sandbox.mor.call-interval-seconds"));
        mor = MorSimulator.builder()
                .port(port(context, "sandbox.mor.port"))
                .callTrickle(seconds > 0 ? Duration.ofSeconds(seconds) : null)
                .build();
        mor.start();
        LOG.info("Sandbox: MOR simulator at {} (user {}, user_id {})", mor.address(), MOR_USERNAME, MOR_USER_ID);
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
        for (String key : PORT_KEYS) {
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
        if (portasip != null) {
            portasip.close();
            portasip = null;
        }
        if (mor != null) {
            mor.stop();
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
