package io.pbxbridge.metasec;

/** One extension's state from {@code call_status_get}. */
public record ExtensionStatus(String extension, ExtensionState state) {
}
