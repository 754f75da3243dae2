package io.pbxbridge.mor;

import java.time.LocalDateTime;
import java.util.List;

/**
 * {@code mor:missedCalls}, {@code mor:missedCallsPeriod}, {@code mor:processMissedCall} ({@code /stats/missed_calls}).
 * Read through {@link MorClient#missedCallsPeriod(java.time.Instant, java.time.Instant, java.util.function.Consumer)}
 * the calls go to a consumer as they are read and {@link #calls()} is empty.
 *
 * @param callCount the calls on the page (streamed or in {@link #calls()})
 */
public record MissedCalls(String userId, String username, Integer missedTotal, LocalDateTime periodStart,
                          LocalDateTime periodEnd, List<MissedCall> calls, int callCount, List<MorRepair> repairs)
        implements MorReply {
}
