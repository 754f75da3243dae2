package io.pbxbridge.support.spool;

import java.util.List;

/**
 * What {@link SpoolInspector} found in the spool folder of one sink. Which numbers are exact and which estimated: see
 * there.
 *
 * @param sink              the sink: the name of the spool's folder
 * @param dir               the folder
 * @param events            events waiting, from the read position to the end
 * @param eventsExact       false if {@code events} is partly estimated (a spool of more than two segments)
 * @param bytes             bytes waiting, framing and segment headers included (as the spool counts its bound)
 * @param segments          segment files from the read position's on
 * @param readPosition      where the replay goes on: the read position as the spool last wrote it; null for a folder
 *                          with neither segments nor a readable read position
 * @param oldest            the next event to be delivered, null if none waits
 * @param newest            the latest event spooled, null if none waits
 * @param damagedRecords    damaged stretches (CRC or framing mismatch) found in the segments read; the spool moves
 *                          them to the dead letters when its replay reaches them
 * @param bytesBeingWritten bytes at the end of the tail that do not form a record yet: one being written (or torn by a
 *                          crash: the spool drops it when it opens)
 * @param entries           the first events waiting, oldest first, as many as asked for
 * @param warnings          what else an operator should know (an unreadable read position)
 */
public record SpoolSummary(String sink, String dir, long events, boolean eventsExact, long bytes, int segments,
        SpoolPosition readPosition, SpooledEvent oldest, SpooledEvent newest, int damagedRecords,
        long bytesBeingWritten, List<SpooledEvent> entries, List<String> warnings) {
}
