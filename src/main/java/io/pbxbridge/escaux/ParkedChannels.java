package io.pbxbridge.escaux;

import java.util.List;
import java.util.Map;

/** {@code dbGetParkedChannels}: the parked channels and the SOP's hash of the list. */
public record ParkedChannels(String hash, List<ParkedChannel> channels) {

    /** A parked channel, its park slot and its variables ({@code OperatorExtension=633,ParkReason=Park}). */
    public record ParkedChannel(String id, String callerId, String parkSlot, Map<String, String> variables) {
    }
}
