package io.pbxbridge.events;

import java.nio.file.Path;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.support.webhook.StandardWebhooks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every webhook subscription signs: one without a secret (a copy of the route template, say) does not start. */
class WebhookSecretTest {

    @TempDir
    Path tmp;

    SinkGuard guard(DefaultCamelContext context, String secret) {
        SinkGuard guard = new SinkGuard();
        guard.setCamelContext(context);
        guard.setSink("webhook-copy");
        guard.setDeliverUri("http://127.0.0.1:9/hook?httpMethod=POST");
        guard.setSpoolDir(tmp.resolve("spool").toString());
        guard.setDeadLetterDir(tmp.resolve("dead").toString());
        guard.setSigningSecret(secret);
        return guard;
    }

    @Test
    void aSubscriptionWithoutASecretDoesNotStart() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            Exception e = assertThrows(Exception.class, () -> guard(context, "").start());
            assertTrue(String.valueOf(e.getMessage()).contains("has no signing secret"), e.toString());
            SinkGuard signed = guard(context, StandardWebhooks.newSecret());
            assertDoesNotThrow(signed::start);
            signed.stop();
        }
    }
}
