package io.pbxbridge.escaux;

/** The device status of a queue member, codes 0-6 of {@code ccGetQueueMembers}. */
public enum QueueMemberStatus {
    UNKNOWN,
    NOT_IN_USE,
    IN_USE,
    BUSY,
    INVALID,
    UNAVAILABLE,
    RINGING;

    public int code() {
        return ordinal();
    }

    public static QueueMemberStatus of(int code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("queue member status " + code + " is not one of 0-6");
        }
        return values()[code];
    }
}
