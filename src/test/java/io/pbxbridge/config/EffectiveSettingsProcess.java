package io.pbxbridge.config;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.support.PluginHelper;

import io.pbxbridge.Application;

/**
 * Child process of {@link EnvironmentOverridesTest}: configures pbx-bridge through Camel Main as the application does
 * (its environment, the shipped application.properties, the routes loaded but not started), then prints what took
 * effect, one {@code name=value} per argument, and exits. An argument is {@code component.<name>.<option>} (the
 * option as the component holds it), {@code property.<key>} (a placeholder as the routes resolve it),
 * {@code main.shutdownTimeout} or {@code routecontroller.backOffDelay}.
 */
public final class EffectiveSettingsProcess {

    private EffectiveSettingsProcess() {
    }

    public static void main(String[] args) throws Exception {
        Main main = Application.newMain();
        main.init();
        CamelContext context = main.getCamelContext();
        for (String name : args) {
            System.out.println("EFFECTIVE " + name + "=" + value(context, name));
        }
        System.out.flush();
        System.exit(0);
    }

    private static Object value(CamelContext context, String name) {
        if (name.startsWith("component.")) {
            String[] parts = name.split("\\.", 3);
            PropertyConfigurer configurer = PluginHelper.getConfigurerResolver(context)
                    .resolvePropertyConfigurer(parts[1] + "-component", context);
            return ((PropertyConfigurerGetter) configurer).getOptionValue(context.getComponent(parts[1]), parts[2],
                    true);
        }
        if (name.startsWith("property.")) {
            return context.resolvePropertyPlaceholders("{{" + name.substring("property.".length()) + "}}");
        }
        if (name.equals("main.shutdownTimeout")) {
            return context.getShutdownStrategy().getTimeout();
        }
        if (name.equals("routecontroller.backOffDelay")) {
            return ((SupervisingRouteController) context.getRouteController()).getBackOffDelay();
        }
        throw new IllegalArgumentException(name);
    }
}
