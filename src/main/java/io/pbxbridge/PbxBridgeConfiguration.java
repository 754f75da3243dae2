package io.pbxbridge;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import io.pbxbridge.sandbox.Sandbox;
import io.pbxbridge.support.Json;

/** Binds what the routes share and, in sandbox mode, starts the vendor simulators before the routes. */
public class PbxBridgeConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        context.getRegistry().bind("pbxJson", Json.MAPPER);
        if (Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{sandbox.enabled:false}}"))) {
            context.addService(new Sandbox(context), true, true);
        }
    }
}
