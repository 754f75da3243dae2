package io.pbxbridge.metasec;

/** A relay contact's status from {@code relay_status_get} ({@code 0} off / open, {@code 1} on / closed...). */
public record RelayStatus(String relayId, int status) {
}
