package io.pbxbridge.metasec;

/**
 * A line of {@code q_waiting_list}, read as {@code position!channel!cid_num!cid_name!wait_seconds!uniqueid} (the spec
 * gives no format; Asterisk's queue callers): position (1 = next) and channel are needed.
 */
public record WaitingCaller(int position, String channel, String callerIdNumber, String callerIdName,
                            Long waitSeconds, String uniqueId) {
}
