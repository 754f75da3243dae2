package io.pbxbridge.metasec;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

import io.pbxbridge.vendor.VendorComponent;
import io.pbxbridge.vendor.http.TrustStore;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpSettings;
import io.pbxbridge.vendor.session.SessionManager;

/**
 * The METASEC WebTAPI (the Metasec Zphone Framework, an Asterisk underneath): calls, recordings, queues, cameras,
 * channels and relays over HTTP, with SID sessions ({@link MetasecClient}).
 */
@Component(MetasecComponent.SCHEME)
public class MetasecComponent extends VendorComponent {

    public static final String SCHEME = "metasec";

    @Metadata
    private MetasecConfiguration configuration = new MetasecConfiguration();

    private final SessionManager<MetasecClient.Session> sessions = MetasecClient.sessions();

    public MetasecComponent() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MetasecEndpoint endpoint = new MetasecEndpoint(uri, this, operation(MetasecOperation.class, remaining),
                configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public MetasecConfiguration getConfiguration() {
        return configuration;
    }

    /** Options shared by every endpoint: address, path, user, password, timeouts. Endpoint options override them. */
    public void setConfiguration(MetasecConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The sessions of every endpoint: one per server and user. */
    SessionManager<MetasecClient.Session> sessions() {
        return sessions;
    }

    /** The HTTP transport for an endpoint's configuration, shared by every endpoint with the same settings. */
    VendorHttpClient httpClient(MetasecConfiguration c) {
        TrustStore trustStore = c.getTrustStore() == null || c.getTrustStore().isBlank() ? null
                : new TrustStore(c.getTrustStore(), c.getTrustStorePassword(), c.getTrustStoreType());
        VendorHttpSettings settings = VendorHttpSettings.of(Duration.ofMillis(c.getConnectTimeout()),
                Duration.ofMillis(c.getRequestTimeout())).withTrustStore(trustStore);
        return client(settings, () -> MetasecClient.transport(settings));
    }

    /** Sessions are forgotten at shutdown (the WebTAPI has no logout). */
    @Override
    protected void doShutdown() throws Exception {
        sessions.logoutAll();
        super.doShutdown();
    }
}
