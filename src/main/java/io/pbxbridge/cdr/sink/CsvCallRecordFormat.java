package io.pbxbridge.cdr.sink;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import io.pbxbridge.model.CallRecord;
import io.pbxbridge.support.IsoInstant;

/**
 * The CSV of call records, RFC 4180: UTF-8, CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF
 * (its quotes doubled), a header row first. One column per {@link CallRecord} field but {@code raw}, in the record's
 * order; instants ISO-8601 in UTC, empty for null.
 */
final class CsvCallRecordFormat {

    static final String[] COLUMNS = { "key", "vendor", "source", "callId", "start", "answer", "end", "duration",
            "billsec", "from", "to", "direction", "disposition", "cost", "currency", "recording" };
    static final byte[] HEADER = (String.join(",", COLUMNS) + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private static final long SECONDS_PER_DAY = 86_400;

    private CsvCallRecordFormat() {
    }

    /** The UTC day of {@code start}, as days since 1970-01-01. */
    static long day(Instant start) {
        return Math.floorDiv(start.getEpochSecond(), SECONDS_PER_DAY);
    }

    /** The name of the file of a day's records: {@code yyyy-MM-dd.csv}. */
    static String fileName(long day) {
        return LocalDate.ofEpochDay(day) + ".csv";
    }

    /** Appends {@code r} as one CSV record, its CRLF included. */
    static void append(StringBuilder out, CallRecord r) {
        text(out, r.key());
        text(out.append(','), r.vendor());
        text(out.append(','), r.source());
        text(out.append(','), r.callId());
        instant(out.append(','), r.start());
        instant(out.append(','), r.answer());
        instant(out.append(','), r.end());
        number(out.append(','), r.duration());
        number(out.append(','), r.billsec());
        text(out.append(','), r.from());
        text(out.append(','), r.to());
        text(out.append(','), r.direction() == null ? null : r.direction().name());
        text(out.append(','), r.disposition() == null ? null : r.disposition().name());
        decimal(out.append(','), r.cost());
        text(out.append(','), r.currency());
        text(out.append(','), r.recording());
        out.append("\r\n");
    }

    private static void text(StringBuilder out, String value) {
        if (value == null) {
            return;
        }
        if (!needsQuotes(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // one comparison for nearly every character: the four are all at or below ','
            if (c <= ',' && (c == ',' || c == '"' || c == '\r' || c == '\n')) {
                return true;
            }
        }
        return false;
    }

    private static void instant(StringBuilder out, Instant value) {
        if (value != null) {
            out.append(IsoInstant.format(value));
        }
    }

    private static void number(StringBuilder out, Long value) {
        if (value != null) {
            out.append(value.longValue());
        }
    }

    private static void decimal(StringBuilder out, BigDecimal value) {
        if (value != null) {
            out.append(value.toPlainString()); // never 1E+3: spreadsheets and databases read it as it is
        }
    }
}
