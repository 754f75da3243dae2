package io.pbxbridge.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A pbx-bridge event in CloudEvents 1.0 structured JSON form. {@code sequence}/{@code sequencetype} are the
 * CloudEvents sequence extension: the event's position among the events of its call ({@code subject}), so consumers
 * can order them; {@code id} is unique, so they can dedupe.
 *
 * @param specversion     always {@code 1.0}
 * @param id              unique event id
 * @param source          where it happened, e.g. {@code /escaux/sop.example.com} or {@code /monema/fax}
 * @param type            e.g. {@code pbx.call.ringing}, {@code pbx.fax.sent}
 * @param time            when it happened
 * @param subject         the call id (or fax job id)
 * @param datacontenttype always {@code application/json}
 * @param sequence        per-subject sequence number, as the extension's decimal string
 * @param sequencetype    {@code Integer}
 * @param pbxvendor       vendor scheme (extension attribute)
 * @param data            the {@code CallEvent} or {@code FaxJob}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "specversion", "id", "source", "type", "time", "subject", "datacontenttype", "sequence",
        "sequencetype", "pbxvendor", "data" })
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        String datacontenttype,
        String sequence,
        String sequencetype,
        String pbxvendor,
        Object data) {
}
