package io.pbxbridge.model;

/** Direction of a call as seen from the PBX. */
public enum Direction {
    INBOUND,
    OUTBOUND,
    INTERNAL,
    UNKNOWN
}
