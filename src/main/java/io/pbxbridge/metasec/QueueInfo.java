package io.pbxbridge.metasec;

import java.util.List;

/**
 * A line of {@code q_list}, read as {@code name!extension!strategy!waiting!members} (the spec gives no format; only
 * the name is needed, the other fields are null when the line has fewer, and further fields are kept in
 * {@code extra}).
 */
public record QueueInfo(String name, String extension, String strategy, Integer waitingCallers, Integer members,
                        List<String> extra) {

    public QueueInfo {
        extra = extra == null ? List.of() : List.copyOf(extra);
    }
}
