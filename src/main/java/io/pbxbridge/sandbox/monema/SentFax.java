package io.pbxbridge.sandbox.monema;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fax the simulator accepted with {@code C_sendFax}.
 *
 * @param sessionId    the upload session that carried the document
 * @param login        the account that sent it
 * @param modem        the fax modem used
 * @param destinations the destination numbers, in request order, trimmed
 * @param useCover     whether a cover page was requested
 * @param cover        the cover fields that were sent, keyed by request part name ({@code coverDestName},
 *                     {@code coverDestCompany}, {@code coverDestLocation}, {@code coverDestVoicePhone},
 *                     {@code coverDestSubject}, {@code coverDestComments}); absent (nil) parts are left out
 * @param document     the reassembled document under the simulator's data directory
 * @param bytes        its size
 * @param sha256       lower-case hex SHA-256 of the reassembled document
 * @param sentAt       when the simulator accepted it
 */
public record SentFax(String sessionId, String login, String modem, List<String> destinations, boolean useCover,
        Map<String, String> cover, Path document, long bytes, String sha256, Instant sentAt) {

    public SentFax {
        destinations = List.copyOf(destinations);
        cover = Map.copyOf(cover);
    }
}
