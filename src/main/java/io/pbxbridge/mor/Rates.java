package io.pbxbridge.mor;

import java.math.BigDecimal;
import java.util.List;

/** {@code mor:rates}, {@code mor:changeCurrency} ({@code GET /tariffs/user_rates}): the user's rates. */
public record Rates(String userId, String currency, BigDecimal vatPercent, List<String> availableCurrencies,
                    List<Rate> rates, List<MorRepair> repairs) implements MorReply {

    /** @param type e.g. {@code FIX}, {@code MOB}; @param cost and @param vatCost per minute in the page's currency */
    public record Rate(String name, String icon, String type, BigDecimal cost, BigDecimal vatCost) {
    }
}
