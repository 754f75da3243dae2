package io.pbxbridge.mor;

import java.util.List;

/** {@code mor:newCalls} ({@code GET /stats/new_calls_list}): calls without destination and price. */
public record NewCalls(String userId, Integer totalCalls, List<MorCall> calls, List<MorRepair> repairs)
        implements MorReply {
}
