package io.pbxbridge.support.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void reproducesThePublishedTestVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                StandardWebhooks.sign(SECRET, ID, 1614265330, BODY));
    }

    @Test
    void verifiesAndRejects() {
        Instant now = Instant.ofEpochSecond(1614265330 + 10);
        String sig = StandardWebhooks.sign(SECRET, ID, 1614265330, BODY);
        StandardWebhooks.verify(SECRET, ID, "1614265330", "v1,bm9wZQ== " + sig, BODY, Duration.ofMinutes(5), now);
        assertTrue(assertThrows(WebhookVerificationException.class, () -> StandardWebhooks.verify(SECRET, ID,
                "1614265330", sig, "{\"test\": 1}".getBytes(), Duration.ofMinutes(5), now)).getMessage()
                .contains("no valid v1 signature"));
        assertTrue(assertThrows(WebhookVerificationException.class, () -> StandardWebhooks.verify(SECRET, ID,
                "1614265330", sig, BODY, Duration.ofMinutes(5), now.plusSeconds(3600))).getMessage()
                .contains("tolerance"));
        assertThrows(WebhookVerificationException.class, () -> StandardWebhooks.verify(
                StandardWebhooks.newSecret(), ID, "1614265330", sig, BODY, Duration.ofMinutes(5), now));
    }
}
