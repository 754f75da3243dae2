package io.pbxbridge.command;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of a command, as its result message says it ({@code "status": "ok"}). */
public enum CommandStatus {
    /** Executed: the vendor's answer is in {@code result}. */
    OK,
    /** The vendor refused it or could not be reached; {@code transient} says whether sending it again may succeed. */
    FAILED,
    /** Not executed: the command itself is wrong (not JSON, no target, a missing or mistyped parameter...). */
    REJECTED,
    /** Not executed: the target's vendor has no such verb. */
    UNSUPPORTED,
    /** Not executed: it arrived (or would have been retried) after its {@code notAfter}. */
    EXPIRED,
    /**
     * The request may have reached the vendor but no outcome is known: the execution was interrupted (a crash between
     * the vendor call and the recorded result) or the vendor did not answer. Never executed again automatically.
     */
    UNKNOWN;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
