package io.pbxbridge.escaux;

import java.util.List;

/** {@code dbGetCallflow}: the extension's profile, its current status and the statuses it can be set to. */
public record Callflow(String currentProfile, String currentStatus, List<CallflowStatus> statuses) {

    /**
     * A status the profile allows.
     *
     * @param permission {@code PermissionStatus} when the SOP returns it, else null
     */
    public record CallflowStatus(String name, String translatedName, Integer permission) {
    }
}
