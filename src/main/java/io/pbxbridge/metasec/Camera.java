package io.pbxbridge.metasec;

import java.util.List;

/**
 * A line of {@code vmx_cam_list}, read as {@code CAMID!name!status} (the spec gives no format): the id (the
 * {@code CAMID} of the other camera actions) is needed; {@code online} is null when there is no status field.
 */
public record Camera(String id, String name, Boolean online, List<String> extra) {

    public Camera {
        extra = extra == null ? List.of() : List.copyOf(extra);
    }
}
