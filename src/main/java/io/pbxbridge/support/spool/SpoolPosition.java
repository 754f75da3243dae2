package io.pbxbridge.support.spool;

/**
 * A place in a spool, as its read position is written ({@code read-position.json}).
 *
 * @param segment the segment's sequence number (its file name)
 * @param offset  the byte offset in that segment
 */
public record SpoolPosition(long segment, long offset) {
}
