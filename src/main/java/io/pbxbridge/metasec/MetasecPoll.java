package io.pbxbridge.metasec;

import java.time.Instant;
import java.util.Map;

/**
 * What one poll of the WebTAPI read, for {@link MetasecTracker#apply}: each list as it was answered, or null when it
 * was not read (its request failed, or it is not watched). A list with malformed lines is read but not
 * {@link MetasecList#complete() complete}: what it does not list is not taken as gone.
 *
 * @param at         when the poll was made (the time of its events, and of first and last sight)
 * @param channels   {@code call_list_all}
 * @param extensions {@code call_status_get} of the watched extensions
 * @param waiting    {@code q_waiting_list} by queue; a queue without an entry was not polled, one with a null list
 *                   failed
 * @param agents     {@code agent_list} by queue, likewise
 * @param relays     {@code relay_list}
 * @param recordings {@code call_record_list}
 */
public record MetasecPoll(Instant at, MetasecList<ChannelLine> channels, MetasecList<ExtensionStatus> extensions,
                          Map<String, MetasecList<WaitingCaller>> waiting, Map<String, MetasecList<AgentInfo>> agents,
                          MetasecList<Relay> relays, MetasecList<RecordingFile> recordings) {

    public MetasecPoll {
        waiting = waiting == null ? Map.of() : waiting;
        agents = agents == null ? Map.of() : agents;
    }

    /** A poll of the calls alone. */
    public static MetasecPoll calls(Instant at, MetasecList<ChannelLine> channels) {
        return new MetasecPoll(at, channels, null, null, null, null, null);
    }
}
