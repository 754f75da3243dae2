package io.pbxbridge.vendor;

import java.time.Duration;

import org.apache.camel.spi.UriParam;

import io.pbxbridge.vendor.http.TrustStore;
import io.pbxbridge.vendor.http.VendorHttpSettings;

/**
 * Base of the configurations of the vendors reached over HTTPS with their own certificates (Escaux, PortaSIP, MOR,
 * METASEC): the trust store their servers are verified with. Verification is never turned off.
 */
public abstract class HttpsVendorConfiguration extends VendorConfiguration {

    @UriParam(label = "security")
    private String trustStore;
    @UriParam(label = "security", secret = true)
    private String trustStorePassword;
    @UriParam(label = "security")
    private String trustStoreType;

    /** Milliseconds to open a connection (its default is each vendor's). */
    public abstract int getConnectTimeout();

    /** Milliseconds to wait for an answer (its default is each vendor's). */
    public abstract int getRequestTimeout();

    /** The HTTP transport's settings: the timeouts and the trust store. */
    public VendorHttpSettings httpSettings() {
        return VendorHttpSettings.of(Duration.ofMillis(getConnectTimeout()), Duration.ofMillis(getRequestTimeout()))
                .withTrustStore(trustStore());
    }

    /** The trust store set by the three options, or null for the JVM's trust. */
    public TrustStore trustStore() {
        return trustStore == null || trustStore.isBlank() ? null
                : new TrustStore(trustStore, trustStorePassword, trustStoreType);
    }

    public String getTrustStore() {
        return trustStore;
    }

    /**
     * A trust store file to verify the server's certificate with (a self-signed one), instead of the JVM's trust.
     * Verification is never turned off.
     */
    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    /** The trust store's password (a PKCS12 store made by keytool needs it). Never logged. */
    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public String getTrustStoreType() {
        return trustStoreType;
    }

    /** The trust store's type, PKCS12 or JKS; default the JVM's (PKCS12, which reads JKS too). */
    public void setTrustStoreType(String trustStoreType) {
        this.trustStoreType = trustStoreType;
    }
}
