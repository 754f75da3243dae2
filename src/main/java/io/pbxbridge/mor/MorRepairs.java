package io.pbxbridge.mor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The repairs made while one page is read: per {@link MorRepair.Kind}, a count and the first occurrence. Bounded
 * whatever the page's size (a 100,000-call list with a fault in every call is one entry of count 100,000). Not
 * thread-safe: one per page read.
 */
final class MorRepairs {

    private static final int MAX_SAMPLE = 40;
    private static final int RAW = 256;

    private final Map<MorRepair.Kind, int[]> counts = new EnumMap<>(MorRepair.Kind.class);
    private final Map<MorRepair.Kind, MorRepair> first = new EnumMap<>(MorRepair.Kind.class);
    private List<String> secrets = List.of();

    /**
     * Values masked in the samples (the password, the API key): a banner or a warning before the page is quoted,
     * and a server could echo a request in one.
     */
    void mask(List<String> secrets) {
        this.secrets = secrets;
    }

    /** Records one occurrence of {@code kind} at {@code line}:{@code column} of the page as sent. */
    void add(MorRepair.Kind kind, int line, int column, String sample) {
        int[] c = counts.get(kind);
        if (c == null) {
            counts.put(kind, new int[] { 1 });
            // kept longer than shown: secrets are masked before the sample is cut, never a part of one left
            first.put(kind, new MorRepair(kind, 1, line, column, sample == null ? "" : sample.length() > RAW
                    ? sample.substring(0, RAW) : sample));
        } else {
            c[0]++;
        }
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The repairs, in the order of {@link MorRepair.Kind}. */
    List<MorRepair> list() {
        List<MorRepair> out = new ArrayList<>(first.size());
        first.forEach((kind, r) -> out.add(new MorRepair(kind, counts.get(kind)[0], r.line(), r.column(),
                sample(masked(r.sample())))));
        return List.copyOf(out);
    }

    private String masked(String sample) {
        String s = sample;
        for (String secret : secrets) {
            s = s.replace(secret, io.pbxbridge.support.SecretMasking.MASK);
        }
        return s;
    }

    /** Control characters shown as {@code U+0001}, at most {@value #MAX_SAMPLE} characters. */
    private static String sample(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SAMPLE) + 8);
        for (int i = 0; i < s.length() && b.length() < MAX_SAMPLE; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                b.append(' ');
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("U+%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        String t = b.toString().strip().replaceAll(" {2,}", " ");
        return s.length() > MAX_SAMPLE ? t + "..." : t;
    }
}
