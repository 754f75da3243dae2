package io.pbxbridge.command;

/**
 * A command that is not executed because of what it says (status {@code rejected}) or because its vendor lacks the
 * verb ({@code unsupported}). Thrown before anything is sent or recorded; its message is the reason in words.
 */
public class CommandRejectedException extends Exception {

    private final CommandStatus status;

    public CommandRejectedException(String reason) {
        this(CommandStatus.REJECTED, reason);
    }

    public CommandRejectedException(CommandStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public static CommandRejectedException unsupported(String reason) {
        return new CommandRejectedException(CommandStatus.UNSUPPORTED, reason);
    }

    public CommandStatus status() {
        return status;
    }
}
