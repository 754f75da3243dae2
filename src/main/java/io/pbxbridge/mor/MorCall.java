package io.pbxbridge.mor;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * A call of the call list ({@code /stats/call_list}) or of the new calls ({@code /stats/new_calls_list}, without
 * destination and price). MOR gives calls no id: a harvest keys them by their content (and an occurrence number for
 * identical calls in one second).
 *
 * @param date        when the call started, the server's local time (the endpoint's {@code timeZone})
 * @param duration    {@code HH:MM:SS}
 * @param hangupCause e.g. {@code Answered}, {@code No Answer}
 * @param price       in the page's currency ({@link CallList#currency()}); null on the new calls page
 */
public record MorCall(LocalDateTime date, String calledFrom, String calledTo, String destination,
                      Duration duration, String hangupCause, BigDecimal price) {
}
