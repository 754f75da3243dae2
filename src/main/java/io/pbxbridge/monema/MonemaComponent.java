package io.pbxbridge.monema;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import io.pbxbridge.vendor.VendorComponent;

/** The Monema PBX client SOAP API: calls, CDRs, extensions, transfers, SMS, fax modems and chunked fax upload. */
@Component(MonemaComponent.SCHEME)
public class MonemaComponent extends VendorComponent {

    public static final String SCHEME = "monema";

    static {
        noSilentPostRetry();
    }

    /**
     * The JDK's HttpURLConnection (the CXF conduit used here) silently sends a POST again when the connection drops
     * before the answer: a C_sendFax could fax twice. Off, unless the user decided otherwise. The JDK reads the
     * setting once, so this runs as early as possible (also from the application's main).
     */
    public static void noSilentPostRetry() {
        if (System.getProperty("sun.net.http.retryPost") == null) {
            System.setProperty("sun.net.http.retryPost", "false");
        }
    }

    @Metadata
    private MonemaConfiguration configuration = new MonemaConfiguration();

    public MonemaComponent() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MonemaEndpoint endpoint = new MonemaEndpoint(uri, this, operation(MonemaOperation.class, remaining),
                configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public MonemaConfiguration getConfiguration() {
        return configuration;
    }

    /** Options shared by every endpoint: address, login, password, timeouts. Endpoint options override them. */
    public void setConfiguration(MonemaConfiguration configuration) {
        this.configuration = configuration;
    }
}
