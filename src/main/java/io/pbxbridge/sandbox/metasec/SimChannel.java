package io.pbxbridge.sandbox.metasec;

/**
 * A channel of the simulated MZF as a list line shows it (a snapshot): its name ({@code SIP/1004-0000003a}), the
 * extension whose device it is ({@code 1004}; the trunk's name for outside callers), context, extension dialled,
 * state ({@code Ring}, {@code Ringing}, {@code Up}), application and its data, caller id, the channel it is bridged
 * to (or null), its Asterisk unique id, the queue it waits or is served in (or null), the recording made of it (or
 * null), and the DTMF tones played on it so far.
 */
public record SimChannel(String name, String device, String context, String exten, String state, String application,
                         String data, String callerIdNumber, String callerIdName, String bridged, String uniqueId,
                         String queue, String recording, String dtmf) {

    public boolean isUp() {
        return "Up".equals(state);
    }
}
