package io.pbxbridge.portasip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.pbxbridge.cdr.CallRecordPage;
import io.pbxbridge.cdr.CallRecordPages;
import io.pbxbridge.cdr.HarvestEntry;
import io.pbxbridge.cdr.HarvestWindow;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.support.Json;

/**
 * PortaSIP's derived call records for the {@code cdr} harvest: the day files of the {@link PortaSipCallJournal} of
 * one source ({@code <host>/<login>}), a page per UTC day of the window, from the window's first day to its last,
 * each read up to its last whole line. The cursor is the day ({@code yyyy-MM-dd}). A line that is not a record is
 * a dead letter. The calls still in progress hold the window back ({@link #pendingSince()}).
 */
final class PortaSipCallRecordPages implements CallRecordPages {

    private final PortaSipCallJournal journal;
    private final String source;

    /** @param source the server and login, {@code <host>/<login>}: the events' and the records' source */
    PortaSipCallRecordPages(PortaSipCallJournal journal, String source) {
        this.journal = journal;
        this.source = source;
    }

    @Override
    public CallRecordPage fetch(HarvestWindow window, String cursor) throws IOException {
        LocalDate day = cursor == null ? day(window.from()) : parse(cursor);
        LocalDate last = day(window.to());
        Path file = PortaSipCallJournal.dayFile(journal.directory(), source, day);
        LocalDate next = day.plusDays(1);
        String nextCursor = next.isAfter(last) ? null : next.toString();
        if (!Files.isRegularFile(file)) {
            return new Empty(nextCursor);
        }
        return new Day(new PortaSipCallJournal.DayReader(file), day, nextCursor);
    }

    @Override
    public Instant pendingSince() {
        return journal.pendingSince(source);
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private static LocalDate parse(String cursor) {
        try {
            return LocalDate.parse(cursor);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + cursor + "' is not a portasip:cdr cursor (a day, yyyy-MM-dd)", e);
        }
    }

    /** A day without a file. */
    private record Empty(String nextCursor) implements CallRecordPage {

        @Override
        public HarvestEntry next() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    /** One day file, record by record. */
    private static final class Day implements CallRecordPage {

        private final PortaSipCallJournal.DayReader reader;
        private final LocalDate day;
        private final String nextCursor;

        Day(PortaSipCallJournal.DayReader reader, LocalDate day, String nextCursor) {
            this.reader = reader;
            this.day = day;
            this.nextCursor = nextCursor;
        }

        @Override
        public HarvestEntry next() throws IOException {
            String line = reader.nextLine();
            if (line == null) {
                return null;
            }
            try {
                CallRecord r = PortaSipCallJournal.DayReader.parse(line);
                return HarvestEntry.of(r);
            } catch (JsonProcessingException e) {
                return HarvestEntry.rejected(line, "day file " + day + ": not a call record (" + Json.problem(e)
                        + ")");
            }
        }

        @Override
        public String nextCursor() {
            return nextCursor;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
