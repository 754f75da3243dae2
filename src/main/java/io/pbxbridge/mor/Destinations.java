package io.pbxbridge.mor;

import java.util.List;

/** {@code mor:destinations} ({@code GET /directions/dg_list_user_destinations/%dest_id%}): a group's prefixes. */
public record Destinations(String groupName, String groupIcon, List<Destination> destinations,
                           List<MorRepair> repairs) implements MorReply {

    /** @param code the direction code, e.g. {@code FIX} */
    public record Destination(String details, String prefix, String code) {
    }
}
