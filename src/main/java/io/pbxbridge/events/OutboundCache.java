package io.pbxbridge.events;

import java.util.Arrays;
import java.util.List;

import io.pbxbridge.events.SinkDelivery.Outbound;

/**
 * The latest events written to a sink's spool, as objects, by their spool number: a dispatcher that keeps up takes
 * them from here instead of reading them back. A ring with at most {@code capacity} events; not thread-safe (the
 * guard locks around it), every operation O(1) or O(events copied).
 */
final class OutboundCache {

    private final Outbound[] ring;
    private long first;
    private int start;
    private int size;

    OutboundCache(int capacity) {
        this.ring = new Outbound[Math.max(1, capacity)];
    }

    /** Adds events numbered from {@code number}; a gap in the numbering empties the cache first. */
    synchronized void add(long number, List<Outbound> events) {
        if (size > 0 && first + size != number) {
            clear();
        }
        if (size == 0) {
            first = number;
        }
        for (Outbound e : events) {
            if (size == ring.length) {
                dropFirst();
            }
            ring[(start + size) % ring.length] = e;
            size++;
        }
    }

    /** Forgets the events numbered below {@code number} (taken out of the spool). */
    synchronized void dropBelow(long number) {
        while (size > 0 && first < number) {
            dropFirst();
        }
    }

    /** Up to {@code max} events from {@code number} on, or an empty list when the cache does not hold it. */
    synchronized List<Outbound> from(long number, int max) {
        if (size == 0 || number < first || number >= first + size) {
            return List.of();
        }
        int offset = (int) (number - first);
        int n = Math.min(max, size - offset);
        Outbound[] out = new Outbound[n];
        int from = (start + offset) % ring.length;
        int firstPart = Math.min(n, ring.length - from);
        System.arraycopy(ring, from, out, 0, firstPart);
        System.arraycopy(ring, 0, out, firstPart, n - firstPart);
        return Arrays.asList(out);
    }

    synchronized void clear() {
        Arrays.fill(ring, null);
        start = 0;
        size = 0;
    }

    private void dropFirst() {
        ring[start] = null;
        start = (start + 1) % ring.length;
        first++;
        size--;
    }
}
