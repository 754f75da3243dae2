package io.pbxbridge.sandbox.portasip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A self-signed certificate made at start, as PortaSIP ships one: EC P-256, SHA256withECDSA, CN "PortaSIP simulator",
 * subject alternative names {@code localhost} and {@code 127.0.0.1}, valid from yesterday for ten years. Written in
 * DER by hand, because the JDK has no public certificate builder and Netty's (behind Vert.x's
 * {@code SelfSignedCertificate}) needs BouncyCastle or {@code --add-exports} on Java 17.
 */
final class SelfSignedTls {

    static final String PASSWORD = "changeit";

    private final X509Certificate certificate;
    private final byte[] pkcs12;

    private SelfSignedTls(X509Certificate certificate, byte[] pkcs12) {
        this.certificate = certificate;
        this.pkcs12 = pkcs12;
    }

    static SelfSignedTls generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = g.generateKeyPair();
            byte[] ecdsaSha256 = seq(oid(1, 2, 840, 10045, 4, 3, 2));
            byte[] name = seq(set(seq(oid(2, 5, 4, 3), tlv(0x0c, "PortaSIP simulator".getBytes(StandardCharsets.UTF_8)))));
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
            byte[] validity = seq(tlv(0x17, utc.format(now.minusDays(1)).getBytes(StandardCharsets.US_ASCII)),
                    tlv(0x17, utc.format(now.plusYears(10)).getBytes(StandardCharsets.US_ASCII)));
            byte[] san = seq(tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),
                    tlv(0x87, new byte[] {127, 0, 0, 1}));
            byte[] extensions = tlv(0xa3, seq(seq(oid(2, 5, 29, 17), tlv(0x04, san))));
            byte[] serial = tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray());
            byte[] tbs = seq(tlv(0xa0, tlv(0x02, new byte[] {2})), serial, ecdsaSha256, name, validity, name,
                    pair.getPublic().getEncoded(), extensions);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(pair.getPrivate());
            s.update(tbs);
            byte[] sig = s.sign();
            byte[] bitString = new byte[sig.length + 1];
            System.arraycopy(sig, 0, bitString, 1, sig.length);
            byte[] der = seq(tbs, ecdsaSha256, tlv(0x03, bitString));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("portasip", pair.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {cert});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, PASSWORD.toCharArray());
            return new SelfSignedTls(cert, out.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot make a self-signed certificate", e);
        }
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** The key and certificate as a PKCS12 key store, password {@link #PASSWORD}. */
    byte[] pkcs12() {
        return pkcs12.clone();
    }

    /** A key store with only {@code cert}, as a trust store (type PKCS12). */
    static KeyStore trustStore(X509Certificate cert) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("portasip-simulator", cert);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeTrustStore(X509Certificate cert, Path file, char[] password) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore(cert).store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot write the trust store " + file, e);
        }
    }

    static String pem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- DER ----

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            int n = 0;
            byte[] tmp = new byte[5];
            do {
                tmp[n++] = (byte) (v & 0x7f);
                v >>>= 7;
            } while (v != 0);
            for (int j = n - 1; j >= 0; j--) {
                b.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, b.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(value.length + 6);
        b.write(tag);
        int len = value.length;
        if (len < 0x80) {
            b.write(len);
        } else if (len < 0x100) {
            b.write(0x81);
            b.write(len);
        } else if (len < 0x10000) {
            b.write(0x82);
            b.write(len >> 8);
            b.write(len);
        } else {
            b.write(0x83);
            b.write(len >> 16);
            b.write(len >> 8);
            b.write(len);
        }
        b.writeBytes(value);
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
