package io.pbxbridge.mor;

import java.math.BigDecimal;

/**
 * An amount as MOR writes it: {@code 100 USD} (balance, subscription prices) or a plain decimal whose currency the
 * page gives elsewhere.
 *
 * @param amount   the amount
 * @param currency the currency code written with it, or null
 */
public record MorMoney(BigDecimal amount, String currency) {

    @Override
    public String toString() {
        return currency == null ? amount.toPlainString() : amount.toPlainString() + " " + currency;
    }
}
