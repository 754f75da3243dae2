package io.pbxbridge.config;

import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.LoadablePropertiesSource;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.util.IOHelper;
import org.apache.camel.util.OrderedLocationProperties;

/**
 * A properties source in front of application.properties with the values pbx-bridge works out before Camel Main
 * configures anything, each with where it came from (which Camel's "Auto-configuration summary" prints):
 * <ul>
 * <li>Every key of the properties whose environment variable (named after the key: upper case, dots and dashes as
 * underscores, the README's rule) is set, e.g. {@code FAX_CONCURRENCY} for {@code fax.concurrency} and
 * {@code CAMEL_COMPONENT_ESCAUX_PING_INTERVAL} for {@code camel.component.escaux.ping-interval}; unless a
 * {@code -Dkey=value} system property sets the key, which wins. Why here: Camel Main 4.17 means to apply the
 * {@code camel.component.*} variables itself ({@code camel.main.autoConfigurationEnvironmentVariablesEnabled}, on by
 * default, in {@code BaseMainSupport.autoConfigurationFromProperties}) but never does: it selects them with
 * {@code MainHelper.filterEnvVariables}, which compares upper-cased names such as {@code CAMEL_COMPONENT_...} with the
 * lower-case prefix {@code "camel.component."}, so none matches. And Camel's placeholders look a variable up before a
 * system property, while its {@code camel.*} options take the system property last: with every variable applied here,
 * application.properties sets Camel's own variable lookup to come last
 * ({@code camel.component.properties.environment-variable-mode = 1}), and the order is the same for every key:
 * {@code -D}, then the environment, then the file.</li>
 * <li>{@code camel.component.*} values with placeholders ({@code {{env:MONEMA_ADDRESS:}}}) resolved, so that the
 * summary shows the value in effect rather than the placeholder. An empty result stays as written: Camel refuses an
 * empty component option, not a placeholder that resolves to one.</li>
 * <li>What the sandbox sets ({@link #set}, e.g. the vendors' simulator addresses).</li>
 * </ul>
 * Override properties (what tests give Camel Main) still win over these, as over application.properties.
 */
public final class EffectiveSettings implements LoadablePropertiesSource, Ordered {

    /** The source's name in the properties component. */
    public static final String NAME = "pbx-bridge-effective-settings";

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("^\\{\\{env:([^:}]+)[:}]");

    private final OrderedLocationProperties values = new OrderedLocationProperties();

    private EffectiveSettings() {
    }

    /** The source of {@code context}'s properties component, added to it on first use. */
    public static synchronized EffectiveSettings of(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        PropertiesSource existing = pc.getPropertiesSource(NAME);
        if (existing instanceof EffectiveSettings settings) {
            return settings;
        }
        EffectiveSettings settings = new EffectiveSettings();
        pc.addPropertiesSource(settings);
        return settings;
    }

    /** Sets {@code key} to {@code value}, said to come from {@code location} (e.g. {@code sandbox}). */
    public synchronized void set(String key, String value, String location) {
        values.put(location, key, value);
    }

    /** Before Camel Main configures anything: the environment variables of every key, and resolved placeholders. */
    public static final class Collector extends MainListenerSupport {

        @Override
        public void beforeInitialize(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            PropertiesComponent pc = context.getPropertiesComponent();
            EffectiveSettings settings = of(context);
            OrderedLocationProperties file = (OrderedLocationProperties) pc.loadProperties();
            for (String key : file.stringPropertyNames()) {
                if (System.getProperty(key) != null) {
                    continue;
                }
                String fromEnvironment = IOHelper.lookupEnvironmentVariable(key);
                String value = fromEnvironment != null ? fromEnvironment : file.getProperty(key);
                String location = fromEnvironment != null ? "ENV" : file.getLocation(key);
                if (isComponentKey(key)) {
                    if (value.contains("{{")) {
                        Matcher env = ENV_PLACEHOLDER.matcher(value);
                        if (fromEnvironment == null && env.find() && System.getenv(env.group(1)) != null) {
                            location = "ENV";
                        }
                        value = pc.parseUri(value);
                    }
                    if (value.isEmpty()) {
                        continue;
                    }
                }
                if (fromEnvironment != null || !value.equals(file.getProperty(key))) {
                    settings.set(key, value, location);
                }
            }
        }

        private static boolean isComponentKey(String key) {
            return key.startsWith("camel.component.") || key.startsWith("camel.dataformat.")
                    || key.startsWith("camel.language.");
        }
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public synchronized String getProperty(String name) {
        return values.getProperty(name);
    }

    @Override
    public synchronized Properties loadProperties() {
        OrderedLocationProperties copy = new OrderedLocationProperties();
        copy.putAll(values);
        return copy;
    }

    @Override
    public synchronized Properties loadProperties(Predicate<String> filter) {
        OrderedLocationProperties copy = new OrderedLocationProperties();
        for (String key : values.stringPropertyNames()) {
            if (filter.test(key)) {
                copy.put(values.getLocation(key), key, values.getProperty(key));
            }
        }
        return copy;
    }

    @Override
    public void reloadProperties(String location) {
        // nothing to reload: the values are worked out at start-up
    }

    /** Before the properties files (order 100 and on): a value here wins over application.properties. */
    @Override
    public int getOrder() {
        return 50;
    }
}
