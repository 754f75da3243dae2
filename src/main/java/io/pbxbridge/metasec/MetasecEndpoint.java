package io.pbxbridge.metasec;

import java.net.URI;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import io.pbxbridge.vendor.VendorEndpoint;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorProducer;
import io.pbxbridge.vendor.http.VendorHttpClient;

/**
 * One action of the METASEC WebTAPI: the path names the action as on the wire ({@code call}, {@code call_list_all},
 * {@code relay_status_set}, ... and {@code login}), options and headers carry its inputs, the body its typed result
 * ({@link MetasecAck}, {@link MetasecList} of rows, {@link MetasecFile} streams...). Producer only: the WebTAPI pushes
 * nothing.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "metasec", title = "METASEC WebTAPI", syntax = "metasec:operation",
             producerOnly = true, category = { Category.CLOUD, Category.API }, headersClass = MetasecConstants.class)
public class MetasecEndpoint extends VendorEndpoint {

    @UriPath(description = "The WebTAPI action to call, as on the wire (call, call_list_all, relay_status_set...), or login")
    @Metadata(required = true)
    private final MetasecOperation operation;
    @UriParam
    private final MetasecConfiguration configuration;

    private volatile MetasecClient client;

    public MetasecEndpoint(String uri, MetasecComponent component, MetasecOperation operation,
                           MetasecConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public MetasecComponent getComponent() {
        return (MetasecComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new VendorProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("metasec:" + operation + " has no consumer: the WebTAPI pushes "
                + "nothing; call a list on a schedule");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        MetasecOperation.wireNames(configuration.getWireNames()); // a bad wireNames fails here, not at the first call
    }

    @Override
    public MetasecOperation getOperation() {
        return operation;
    }

    @Override
    public MetasecConfiguration configuration() {
        return configuration;
    }

    public MetasecConfiguration getConfiguration() {
        return configuration;
    }

    /** The WebTAPI's client, shared by the endpoints of this component with the same connection settings. */
    MetasecClient getClient() {
        MetasecClient c = client;
        if (c == null) {
            // the transport first: both are kept in the component's one map, whose factories must not nest
            VendorHttpClient transport = getComponent().httpClient(configuration);
            c = getComponent().client(configuration.connection(),
                    () -> new MetasecClient(configuration.copy(), transport, getComponent().sessions()));
            client = c;
        }
        return c;
    }

    @Override
    protected VendorException invalidRequest(String op, String message) {
        return new MetasecValidationException(op, message);
    }

    /** The server's host, the {@code source} of results. */
    @Override
    public String source() {
        try {
            String host = URI.create(configuration.getAddress()).getHost();
            return host != null ? host : "unknown";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
