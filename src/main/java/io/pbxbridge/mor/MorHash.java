package io.pbxbridge.mor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code hash} parameter of MOR's API (Kolmisoft's rule, "MOR API hash construction"): the lowercase hex SHA-1
 * of the values (not the names) of the hashed parameters concatenated in order, with no separator, followed by the
 * API secret key. The hashed parameters are {@code user_id} first, then the operation's own parameters in the order
 * the spec lists them ({@link MorOperation}); empty or absent ones are skipped; path segments
 * ({@code %device_id%}...) are not parameters. Kolmisoft's published example, a unit test:
 * {@code sha1("123" + "1252454580" + "answered" + "Very Sercet Key") = b93c35d5c6183288322122561a3da7e09abb63b7}.
 * <p>
 * A hash is a secret (with the parameters it proves the key): the transport masks the {@code hash} parameter, and
 * nothing here logs.
 */
public final class MorHash {

    private MorHash() {
    }

    /** The hash of {@code values} (empty and null ones skipped) and {@code secretKey}. */
    public static String of(List<String> values, String secretKey) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                sha1.update(v.getBytes(StandardCharsets.UTF_8));
            }
        }
        sha1.update(secretKey.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha1.digest());
    }
}
