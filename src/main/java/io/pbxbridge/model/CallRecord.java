package io.pbxbridge.model;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A call detail record, vendor neutral. {@code key} is {@code vendor:source:vendorRecordId} and is stable across
 * harvests, so sinks can dedupe on it.
 *
 * @param key         stable unique key (vendor + source + vendor record id)
 * @param vendor      vendor scheme, e.g. {@code monema}
 * @param source      which server/account the record came from
 * @param callId      the vendor's id of the call in the PBX (e.g. Asterisk uniqueid), when known
 * @param start       when the call started
 * @param answer      when it was answered, when known
 * @param end         when it ended, when known
 * @param duration    total seconds
 * @param billsec     billed seconds, when known
 * @param from        calling number
 * @param to          called number
 * @param direction   direction as seen from the PBX
 * @param disposition how it ended
 * @param cost        cost in {@code currency}, when known
 * @param currency    ISO currency code, or null for the account's default currency
 * @param recording   reference to a recording (id or URL), null when not recorded
 * @param raw         the vendor's record as received
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "key", "vendor", "source", "callId", "start", "answer", "end", "duration", "billsec", "from", "to",
        "direction", "disposition", "cost", "currency", "recording", "raw" })
public record CallRecord(
        String key,
        String vendor,
        String source,
        String callId,
        Instant start,
        Instant answer,
        Instant end,
        Long duration,
        Long billsec,
        String from,
        String to,
        Direction direction,
        Disposition disposition,
        BigDecimal cost,
        String currency,
        String recording,
        Object raw) {

    public static String key(String vendor, String source, String vendorRecordId) {
        return vendor + ":" + source + ":" + vendorRecordId;
    }
}
