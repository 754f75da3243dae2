package io.pbxbridge.escaux;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

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
 * path {@code events} consumes the SOP's TCP event stream as {@link io.pbxbridge.model.CallEvent}s, the path
 * {@code cdr} harvests the call history of the watched {@code extensions} as {@link io.pbxbridge.model.CallRecord}s.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "escaux", title = "Escaux Fusion SOP", syntax = "escaux:operation",
             category = { Category.CLOUD, Category.API }, headersClass = EscauxConstants.class)
public class EscauxEndpoint extends VendorEndpoint {

    @UriPath(description = "The operation to call; events to consume the event stream, cdr to harvest call records")
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
        if (!operation.producer()) {
            throw new UnsupportedOperationException("escaux:" + operation + " is consumer only; call an operation "
                    + "instead");
        }
        return new VendorProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (operation == EscauxOperation.cdr) {
            return createCallRecordConsumer(processor, new EscauxCallRecordPages(this::getClient, extensions(),
                    cdrPageSize(), source(), timeZone()));
        }
        if (operation != EscauxOperation.events) {
            throw new UnsupportedOperationException("escaux:" + operation + " has no consumer; consume escaux:events "
                    + "for the event stream, escaux:cdr for call records, or call the operation on a schedule");
        }
        EscauxEventConsumer consumer = new EscauxEventConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The cdr consumer's extensions, checked: the SOP lists call history per extension only. */
    private List<String> extensions() {
        String value = configuration.getExtensions();
        List<String> list = value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("escaux:cdr needs extensions: the comma-separated extensions whose call "
                    + "history is harvested, e.g. escaux:cdr?extensions=102,104 (the SOP lists calls per extension)");
        }
        return list;
    }

    private int cdrPageSize() {
        int size = configuration.getCdrPageSize();
        if (size < 1) {
            throw new IllegalArgumentException("escaux:cdr: cdrPageSize must be at least 1, not " + size);
        }
        return size;
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
