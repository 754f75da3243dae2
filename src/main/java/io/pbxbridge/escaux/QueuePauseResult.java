package io.pbxbridge.escaux;

/** {@code ccQueuePause}: the queue and the phone's pause state in it after the call. */
public record QueuePauseResult(String queue, boolean paused) {
}
