package io.pbxbridge.metasec;

/**
 * {@code call_record_start}'s answer: the name of the file the recording is stored in (what {@code call_record_list}
 * lists and {@code call_record_get} downloads). When a server answers a bare {@code 1} instead, it is the
 * {@code monitor_file} asked for, or null.
 */
public record RecordingStarted(String channel, String fileName) {
}
