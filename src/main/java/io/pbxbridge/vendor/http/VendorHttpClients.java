package io.pbxbridge.vendor.http;

import java.io.Closeable;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The transports of one component: one {@link VendorHttpClient} per distinct {@link VendorHttpSettings} (endpoints
 * may set their own timeouts or trust store; most share the component's), so a component has one connection pool
 * rather than one per endpoint. The component closes them when it shuts down.
 */
public final class VendorHttpClients implements Closeable {

    private final Function<VendorHttpSettings, VendorHttpClient> factory;
    private final Map<VendorHttpSettings, VendorHttpClient> clients = new HashMap<>();

    /** @param factory makes the vendor's client for given settings (its failures and secret names) */
    public VendorHttpClients(Function<VendorHttpSettings, VendorHttpClient> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** The client for {@code settings}, made on first use. */
    public synchronized VendorHttpClient get(VendorHttpSettings settings) {
        return clients.computeIfAbsent(Objects.requireNonNull(settings, "settings"), factory);
    }

    /** Closes every client; {@link #get} makes new ones afterwards. */
    @Override
    public synchronized void close() {
        clients.values().forEach(VendorHttpClient::close);
        clients.clear();
    }
}
