package io.pbxbridge.sandbox.monema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One account's call log, in id order, kept by column (about 50 bytes a call, numbers and dispositions pooled), so
 * that a log of a million calls takes tens of megabytes, not hundreds. Thread-safe: appends and reads take the log's
 * lock; a {@link Snapshot} reads the calls that were there when it was taken without it, so a large answer is
 * written while calls go on being added.
 */
final class CallLog {

    private static final int RECORDED = 1;
    private static final int EXT_SRC_RECORDED = 2;
    private static final int EXT_DST_RECORDED = 4;
    /** Costs are kept in ten-thousandths, the precision the simulator bills in. */
    private static final int COST_SCALE = 4;

    private final int clientsId;
    private final int accountcode;
    private final LongSupplier nextId;

    // guarded by this; entries below size are never written again (snapshots read them without the lock)
    private long[] ids = new long[64];
    private long[] calldates = new long[64];
    private long[] channels = new long[64];
    private long[] costs = new long[64];
    private int[] srcs = new int[64];
    private int[] dsts = new int[64];
    private int[] dispositions = new int[64];
    private int[] durations = new int[64];
    private byte[] flags = new byte[64];
    private int size;
    private String[] texts = new String[16];
    private int textCount;
    private final Map<String, Integer> textIndex = new HashMap<>();
    /** Tags by call id: few calls have any. */
    private final Map<Long, List<SimCall.Tag>> tags = new HashMap<>();
    /** Field values written as they are instead of the call's, by call id: the broken records of a broken server. */
    private final Map<Long, Map<String, String>> wireValues = new HashMap<>();

    /**
     * @param nextId the server's id sequence, drawn under this log's lock so that the log stays in id order
     */
    CallLog(int clientsId, int accountcode, LongSupplier nextId) {
        this.clientsId = clientsId;
        this.accountcode = accountcode;
        this.nextId = nextId;
    }

    /** The fields of a call to add; its id is given by the log. */
    record NewCall(String src, String dst, int duration, String disposition, long channel, boolean recorded,
                   long calldate, BigDecimal cost, boolean extSrcRecorded, boolean extDstRecorded,
                   List<SimCall.Tag> tags) {
    }

    /** Appends {@code call} with the next id; returns it as stored. */
    synchronized SimCall add(NewCall call) {
        return call(append(call));
    }

    /**
     * Appends {@code call} with the next id, answered by C_getCalls with the {@code wire} text instead of those
     * fields' values (a null value leaves the field out).
     */
    synchronized SimCall add(NewCall call, Map<String, String> wire) {
        int i = append(call);
        if (!wire.isEmpty()) {
            wireValues.put(ids[i], Collections.unmodifiableMap(new HashMap<>(wire)));
        }
        return call(i);
    }

    private int append(NewCall c) {
        if (size == ids.length) {
            int n = size + (size >> 1);
            ids = Arrays.copyOf(ids, n);
            calldates = Arrays.copyOf(calldates, n);
            channels = Arrays.copyOf(channels, n);
            costs = Arrays.copyOf(costs, n);
            srcs = Arrays.copyOf(srcs, n);
            dsts = Arrays.copyOf(dsts, n);
            dispositions = Arrays.copyOf(dispositions, n);
            durations = Arrays.copyOf(durations, n);
            flags = Arrays.copyOf(flags, n);
        }
        int i = size;
        ids[i] = nextId.getAsLong();
        calldates[i] = c.calldate();
        channels[i] = c.channel();
        costs[i] = c.cost().setScale(COST_SCALE, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        srcs[i] = text(c.src());
        dsts[i] = text(c.dst());
        dispositions[i] = text(c.disposition());
        durations[i] = c.duration();
        flags[i] = (byte) ((c.recorded() ? RECORDED : 0) | (c.extSrcRecorded() ? EXT_SRC_RECORDED : 0)
                | (c.extDstRecorded() ? EXT_DST_RECORDED : 0));
        if (!c.tags().isEmpty()) {
            tags.put(ids[i], List.copyOf(c.tags()));
        }
        size = i + 1;
        return i;
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

    /** Every call, in id order (for logs of test size: a million calls make a million objects). */
    synchronized List<SimCall> calls() {
        List<SimCall> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(call(i));
        }
        return out;
    }

    /** The call with this id, or null. */
    synchronized SimCall find(long id) {
        int i = Arrays.binarySearch(ids, 0, size, id);
        return i < 0 ? null : call(i);
    }

    /** The recorded call whose uniqueid is {@code uniqueid} ({@code <calldate>.<channel>}), or null. */
    synchronized SimCall findRecorded(String uniqueid) {
        int dot = uniqueid.indexOf('.');
        long calldate;
        long channel;
        try {
            calldate = Long.parseLong(uniqueid.substring(0, Math.max(dot, 0)));
            channel = Long.parseLong(uniqueid.substring(dot + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        for (int i = 0; i < size; i++) {
            if (channels[i] == channel && calldates[i] == calldate && (flags[i] & RECORDED) != 0) {
                return call(i);
            }
        }
        return null;
    }

    private SimCall call(int i) {
        return new SimCall(ids[i], clientsId, texts[srcs[i]], texts[dsts[i]], durations[i], texts[dispositions[i]],
                uniqueid(calldates[i], channels[i]), (flags[i] & RECORDED) != 0, calldates[i], accountcode,
                cost(costs[i]), (flags[i] & EXT_SRC_RECORDED) != 0, (flags[i] & EXT_DST_RECORDED) != 0,
                tags.getOrDefault(ids[i], List.of()));
    }

    private static String uniqueid(long calldate, long channel) {
        return calldate + "." + channel;
    }

    private static BigDecimal cost(long unscaled) {
        return unscaled == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(unscaled, COST_SCALE);
    }

    /** The calls there are now, readable without the lock while others are added. */
    synchronized Snapshot snapshot() {
        return new Snapshot(this);
    }

    /** The log as it was when taken: the first {@code size} entries of the columns, which are never rewritten. */
    static final class Snapshot {

        private final CallLog log;
        private final long[] ids;
        private final long[] calldates;
        private final long[] channels;
        private final long[] costs;
        private final int[] srcs;
        private final int[] dsts;
        private final int[] dispositions;
        private final int[] durations;
        private final byte[] flags;
        private final String[] texts;
        private final Map<Long, Map<String, String>> wireValues;
        final int size;

        private Snapshot(CallLog log) {
            this.log = log;
            this.ids = log.ids;
            this.calldates = log.calldates;
            this.channels = log.channels;
            this.costs = log.costs;
            this.srcs = log.srcs;
            this.dsts = log.dsts;
            this.dispositions = log.dispositions;
            this.durations = log.durations;
            this.flags = log.flags;
            this.texts = log.texts;
            this.wireValues = new HashMap<>(log.wireValues);
            this.size = log.size;
        }

        /** The index of the first call with an id greater than {@code id}. */
        int firstAfter(long id) {
            int i = Arrays.binarySearch(ids, 0, size, id);
            return i >= 0 ? i + 1 : -i - 1;
        }

        long id(int i) {
            return ids[i];
        }

        long calldate(int i) {
            return calldates[i];
        }

        /** "outgoing", "incoming", "internal" or "external", as {@link SimCall#type()}. */
        String type(int i) {
            return SimCall.type(texts[srcs[i]], texts[dsts[i]]);
        }

        /** The 13 fields of the {@code Calls} type as C_getCalls writes them, wire values applied. */
        List<SoapWriter.Part> fields(int i) {
            List<SoapWriter.Part> fields = List.of(
                    SoapWriter.part("id", SoapWriter.integer(ids[i])),
                    SoapWriter.part("clients_id", SoapWriter.integer(log.clientsId)),
                    SoapWriter.part("src", SoapWriter.str(texts[srcs[i]])),
                    SoapWriter.part("dst", SoapWriter.str(texts[dsts[i]])),
                    SoapWriter.part("duration", SoapWriter.integer(durations[i])),
                    SoapWriter.part("disposition", SoapWriter.str(texts[dispositions[i]])),
                    SoapWriter.part("uniqueid", SoapWriter.str(uniqueid(calldates[i], channels[i]))),
                    SoapWriter.part("recorded", SoapWriter.bool((flags[i] & RECORDED) != 0)),
                    SoapWriter.part("calldate", SoapWriter.integer(calldates[i])),
                    SoapWriter.part("accountcode", SoapWriter.integer(log.accountcode)),
                    SoapWriter.part("cost", SoapWriter.dbl(cost(costs[i]))),
                    SoapWriter.part("ext_src_recorded", SoapWriter.bool((flags[i] & EXT_SRC_RECORDED) != 0)),
                    SoapWriter.part("ext_dst_recorded", SoapWriter.bool((flags[i] & EXT_DST_RECORDED) != 0)));
            Map<String, String> wire = wireValues.get(ids[i]);
            if (wire == null) {
                return fields;
            }
            List<SoapWriter.Part> out = new ArrayList<>(fields.size());
            for (SoapWriter.Part p : fields) {
                if (!wire.containsKey(p.name())) {
                    out.add(p);
                } else if (wire.get(p.name()) != null) {
                    out.add(SoapWriter.part(p.name(), new SoapWriter.Scalar(((SoapWriter.Scalar) p.value()).type(),
                            wire.get(p.name()))));
                }
            }
            return out;
        }
    }
}
