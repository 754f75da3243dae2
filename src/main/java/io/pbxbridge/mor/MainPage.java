package io.pbxbridge.mor;

import java.time.Duration;
import java.util.List;

/**
 * {@code mor:mainPage} ({@code GET /callc/main}): the welcome page's statistics and finances.
 *
 * @param balance e.g. {@code 100 USD}
 * @param credit  {@code No Limit} or an amount, as written
 */
public record MainPage(String username, String userId, String language, Integer missedToday, Integer missedTotal,
                       List<CallHistory> callHistory, String account, MorMoney balance, String credit,
                       List<MorRepair> repairs) implements MorReply {

    /** Calls of a period ({@code Month}, {@code Day}): how many and how long in all. */
    public record CallHistory(Integer callCount, String period, Duration duration) {
    }
}
