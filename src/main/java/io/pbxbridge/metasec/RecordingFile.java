package io.pbxbridge.metasec;

import java.time.Instant;

/**
 * A line of {@code call_record_list} ("one file per line"): the file name for {@code call_record_get}, and the time
 * in it when it has the shape of the spec's sample ({@code <md5>_<epoch seconds>.wav}), else null.
 */
public record RecordingFile(String name, Instant time) {
}
