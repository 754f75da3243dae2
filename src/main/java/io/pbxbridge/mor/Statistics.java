package io.pbxbridge.mor;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** {@code mor:statistics}, {@code mor:statisticsPeriod} ({@code /stats/user_stats}): the detailed statistics. */
public record Statistics(String userId, LocalDate startDate, LocalDate endDate, Integer todaysNormative,
                         Integer monthsNormative, Integer newCalls, CallCounts incoming, CallCounts outgoing,
                         List<Day> days, List<MorRepair> repairs) implements MorReply {

    public record CallCounts(Integer answered, Integer noAnswer, Integer busy, Integer failed) {
    }

    /** @param duration and @param averageTime as MOR writes them (minutes, e.g. {@code 1.5}) */
    public record Day(LocalDate date, Integer callsCount, BigDecimal duration, BigDecimal averageTime,
                      BigDecimal callsNormative) {
    }
}
