package io.pbxbridge.metasec;

import java.time.Instant;

/**
 * A line of {@code agent_list}, read as {@code interface!name!state!paused!calls_taken!last_call} (the spec gives no
 * format; the fields of Asterisk's queue members): the member's interface (e.g. {@code SIP/1001}) is needed, the other
 * fields are null when missing. {@code state} is an extension state ({@link ExtensionState}), {@code lastCall} epoch
 * seconds (null for 0: never).
 */
public record AgentInfo(String agent, String name, ExtensionState state, Boolean paused, Integer callsTaken,
                        Instant lastCall) {
}
