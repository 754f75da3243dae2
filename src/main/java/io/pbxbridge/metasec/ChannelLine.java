package io.pbxbridge.metasec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code call_list}, {@code call_list_all} or {@code q_call_list}: an Asterisk channel as
 * {@code core show channels concise} writes it, {@code !}-separated. The spec's own sample (q_call_list) has 13 fields
 * without the priority and with the caller id name; Asterisk's has 14 with the priority and without the name; both
 * are read ({@link MetasecLines#channel}).
 *
 * @param channel          the channel, e.g. {@code SIP/1004-0000003a}
 * @param context          dialplan context, e.g. {@code Callme}
 * @param extension        the extension dialled, e.g. {@code 7777}
 * @param priority         the dialplan priority, or null where the line has none (the spec's form)
 * @param state            Asterisk's channel state: {@code Down}, {@code Ring}, {@code Ringing}, {@code Up}, ...
 * @param application      the application running, e.g. {@code Dial}, {@code Queue}
 * @param data             its arguments, e.g. {@code VMX,i}
 * @param callerIdNumber   the caller id number
 * @param callerIdName     the caller id name, or null where the line has none (Asterisk's form)
 * @param accountCode      the account code, or null
 * @param durationSeconds  seconds since the channel was created (the spec's "waittime" in a queue)
 * @param bridgedChannel   the channel it is bridged to, or null ({@code (None)} or empty)
 * @param uniqueId         Asterisk's unique id, e.g. {@code 1358704647.94}: the call's key
 * @param extra            fields after the unique id, if any
 */
public record ChannelLine(String channel, String context, String extension, Integer priority, String state,
                          String application, String data, String callerIdNumber, String callerIdName,
                          String accountCode, long durationSeconds, String bridgedChannel, String uniqueId,
                          List<String> extra) {

    public ChannelLine {
        extra = extra == null ? List.of() : List.copyOf(extra);
    }

    /** State {@code Up}: answered. */
    public boolean isUp() {
        return "Up".equalsIgnoreCase(state);
    }

    /** Whether it is bridged to another channel. */
    public boolean isBridged() {
        return bridgedChannel != null;
    }

    /** The device part of the channel: {@code 1004} of {@code SIP/1004-0000003a}. */
    public String device() {
        int slash = channel.indexOf('/');
        int dash = channel.lastIndexOf('-');
        return slash >= 0 && dash > slash ? channel.substring(slash + 1, dash) : channel.substring(slash + 1);
    }

    /** The lines by unique id (the last one wins when two share one), in the list's order: a snapshot to diff. */
    public static Map<String, ChannelLine> byUniqueId(Iterable<ChannelLine> lines) {
        Map<String, ChannelLine> out = new LinkedHashMap<>();
        for (ChannelLine l : lines) {
            out.put(l.uniqueId(), l);
        }
        return out;
    }
}
