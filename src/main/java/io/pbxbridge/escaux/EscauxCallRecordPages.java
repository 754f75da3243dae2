package io.pbxbridge.escaux;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.cdr.CallRecordPage;
import io.pbxbridge.cdr.CallRecordPages;
import io.pbxbridge.cdr.HarvestEntry;
import io.pbxbridge.cdr.HarvestWindow;

/**
 * An Escaux SOP's call records for the {@code cdr} harvest: {@code dbGetCallHistory} of each watched extension in
 * turn, page after page. The SOP answers {@code WHERE timestamp > start_date ORDER BY timestamp LIMIT limit} in its
 * local time, to the second, and takes no end date: an extension is done at a short page or at a CDR after the
 * window's end.
 *
 * <p>Since the start date is exclusive and whole seconds, the next page starts one second before the last timestamp
 * read (the CDRs of that second beyond the limit come with it), and a page that holds one second only is asked again
 * with twice the limit: no second holds more CDRs than a page can. The CDRs this reads twice, and the calls listed
 * under several extensions, the harvest drops by key. The cursor is {@code <extension index>|<start date>|<limit>}.
 */
final class EscauxCallRecordPages implements CallRecordPages {

    private final Supplier<EscauxClient> client;
    private final List<String> extensions;
    private final int pageSize;
    private final String source;
    private final ZoneId zone;

    /**
     * @param source the SOP's host, the records' source
     * @param zone   the SOP's time zone
     */
    EscauxCallRecordPages(Supplier<EscauxClient> client, List<String> extensions, int pageSize, String source, ZoneId zone) {
        this.client = client;
        this.extensions = List.copyOf(extensions);
        this.pageSize = pageSize;
        this.source = source;
        this.zone = zone;
    }

    @Override
    public CallRecordPage fetch(HarvestWindow window, String cursor) {
        Cursor at = cursor == null ? first(0, window) : Cursor.parse(cursor);
        String ext = extensions.get(at.extension());
        return new Page(window, at, ext, client.get().openCallHistory(ext, at.limit(), at.start()));
    }

    /** A call is listed under every watched extension it touched. */
    @Override
    public boolean mayRepeatWithinWindow() {
        return true;
    }

    /** The first page of the extension at {@code index}: the window's start in the SOP's local time. */
    private Cursor first(int index, HarvestWindow window) {
        return new Cursor(index, LocalDateTime.ofInstant(window.from(), zone).truncatedTo(ChronoUnit.SECONDS),
                pageSize);
    }

    /** Where a page starts: which extension, after which local time, how many CDRs at most. */
    record Cursor(int extension, LocalDateTime start, int limit) {

        static Cursor parse(String cursor) {
            String[] parts = cursor.split("\\|");
            try {
                return new Cursor(Integer.parseInt(parts[0]), EscauxClient.parseDate(parts[1]),
                        Integer.parseInt(parts[2]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + cursor + "' is not an escaux:cdr cursor "
                        + "(<extension index>|<yyyy-MM-dd HH:mm:ss>|<limit>)", e);
            }
        }

        @Override
        public String toString() {
            return extension + "|" + EscauxClient.SOP_DATE.format(start) + "|" + limit;
        }
    }

    /** One reply, CDR by CDR; what it held tells where the next page starts. */
    private final class Page implements CallRecordPage {

        private final HarvestWindow window;
        private final Cursor at;
        private final String ext;
        private final EscauxCallHistoryReader reader;
        private int count;
        private LocalDateTime earliest;
        private LocalDateTime latest;
        private boolean pastWindow;

        Page(HarvestWindow window, Cursor at, String ext, EscauxCallHistoryReader reader) {
            this.window = window;
            this.at = at;
            this.ext = ext;
            this.reader = reader;
        }

        @Override
        public HarvestEntry next() {
            JsonNode c = reader.next();
            if (c != null) {
                count++;
                return entry(c);
            }
            return null;
        }

        /**
         * The record of {@code c}, or its rejection (a page that starts again within a second reads a rejected CDR
         * again: the harvest dead-letters it once).
         */
        private HarvestEntry entry(JsonNode c) {
            CallHistoryEntry entry;
            try {
                entry = EscauxMapping.callHistoryEntry(c);
            } catch (IllegalArgumentException e) {
                seen(c.isObject() ? readableTimestamp(c) : null);
                return rejected(c, e.getMessage());
            }
            seen(entry.timestamp());
            String problem = problem(entry);
            if (problem != null) {
                return rejected(c, problem);
            }
            return HarvestEntry.of(EscauxCallRecords.toCallRecord(entry, source, zone, c));
        }

        /** What makes a CDR that could be read unusable, or null; judged here so that a repeat is judged once. */
        private static String problem(CallHistoryEntry e) {
            if (e.timestamp() == null) {
                boolean noId = e.uniqueid() == null || e.uniqueid().isBlank();
                return noId ? "neither timestamp nor uniqueid" : "no timestamp";
            }
            if (e.duration() != null && e.duration() < 0) {
                return "duration " + e.duration() + " is negative";
            }
            if (e.billsec() != null && e.billsec() < 0) {
                return "billsec " + e.billsec() + " is negative";
            }
            return null;
        }

        private HarvestEntry rejected(JsonNode c, String reason) {
            return HarvestEntry.rejected(c.toString(), "extension " + ext + ": " + reason);
        }

        /** The timestamp of a CDR whose other fields cannot be read: it still tells where the page ends. */
        private LocalDateTime readableTimestamp(JsonNode c) {
            try {
                return EscauxMapping.callHistoryTimestamp(c);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private void seen(LocalDateTime ts) {
            if (ts == null) {
                return;
            }
            earliest = earliest == null || ts.isBefore(earliest) ? ts : earliest;
            latest = latest == null || ts.isAfter(latest) ? ts : latest;
            if (ts.atZone(zone).toInstant().isAfter(window.to())) {
                pastWindow = true; // the rest is later still
            }
        }

        @Override
        public String nextCursor() {
            if (pastWindow || count < at.limit()) {
                int next = at.extension() + 1;
                return next < extensions.size() ? first(next, window).toString() : null;
            }
            if (latest == null || latest.equals(earliest) || !latest.minusSeconds(1).isAfter(at.start())) {
                // one second fills the page: the same start with room for all of that second
                return new Cursor(at.extension(), at.start(), (int) Math.min(Integer.MAX_VALUE, 2L * at.limit()))
                        .toString();
            }
            return new Cursor(at.extension(), latest.minusSeconds(1), pageSize).toString();
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
