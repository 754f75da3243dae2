package io.pbxbridge.events;

import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Hands each event of the normalized stream to the queue of every started route in the route group {@code sinks}
 * (a copy each). A sink (or webhook subscription) is added by adding its route, and switched off with
 * {@code autoStartup: false}. The set of sinks is looked up again at most once a second.
 */
public class SinkRegistry extends AsyncProcessorSupport implements CamelContextAware {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SinkRegistry.class);

    private static final long REFRESH_NANOS = 1_000_000_000L;

    private CamelContext camelContext;
    private volatile List<AsyncProducer> targets = List.of();
    private volatile long refreshedAt;

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        // each sink route filters and writes to its spool, on this thread; its guard delivers on its own
        for (AsyncProducer sink : targets()) {
            Exchange copy = ExchangeHelper.createCorrelatedCopy(exchange, false);
            sink.process(copy, doneSync -> {
                if (copy.getException() != null) {
                    // a guard never fails for its sink's state; this is a bug or a stopped route: say it loudly
                    LOG.error("Events could not be handed to sink {}: {}", sink.getEndpoint(),
                            copy.getException().toString(), copy.getException());
                }
            });
        }
        callback.done(true);
        return true;
    }

    private List<AsyncProducer> targets() {
        long now = System.nanoTime();
        if (now - refreshedAt > REFRESH_NANOS) {
            synchronized (this) {
                if (now - refreshedAt > REFRESH_NANOS) {
                    List<String> uris = camelContext.getRoutes().stream()
                            .filter(r -> "sinks".equals(r.getGroup()))
                            .filter(r -> camelContext.getRouteController().getRouteStatus(r.getRouteId())
                                    == ServiceStatus.Started)
                            .map(Route::getEndpoint).map(e -> e.getEndpointUri()).sorted().toList();
                    List<String> current = targets.stream().map(p -> p.getEndpoint().getEndpointUri()).toList();
                    if (!uris.equals(current)) {
                        List<AsyncProducer> old = targets;
                        targets = uris.stream().map(this::producer).toList();
                        old.forEach(ServiceHelper::stopService);
                    }
                    refreshedAt = now;
                }
            }
        }
        return targets;
    }

    private AsyncProducer producer(String uri) {
        try {
            AsyncProducer p = camelContext.getEndpoint(uri).createAsyncProducer();
            ServiceHelper.startService(p);
            return p;
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to sink queue " + uri, e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        targets.forEach(ServiceHelper::stopService);
        targets = List.of();
        refreshedAt = 0;
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
