package io.pbxbridge.support.webhook;

/** A webhook message failed Standard Webhooks verification. */
public class WebhookVerificationException extends RuntimeException {

    public WebhookVerificationException(String message) {
        super(message);
    }
}
