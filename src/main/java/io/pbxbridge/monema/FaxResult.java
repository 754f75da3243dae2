package io.pbxbridge.monema;

import java.time.Instant;
import java.util.List;

/**
 * Result of the composite {@code monema:fax} operation.
 *
 * @param sessionId    upload session the document was sent from
 * @param modem        fax modem used
 * @param destinations destination numbers
 * @param bytes        bytes uploaded (the server confirmed the same size)
 * @param chunks       chunks uploaded
 * @param uploadedAt   when the last chunk was confirmed
 * @param sentAt       when {@code C_sendFax} was confirmed
 */
public record FaxResult(String sessionId, String modem, List<String> destinations, long bytes, int chunks,
        Instant uploadedAt, Instant sentAt) {
}
