package io.pbxbridge.monema;

/**
 * The cover page fields of {@code C_sendFax}. A fax is sent with a cover when a cover is given.
 *
 * @param name       name of the recipient
 * @param company    recipient's company
 * @param location   where the fax is received
 * @param voicePhone recipient's voice phone
 * @param subject    subject line
 * @param comments   comments
 */
public record FaxCover(String name, String company, String location, String voicePhone, String subject,
        String comments) {
}
