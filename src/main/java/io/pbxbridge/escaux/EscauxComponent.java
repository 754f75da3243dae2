package io.pbxbridge.escaux;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.vendor.VendorComponent;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpSettings;

/** The Escaux Fusion SOP: DB access, call control and PUM over XML/JSON HTTP, and the TCP event stream. */
@Component(EscauxComponent.SCHEME)
public class EscauxComponent extends VendorComponent {

    public static final String SCHEME = "escaux";

    private static final Logger LOG = LoggerFactory.getLogger(EscauxComponent.class);

    @Metadata
    private EscauxConfiguration configuration = new EscauxConfiguration();

    private final Set<EscauxOperation> deprecationWarned = ConcurrentHashMap.newKeySet();
    /** address|ext -> System.nanoTime() of the last PUM call, shared by every endpoint of this component. */
    private final Map<String, Long> lastPumCall = new ConcurrentHashMap<>();

    public EscauxComponent() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        EscauxEndpoint endpoint = new EscauxEndpoint(uri, this, operation(EscauxOperation.class, remaining),
                configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public EscauxConfiguration getConfiguration() {
        return configuration;
    }

    /** Options shared by every endpoint: address, timeouts, event socket. Endpoint options override them. */
    public void setConfiguration(EscauxConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The HTTP transport for an endpoint's configuration, shared by every endpoint with the same settings. */
    VendorHttpClient httpClient(EscauxConfiguration c) {
        VendorHttpSettings settings = c.httpSettings();
        return client(settings, () -> EscauxClient.transport(settings));
    }

    /** Logs the deprecation of {@code op} the first time it is used through this component. */
    void warnDeprecated(EscauxOperation op) {
        if (deprecationWarned.add(op)) {
            LOG.warn("escaux:{} is deprecated by Escaux and may be removed from the SOP{}", op,
                    op == EscauxOperation.dbGetNextStatus ? "; use dbGetCallflow"
                            : op == EscauxOperation.ccHold ? "; park the call (ccPark) instead" : "");
        }
    }

    /** Whether the deprecation of {@code op} has been logged. */
    public boolean isDeprecationWarned(EscauxOperation op) {
        return deprecationWarned.contains(op);
    }

    /**
     * Reserves a PUM call for {@code ext}: refused with {@link EscauxPumIntervalException} within {@code minInterval}
     * of the previous one. Returns the previous reservation (to give back if the request never reached the SOP).
     */
    Long reservePumCall(String operation, String address, String ext, Duration minInterval) {
        String key = address + "|" + ext;
        long now = System.nanoTime();
        Long[] previous = new Long[1];
        lastPumCall.compute(key, (k, last) -> {
            if (last != null && now - last < minInterval.toNanos()) {
                throw new EscauxPumIntervalException(operation, ext, minInterval,
                        Duration.ofNanos(minInterval.toNanos() - (now - last)));
            }
            previous[0] = last;
            return now;
        });
        return previous[0];
    }

    /** Undoes {@link #reservePumCall} after a request that did not reach the SOP. */
    void releasePumCall(String address, String ext, Long previous) {
        String key = address + "|" + ext;
        if (previous == null) {
            lastPumCall.remove(key);
        } else {
            lastPumCall.put(key, previous);
        }
    }
}
