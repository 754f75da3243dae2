package io.pbxbridge.sandbox.mor;

import java.time.Instant;

/**
 * A fax of a user's Faxes page ({@code /stats/faxes_list}).
 *
 * @param id the server's id (not shown by the page)
 * @param deviceId the fax device that took it
 * @param device the page's {@code device}, e.g. {@code FAX/102}
 * @param filename the page's {@code filename} (empty for a failed fax)
 * @param receiveTime the page's {@code receive_time}
 * @param sender the page's {@code sender} (the calling number; may be empty, as in the spec's sample)
 * @param status the page's {@code status}: {@code Received} or {@code Failed}
 */
public record MorFax(long id, int deviceId, String device, String filename, Instant receiveTime, String sender,
                     String status) {
}
