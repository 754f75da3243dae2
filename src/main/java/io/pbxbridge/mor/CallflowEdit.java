package io.pbxbridge.mor;

import java.util.List;

/**
 * {@code mor:callflowEdit} ({@code GET /devices/callflow_edit/%device_id%?cft=%cf_type%}): the actions a call state
 * can take (forward, voicemail, fax detect) and the devices each may target.
 */
public record CallflowEdit(String userId, String deviceId, String deviceDescription, String deviceIcon,
                           String callState, List<Action> actions, List<MorRepair> repairs) implements MorReply {

    public record Action(Integer priority, String actionId, List<AvailableDevice> availableDevices) {
    }
}
