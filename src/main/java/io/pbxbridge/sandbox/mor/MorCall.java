package io.pbxbridge.sandbox.mor;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One call of a user's call list as the simulator keeps it. The pages show no id ({@code /stats/call_list} has
 * none); {@link #id()} is the {@code call_id} of the missed-calls page, the only page that shows one.
 *
 * @param id the server's id (the missed-calls page's {@code call_id})
 * @param userId the user whose call it is
 * @param date when the call started (the page's {@code date}, in whole seconds)
 * @param calledFrom the page's {@code called_from}
 * @param calledTo the page's {@code called_to}
 * @param destination the page's {@code destination} (the external number's direction)
 * @param durationSeconds the page's {@code duration} ({@code HH:MM:SS} there)
 * @param hangupCause the page's {@code hangup_cause}: {@code Answered}, {@code No Answer}, {@code Busy} or
 *        {@code Failed}
 * @param priceUsd the price in USD (the page shows it in the user's currency)
 * @param deviceId the user's device (its {@code acc}) that made or took the call
 * @param outgoing whether the device made the call (else it took it)
 * @param arrived when the server learnt of the call: the time it was added (a call written late has an old date
 *        and a recent arrival; a call dated in the future arrives at its date), the epoch for the sample calls made
 *        at start (never new); the New calls page lists the calls that arrived recently
 */
public record MorCall(long id, int userId, Instant date, String calledFrom, String calledTo, String destination,
                      int durationSeconds, String hangupCause, BigDecimal priceUsd, int deviceId, boolean outgoing,
                      Instant arrived) {

    public static final String ANSWERED = "Answered";
    public static final String NO_ANSWER = "No Answer";
    public static final String BUSY = "Busy";
    public static final String FAILED = "Failed";

    /** An incoming call not answered: what the Missed calls page lists. */
    public boolean missed() {
        return !outgoing && !ANSWERED.equals(hangupCause);
    }
}
