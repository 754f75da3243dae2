package io.pbxbridge.escaux;

/** A member of a queue ({@code ccGetQueueMembers}). */
public record QueueMember(String name, String ext, String phone, String queue, QueueMemberStatus status,
        Membership membership, boolean paused) {

    /** Static: a permanent member; dynamic: added and removed at run time. */
    public enum Membership {
        STATIC,
        DYNAMIC
    }
}
