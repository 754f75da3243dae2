package io.pbxbridge.vendor;

import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.VendorOperation;

/**
 * Calls the endpoint's operation with its inputs; the body becomes the typed result and the source header says who
 * answered. Asynchronous: the call runs on the component's pool and the route's thread goes on (the vendor clients
 * are blocking, a CXF dispatch and an HTTP client without retries, so the pool is where the waiting happens).
 */
public class VendorProducer extends DefaultAsyncProducer {

    private final VendorEndpoint endpoint;

    public VendorProducer(VendorEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            endpoint.getComponent().callExecutor().execute(() -> {
                call(exchange);
                callback.done(false);
            });
            return false;
        } catch (RejectedExecutionException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private void call(Exchange exchange) {
        try {
            VendorOperation op = endpoint.getOperation();
            OperationInputs inputs = endpoint.inputs(exchange);
            Object result = op.invoke(endpoint, inputs);
            Message out = exchange.getMessage();
            out.setHeader(endpoint.sourceHeader(), endpoint.source());
            if (endpoint.timeZone() != null) {
                out.setHeader(endpoint.timeZoneHeader(), endpoint.timeZone().getId());
            }
            out.setBody(result);
        } catch (Throwable t) {
            exchange.setException(t);
        }
    }
}
