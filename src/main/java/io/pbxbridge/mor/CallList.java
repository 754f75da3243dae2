package io.pbxbridge.mor;

import java.time.LocalDateTime;
import java.util.List;

/**
 * {@code mor:calls} ({@code GET /stats/call_list}: today) and {@code mor:callsPeriod} ({@code POST}, a period and
 * filters): the calls, oldest first, and the page's filters. Read through {@link MorClient#callsPeriod(CallQuery,
 * java.util.function.Consumer)} the calls go to a consumer as they are read and {@link #calls()} is empty.
 *
 * @param callCount   the calls on the page (streamed or in {@link #calls()})
 * @param totalCalls  MOR's own count ({@code total_calls})
 * @param currency    of the calls' prices
 * @param periodStart the period shown, the server's local time
 */
public record CallList(String userId, String username, String showDevice, String status, String direction,
                       Integer totalCalls, String currency, LocalDateTime periodStart, LocalDateTime periodEnd,
                       List<MorCall> calls, int callCount, List<MorRepair> repairs) implements MorReply {
}
