package io.pbxbridge.sandbox.monema;

import java.time.Instant;

/** An SMS the simulator accepted with {@code C_sendSMS}. */
public record SentSms(String login, String callerId, String dstNumber, String message, Instant sentAt) {
}
