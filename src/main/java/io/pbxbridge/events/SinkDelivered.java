package io.pbxbridge.events;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step after an asynchronous delivery succeeded: {@link SinkGuard#delivered} without bean-method resolution on
 * every event. The guard is looked up by name when first used, so it is the very instance the routes refer to.
 */
public class SinkDelivered implements Processor, CamelContextAware {

    private CamelContext camelContext;
    private String guard;
    private volatile SinkGuard resolved;

    @Override
    public void process(Exchange exchange) throws Exception {
        SinkGuard g = resolved;
        if (g == null) {
            g = camelContext.getRegistry().lookupByNameAndType(guard, SinkGuard.class);
            if (g == null) {
                throw new IllegalStateException("no sink guard named " + guard);
            }
            resolved = g;
        }
        g.delivered(exchange);
    }

    /** Registry name of the sink's guard. */
    public void setGuard(String guard) {
        this.guard = guard;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
