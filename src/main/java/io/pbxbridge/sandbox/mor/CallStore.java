package io.pbxbridge.sandbox.mor;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One user's call list, kept by column (some 70 bytes a call: a call list of 100,000 takes 7 MB, so that the benchmark
 * runs in a small heap), in the order calls were added, with an index in date order. Two calls with the same date
 * keep the order they were added in (the page lists them so, oldest first); a call added late with an older date
 * takes its place among the others by date.
 *
 * <p>Thread-safe: writes take the store's lock. A {@link Snapshot} reads the calls that were there when it was taken
 * without the lock while others are added: columns are only appended to (growing copies them), and the date index is
 * appended to in place when a call comes in date order, copied when one comes late.
 */
final class CallStore {

    /** Prices are kept in ten-thousandths of a USD. */
    static final int PRICE_SCALE = 4;

    private final int userId;

    // guarded by this; entries below size are never written again
    private long[] ids = new long[64];
    private long[] dates = new long[64];
    private long[] arrived = new long[64];
    private long[] froms = new long[64];
    private long[] tos = new long[64];
    private long[] prices = new long[64];
    private int[] durations = new int[64];
    private int[] destinations = new int[64];
    private int[] causes = new int[64];
    private int[] devices = new int[64];
    private boolean[] outgoing = new boolean[64];
    /** Indices of the columns in date order (stable); entries below size only rewritten in a copy. */
    private int[] order = new int[64];
    private int size;
    private String[] texts = new String[16];
    private int textCount;
    private final Map<String, Integer> textIndex = new HashMap<>();

    CallStore(int userId) {
        this.userId = userId;
    }

    /** The fields of a call to add. */
    record NewCall(long id, long date, long arrived, String from, String to, String destination, int duration,
                   String cause, BigDecimal priceUsd, int device, boolean outgoing) {
    }

    synchronized MorCall add(NewCall c) {
        int i = append(c);
        long date = dates[i];
        if (size == 1 || date >= dates[order[size - 2]]) {
            order[size - 1] = i;
        } else {
            // late: a new index with the call at its place by date, after the calls of the same second
            int at = upperBound(order, size - 1, date);
            int[] o = new int[order.length];
            System.arraycopy(order, 0, o, 0, at);
            o[at] = i;
            System.arraycopy(order, at, o, at + 1, size - 1 - at);
            order = o;
        }
        return call(i);
    }

    /** Adds calls (in date order among themselves), merging them into the date index once. */
    synchronized void addAll(List<NewCall> calls) {
        if (calls.isEmpty()) {
            return;
        }
        int before = size;
        for (NewCall c : calls) {
            append(c);
        }
        int[] o = new int[order.length];
        int a = 0;
        int b = before;
        int k = 0;
        while (a < before || b < size) {
            if (b >= size || (a < before && dates[order[a]] <= dates[b])) {
                o[k++] = order[a++];
            } else {
                o[k++] = b++;
            }
        }
        order = o;
    }

    private int append(NewCall c) {
        if (size == ids.length) {
            int n = size + (size >> 1) + 16;
            ids = Arrays.copyOf(ids, n);
            dates = Arrays.copyOf(dates, n);
            arrived = Arrays.copyOf(arrived, n);
            froms = Arrays.copyOf(froms, n);
            tos = Arrays.copyOf(tos, n);
            prices = Arrays.copyOf(prices, n);
            durations = Arrays.copyOf(durations, n);
            destinations = Arrays.copyOf(destinations, n);
            causes = Arrays.copyOf(causes, n);
            devices = Arrays.copyOf(devices, n);
            outgoing = Arrays.copyOf(outgoing, n);
            order = Arrays.copyOf(order, n);
        }
        int i = size;
        ids[i] = c.id();
        dates[i] = c.date();
        arrived[i] = c.arrived();
        froms[i] = number(c.from());
        tos[i] = number(c.to());
        prices[i] = c.priceUsd().setScale(PRICE_SCALE, java.math.RoundingMode.HALF_UP).unscaledValue().longValueExact();
        durations[i] = c.duration();
        destinations[i] = text(c.destination());
        causes[i] = text(c.cause());
        devices[i] = c.device();
        outgoing[i] = c.outgoing();
        size = i + 1;
        return i;
    }

    /** A number of digits without a leading zero as itself (positive), anything else as -(text index + 1). */
    private long number(String s) {
        int n = s.length();
        if (n > 0 && n <= 18 && s.charAt(0) >= '1' && s.charAt(0) <= '9') {
            boolean digits = true;
            for (int k = 1; k < n && digits; k++) {
                char ch = s.charAt(k);
                digits = ch >= '0' && ch <= '9';
            }
            if (digits) {
                return Long.parseLong(s);
            }
        }
        return -(text(s) + 1L);
    }

    private int text(String s) {
        Integer i = textIndex.get(s);
        if (i == null) {
            if (textCount == texts.length) {
                texts = Arrays.copyOf(texts, textCount * 2);
            }
            i = textCount;
            texts[textCount++] = s;
            textIndex.put(s, i);
        }
        return i;
    }

    synchronized int size() {
        return size;
    }

    /** The call with this id, or null. */
    synchronized MorCall find(long id) {
        int i = Arrays.binarySearch(ids, 0, size, id);
        return i < 0 ? null : call(i);
    }

    /** Every call, in date order. */
    synchronized List<MorCall> calls() {
        List<MorCall> out = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            out.add(call(order[k]));
        }
        return out;
    }

    private MorCall call(int i) {
        return snapshotOf().call(i);
    }

    synchronized Snapshot snapshot() {
        return snapshotOf();
    }

    private Snapshot snapshotOf() {
        return new Snapshot(this);
    }

    private int upperBound(int[] idx, int n, long date) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (dates[idx[mid]] <= date) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The call list as it was when taken. */
    static final class Snapshot {
        private final int userId;
        private final long[] ids;
        private final long[] dates;
        private final long[] arrived;
        private final long[] froms;
        private final long[] tos;
        private final long[] prices;
        private final int[] durations;
        private final int[] destinations;
        private final int[] causes;
        private final int[] devices;
        private final boolean[] outgoing;
        private final int[] order;
        private final String[] texts;
        final int size;

        private Snapshot(CallStore s) {
            this.userId = s.userId;
            this.ids = s.ids;
            this.dates = s.dates;
            this.arrived = s.arrived;
            this.froms = s.froms;
            this.tos = s.tos;
            this.prices = s.prices;
            this.durations = s.durations;
            this.destinations = s.destinations;
            this.causes = s.causes;
            this.devices = s.devices;
            this.outgoing = s.outgoing;
            this.order = s.order;
            this.texts = s.texts;
            this.size = s.size;
        }

        /** The position (in date order) of the first call at or after {@code epochSecond}. */
        int lowerBound(long epochSecond) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (dates[order[mid]] < epochSecond) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The position (in date order) after the last call at or before {@code epochSecond}. */
        int upperBound(long epochSecond) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (dates[order[mid]] <= epochSecond) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The column index of the {@code k}-th call in date order. */
        int at(int k) {
            return order[k];
        }

        long id(int i) {
            return ids[i];
        }

        long date(int i) {
            return dates[i];
        }

        long arrived(int i) {
            return arrived[i];
        }

        String from(int i) {
            return number(froms[i]);
        }

        String to(int i) {
            return number(tos[i]);
        }

        String destination(int i) {
            return texts[destinations[i]];
        }

        int duration(int i) {
            return durations[i];
        }

        String cause(int i) {
            return texts[causes[i]];
        }

        /** The price in ten-thousandths of a USD. */
        long priceUnits(int i) {
            return prices[i];
        }

        int device(int i) {
            return devices[i];
        }

        boolean outgoing(int i) {
            return outgoing[i];
        }

        boolean missed(int i) {
            return !outgoing[i] && !MorCall.ANSWERED.equals(texts[causes[i]]);
        }

        private String number(long v) {
            return v > 0 ? Long.toString(v) : texts[(int) (-v - 1)];
        }

        MorCall call(int i) {
            return new MorCall(ids[i], userId, Instant.ofEpochSecond(dates[i]), from(i), to(i), destination(i),
                    durations[i], cause(i), BigDecimal.valueOf(prices[i], PRICE_SCALE).stripTrailingZeros(),
                    devices[i], outgoing[i], Instant.ofEpochSecond(arrived[i]));
        }
    }
}
