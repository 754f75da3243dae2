package io.pbxbridge.mor;

import java.time.LocalDateTime;
import java.util.List;

/**
 * {@code mor:subscriptions} ({@code GET /services/user_subscriptions}). MOR writes {@code acivation_start} and
 * {@code acivation_end} (sic).
 */
public record Subscriptions(String userId, List<Subscription> subscriptions, List<MorRepair> repairs)
        implements MorReply {

    public record Subscription(String service, LocalDateTime dateAdded, LocalDateTime activationStart,
                               LocalDateTime activationEnd, MorMoney price) {
    }
}
