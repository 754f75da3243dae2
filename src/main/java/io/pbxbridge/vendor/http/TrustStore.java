package io.pbxbridge.vendor.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Collections;
import java.util.Objects;

import javax.net.ssl.TrustManagerFactory;

import io.pbxbridge.vendor.VendorFailures;

import io.pbxbridge.support.SecretMasking;

/**
 * A trust store the transport verifies servers with (for vendors whose servers have self-signed certificates), instead
 * of the JVM's. Never "trust all".
 *
 * @param path     the file
 * @param password its password; null reads a JKS store's certificates without checking it (a PKCS12 store made by
 *                 keytool encrypts them: it needs the password)
 * @param type     {@code PKCS12} or {@code JKS}; null: the JVM's default type (PKCS12, which reads JKS too)
 */
public record TrustStore(String path, String password, String type) {

    public TrustStore {
        Objects.requireNonNull(path, "path");
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "TrustStore[path=" + path + ", type=" + type + ", password=" + (password == null ? null : SecretMasking.MASK)
                + "]";
    }

    /**
     * The trust managers of this store, for any TLS transport (the HTTP client, a WebSocket client).
     *
     * @throws IllegalArgumentException when the store cannot be read or holds no certificate
     */
    public TrustManagerFactory trustManagerFactory() {
        String t = type != null ? type : KeyStore.getDefaultType();
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore ks = KeyStore.getInstance(t);
            ks.load(in, password == null ? null : password.toCharArray());
            if (!holdsCertificate(ks)) {
                // an empty trust store would fail every handshake with "trustAnchors parameter must be non-empty"
                throw new IllegalArgumentException("the trust store " + path + " (" + t + ") holds no certificate"
                        + (password == null ? "; is its password missing?" : ""));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the trust store " + path + " (" + t + "): "
                    + VendorFailures.rootMessage(e), e);
        }
    }

    private static boolean holdsCertificate(KeyStore ks) throws KeyStoreException {
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.getCertificate(alias) != null) {
                return true;
            }
        }
        return false;
    }
}
