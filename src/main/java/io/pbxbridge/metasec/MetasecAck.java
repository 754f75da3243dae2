package io.pbxbridge.metasec;

/** An action that answers {@code 1} (success) did so. */
public record MetasecAck(String action) {
}
