package io.pbxbridge.events;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * The sink queues of the normalized stream: the endpoints of every started route in the route group {@code sinks}.
 * A sink (or webhook subscription) is added by adding its route, and switched off with {@code autoStartup: false}.
 */
public class SinkRegistry implements CamelContextAware {

    private static final long REFRESH_NANOS = 1_000_000_000L;

    private CamelContext camelContext;
    private volatile String targets = "";
    private volatile long refreshedAt;

    /** For {@code recipientList}: comma-separated endpoint URIs, refreshed at most once a second. */
    public String targets() {
        long now = System.nanoTime();
        if (now - refreshedAt > REFRESH_NANOS) {
            List<String> uris = camelContext.getRoutes().stream()
                    .filter(r -> "sinks".equals(r.getGroup()))
                    .filter(r -> camelContext.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started)
                    .map(Route::getEndpoint).map(e -> e.getEndpointUri()).sorted().toList();
            targets = String.join(",", uris);
            refreshedAt = now;
        }
        return targets;
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
