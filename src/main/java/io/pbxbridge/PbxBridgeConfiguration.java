package io.pbxbridge;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import io.pbxbridge.cdr.CdrBeans;
import io.pbxbridge.cluster.ClusterBeans;
import io.pbxbridge.command.CommandBeans;
import io.pbxbridge.config.ConfigurationException;
import io.pbxbridge.config.ConnectionTargets;
import io.pbxbridge.config.Settings;
import io.pbxbridge.config.VendorStartupProbe;
import io.pbxbridge.config.Vendors;
import io.pbxbridge.config.Vendors.Vendor;
import io.pbxbridge.sandbox.Sandbox;
import io.pbxbridge.support.Json;

/**
 * Decides what pbx-bridge talks to, before Camel Main configures the components (the settings were checked by
 * {@link Settings.Check} before that): in sandbox mode the vendors without a server of their own are
 * pointed at the simulators (started before the routes); outside it, a vendor nobody configured is off. Binds what
 * the routes share.
 */
public class PbxBridgeConfiguration implements CamelConfiguration {

    private static final String[] SINKS = { "ndjson", "kafka", "email", "webhook" };

    @Override
    public void configure(CamelContext context) throws Exception {
        context.getRegistry().bind("pbxJson", Json.MAPPER);
        checkShutdownBudget(context);
        boolean sandbox = Settings.isTrue(context, "sandbox.enabled");
        if (sandbox) {
            Sandbox.pointAtSimulators(context);
        } else {
            checkWebhookSecret(context);
        }
        Vendors vendors = Vendors.decide(context);
        if (sandbox) {
            Sandbox simulators = new Sandbox(context);
            simulators.start();
            context.addService(simulators, true, true);
        }
        ClusterBeans.bind(context);
        CdrBeans.bind(context);
        CommandBeans.bind(context);
        context.addStartupListener(new ConnectionTargets());
        // METASEC: its login (a POST) proves the address and the account at start-up
        VendorStartupProbe.register(context, vendors, Vendor.METASEC, "metasec:login");
        VendorStartupProbe.register(context, vendors, Vendor.MONEMA, "monema:getCredit");
        // MOR's main page: its session (the login) and its user_id + hash at once
        VendorStartupProbe.register(context, vendors, Vendor.MOR, "mor:mainPage");
    }

    /**
     * A stop lets each enabled sink finish the delivery under way for {@code events.drain-timeout}; together they
     * must end before Camel forces the shutdown ({@code camel.main.shutdown-timeout}), or the stop is cut short. Said
     * at start-up rather than found out at a stop.
     */
    static void checkShutdownBudget(CamelContext context) {
        long drain = Long.parseLong(context.resolvePropertyPlaceholders("{{events.drain-timeout:5000}}").trim());
        int enabled = 0;
        for (String sink : SINKS) {
            if (Settings.isTrue(context, "events." + sink + ".enabled")) {
                enabled++;
            }
        }
        long shutdownMillis = context.getShutdownStrategy().getTimeUnit().toMillis(context.getShutdownStrategy()
                .getTimeout());
        long needed = enabled * drain + 1000;
        if (enabled > 0 && needed > shutdownMillis) {
            throw new ConfigurationException("camel.main.shutdown-timeout (" + shutdownMillis / 1000 + " s) is too "
                    + "short for " + enabled + " sinks that may each take events.drain-timeout (" + drain + " ms) to "
                    + "finish their delivery at a stop: raise it to at least " + (needed + 999) / 1000
                    + " s or lower events.drain-timeout");
        }
    }

    /**
     * Outside the sandbox the webhook subscription signs with a secret of its own: not none, and not the sandbox's
     * sample, which is in the repository for anyone to read.
     */
    static void checkWebhookSecret(CamelContext context) {
        if (!Settings.isTrue(context, "events.webhook.enabled")) {
            return;
        }
        String secret = Settings.resolve(context, "events.webhook.secret").orElse("").trim();
        if (secret.isEmpty() || secret.equals(Sandbox.WEBHOOK_SECRET)) {
            throw new ConfigurationException("events.webhook.secret is " + (secret.isEmpty() ? "not set" : "the "
                    + "sandbox's sample secret") + ": outside the sandbox the webhook subscription signs with a secret "
                    + "of its own. Set EVENTS_WEBHOOK_SECRET to whsec_ followed by base64 (openssl rand -base64 24), "
                    + "and give the receiver the same");
        }
    }
}
