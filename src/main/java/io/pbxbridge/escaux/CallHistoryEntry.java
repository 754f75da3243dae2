package io.pbxbridge.escaux;

import java.time.LocalDateTime;

/**
 * One CDR of {@code dbGetCallHistory}. {@code timestamp} is in the SOP's local time.
 *
 * @param disposition the disposition code (000-300) with its meaning
 */
public record CallHistoryEntry(LocalDateTime timestamp, String callerName, String callerNumber, String calledNumber,
        CallHistoryDisposition disposition, String lastAction, String lastApplication, String context,
        String origChannel, String dstChannel, Long duration, Long billsec, String uniqueid) {
}
