package io.pbxbridge.escaux;

import java.util.Map;

/**
 * An established channel of {@code ccGetChannels}.
 *
 * @param callerId       as sent, e.g. {@code "0027884390" [0027884390]}
 * @param callerIdName   the quoted name part, when present
 * @param callerIdNumber the bracketed number part, else the whole caller id
 * @param seconds        call duration, null when the SOP leaves it empty
 * @param link           the channel bridged to this one
 * @param vars           with {@code show_vars}: the requested variables
 */
public record ChannelInfo(String id, String callerId, String callerIdName, String callerIdNumber, Long seconds,
        String state, String link, Map<String, String> vars) {
}
