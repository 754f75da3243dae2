package io.pbxbridge.escaux;

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
 * One operation of the Escaux Fusion SOP API: the path names the operation ({@code dbGetDirectoryInfo},
 * {@code ccOriginate}, {@code pumLogin}, ...), options and headers carry its inputs, the body its typed result. The
 * path {@code events} consumes the SOP's TCP event stream as {@link io.pbxbridge.model.CallEvent}s.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "escaux", title = "Escaux Fusion SOP", syntax = "escaux:operation",
             category = { Category.CLOUD, Category.API }, headersClass = EscauxConstants.class)
public class EscauxEndpoint extends VendorEndpoint {

    @UriPath(description = "The operation to call, or events to consume the event stream")
    @Metadata(required = true)
    private final EscauxOperation operation;
    @UriParam
    private final EscauxConfiguration configuration;

    private volatile EscauxClient client;

    public EscauxEndpoint(String uri, EscauxComponent component, EscauxOperation operation,
                          EscauxConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public EscauxComponent getComponent() {
        return (EscauxComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        if (operation == EscauxOperation.events) {
            throw new UnsupportedOperationException("escaux:events is consumer only; call an operation instead");
        }
        return new VendorProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (operation != EscauxOperation.events) {
            throw new UnsupportedOperationException("escaux:" + operation + " has no consumer; consume escaux:events "
                    + "for the event stream, or call the operation on a schedule");
        }
        EscauxEventConsumer consumer = new EscauxEventConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public EscauxOperation getOperation() {
        return operation;
    }

    @Override
    public EscauxConfiguration configuration() {
        return configuration;
    }

    public EscauxConfiguration getConfiguration() {
        return configuration;
    }

    /** The SOP's client, shared by the endpoints of this component that talk to the same SOP. */
    EscauxClient getClient() {
        EscauxClient c = client;
        if (c == null) {
            // the transport first: both are kept in the component's one map, whose computeIfAbsent must not nest
            // ("Recursive update" when the two keys fall in the same bin)
            VendorHttpClient transport = getComponent().httpClient(configuration);
            c = getComponent().client(configuration.connection(),
                    () -> new EscauxClient(configuration.copy(), transport, getComponent()::warnDeprecated));
            client = c;
        }
        return c;
    }

    @Override
    protected String timeZoneOption() {
        return configuration.getTimeZone() == null ? "" : configuration.getTimeZone();
    }

    @Override
    protected VendorException invalidRequest(String op, String message) {
        return new EscauxValidationException(op, message);
    }

    /** The SOP's host, the {@code source} of records and events. */
    @Override
    public String source() {
        try {
            String host = URI.create(configuration.getAddress()).getHost();
            return host != null ? host : "unknown";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** Host of the event socket: {@code eventHost}, else the host of {@code address}. */
    String eventHost() {
        String h = configuration.getEventHost();
        return h != null && !h.isBlank() ? h : source();
    }
}
