package io.pbxbridge.escaux;

/** {@code ccGetQueueStatus}: callers waiting in a queue. */
public record QueueStatus(String name, int calls) {
}
