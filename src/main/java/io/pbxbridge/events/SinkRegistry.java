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
 * Hands each event of the normalized stream to every route in the route group {@code sinks} that is started or to be
 * started (a copy each). A sink (or webhook subscription) is added by adding its route, and switched off with
 * {@code autoStartup: false}. The set of sinks is looked up again at most once a second.
 */
public class SinkRegistry extends AsyncProcessorSupport implements CamelContextAware {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SinkRegistry.class);

    private static final long REFRESH_NANOS = 1_000_000_000L;

    private CamelContext camelContext;
    private volatile List<AsyncProducer> targets = List.of();
    private volatile long refreshedAt;
    private volatile boolean stale = true;

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
        if (starting()) {
            awaitStarted();
        }
        long now = System.nanoTime();
        if (stale || now - refreshedAt > REFRESH_NANOS) {
            synchronized (this) {
                if (stale || now - refreshedAt > REFRESH_NANOS) {
                    // a sink route to be started counts from the first event: sending to its direct: endpoint waits for
                    // it to start (the direct component blocks), so a source that starts first loses nothing
                    List<String> uris = camelContext.getRoutes().stream()
                            .filter(r -> "sinks".equals(r.getGroup()))
                            .filter(r -> Boolean.TRUE.equals(r.isAutoStartup()) || camelContext.getRouteController()
                                    .getRouteStatus(r.getRouteId()) == ServiceStatus.Started)
                            .map(Route::getEndpoint).map(e -> e.getEndpointUri()).sorted().toList();
                    List<String> current = targets.stream().map(p -> p.getEndpoint().getEndpointUri()).toList();
                    if (!uris.equals(current)) {
                        LOG.info("Events go to the sinks {}", uris);
                        List<AsyncProducer> old = targets;
                        targets = uris.stream().map(this::producer).toList();
                        old.forEach(ServiceHelper::stopService);
                    }
                    refreshedAt = now;
                    stale = false;
                }
            }
        }
        return targets;
    }

    /**
     * A source may start before every sink route exists (a route template's routes come last): its first events wait
     * here for the start to finish, so no sink misses them. The source's socket waits meanwhile.
     */
    private void awaitStarted() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (starting() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        stale = true; // the sinks as they are now
    }

    /** The context, or (supervised) its route controller, still starting the routes. */
    private boolean starting() {
        return camelContext.isStarting() || camelContext.getRouteController().isStartingRoutes();
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
        stale = true;
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
