package io.pbxbridge.metasec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

import io.pbxbridge.vendor.VendorComponent;
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
    /** The events consumers' snapshots, by source: what commands look a call's channels up in. */
    private final Map<String, MetasecTracker> trackers = new ConcurrentHashMap<>();
    /** The journals of derived call records, by folder: one writer (events) and its readers (cdr) share one. */
    private final Map<Path, MetasecCallJournal> journals = new ConcurrentHashMap<>();

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
        VendorHttpSettings settings = c.httpSettings();
        return client(settings, () -> MetasecClient.transport(settings));
    }

    /** The live snapshot of {@code source}'s events consumer, or null when none runs. */
    MetasecTracker tracker(String source) {
        return trackers.get(source);
    }

    void bindTracker(String source, MetasecTracker tracker) {
        trackers.put(source, tracker);
    }

    void unbindTracker(String source, MetasecTracker tracker) {
        trackers.remove(source, tracker);
    }

    /** The journal in {@code dir}, shared by its writer and its readers. */
    MetasecCallJournal journal(Path dir, Duration retention) {
        return journals.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new MetasecCallJournal(d, retention));
    }

    /** Sessions are forgotten at shutdown (the WebTAPI has no logout). */
    @Override
    protected void doShutdown() throws Exception {
        sessions.logoutAll();
        super.doShutdown();
    }
}
