package io.pbxbridge.mor;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

import io.pbxbridge.vendor.VendorComponent;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpSettings;

/**
 * MOR (Kolmisoft's switch and billing platform), its XML "API by pages": account, devices and call flows, rates,
 * payments, invoices, calls and missed calls, statistics, CLIs, phonebook, faxes, callback.
 */
@Component(MorComponent.SCHEME)
public class MorComponent extends VendorComponent {

    public static final String SCHEME = "mor";

    @Metadata
    private MorConfiguration configuration = new MorConfiguration();

    public MorComponent() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MorEndpoint endpoint = new MorEndpoint(uri, this, operation(MorOperation.class, remaining),
                configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public MorConfiguration getConfiguration() {
        return configuration;
    }

    /** Options shared by every endpoint: address, account, timeouts. Endpoint options override them. */
    public void setConfiguration(MorConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The HTTP transport for an endpoint's configuration, shared by every endpoint with the same settings. */
    VendorHttpClient httpClient(MorConfiguration c) {
        VendorHttpSettings settings = c.httpSettings();
        return client(settings, () -> MorClient.transport(settings));
    }
}
