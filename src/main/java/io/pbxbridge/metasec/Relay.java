package io.pbxbridge.metasec;

/**
 * A line of {@code relay_list}, read as {@code relay_id!name!status} (the spec gives no format): the id is needed,
 * the status is null when missing.
 */
public record Relay(String id, String name, Integer status) {
}
