package io.pbxbridge.support.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing and verification as the Standard Webhooks specification defines them: headers {@code webhook-id},
 * {@code webhook-timestamp} (UNIX seconds) and {@code webhook-signature} ({@code v1,<base64 HMAC-SHA256>} of
 * {@code "<id>.<timestamp>.<body>"}), secrets in their {@code whsec_<base64 key>} form. Receivers can use any Standard
 * Webhooks library; {@link #verify} is the same check, for tests and Java receivers.
 */
public final class StandardWebhooks {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    private static final String PREFIX = "whsec_";

    private StandardWebhooks() {
    }

    /** The {@code webhook-signature} header value for one message. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), id, timestamp, body));
    }

    /**
     * Checks a received message: the timestamp within {@code tolerance} of {@code now} (rejecting replays of old
     * messages and messages from the future) and one of the space-separated {@code v1} signatures valid.
     *
     * @throws WebhookVerificationException saying what is wrong
     */
    public static void verify(String secret, String id, String timestamp, String signatureHeader, byte[] body,
            Duration tolerance, Instant now) {
        if (id == null || timestamp == null || signatureHeader == null) {
            throw new WebhookVerificationException("missing webhook-id, webhook-timestamp or webhook-signature header");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("webhook-timestamp is not a number: " + timestamp);
        }
        if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp " + ts + " is outside the tolerance of "
                    + tolerance.toSeconds() + " s (replay or clock skew)");
        }
        byte[] expected = hmac(key(secret), id, ts, body);
        for (String candidate : signatureHeader.trim().split(" ")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !"v1".equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new WebhookVerificationException("no valid v1 signature");
    }

    /** A new random secret in {@code whsec_} form. */
    public static String newSecret() {
        byte[] key = new byte[24];
        new java.security.SecureRandom().nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static byte[] key(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("webhook secret is not set");
        }
        String s = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook secret is not whsec_<base64>");
        }
    }

    private static byte[] hmac(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
