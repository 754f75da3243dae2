package io.pbxbridge.escaux;

/**
 * A phone of {@code dbGetPhoneState} (deprecated).
 *
 * @param state    Up, Down, Idle, Ring, Ringing, Internal Conversation, External Conversation
 * @param lastCall as the SOP writes it, e.g. {@code 7-25 17:34:9}
 */
public record PhoneState(String name, String mac, String state, String ip, String lastCall, String localChannel,
        String remoteChannel) {
}
