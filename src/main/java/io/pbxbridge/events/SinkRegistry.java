package io.pbxbridge.events;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <p>An event a sink route did not take (it failed, or the route is stopped) is lost for that sink: each is counted
 * ({@link #dispatchFailures(String)}, in the sink's health check) and logged as one ERROR line naming the route (the
 * first, then every {@value #LOG_EVERY}th; the stack trace at DEBUG).
 */
public class SinkRegistry extends AsyncProcessorSupport implements CamelContextAware {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SinkRegistry.class);

    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static final int LOG_EVERY = 1000;

    private CamelContext camelContext;
    private volatile List<Target> targets = List.of();
    private final Map<String, AtomicLong> dispatchFailures = new ConcurrentHashMap<>();

    private record Target(String routeId, AsyncProducer producer) {
    }
    private volatile long refreshedAt;
    private volatile boolean stale = true;

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        // each sink route filters and writes to its spool, on this thread; its guard delivers on its own
        for (Target sink : targets()) {
            Exchange copy = ExchangeHelper.createCorrelatedCopy(exchange, false);
            try {
                sink.producer().process(copy, doneSync -> {
                    if (copy.getException() != null) {
                        failed(sink.routeId(), copy.getException());
                    }
                });
            } catch (RuntimeException e) {
                failed(sink.routeId(), e); // the other sinks still get the event
            }
        }
        callback.done(true);
        return true;
    }

    /** A guard never fails for its sink's state: this is a bug or a stopped route, so it is said loudly. */
    private void failed(String routeId, Throwable failure) {
        long n = dispatchFailures.computeIfAbsent(routeId, r -> new AtomicLong()).incrementAndGet();
        if (n == 1 || n % LOG_EVERY == 0) {
            LOG.error("Sink {} did not take an event ({}); events it did not take so far: {}", routeId,
                    SinkGuard.describe(failure), n);
        }
        LOG.debug("Sink {} did not take an event", routeId, failure);
    }

    /** Events the sink route {@code routeId} did not take since the start. */
    public long dispatchFailures(String routeId) {
        AtomicLong n = dispatchFailures.get(routeId);
        return n == null ? 0 : n.get();
    }

    private List<Target> targets() {
        if (starting()) {
            awaitStarted();
        }
        long now = System.nanoTime();
        if (stale || now - refreshedAt > REFRESH_NANOS) {
            synchronized (this) {
                if (stale || now - refreshedAt > REFRESH_NANOS) {
                    // a sink route to be started counts from the first event: sending to its direct: endpoint waits for
                    // it to start (the direct component blocks), so a source that starts first loses nothing
                    List<Route> sinks = camelContext.getRoutes().stream()
                            .filter(r -> "sinks".equals(r.getGroup()))
                            .filter(r -> Boolean.TRUE.equals(r.isAutoStartup()) || camelContext.getRouteController()
                                    .getRouteStatus(r.getRouteId()) == ServiceStatus.Started)
                            .sorted(Comparator.comparing(Route::getRouteId)).toList();
                    List<String> ids = sinks.stream().map(Route::getRouteId).toList();
                    if (!ids.equals(targets.stream().map(Target::routeId).toList())) {
                        LOG.info("Events go to the sinks {}", ids);
                        List<Target> old = targets;
                        targets = sinks.stream().map(r -> new Target(r.getRouteId(), producer(r))).toList();
                        old.forEach(t -> ServiceHelper.stopService(t.producer()));
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

    private static AsyncProducer producer(Route route) {
        try {
            AsyncProducer p = route.getEndpoint().createAsyncProducer();
            ServiceHelper.startService(p);
            return p;
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to sink queue " + route.getEndpoint(), e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        targets.forEach(t -> ServiceHelper.stopService(t.producer()));
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
