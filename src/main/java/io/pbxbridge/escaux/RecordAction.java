package io.pbxbridge.escaux;

/** {@code ccRecord}: start or stop recording. */
public enum RecordAction {
    start,
    stop
}
