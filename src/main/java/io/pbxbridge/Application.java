package io.pbxbridge;

import org.apache.camel.main.Main;

import io.pbxbridge.support.SecretMasking;

/**
 * pbx-bridge: Camel Main with the routes of {@code routes/*.camel.yaml} and the settings of
 * {@code application.properties}, both read from the working directory. With {@code sandbox.enabled=true} (the
 * default) the vendor simulators start in-process and the routes run against them.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        io.pbxbridge.monema.MonemaComponent.noSilentPostRetry();
        System.exit(newMain().run(args));
    }

    /** The configured Camel Main, also used by the tests that run the application. */
    public static Main newMain() {
        Main main = new Main();
        // no secret in the log at any level: Camel logs resolved property values at DEBUG/TRACE
        SecretMasking.install(main);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        main.configure().addConfiguration(new PbxBridgeConfiguration());
        return main;
    }
}
