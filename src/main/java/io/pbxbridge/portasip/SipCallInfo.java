package io.pbxbridge.portasip;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The state of one leg of a call (Call Control {@code SIPCallInfo}): in {@code get_sip_calls_list} replies and in
 * {@code sip.call_control_notifications} frames. Which fields are set depends on the state: {@code startTime} in
 * trying, ringing and early; {@code connectTime} in connected, held and holding; {@code duration}, {@code reason},
 * {@code reasonCode} in terminated; {@code queueInfo} in queued and dequeued; the IVR fields in IVR notifications.
 * <p>
 * The names of the IVR fields ({@code ivr_event}, {@code dtmf_digit}, {@code dtmf_duration}, {@code order}) are lost in
 * the spec's text: these are the names pbx-bridge and its simulator agreed on. Times are the server's local time
 * ({@code yyyy-MM-dd HH:mm:ss}, no zone), kept as written; {@link #startDateTime()} and {@link #connectDateTime()} read
 * them. Unknown fields are ignored.
 *
 * @param state        trying, ringing, early, connected, held, holding, terminated, queued, dequeued
 * @param transportId  {@code IP:port}, needed by the live-call methods
 * @param type         outgoing (this leg's UA initiated it) or incoming
 * @param duration     seconds from connect to the end (terminated)
 * @param ivrEvent     play_prompt_completed or dtmf_digit_detected
 * @param dtmfDuration milliseconds
 * @param order        the prompt's playback order, 2 or 3
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SipCallInfo(SipCallIdentifier call, SipCallerInfo callee, SipCallerInfo caller, String state,
                          String transportId, String type, String connectTime, Integer duration, String reason,
                          Integer reasonCode, String startTime, SipCallQueueStateInfo queueInfo, String ivrEvent,
                          String dtmfDigit, Integer dtmfDuration, Integer order) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** {@link #startTime()} read, or null when absent or not a time. */
    public LocalDateTime startDateTime() {
        return parse(startTime);
    }

    /** {@link #connectTime()} read, or null when absent or not a time. */
    public LocalDateTime connectDateTime() {
        return parse(connectTime);
    }

    /** {@code yyyy-MM-dd HH:mm:ss} (also with a {@code T}); null when absent or not a time. */
    static LocalDateTime parse(String time) {
        if (time == null || time.isBlank()) {
            return null;
        }
        String t = time.trim();
        try {
            return LocalDateTime.parse(t, TIME);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t.replace(' ', 'T'));
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
