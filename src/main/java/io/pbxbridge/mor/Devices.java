package io.pbxbridge.mor;

import java.time.LocalDateTime;
import java.util.List;

import io.pbxbridge.support.SecretMasking;

/** {@code mor:devices} ({@code GET /devices/user_devices}): the user's devices, SIP passwords included. */
public record Devices(String userId, List<Device> devices, List<MorRepair> repairs) implements MorReply {

    /**
     * A device. {@code password} is its SIP password: {@link #toString()} masks it, so a device logged by a route
     * does not show it.
     *
     * @param acc       the device's id (the {@code deviceId} of the call-flow operations)
     * @param type      e.g. {@code IAX2}, {@code SIP}, {@code FAX}
     * @param callerId  the {@code cid}, e.g. {@code "101" <101>}
     */
    public record Device(String acc, String description, String type, String extension, String username,
                         String password, String callerId, LocalDateTime lastTimeRegistered) {

        @Override
        public String toString() {
            return "Device[acc=" + acc + ", description=" + description + ", type=" + type + ", extension="
                    + extension + ", username=" + username + ", password="
                    + (password == null || password.isEmpty() ? password : SecretMasking.MASK) + ", callerId="
                    + callerId + ", lastTimeRegistered=" + lastTimeRegistered + "]";
        }
    }
}
