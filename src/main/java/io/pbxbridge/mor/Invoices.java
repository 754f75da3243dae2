package io.pbxbridge.mor;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/** {@code mor:invoices} ({@code GET /accounting/user_invoices}). Dates are the server's local time. */
public record Invoices(String userId, List<Invoice> invoices, List<MorRepair> repairs) implements MorReply {

    /** @param paid as MOR writes it (empty when unpaid) */
    public record Invoice(String user, String number, LocalDateTime periodStart, LocalDateTime periodEnd,
                          LocalDateTime issueDate, String paid, LocalDateTime paidDate, BigDecimal price,
                          BigDecimal vat, BigDecimal priceWithVat) {
    }
}
