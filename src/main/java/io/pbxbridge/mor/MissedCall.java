package io.pbxbridge.mor;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * A missed call ({@code /stats/missed_calls}): the only MOR list whose records have an id, and a flag the user sets
 * when the call was dealt with ({@code mor:processMissedCall}).
 *
 * @param date when, the server's local time
 */
public record MissedCall(String callId, LocalDateTime date, String calledFrom, String calledTo, Duration duration,
                         String hangupCause, boolean processed) {
}
