package io.pbxbridge;

import java.util.Optional;

import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cluster.Leadership;
import io.pbxbridge.config.ApplicationFolder;
import io.pbxbridge.config.EffectiveSettings;
import io.pbxbridge.config.Settings;
import io.pbxbridge.config.StartupFailure;
import io.pbxbridge.config.Vendors;
import io.pbxbridge.support.SecretMasking;

/**
 * pbx-bridge: Camel Main with the routes of {@code routes/*.camel.yaml} and the settings of
 * {@code application.properties}, both read from the working directory. With {@code sandbox.enabled=true} (the
 * default) the vendor simulators start in-process and the routes run against them.
 */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        io.pbxbridge.monema.MonemaComponent.noSilentPostRetry();
        int exitCode;
        try {
            exitCode = newMain().run(args);
        } catch (Exception e) {
            // a configuration problem is said in one line per problem, not as a chain of stack traces
            Optional<String> problem = StartupFailure.describe(e);
            if (problem.isEmpty()) {
                throw e;
            }
            problem.get().lines().forEach(line -> LOG.error("pbx-bridge cannot start: {}", line));
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /** The configured Camel Main, also used by the tests that run the application. */
    public static Main newMain() {
        Main main = new Main();
        // no secret in the log at any level: Camel logs resolved property values at DEBUG/TRACE
        SecretMasking.install(main);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        main.addMainListener(new ApplicationFolder());
        main.addMainListener(new EffectiveSettings.Collector());
        main.addMainListener(new Settings.Check());
        main.addMainListener(new Vendors.RouteHold());
        // after the vendor switches: a route held there is not led
        main.addMainListener(new Leadership.RouteClaim());
        main.configure().addConfiguration(new PbxBridgeConfiguration());
        return main;
    }
}
