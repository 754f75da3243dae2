package io.pbxbridge.vendor.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link VendorHttpClient}'s connections are made with. A value: a component keeps one client per distinct
 * settings ({@link io.pbxbridge.vendor.VendorComponent#client}), so endpoints that change none of them share one connection pool.
 *
 * @param connectTimeout  to open a connection (TLS handshake included) and to wait for a free pooled one
 * @param responseTimeout the longest silence while waiting for or reading the response (a request may set its own)
 * @param trustStore      to verify servers with, or null for the JVM's trust
 * @param maxConnections  pooled connections, per server and in all
 */
public record VendorHttpSettings(Duration connectTimeout, Duration responseTimeout, TrustStore trustStore,
                                 int maxConnections) {

    public static final int DEFAULT_MAX_CONNECTIONS = 20;

    public VendorHttpSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(responseTimeout, "responseTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
    }

    /** The JVM's trust and {@value #DEFAULT_MAX_CONNECTIONS} connections. */
    public static VendorHttpSettings of(Duration connectTimeout, Duration responseTimeout) {
        return new VendorHttpSettings(connectTimeout, responseTimeout, null, DEFAULT_MAX_CONNECTIONS);
    }

    public VendorHttpSettings withTrustStore(TrustStore trustStore) {
        return new VendorHttpSettings(connectTimeout, responseTimeout, trustStore, maxConnections);
    }

    public VendorHttpSettings withMaxConnections(int maxConnections) {
        return new VendorHttpSettings(connectTimeout, responseTimeout, trustStore, maxConnections);
    }

    static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }
}
