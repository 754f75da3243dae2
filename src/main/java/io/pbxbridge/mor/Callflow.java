package io.pbxbridge.mor;

import java.util.List;

/** {@code mor:callflow} ({@code GET /devices/callflow/%device_id%}): what each call state of a device does. */
public record Callflow(String userId, String deviceId, String deviceDescription, String deviceIcon,
                       List<State> states, List<MorRepair> repairs) implements MorReply {

    /** @param callState e.g. {@code Before call}, {@code Busy}; @param action e.g. {@code Voicemail}, {@code -} */
    public record State(String callState, String action) {
    }
}
