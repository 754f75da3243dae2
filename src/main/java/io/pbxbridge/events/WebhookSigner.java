package io.pbxbridge.events;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import io.pbxbridge.support.webhook.StandardWebhooks;

/**
 * Route step of a webhook delivery: body = the structured CloudEvent JSON, headers {@code webhook-id} (the event id,
 * the same on every retry so receivers can dedupe), {@code webhook-timestamp} (now, fresh on each attempt) and
 * {@code webhook-signature}.
 */
public class WebhookSigner {

    private String secret;

    public void sign(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        CloudEvent event = in.getMandatoryBody(CloudEvent.class);
        byte[] body = CloudEvents.structured(event);
        long now = Instant.now().getEpochSecond();
        in.setHeader(StandardWebhooks.ID, event.id());
        in.setHeader(StandardWebhooks.TIMESTAMP, Long.toString(now));
        in.setHeader(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(secret, event.id(), now, body));
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setBody(body);
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }
}
