package io.pbxbridge.mor;

import java.time.Instant;

/**
 * The filters of {@code mor:callsPeriod} ({@code POST /stats/call_list}). The period is sent as epoch seconds
 * ({@code period_start}, {@code period_end}); the filters as MOR names them, left out when null.
 *
 * @param direction e.g. {@code all}, {@code incoming}, {@code outgoing}
 * @param callType  e.g. {@code all}, {@code answered}, {@code missed} (the spec: "outgoing - incoming - all")
 * @param device    a device id, or {@code all}
 */
public record CallQuery(Instant periodStart, Instant periodEnd, String direction, String callType, String device) {

    public static CallQuery of(Instant periodStart, Instant periodEnd) {
        return new CallQuery(periodStart, periodEnd, null, null, null);
    }
}
