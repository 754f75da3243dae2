package io.pbxbridge.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PatternHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which routes consume on one instance of the cluster at a time, and whether this instance leads them. A route is led
 * when its id matches {@code cluster.routes} and it consumes from outside (a vendor's events, a poller, a harvest, a
 * folder): its input becomes camel-master's {@code master:<namespace>:<uri>}, with a namespace of its own
 * ({@code <cluster.namespace-prefix><route id>}), so only the leader of that namespace runs the consumer, and
 * different sources can lead on different instances. Routes that consume from {@code direct:}/{@code seda:} run
 * inside an instance behind a led route; {@code kafka:} routes share their work through the consumer group: neither
 * is ever led.
 * <p>
 * Why camel-master rather than a {@code ClusteredRoutePolicy}: the supervising route controller (which restarts
 * routes whose vendor is down at start-up) and the policy both start and stop routes, and a led route then never
 * started in Camel 4.17; the master consumer starts and stops only its delegate consumer, the route stays supervised.
 * <p>
 * State that follows a source from instance to instance (its sequence counters) is let go when this instance stops
 * leading it: {@link #onLeadershipLost} tells whoever keeps such state.
 */
public final class Leadership {

    /** The name this is bound under in the registry. */
    public static final String BEAN = "pbxLeadership";

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    private static final List<String> NEVER_LED = List.of("direct:", "seda:", "kafka:", "master:");

    private final CamelClusterService service;
    private final String instance;
    private final String namespacePrefix;
    private final List<String> patterns;
    private final Supplier<Optional<String>> trouble;
    /** The led routes and their cluster views. */
    private final Map<String, CamelClusterView> views = new ConcurrentHashMap<>();
    private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();

    /** {@code trouble}: what keeps this instance from using the cluster's store now (folder, ZooKeeper), if anything. */
    public Leadership(CamelClusterService service, String instance, String namespacePrefix, List<String> patterns,
            Supplier<Optional<String>> trouble) {
        this.service = service;
        this.instance = instance;
        this.namespacePrefix = namespacePrefix;
        this.patterns = List.copyOf(patterns);
        this.trouble = trouble;
    }

    /** The leadership of this context's routes, when pbx-bridge runs as a cluster. */
    public static Optional<Leadership> of(CamelContext context) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(BEAN, Leadership.class));
    }

    /** Puts the led routes' inputs under leadership, once the routes are loaded and the vendor switches applied. */
    public static final class RouteClaim extends MainListenerSupport {
        @Override
        public void afterConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            of(context).ifPresent(leadership -> {
                for (RouteDefinition route : ((Model) context).getRouteDefinitions()) {
                    if (leadership.shouldLead(context, route)) {
                        leadership.lead(route);
                    }
                }
            });
        }
    }

    private void lead(RouteDefinition route) {
        String routeId = route.getRouteId();
        String namespace = namespace(routeId);
        FromDefinition from = route.getInput();
        from.setUri("master:" + namespace + ":" + from.getEndpointUri());
        try {
            CamelClusterView view = service.getView(namespace);
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> leadershipChanged(routeId, v,
                    leader));
            views.put(routeId, view);
        } catch (Exception e) {
            throw new IllegalStateException("cannot put route " + routeId + " under leadership: " + e.getMessage(), e);
        }
        LOG.info("Route {} consumes on one instance at a time (cluster namespace {})", routeId, namespace);
    }

    private void leadershipChanged(String routeId, CamelClusterView view, CamelClusterMember leader) {
        boolean leads = view.getLocalMember().isLeader();
        Optional<String> problem = leads ? Optional.empty() : trouble();
        if (problem.isPresent()) {
            // Camel says no more than "lock lost" (or nothing): the operator learns why here and in the health check
            LOG.warn("Route {}: this instance does not lead it: {}", routeId, problem.get());
        } else {
            LOG.info("Route {}: {}", routeId, leads ? "this instance leads it now"
                    : "another instance leads it (or none), this one waits");
        }
        if (!leads) {
            for (Consumer<String> listener : lostListeners) {
                try {
                    listener.accept(routeId);
                } catch (RuntimeException e) {
                    LOG.warn("Letting go of the state of route {} failed: {}", routeId, e.getMessage());
                }
            }
        }
    }

    private boolean shouldLead(CamelContext context, RouteDefinition route) {
        String routeId = route.getRouteId();
        if (routeId == null || patterns.stream().noneMatch(p -> PatternHelper.matchPattern(routeId, p))) {
            return false;
        }
        FromDefinition from = route.getInput();
        String uri = from == null ? null : from.getEndpointUri();
        if (uri == null) {
            return false;
        }
        String resolved = context.resolvePropertyPlaceholders(uri);
        if (NEVER_LED.stream().anyMatch(resolved::startsWith)) {
            return false;
        }
        // a route that is not to start (switched off, its vendor off) is not led: it consumes nowhere
        String autoStartup = route.getAutoStartup();
        return autoStartup == null || !"false".equalsIgnoreCase(context.resolvePropertyPlaceholders(autoStartup).trim());
    }

    /** The cluster namespace of a route. */
    public String namespace(String routeId) {
        return namespacePrefix + routeId;
    }

    /** Whether the route consumes on one instance at a time (its state then goes with it). */
    public boolean isLed(String routeId) {
        return routeId != null && views.containsKey(routeId);
    }

    /** Whether this instance leads the route now. */
    public boolean leads(String routeId) {
        CamelClusterView view = routeId == null ? null : views.get(routeId);
        return view != null && view.getLocalMember().isLeader();
    }

    /** The led routes and whether this instance leads each. */
    public Map<String, Boolean> routes() {
        Map<String, Boolean> answer = new TreeMap<>();
        views.forEach((id, view) -> answer.put(id, view.getLocalMember().isLeader()));
        return answer;
    }

    /** The leader of a led route as this instance knows it. */
    public Optional<String> leader(String routeId) {
        CamelClusterView view = views.get(routeId);
        return view == null ? Optional.empty() : view.getLeader().map(CamelClusterMember::getId);
    }

    /** What keeps this instance from using the cluster's store now, if anything: it then leads nothing. */
    public Optional<String> trouble() {
        return trouble.get();
    }

    /** This instance's name in the cluster. */
    public String instance() {
        return instance;
    }

    public CamelClusterService service() {
        return service;
    }

    /** Called with the id of each led route this instance stops leading. */
    public void onLeadershipLost(Consumer<String> listener) {
        lostListeners.add(listener);
    }
}
