package io.pbxbridge.sandbox;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.monema.MonemaSimulator;

/**
 * The in-process vendor servers of the default run, on the ports of {@code sandbox.*} in application.properties.
 * Started as a context service, so they are up before the routes.
 */
public class Sandbox extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final CamelContext context;
    private MonemaSimulator monema;
    private EscauxSimulator escaux;

    public Sandbox(CamelContext context) {
        this.context = context;
    }

    @Override
    protected void doStart() {
        Path data = Path.of(property("sandbox.data", "data/sandbox"));
        long callSeconds = Long.parseLong(property("sandbox.monema.call-interval-seconds", "20"));
        monema = MonemaSimulator.builder()
                .port(Integer.parseInt(property("sandbox.monema.port", "18081")))
                .dataDir(data.resolve("monema"))
                .callTrickle(callSeconds > 0 ? Duration.ofSeconds(callSeconds) : null)
                .build()
                .start();
        LOG.info("Sandbox: Monema simulator at {} (login demo)", monema.address());
        startEscaux();
    }

    private void startEscaux() {
        long escauxCallSeconds = Long.parseLong(property("sandbox.escaux.call-interval-seconds", "15"));
        escaux = EscauxSimulator.builder()
                .httpPort(Integer.parseInt(property("sandbox.escaux.http-port", "18082")))
                .eventPort(Integer.parseInt(property("sandbox.escaux.event-port", "15050")))
                .callTrickle(escauxCallSeconds > 0 ? Duration.ofSeconds(escauxCallSeconds) : null)
                .start();
        LOG.info("Sandbox: Escaux simulator at {}, events on port {}", escaux.address(), escaux.eventPort());
    }

    @Override
    protected void doStop() {
        if (monema != null) {
            monema.stop();
        }
        if (escaux != null) {
            escaux.stop();
        }
    }

    private String property(String key, String defaultValue) {
        return context.resolvePropertyPlaceholders("{{" + key + ":" + defaultValue + "}}");
    }
}
