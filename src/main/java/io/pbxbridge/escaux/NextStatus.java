package io.pbxbridge.escaux;

/** {@code dbGetNextStatus} (deprecated): profile, current status and the next status in the list. */
public record NextStatus(String profile, String status, String nextStatus) {
}
