package io.pbxbridge.vendor;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

import io.pbxbridge.support.metrics.PbxMetrics;
import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.VendorOperation;

/**
 * Calls the endpoint's operation with its inputs; the body becomes the typed result and the source header says who
 * answered. Asynchronous: the call runs on the component's pool and the route's thread goes on (the vendor clients
 * are blocking, a CXF dispatch and an HTTP client without retries, so the pool is where the waiting happens); with
 * the endpoint option {@code synchronous} it runs on the caller's thread.
 */
public class VendorProducer extends DefaultAsyncProducer {

    /** Call latencies by outcome: seconds buckets for an API that answers in milliseconds to seconds. */
    private static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30) };

    private final VendorEndpoint endpoint;
    private Timer ok;
    private Timer transientFailure;
    private Timer permanentFailure;
    private VendorCallHealth health;

    public VendorProducer(VendorEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /**
     * {@code pbx_vendor_calls_seconds{vendor, operation, outcome}}: outcome {@code ok}, {@code transient} or
     * {@code permanent} (as {@link VendorFailures#isTransient} sorts the failure).
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MeterRegistry registry = PbxMetrics.registry(getEndpoint().getCamelContext());
        ok = timer(registry, "ok");
        transientFailure = timer(registry, "transient");
        permanentFailure = timer(registry, "permanent");
        health = endpoint.getComponent().callHealth(); // looked up once: the component's method is synchronized
    }

    private Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder("pbx_vendor_calls").description("vendor API calls and their latency")
                .tags("vendor", endpoint.getComponent().scheme(), "operation", endpoint.getOperation().name(),
                        "outcome", outcome)
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (endpoint.configuration().isSynchronous()) {
            call(exchange);
            callback.done(true);
            return true;
        }
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
        long start = System.nanoTime();
        try {
            VendorOperation op = endpoint.getOperation();
            OperationInputs inputs = endpoint.inputs(exchange);
            Object result = op.invoke(endpoint, inputs);
            ok.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            health.succeeded(op.name());
            Message out = exchange.getMessage();
            out.setHeader(endpoint.sourceHeader(), endpoint.source());
            if (endpoint.timeZone() != null) {
                out.setHeader(endpoint.timeZoneHeader(), endpoint.timeZone().getId());
            }
            out.setBody(result);
        } catch (Throwable t) {
            (VendorFailures.isTransient(t) ? transientFailure : permanentFailure)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            health.failed(endpoint.getOperation().name(), t);
            exchange.setException(t);
        }
    }
}
