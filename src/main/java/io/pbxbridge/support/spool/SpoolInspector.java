package io.pbxbridge.support.spool;

import static io.pbxbridge.support.spool.EventSpool.SEGMENT_HEADER;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.pbxbridge.support.Json;

/**
 * Looks into the spool folder of one sink ({@code data/events/spool/<sink>/}, see {@link EventSpool}) without taking
 * part in it: how much waits, the oldest and newest event, the first few. A command for operators and
 * {@link #summary} for the sink's health check.
 *
 * <pre>
 * java -cp pbx-bridge.jar io.pbxbridge.support.spool.SpoolInspector &lt;spool folder of one sink&gt; [--entries N] [--json]
 * </pre>
 *
 * Exit code 0, 2 for a wrong argument or a folder that is not a spool, 1 if the spool cannot be read.
 *
 * <p>Safe while pbx-bridge runs and writes the spool: it only reads (files opened read-only; never the {@code .lock},
 * so it neither waits for the spool nor keeps it from opening) and takes the folder as it finds it: the read position
 * first, then the segments, each at the size it had when listed. So what it reports is a moment of the spool: a record
 * being appended at the end is reported as being written, a segment the replay finished and deleted meanwhile as
 * delivered.
 *
 * <p>Exact and estimated. Exact: the bytes waiting (the segment sizes from the read position, as the spool counts
 * them), the segments, the read position as last written (a sink's spool writes it every 50 ms at most while it
 * delivers, and on its sync timer: it may lag that much), the oldest and the newest event. The events waiting are
 * counted by reading the segment of the read
 * position and the tail (and, back from the tail, until a segment holds a record); a spool of up to two segments (32 MB
 * by default) is counted exactly. Those between are not read, as a backlog can be gigabytes: their events are
 * estimated from their size and the mean frame size of the segments read ({@link SpoolSummary#eventsExact()} false).
 * Sealed segments hold whole frames only, so records of one size are estimated exactly.
 */
public final class SpoolInspector {

    static final int DEFAULT_ENTRIES = 5;
    private static final String USAGE = "usage: java -cp pbx-bridge.jar " + SpoolInspector.class.getName()
            + " <spool folder of one sink, e.g. data/events/spool/kafka> [--entries N] [--json]";

    /** The folder is not the spool of a sink (or one pbx-bridge could not open either). */
    public static final class NotASpoolException extends IOException {

        private static final long serialVersionUID = 1L;

        NotASpoolException(String message) {
            super(message);
        }
    }

    /** A segment as listed when the inspection began, opened read-only when read. */
    private static final class ListedSegment implements SegmentReader.Segment {
        final long seq;
        final Path path;
        final long size;
        /** Not the tail when listed: holds whole frames only. */
        final boolean sealed;
        FileChannel ch;
        boolean read;
        /** Deleted while the inspection ran: the replay finished it. */
        boolean gone;
        long records;
        long frameBytes;
        int damaged;
        long beingWritten;
        SpoolRecord newest;

        ListedSegment(long seq, Path path, long size, boolean sealed) {
            this.seq = seq;
            this.path = path;
            this.size = size;
            this.sealed = sealed;
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public FileChannel channel() throws IOException {
            if (ch == null) {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            }
            return ch;
        }

        void closeChannel() {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // only read
                }
                ch = null;
            }
        }
    }

    private final Path dir;
    private final SegmentReader reader = new SegmentReader();
    private final List<String> warnings = new ArrayList<>();
    /** The segments from the read position's on. */
    private final List<ListedSegment> segments = new ArrayList<>();
    private SpoolPosition head;

    private SpoolInspector(Path dir) {
        this.dir = dir;
    }

    /**
     * The spool's depth, oldest and newest event; cheap enough for a health check: it reads the read position, the
     * segment headers and two segments or so (the head's and the tail's), whatever the backlog.
     */
    public static SpoolSummary summary(Path dir) throws IOException {
        return inspect(dir, 0);
    }

    /** {@link #summary} and the first {@code entries} events waiting. */
    public static SpoolSummary inspect(Path dir, int entries) throws IOException {
        if (entries < 0) {
            throw new IllegalArgumentException("entries must not be negative: " + entries);
        }
        return list(dir).read(entries);
    }

    /** The first half of an inspection: the read position, then the segments from it on (no file kept open). */
    static SpoolInspector list(Path dir) throws IOException {
        SpoolInspector inspection = new SpoolInspector(dir);
        inspection.list();
        return inspection;
    }

    /** The second half: reads the segments listed, as far as needed. */
    SpoolSummary read(int entries) throws IOException {
        try {
            return summarize(entries);
        } finally {
            segments.forEach(ListedSegment::closeChannel);
        }
    }

    private SpoolSummary summarize(int entries) throws IOException {
        List<SpooledEvent> first = firstEvents(Math.max(1, entries));
        if (!segments.isEmpty()) {
            count(segments.get(0));
            for (int i = segments.size() - 1; i > 0; i--) {
                count(segments.get(i));
                if (segments.get(i).newest != null) {
                    break;
                }
            }
        }
        long records = 0;
        long frameBytes = 0;
        boolean estimated = false;
        long unreadBytes = 0;
        long bytes = 0;
        int damaged = 0;
        long beingWritten = 0;
        int present = 0;
        SpoolRecord newest = null;
        for (ListedSegment s : segments) {
            if (s.gone) {
                continue;
            }
            present++;
            bytes += (s.seq == head.segment() ? Math.max(0, s.size - head.offset()) : s.size) - s.beingWritten;
            if (s.read) {
                records += s.records;
                frameBytes += s.frameBytes;
                damaged += s.damaged;
                beingWritten += s.beingWritten;
                newest = s.newest != null ? s.newest : newest;
            } else {
                estimated = true;
                unreadBytes += s.size - SEGMENT_HEADER;
            }
        }
        long events = records;
        if (estimated && records > 0) {
            events += Math.round((double) unreadBytes * records / frameBytes);
        }
        return new SpoolSummary(dir.toAbsolutePath().normalize().getFileName().toString(), dir.toString(), events,
                !estimated, bytes, present, head, first.isEmpty() ? null : first.get(0),
                newest == null ? null : SpooledEvent.of(newest), damaged, beingWritten,
                List.copyOf(first.subList(0, Math.min(entries, first.size()))), List.copyOf(warnings));
    }

    /** The read position first: then a segment it names and the listing lacks can only have been read and deleted. */
    private void list() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NotASpoolException(dir + (Files.exists(dir) ? " is not a folder" : " does not exist"));
        }
        SpoolPosition written;
        try {
            written = SegmentReader.readPosition(dir);
        } catch (IOException e) {
            written = null;
            warnings.add(e.getMessage() + "; the spool replays from its oldest segment when it opens");
        }
        TreeMap<Long, Path> files = SegmentReader.segmentFiles(dir);
        if (files.isEmpty()) {
            if (!Files.exists(dir.resolve(EventSpool.CHECKPOINT))) {
                throw new NotASpoolException(notASpool());
            }
            head = written; // all read, and the segment a spool keeps was deleted by hand
            return;
        }
        head = SegmentReader.head(written, files.navigableKeySet());
        for (Map.Entry<Long, Path> file : files.tailMap(head.segment(), true).entrySet()) {
            boolean sealed = !file.getKey().equals(files.lastKey());
            ListedSegment s = null;
            String problem;
            try {
                s = new ListedSegment(file.getKey(), file.getValue(), Files.size(file.getValue()), sealed);
                // a tail shorter than its header is being created
                problem = sealed || s.size >= SEGMENT_HEADER ? SegmentReader.headerProblem(s) : null;
            } catch (NoSuchFileException e) {
                continue; // the replay finished it since it was listed
            } finally {
                if (s != null) {
                    s.closeChannel(); // most are never read: no descriptor kept for them
                }
            }
            if (problem != null) {
                throw new NotASpoolException(problem + ": pbx-bridge does not open this spool either");
            }
            segments.add(s);
        }
    }

    /** Where the events waiting in a segment begin. */
    private long start(ListedSegment s) {
        return s.seq == head.segment() ? head.offset() : SEGMENT_HEADER;
    }

    /** The first {@code n} events from the read position on. */
    private List<SpooledEvent> firstEvents(int n) throws IOException {
        List<SpooledEvent> events = new ArrayList<>();
        for (ListedSegment s : segments) {
            try {
                for (long p = start(s); p < s.size && events.size() < n;) {
                    long q = reader.read(s, p, s.sealed);
                    if (q < 0) {
                        break; // being written
                    }
                    if (reader.record() != null) {
                        events.add(SpooledEvent.of(reader.record()));
                    }
                    p = q;
                }
            } catch (NoSuchFileException e) {
                s.gone = true;
            }
            if (events.size() == n) {
                break;
            }
        }
        return events;
    }

    /** Reads a segment's waiting records, counting them: the spool's own checks, so the spool counts the same. */
    private void count(ListedSegment s) throws IOException {
        s.read = true;
        try {
            for (long p = start(s); p < s.size;) {
                long q = reader.read(s, p, s.sealed);
                if (reader.record() != null) {
                    s.records++;
                    s.frameBytes += q - p;
                    s.newest = reader.record();
                } else if (q < 0) {
                    s.beingWritten = s.size - p;
                    break;
                } else {
                    s.damaged++;
                }
                p = q;
            }
        } catch (NoSuchFileException e) {
            s.gone = true;
        } finally {
            s.closeChannel();
        }
    }

    /** Why the folder is not a spool, naming the sinks' spools in it if it is the folder of all of them. */
    private String notASpool() throws IOException {
        List<String> sinks = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path sub : entries) {
                if (Files.exists(sub.resolve(EventSpool.CHECKPOINT)) || !SegmentReader.segmentFiles(sub).isEmpty()) {
                    sinks.add(sub.getFileName().toString());
                }
            }
        }
        if (sinks.isEmpty()) {
            return dir + " is not an event spool: it has no segment files (<20 digits>.seg) and no "
                    + EventSpool.CHECKPOINT;
        }
        sinks.sort(null);
        return dir + " holds the spools of " + String.join(", ", sinks) + ": name one, e.g. "
                + dir.resolve(sinks.get(0));
    }

    // ---------------------------------------------------------------------------------------------- command

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command; returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path dir = null;
        int entries = DEFAULT_ENTRIES;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--entries" -> {
                    try {
                        entries = ++i < args.length ? Integer.parseInt(args[i]) : -1;
                    } catch (NumberFormatException e) {
                        entries = -1;
                    }
                    if (entries < 0) {
                        return usage(err, "--entries takes a number of events, 0 or more");
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-") || dir != null) {
                        return usage(err, "unexpected argument: " + args[i]);
                    }
                    dir = Path.of(args[i]);
                }
            }
        }
        if (dir == null) {
            return usage(err, "which spool folder?");
        }
        try {
            SpoolSummary summary = inspect(dir, entries);
            out.print(json ? toJson(summary) : toText(summary));
            out.flush();
            return 0;
        } catch (NotASpoolException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("cannot read the spool " + dir + ": " + e);
            return 1;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println(USAGE);
        return 2;
    }

    static String toJson(SpoolSummary summary) throws JsonProcessingException {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n";
    }

    static String toText(SpoolSummary s) {
        StringBuilder out = new StringBuilder();
        out.append("spool of sink ").append(s.sink()).append(": ").append(s.dir()).append('\n');
        out.append("waiting:        ").append(s.eventsExact() ? "" : "about ").append(s.events()).append(" events")
                .append(s.eventsExact() ? "" : " (estimated from the segment sizes)").append(", ").append(s.bytes())
                .append(" bytes in ").append(s.segments()).append(s.segments() == 1 ? " segment" : " segments")
                .append('\n');
        SpoolPosition p = s.readPosition();
        out.append("read position:  ").append(p == null ? "none" : "segment " + p.segment() + ", offset " + p.offset())
                .append('\n');
        out.append("oldest:         ").append(line(s.oldest())).append('\n');
        out.append("newest:         ").append(line(s.newest())).append('\n');
        if (s.bytesBeingWritten() > 0) {
            out.append("being written:  ").append(s.bytesBeingWritten())
                    .append(" bytes at the end, not a whole record yet\n");
        }
        if (s.damagedRecords() > 0) {
            out.append("damaged:        ").append(s.damagedRecords()).append(" records (CRC or framing mismatch); "
                    + "the spool moves them to the dead letters when its replay reaches them\n");
        }
        for (String warning : s.warnings()) {
            out.append("warning:        ").append(warning).append('\n');
        }
        if (!s.entries().isEmpty()) {
            out.append("first ").append(s.entries().size()).append(" waiting:\n");
            for (SpooledEvent e : s.entries()) {
                out.append("  ").append(line(e)).append('\n');
            }
        }
        return out.toString();
    }

    /** One event on one line: its attributes, never its data. */
    private static String line(SpooledEvent e) {
        if (e == null) {
            return "none";
        }
        StringBuilder line = new StringBuilder();
        line.append("time=").append(e.time()).append(" type=").append(e.type()).append(" subject=")
                .append(e.subject()).append(" id=").append(e.id()).append(" attempts=").append(e.attempts())
                .append(" spooledAt=").append(e.spooledAt());
        if (e.reason() != null) {
            line.append(" reason=").append(Json.write(e.reason())); // quoted, a line break escaped
        }
        return line.toString();
    }
}
