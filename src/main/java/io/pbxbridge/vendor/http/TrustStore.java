package io.pbxbridge.vendor.http;

import java.util.Objects;

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
}
