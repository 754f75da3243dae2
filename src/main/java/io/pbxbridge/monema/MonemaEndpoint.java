package io.pbxbridge.monema;

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

/**
 * Calls one operation of the Monema client SOAP API: the path names the operation ({@code getCalls},
 * {@code sendSMS}, ... or the composite {@code fax}), options and headers carry its inputs, the body its typed
 * result. The path {@code cdr} harvests the account's call records ({@code List<CallRecord>} batches) on its
 * schedule.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "monema", title = "Monema", syntax = "monema:operation",
             category = { Category.CLOUD, Category.API }, headersClass = MonemaConstants.class)
public class MonemaEndpoint extends VendorEndpoint {

    @UriPath(description = "The operation to call, or cdr to harvest the call records")
    @Metadata(required = true)
    private final MonemaOperation operation;
    @UriParam
    private final MonemaConfiguration configuration;

    private MonemaClient client;
    private MonemaFaxSender faxSender;

    public MonemaEndpoint(String uri, MonemaComponent component, MonemaOperation operation,
                          MonemaConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        if (operation == MonemaOperation.cdr) {
            throw new UnsupportedOperationException("monema:cdr is consumer only; call getCalls to read calls");
        }
        return new VendorProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (operation != MonemaOperation.cdr) {
            throw new UnsupportedOperationException("monema:" + operation + " has no consumer; consume monema:cdr "
                    + "for the call records, or call the operation on a schedule");
        }
        return createCallRecordConsumer(processor, new MonemaCallRecordPages(this::client, timeZone(), source()));
    }

    @Override
    public MonemaOperation getOperation() {
        return operation;
    }

    @Override
    public MonemaConfiguration configuration() {
        return configuration;
    }

    public MonemaConfiguration getConfiguration() {
        return configuration;
    }

    MonemaClient client() {
        return client;
    }

    MonemaFaxSender faxSender() {
        return faxSender;
    }

    /** host/login, the {@code source} of records and events from this account. */
    @Override
    public String source() {
        String host;
        try {
            host = URI.create(configuration.getAddress()).getHost();
        } catch (RuntimeException e) {
            host = "unknown";
        }
        return host + "/" + configuration.getLogin();
    }

    @Override
    protected String timeZoneOption() {
        return configuration.getTimeZone() == null ? "" : configuration.getTimeZone();
    }

    @Override
    protected VendorException invalidRequest(String op, String message) {
        return new MonemaException(op, "INVALID_REQUEST", VendorException.Kind.INVALID_REQUEST,
                "monema:" + op + " " + message, null);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = getComponent().client(configuration.connection(),
                () -> new MonemaClient(getCamelContext(), configuration.copy()));
        faxSender = new MonemaFaxSender(configuration);
    }
}
