package io.pbxbridge.escaux;

import java.util.List;

/**
 * A parameter of the profile of an extension ({@code dbGetProfileParameters}).
 *
 * @param type      e.g. {@code EXTENSION}, {@code DEVICE}
 * @param ownerType {@code UserVar} or {@code AdminVar}
 */
public record ProfileParameter(String name, String friendlyName, String description, String value, String type,
        String ownerType, List<String> enumOptions) {
}
