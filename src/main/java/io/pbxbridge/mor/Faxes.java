package io.pbxbridge.mor;

import java.time.LocalDateTime;
import java.util.List;

/** {@code mor:faxes}, {@code mor:faxesPeriod} ({@code /stats/faxes_list/%userid%}): the faxes received. */
public record Faxes(String userId, String username, String showDevice, LocalDateTime periodStart,
                    LocalDateTime periodEnd, List<Fax> faxes, List<MorRepair> repairs) implements MorReply {

    /** @param device e.g. {@code FAX/102}; @param status e.g. {@code Received}; @param receiveTime local time */
    public record Fax(String device, String filename, LocalDateTime receiveTime, String sender, String status) {
    }
}
