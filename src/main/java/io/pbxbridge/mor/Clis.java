package io.pbxbridge.mor;

import java.time.LocalDateTime;
import java.util.List;

/** {@code mor:clis} ({@code GET /devices/user_device_clis}): the caller ids and the devices they may be added to. */
public record Clis(String userId, List<AvailableDevice> availableDevices, List<Cli> clis, List<MorRepair> repairs)
        implements MorReply {

    /** @param device e.g. {@code IAX2/101}; @param name the number shown; @param description e.g. a person */
    public record Cli(String id, String device, String deviceIcon, String name, String description,
                      LocalDateTime addedAt) {
    }
}
