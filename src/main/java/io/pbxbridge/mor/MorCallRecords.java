package io.pbxbridge.mor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;

/**
 * MOR's calls as {@link CallRecord}s, and the key a call gets although MOR gives it no id.
 *
 * <p><b>The key</b> is {@code mor:<host>/<username>:<hash>-<n>}: {@code <hash>} the first 128 bits (hex) of the
 * SHA-256 of the fields that tell calls apart, as the page shows them: the date ({@code yyyy-MM-dd HH:mm:ss}, MOR's
 * local time, so that a change of the {@code timeZone} option changes no key), {@code called_from},
 * {@code called_to}, the duration in seconds and {@code hangup_cause}; {@code <n>} numbers the calls with the same
 * hash on one page (1, 2, ...: two identical calls in the same second are two records). Left out, on purpose:
 * {@code destination} (MOR derives it from the number; a re-rating may rename it; the New calls page does not show
 * it, and without it a call has the same key on both pages) and {@code price} (a re-rating changes it). The device is
 * not shown per call at all. Limits: the key of the second of two identical calls depends on MOR listing them in a
 * stable order (it does: by date, then as written); a call deleted from MOR renumbers the identical calls of its
 * second after it (the harvest then sees no new one: nothing is delivered twice, the deleted one stays delivered); a
 * call whose date, numbers, duration or hangup cause MOR rewrites later is a new key, so a second record.
 */
public final class MorCallRecords {

    public static final String VENDOR = MorComponent.SCHEME;
    /** How MOR writes its dates; the form hashed. */
    static final DateTimeFormatter MOR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final char SEPARATOR = '\u001f';

    private MorCallRecords() {
    }

    /** The hash of a call's identifying fields (32 hex digits); null fields count as empty. */
    public static String hash(LocalDateTime date, String from, String to, Duration duration, String hangupCause) {
        StringBuilder s = new StringBuilder(96);
        s.append(date == null ? "" : MOR_TIME.format(date)).append(SEPARATOR).append(strip(from)).append(SEPARATOR)
                .append(strip(to)).append(SEPARATOR).append(duration == null ? "" : duration.toSeconds())
                .append(SEPARATOR).append(strip(hangupCause));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    public static String hash(MorCall c) {
        return hash(c.date(), c.calledFrom(), c.calledTo(), c.duration(), c.hangupCause());
    }

    /** The record id of the {@code occurrence}-th (from 1) call with this hash on its page. */
    public static String id(String hash, int occurrence) {
        return hash + "-" + occurrence;
    }

    /** Numbers the calls of one page with the same hash, in the order the page lists them. */
    public static final class Occurrences {

        private final Map<String, Integer> counts = new HashMap<>();

        /** The record id of the next call with {@code hash}. */
        public String next(String hash) {
            return id(hash, counts.merge(hash, 1, Integer::sum));
        }
    }

    /**
     * The record of a call of the call list.
     *
     * @param id       its record id ({@link #id})
     * @param source   {@code <host>/<username>}
     * @param zone     MOR's time zone, in which its dates are read
     * @param currency the page's currency (of {@code price}), or null
     * @param raw      the call as MOR wrote it (its fields), kept in the record
     */
    static CallRecord toCallRecord(MorCall c, String id, String source, ZoneId zone, String currency, Object raw) {
        Instant start = c.date() == null ? null : c.date().atZone(zone).toInstant();
        Long seconds = c.duration() == null ? null : c.duration().toSeconds();
        return new CallRecord(CallRecord.key(VENDOR, source, id), VENDOR, source, null, start, null,
                start == null || seconds == null ? null : start.plusSeconds(seconds), seconds, null, c.calledFrom(),
                c.calledTo(), direction(c.calledFrom(), c.calledTo()), disposition(c.hangupCause()), c.price(),
                c.price() == null ? null : currency, null, raw);
    }

    /**
     * The direction MOR's list does not say (it filters by it, but writes none per call): from an extension of the
     * account to one is internal, from one outbound, to one inbound; else unknown (a callback between two outside
     * numbers).
     */
    public static Direction direction(String from, String to) {
        boolean fromExtension = Direction.isExtension(strip(from));
        boolean toExtension = Direction.isExtension(strip(to));
        if (fromExtension && toExtension) {
            return Direction.INTERNAL;
        }
        if (fromExtension) {
            return Direction.OUTBOUND;
        }
        return toExtension ? Direction.INBOUND : Direction.UNKNOWN;
    }

    /** {@code Answered}, {@code No Answer}, {@code Busy}, {@code Failed} (any case, {@code _} for spaces). */
    public static Disposition disposition(String hangupCause) {
        if (hangupCause == null) {
            return Disposition.UNKNOWN;
        }
        String c = hangupCause.strip().toUpperCase(Locale.ROOT).replace('_', ' ');
        return switch (c) {
            case "ANSWERED", "ANSWER" -> Disposition.ANSWERED;
            case "NO ANSWER", "NOANSWER" -> Disposition.NO_ANSWER;
            case "BUSY" -> Disposition.BUSY;
            case "FAILED", "CONGESTION", "CHANUNAVAIL" -> Disposition.FAILED;
            case "CANCEL", "CANCELLED", "CANCELED" -> Disposition.CANCELLED;
            default -> Disposition.UNKNOWN;
        };
    }

    /** A call element's fields as MOR wrote them, in order, and the page's currency: the record's {@code raw}. */
    static Map<String, String> fields(MorElement call, String currency) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (MorElement f : call.children()) {
            raw.putIfAbsent(f.name(), f.text());
        }
        if (currency != null) {
            raw.put("currency", currency);
        }
        return raw;
    }

    /** A call element written back as XML (its fields only): what a dead letter keeps of a call that was unreadable. */
    static String xml(MorElement call) {
        StringBuilder s = new StringBuilder("<").append(call.name()).append('>');
        for (MorElement f : call.children()) {
            s.append('<').append(f.name()).append('>').append(escape(f.text())).append("</").append(f.name())
                    .append('>');
        }
        return s.append("</").append(call.name()).append('>').toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }
}
