package io.pbxbridge.mor;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/** {@code mor:payments} ({@code GET /payments/personal_payments}). Dates are the server's local time. */
public record Payments(String userId, List<Payment> payments, List<MorRepair> repairs) implements MorReply {

    public record Payment(LocalDateTime date, LocalDateTime confirmedDate, String type, BigDecimal amount,
                          BigDecimal vat, BigDecimal amountWithVat, String currency, boolean completed) {
    }
}
