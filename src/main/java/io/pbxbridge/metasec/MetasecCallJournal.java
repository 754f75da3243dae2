package io.pbxbridge.metasec;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cdr.CallRecordPage;
import io.pbxbridge.cdr.HarvestEntry;
import io.pbxbridge.cdr.HarvestWindow;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;

/**
 * The durable journal of one connection's derived call records: {@code metasec:events} appends the record of each
 * call it saw end, {@code metasec:cdr} reads them by window. One NDJSON file per UTC day of the calls' start,
 * {@code <day>.ndjson} (a record is appended when its call ends, to the file of the day it started), each append
 * forced to disk before the poll that made it counts as done. A record may be there twice (a crash between the
 * append and the saved snapshot makes the next poll see the call end again): the harvest drops the repeat by key.
 * Files older than the retention are deleted.
 */
public final class MetasecCallJournal {

    private static final Logger LOG = LoggerFactory.getLogger(MetasecCallJournal.class);
    private static final String SUFFIX = ".ndjson";

    private final Path dir;
    private final Duration retention;
    private LocalDate prunedOn;

    public MetasecCallJournal(Path dir, Duration retention) {
        this.dir = dir;
        this.retention = retention;
    }

    public Path directory() {
        return dir;
    }

    /** Appends the records (each to the file of its start's day) and forces them to disk. */
    public synchronized void append(List<CallRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        Map<LocalDate, ByteArrayOutputStream> byDay = new TreeMap<>();
        for (CallRecord r : records) {
            ByteArrayOutputStream out = byDay.computeIfAbsent(day(r.start()), d -> new ByteArrayOutputStream());
            Json.MAPPER.writeValue(out, r);
            out.write('\n');
        }
        Files.createDirectories(dir);
        for (Map.Entry<LocalDate, ByteArrayOutputStream> e : byDay.entrySet()) {
            Path file = file(e.getKey());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                long size = ch.size();
                ByteBuffer buf;
                if (size > 0 && !endsWithNewline(ch, size)) {
                    // the end of a line cut short by a crash: the records go on after it, on lines of their own
                    byte[] b = e.getValue().toByteArray();
                    buf = ByteBuffer.allocate(b.length + 1).put((byte) '\n').put(b).flip();
                } else {
                    buf = ByteBuffer.wrap(e.getValue().toByteArray());
                }
                ch.position(size);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
        }
        prune();
    }

    private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        return last.get(0) == '\n';
    }

    /** Deletes the files of days older than the retention, once a day. */
    private void prune() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (today.equals(prunedOn)) {
            return;
        }
        prunedOn = today;
        LocalDate oldest = LocalDate.ofInstant(Instant.now().minus(retention), ZoneOffset.UTC);
        for (LocalDate d : days()) {
            if (d.isBefore(oldest)) {
                try {
                    Files.deleteIfExists(file(d));
                    LOG.info("metasec: derived call records of {} deleted (older than {} days)", d, retention.toDays());
                } catch (IOException e) {
                    LOG.warn("metasec: {} could not be deleted: {}", file(d), e.toString());
                }
            }
        }
    }

    /** The days that have a file, in order. */
    public TreeSet<LocalDate> days() {
        TreeSet<LocalDate> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                String n = f.getFileName().toString();
                if (n.endsWith(SUFFIX)) {
                    try {
                        out.add(LocalDate.parse(n.substring(0, n.length() - SUFFIX.length())));
                    } catch (DateTimeParseException e) {
                        // not one of ours
                    }
                }
            });
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    Path file(LocalDate day) {
        return dir.resolve(day + SUFFIX);
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /**
     * The page of {@code window} at {@code cursor} (a day; null: the window's first day with a file): the records of
     * that day's file, read as they come; the next cursor is the next day with a file within the window.
     */
    public CallRecordPage page(HarvestWindow window, String cursor) throws IOException {
        LocalDate first = day(window.from());
        LocalDate last = day(window.to());
        TreeSet<LocalDate> days = days();
        LocalDate day = cursor == null ? days.ceiling(first) : LocalDate.parse(cursor);
        if (day == null || day.isAfter(last)) {
            return new DayPage(null, null);
        }
        LocalDate next = days.higher(day);
        return new DayPage(file(day), next == null || next.isAfter(last) ? null : next.toString());
    }

    /** One day's file, line by line; a last line without its end (being written) is left for the next read. */
    private static final class DayPage implements CallRecordPage {
        private final InputStream in;
        private final String next;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

        DayPage(Path file, String next) throws IOException {
            InputStream s = null;
            if (file != null) {
                try {
                    s = new BufferedInputStream(Files.newInputStream(file), 65536);
                } catch (NoSuchFileException e) {
                    s = null;
                }
            }
            this.in = s;
            this.next = next;
        }

        @Override
        public HarvestEntry next() throws IOException {
            if (in == null) {
                return null;
            }
            while (true) {
                line.reset();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
                if (b < 0) {
                    return null; // the end of the file, or a line still being written
                }
                String text = line.toString(StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    return HarvestEntry.of(Json.MAPPER.readValue(text, CallRecord.class));
                } catch (IOException e) {
                    return HarvestEntry.rejected(LogSafe.truncate(text, 4096), "not a call record of the journal: "
                            + LogSafe.truncate(e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                                    ? j.getOriginalMessage() : String.valueOf(e.getMessage()), 200));
                }
            }
        }

        @Override
        public String nextCursor() {
            return next;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    /** Every record of the journal, oldest day first (tests, tools). */
    public List<CallRecord> all() throws IOException {
        List<CallRecord> out = new ArrayList<>();
        for (LocalDate d : days()) {
            try (DayPage p = new DayPage(file(d), null)) {
                for (HarvestEntry e = p.next(); e != null; e = p.next()) {
                    if (!e.isRejected()) {
                        out.add(e.record());
                    }
                }
            }
        }
        return out;
    }
}
