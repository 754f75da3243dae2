package io.pbxbridge.mor;

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
 * One page of MOR's XML API: the path names the operation ({@code mainPage}, {@code callsPeriod},
 * {@code processMissedCall}, {@code callback}, ...), options and headers carry its inputs, the body its typed result
 * ({@link MorReply}, or a streamed {@link MorExport}); the {@code CamelMorRepairs} header lists what the tolerant
 * reader repaired to read the page. The path {@code cdr} harvests the account's call records as
 * {@link io.pbxbridge.model.CallRecord}s; consumed, {@code missedCalls}, {@code newCalls} and {@code faxes} poll
 * their pages for what is new, as {@link io.pbxbridge.model.CallEvent}s.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mor", title = "MOR", syntax = "mor:operation",
             category = { Category.CLOUD, Category.API }, headersClass = MorConstants.class)
public class MorEndpoint extends VendorEndpoint {

    @UriPath(description = "The operation to call; cdr to harvest call records; missedCalls, newCalls or faxes "
            + "consumed: their new items as events")
    @Metadata(required = true)
    private final MorOperation operation;
    @UriParam
    private final MorConfiguration configuration;

    private volatile MorClient client;

    public MorEndpoint(String uri, MorComponent component, MorOperation operation, MorConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public MorComponent getComponent() {
        return (MorComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        if (!operation.producer()) {
            throw new UnsupportedOperationException("mor:" + operation + " is consumer only; call callsPeriod to read "
                    + "calls");
        }
        return new VendorProducer(this);
    }

    /**
     * {@code mor:cdr}: the call-record harvest; {@code mor:missedCalls}, {@code mor:newCalls}, {@code mor:faxes}:
     * pollers of what is new, as events ({@link MorEventConsumer}).
     */
    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        switch (operation) {
            case cdr -> {
                return createCallRecordConsumer(processor, new MorCallRecordPages(this::client,
                        getComponent().callExecutor(), timeZone(), source()));
            }
            case missedCalls, newCalls, faxes -> {
                MorEventConsumer consumer = new MorEventConsumer(this, processor, operation);
                configureConsumer(consumer);
                if (getExceptionHandler() == null) {
                    consumer.setExceptionHandler(consumer.exceptionHandler());
                }
                return consumer;
            }
            default -> throw new UnsupportedOperationException("mor:" + operation + " has no consumer; consume "
                    + "mor:cdr for call records, mor:missedCalls, mor:newCalls or mor:faxes for events, or call the "
                    + "operation on a schedule");
        }
    }

    @Override
    public MorOperation getOperation() {
        return operation;
    }

    @Override
    public MorConfiguration configuration() {
        return configuration;
    }

    public MorConfiguration getConfiguration() {
        return configuration;
    }

    /** MOR's client, shared by the endpoints of this component that talk to the same server as the same user. */
    MorClient client() {
        MorClient c = client;
        if (c == null) {
            // the transport first: both are kept in the component's one map, whose creation must not nest
            VendorHttpClient transport = getComponent().httpClient(configuration);
            c = getComponent().client(configuration.connection(),
                    () -> new MorClient(configuration.copy(), transport));
            client = c;
        }
        return c;
    }

    @Override
    protected String timeZoneOption() {
        return configuration.getTimeZone() == null || configuration.getTimeZone().isBlank() ? "UTC"
                : configuration.getTimeZone();
    }

    @Override
    protected VendorException invalidRequest(String op, String message) {
        return new MorValidationException(op, message);
    }

    /** host/username, the {@code source} of records and events of this account. */
    @Override
    public String source() {
        String host;
        try {
            host = URI.create(configuration.getAddress()).getHost();
        } catch (RuntimeException e) {
            host = null;
        }
        return (host != null ? host : "unknown") + "/" + configuration.getUsername();
    }
}
