package io.pbxbridge.escaux;

/** A queue of {@code dbGetQueueInfo}: its id ({@code AQA00001}) and name. */
public record QueueInfo(String id, String name) {
}
