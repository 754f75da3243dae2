package io.pbxbridge.vendor;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.apache.camel.Service;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.IOHelper;

import io.pbxbridge.support.Durations;

/**
 * What every vendor component owns: one client per connection (address and account), shared by all the endpoints
 * that use it, and the thread pool vendor calls run on, so a slow vendor never holds a route's thread.
 */
public abstract class VendorComponent extends DefaultComponent {

    private final Map<Object, Object> clients = new ConcurrentHashMap<>();
    private volatile ExecutorService callExecutor;
    private VendorCallHealth callHealth;

    /** The scheme, e.g. {@code escaux}. */
    public abstract String scheme();

    /**
     * The client for {@code connection} (a value that tells connections apart: address, account, timeouts...),
     * created and started on first use, stopped (or closed) when the component shuts down.
     */
    @SuppressWarnings("unchecked")
    public <C> C client(Object connection, Supplier<C> factory) {
        Object client = clients.get(connection);
        if (client == null) {
            // not computeIfAbsent: a factory may ask for another client (a vendor client for its transport)
            synchronized (clients) {
                client = clients.get(connection);
                if (client == null) {
                    client = factory.get();
                    ServiceHelper.startService(client);
                    clients.put(connection, client);
                }
            }
        }
        return (C) client;
    }

    /** The operation an endpoint path names, or an error listing the operations there are. */
    protected <O extends Enum<O>> O operation(Class<O> operations, String path) {
        try {
            return Enum.valueOf(operations, path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(scheme() + ": unknown operation '" + path + "'; one of "
                    + Arrays.toString(operations.getEnumConstants()));
        }
    }

    /**
     * The vendor's API readiness check, fed by its producers' calls; registered with Camel's health at start. Its
     * budget is {@code vendor.health.failing-budget} (60 s when not set).
     */
    public synchronized VendorCallHealth callHealth() {
        if (callHealth == null) {
            String budget = getCamelContext().resolvePropertyPlaceholders("{{vendor.health.failing-budget:60s}}");
            callHealth = new VendorCallHealth(scheme(), Durations.parse(budget));
        }
        return callHealth;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null) {
            health.register(callHealth());
        }
    }

    /** The pool vendor calls run on (Camel's default thread pool profile, named after the scheme). */
    public ExecutorService callExecutor() {
        ExecutorService e = callExecutor;
        if (e == null) {
            synchronized (this) {
                e = callExecutor;
                if (e == null) {
                    e = getCamelContext().getExecutorServiceManager().newDefaultThreadPool(this, scheme() + "-calls");
                    callExecutor = e;
                }
            }
        }
        return e;
    }

    @Override
    protected void doStop() throws Exception {
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null && callHealth != null) {
            health.unregister(callHealth);
        }
        ExecutorService e = callExecutor;
        callExecutor = null;
        if (e != null) {
            getCamelContext().getExecutorServiceManager().shutdownGraceful(e);
        }
        super.doStop();
    }

    /**
     * Clients are closed at shutdown (a CamelContext that stops shuts its components down and forgets their
     * endpoints), not at a stop of the component alone, after which its endpoints may start again with them.
     */
    @Override
    protected void doShutdown() throws Exception {
        for (Object client : clients.values()) {
            if (client instanceof Service service) {
                ServiceHelper.stopService(service);
            } else if (client instanceof java.io.Closeable closeable) {
                IOHelper.close(closeable);
            }
        }
        clients.clear();
        super.doShutdown();
    }
}
