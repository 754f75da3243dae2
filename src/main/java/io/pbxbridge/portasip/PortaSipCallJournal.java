package io.pbxbridge.portasip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.events.CloudEvent;
import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.portasip.PortaSipCallRecords.Observation;
import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Durations;
import io.pbxbridge.support.Json;

/**
 * The durable journal of PortaSIP's derived call records (bean {@code portasipCallJournal}, fed by the route
 * {@code portasip-call-records}, a sink of the event stream). It keeps each call's events until the call is over, then
 * appends the call's record ({@link PortaSipCallRecords}) to a day file, which {@code portasip:cdr} reads
 * ({@link PortaSipCallRecordPages}).
 *
 * <p>Per source ({@code <host>/<login>}, the events' {@code source}), in {@code <directory>/<source with anything
 * but letters, digits, .-_ as _>/}:
 * <ul>
 * <li>{@code open-calls.ndjson}: what each event said (an {@link Observation} a line), appended and forced to disk
 * before the event counts as taken; rewritten atomically (a forced temporary file renamed over it) without the calls
 * already recorded once they are most of it;</li>
 * <li>{@code records/<yyyy-MM-dd>.ndjson}: the records, one JSON line each, in the file of the UTC day of the call's
 * start; appended whole and forced.</li>
 * </ul>
 *
 * <p><b>Each call once, whatever the crash.</b> The steps for an event that ends a call: (1) its observation is
 * appended to the open-calls log and forced; (2) the record, if its key is not yet in its day file, is appended and
 * forced; (3) the call leaves memory, and the log at its next rewrite. A restart reads the log again line by line
 * exactly as the events came, ending calls the same way: a call whose record was written (a crash after 2) finds its
 * key in the day file and is not written again; one whose record was not (a crash after 1) is written now, built from
 * the same lines, so the same. A day file's torn last line (a crash during 2) is cut before anything is appended to
 * it; a torn last line of the log (a crash during 1) too: that event had not been taken. Events of a call already
 * recorded (a late or repeated {@code call.ended}) are dropped by key.
 *
 * <p><b>Calls whose end never comes</b> (pbx-bridge was down when they ended and the reconciliation no longer knew
 * them) are recorded {@code maxCallAge} after their last event, without an end, disposition UNKNOWN unless a leg
 * connected, {@code raw.ended = "not seen"}. Until then a call in progress holds back the harvest's window
 * ({@link #pendingSince}): its record, written at its end, belongs to the window of its start.
 *
 * <p>Thread-safe: the sources are independent; the events of one source are taken one batch at a time.
 */
public class PortaSipCallJournal implements Processor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PortaSipCallJournal.class);
    static final String OPEN_LOG = "open-calls.ndjson";
    static final String RECORDS = "records";
    private static final ObjectWriter OBSERVATION_WRITER = Json.MAPPER.writerFor(Observation.class);
    private static final ObjectReader OBSERVATION_READER = Json.MAPPER.readerFor(Observation.class);
    private static final ObjectWriter RECORD_WRITER = Json.MAPPER.writerFor(CallRecord.class);
    private static final ObjectReader RECORD_READER = Json.MAPPER.readerFor(CallRecord.class);
    /** The log is rewritten once it holds this many lines and four times those of the calls still open. */
    private static final int COMPACT_MIN_LINES = 2000;

    private Path directory = Path.of("data/cdr/portasip");
    private ZoneId zone = ZoneOffset.UTC;
    private Duration maxCallAge = Duration.ofHours(4);
    private Clock clock = Clock.systemUTC();
    /** For tests: a step to fail at, to prove a crash there neither loses nor doubles a record. */
    volatile CrashPoint crashPoint;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    /** Where a test makes the journal fail, as a crash would stop it there. */
    enum CrashPoint {
        AFTER_EVENT_LOGGED,
        AFTER_RECORD_WRITTEN,
        DURING_RECORD_WRITE
    }

    /** The crash a {@link CrashPoint} simulates. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(CrashPoint at) {
            super("simulated crash " + at);
        }
    }

    public PortaSipCallJournal() {
    }

    public PortaSipCallJournal(Path directory) {
        this.directory = directory;
    }

    // ---- settings ------------------------------------------------------------------------------------------------

    public String getDirectory() {
        return directory.toString();
    }

    /** The journal's folder ({@code <cdr.folder>/portasip}; default {@code data/cdr/portasip}): cdrJournal's. */
    public void setDirectory(String directory) {
        this.directory = Path.of(directory.trim());
    }

    public Path directory() {
        return directory;
    }

    public String getTimeZone() {
        return zone.getId();
    }

    /** The PortaSIP server's zone, in which its start and connect times are written (blank: UTC). */
    public void setTimeZone(String timeZone) {
        try {
            this.zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("portasip call journal: timeZone '" + timeZone + "' is not a time "
                    + "zone (e.g. Europe/Brussels)");
        }
    }

    public ZoneId zone() {
        return zone;
    }

    public String getMaxCallAge() {
        return maxCallAge.toString();
    }

    /** How long after its last event a call whose end was never seen is recorded anyway (e.g. {@code 4h}). */
    public void setMaxCallAge(String maxCallAge) {
        this.maxCallAge = Durations.parse(maxCallAge);
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    // ---- the event stream ----------------------------------------------------------------------------------------

    /**
     * Camel step: the body is a {@link CallEvent}, a CloudEvent of one (the event stream's sinks), or a list of
     * either; events of other vendors are ignored.
     *
     * @throws UncheckedIOException the journal cannot be written: the events were not taken
     */
    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        List<CallEvent> events = new ArrayList<>();
        if (body instanceof List<?> list) {
            list.forEach(o -> add(events, o));
        } else {
            add(events, body);
        }
        accept(events);
    }

    private static void add(List<CallEvent> events, Object o) {
        Object data = o instanceof CloudEvent ce ? ce.data() : o;
        if (data instanceof CallEvent e && PortaSipCallRecords.VENDOR.equals(e.vendor())) {
            events.add(e);
        }
    }

    /** Takes {@code events} (PortaSIP call events, any sources), durably; records the calls they end. */
    public void accept(List<CallEvent> events) {
        Map<String, List<Observation>> bySource = new LinkedHashMap<>();
        for (CallEvent e : events) {
            Observation o = Observation.of(e);
            if (o != null && o.source() != null) {
                bySource.computeIfAbsent(o.source(), s -> new ArrayList<>()).add(o);
            }
        }
        bySource.forEach((source, list) -> source(source).accept(list));
    }

    /**
     * The start of the earliest call of {@code source} still in progress (its record is not written yet), or null:
     * the harvest's live window ends before it. Calls older than {@code maxCallAge} are recorded first.
     */
    public Instant pendingSince(String source) {
        return source(source).pendingSince();
    }

    /** The folder of {@code source}'s day files. */
    public Path recordsFolder(String source) {
        return folder(directory, source).resolve(RECORDS);
    }

    /** The day file of {@code source} for {@code day} (UTC). */
    public static Path dayFile(Path directory, String source, LocalDate day) {
        return folder(directory, source).resolve(RECORDS).resolve(day + ".ndjson");
    }

    static Path folder(Path directory, String source) {
        return directory.resolve(source.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** The calls of {@code source} still open, for tests and the log. */
    int openCalls(String source) {
        return source(source).open.size();
    }

    private Source source(String name) {
        return sources.computeIfAbsent(name, n -> {
            Source s = new Source(n);
            s.open();
            return s;
        });
    }

    @Override
    public void close() {
        for (Source s : sources.values()) {
            s.close();
        }
        sources.clear();
    }

    @Override
    public String toString() {
        return "PortaSipCallJournal[" + directory + "]";
    }

    // ---- reading day files ---------------------------------------------------------------------------------------

    /** A day file's records, line by line, up to its last whole line; a line that is not a record is given as text. */
    static final class DayReader implements AutoCloseable {

        private final BufferedReader reader;

        DayReader(Path file) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            try {
                long whole = wholeLength(ch);
                InputStream in = Channels.newInputStream(ch);
                reader = new BufferedReader(new InputStreamReader(new Bounded(in, whole), StandardCharsets.UTF_8),
                        64 * 1024);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        /** The next line, or null at the end. */
        String nextLine() throws IOException {
            String line;
            do {
                line = reader.readLine();
            } while (line != null && line.isBlank());
            return line;
        }

        static CallRecord parse(String line) throws JsonProcessingException {
            return RECORD_READER.readValue(line);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The length of the channel's content up to and with its last line end (0 for none). */
    static long wholeLength(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long pos = size;
        while (pos > 0) {
            int n = (int) Math.min(buf.capacity(), pos);
            pos -= n;
            buf.clear().limit(n);
            while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) >= 0) {
                // read on
            }
            for (int i = n - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return pos + i + 1;
                }
            }
        }
        return 0;
    }

    /** Cuts what follows the last line end of {@code ch} (a line a crash cut short); true when something was cut. */
    private static boolean cutTornTail(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        long whole = wholeLength(ch);
        if (whole < size) {
            LOG.warn("portasip call journal: {} ended with {} bytes of a line cut short by a crash; cut off", file,
                    size - whole);
            ch.truncate(whole);
            ch.force(true);
            return true;
        }
        return false;
    }

    // ---- one source --------------------------------------------------------------------------------------------

    /** A call not yet recorded: its events' lines as logged, in order. */
    private static final class OpenCall {
        final String callId;
        final List<Observation> seen = new ArrayList<>();
        final List<byte[]> lines = new ArrayList<>();
        Instant lastAt;

        OpenCall(String callId) {
            this.callId = callId;
        }
    }

    private final class Source {

        final String name;
        final Path folder;
        final Path log;
        final LinkedHashMap<String, OpenCall> open = new LinkedHashMap<>();
        /** Keys of the records in each day file read so far (the recent days, and those appended to). */
        final Map<LocalDate, Set<String>> keysByDay = new HashMap<>();
        /** Day files whose torn tail was looked for in this process. */
        final Set<LocalDate> checked = new HashSet<>();
        FileChannel logChannel;
        long logLines;

        Source(String name) {
            this.name = name;
            this.folder = folder(directory, name);
            this.log = folder.resolve(OPEN_LOG);
        }

        /** Reads the log again, ending (and recording, when not yet) the calls it ends, as when the events came. */
        synchronized void open() {
            try {
                Files.createDirectories(folder.resolve(RECORDS));
                LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
                long days = maxCallAge.toDays() + 2;
                for (LocalDate d = today.minusDays(days); !d.isAfter(today.plusDays(1)); d = d.plusDays(1)) {
                    keys(d);
                }
                logChannel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                cutTornTail(logChannel, log);
                int replayed = 0;
                int recorded = 0;
                try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(log),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (line.isBlank()) {
                            continue;
                        }
                        logLines++;
                        Observation o;
                        try {
                            o = OBSERVATION_READER.readValue(line);
                        } catch (JsonProcessingException e) {
                            LOG.warn("portasip call journal: a line of {} is not an event ({}); skipped", log,
                                    Json.problem(e));
                            continue;
                        }
                        replayed++;
                        if (apply(o, (line + "\n").getBytes(StandardCharsets.UTF_8))) {
                            recorded++;
                        }
                    }
                }
                logChannel.position(logChannel.size());
                if (replayed > 0) {
                    LOG.info("portasip call journal {}: {} events read again, {} calls open, {} recorded now", name,
                            replayed, open.size(), recorded);
                }
                compact();
            } catch (IOException e) {
                throw new UncheckedIOException("portasip call journal: cannot open " + log + ": " + e.getMessage(), e);
            }
        }

        synchronized void accept(List<Observation> observations) {
            ensureOpen();
            List<Observation> taken = new ArrayList<>(observations.size());
            List<byte[]> lines = new ArrayList<>(observations.size());
            int size = 0;
            for (Observation o : observations) {
                if (!open.containsKey(o.callId()) && recorded(o.callId())) {
                    LOG.debug("portasip call journal {}: {} of call {} came after its record; dropped", name,
                            o.type(), o.callId());
                    continue;
                }
                byte[] line = line(o);
                taken.add(o);
                lines.add(line);
                size += line.length;
            }
            if (!taken.isEmpty()) {
                ByteBuffer buf = ByteBuffer.allocate(size);
                lines.forEach(buf::put);
                buf.flip();
                try {
                    while (buf.hasRemaining()) {
                        logChannel.write(buf);
                    }
                    logChannel.force(false);
                } catch (IOException e) {
                    // what was written of them may be read again at the restart: as events taken, which they were not
                    throw new UncheckedIOException("portasip call journal: cannot write " + log + ": "
                            + e.getMessage(), e);
                }
                logLines += taken.size();
                crash(CrashPoint.AFTER_EVENT_LOGGED);
                for (int i = 0; i < taken.size(); i++) {
                    apply(taken.get(i), lines.get(i));
                }
            }
            expire();
            if (logLines >= COMPACT_MIN_LINES && logLines > 4L * openLines()) {
                compact();
            }
        }

        synchronized Instant pendingSince() {
            ensureOpen();
            expire();
            Instant earliest = null;
            for (OpenCall c : open.values()) {
                Instant s = PortaSipCallRecords.start(c.seen, zone);
                if (s != null && (earliest == null || s.isBefore(earliest))) {
                    earliest = s;
                }
            }
            return earliest;
        }

        private void ensureOpen() {
            if (logChannel == null || !logChannel.isOpen()) {
                throw new IllegalStateException("portasip call journal " + name + " is closed");
            }
        }

        /** Adds {@code o} to its call; records the call when that ended it. True when a record was written. */
        private boolean apply(Observation o, byte[] line) {
            OpenCall c = open.get(o.callId());
            if (c == null) {
                if (recorded(o.callId())) {
                    return false; // logged before a crash, after its call's record: the record stands
                }
                c = new OpenCall(o.callId());
                open.put(o.callId(), c);
            }
            c.seen.add(o);
            c.lines.add(line);
            if (o.at() != null && (c.lastAt == null || o.at().isAfter(c.lastAt))) {
                c.lastAt = o.at();
            }
            if (o.ended() && PortaSipCallRecords.complete(c.seen)) {
                return finish(c, true);
            }
            return false;
        }

        /** Records calls silent for longer than maxCallAge, without an end. */
        private void expire() {
            Instant limit = clock.instant().minus(maxCallAge);
            List<OpenCall> old = new ArrayList<>();
            for (OpenCall c : open.values()) {
                if (c.lastAt != null && c.lastAt.isBefore(limit)) {
                    old.add(c);
                }
            }
            for (OpenCall c : old) {
                LOG.warn("portasip call journal {}: call {} had no event for {} and its end was never seen: recorded "
                        + "without an end", name, c.callId, maxCallAge);
                finish(c, false);
            }
        }

        /** Writes the call's record unless its day file has it; then forgets the call. */
        private boolean finish(OpenCall c, boolean complete) {
            CallRecord r = PortaSipCallRecords.record(name, c.callId, c.seen, zone, complete);
            LocalDate day = LocalDate.ofInstant(r.start() != null ? r.start() : clock.instant(), ZoneOffset.UTC);
            Set<String> keys = keys(day);
            boolean written = false;
            if (!keys.contains(r.key())) {
                append(day, r);
                keys.add(r.key());
                written = true;
                crash(CrashPoint.AFTER_RECORD_WRITTEN);
            }
            open.remove(c.callId);
            return written;
        }

        private void append(LocalDate day, CallRecord r) {
            Path file = folder.resolve(RECORDS).resolve(day + ".ndjson");
            byte[] line;
            try {
                line = (RECORD_WRITER.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                if (checked.add(day)) {
                    cutTornTail(ch, file);
                }
                ch.position(ch.size());
                ByteBuffer buf = ByteBuffer.wrap(line);
                if (crashPoint == CrashPoint.DURING_RECORD_WRITE) {
                    buf.limit(line.length / 2);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(false);
                    crash(CrashPoint.DURING_RECORD_WRITE);
                }
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("portasip call journal: cannot write " + file + ": " + e.getMessage(),
                        e);
            }
        }

        /** Whether the record of {@code callId} is in a day file read so far. */
        private boolean recorded(String callId) {
            String key = CallRecord.key(PortaSipCallRecords.VENDOR, name, callId);
            for (Set<String> keys : keysByDay.values()) {
                if (keys.contains(key)) {
                    return true;
                }
            }
            return false;
        }

        /** The keys of the day file of {@code day}, read once (its torn tail cut first). */
        private Set<String> keys(LocalDate day) {
            Set<String> keys = keysByDay.get(day);
            if (keys != null) {
                return keys;
            }
            Set<String> read = new HashSet<>();
            Path file = folder.resolve(RECORDS).resolve(day + ".ndjson");
            try {
                if (Files.exists(file)) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        cutTornTail(ch, file);
                    }
                    checked.add(day);
                    try (DayReader r = new DayReader(file)) {
                        for (String line = r.nextLine(); line != null; line = r.nextLine()) {
                            key(line, read::add);
                        }
                    }
                }
            } catch (NoSuchFileException e) {
                // none yet
            } catch (IOException e) {
                throw new UncheckedIOException("portasip call journal: cannot read " + file + ": " + e.getMessage(),
                        e);
            }
            keysByDay.put(day, read);
            prune(day);
            return read;
        }

        /** Forgets the keys of days too old for any event to come for their calls. */
        private void prune(LocalDate justRead) {
            LocalDate oldest = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(maxCallAge.toDays() + 3);
            keysByDay.keySet().removeIf(d -> d.isBefore(oldest) && !d.equals(justRead));
        }

        private void key(String line, Consumer<String> keys) {
            try {
                CallRecord r = DayReader.parse(line);
                if (r.key() != null) {
                    keys.accept(r.key());
                }
            } catch (JsonProcessingException e) {
                LOG.warn("portasip call journal {}: a line of a day file is not a record ({})", name,
                        Json.problem(e));
            }
        }

        private long openLines() {
            long n = 0;
            for (OpenCall c : open.values()) {
                n += c.lines.size();
            }
            return n;
        }

        /** Rewrites the log with the lines of the calls still open only (atomically: a forced file renamed). */
        private void compact() throws UncheckedIOException {
            long live = openLines();
            if (live == logLines) {
                return;
            }
            try {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (OpenCall c : open.values()) {
                    for (byte[] l : c.lines) {
                        out.write(l);
                    }
                }
                logChannel.close();
                AtomicFiles.write(log, out.toByteArray());
                logChannel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                logChannel.position(logChannel.size());
                logLines = live;
            } catch (IOException e) {
                throw new UncheckedIOException("portasip call journal: cannot rewrite " + log + ": " + e.getMessage(),
                        e);
            }
        }

        synchronized void close() {
            try {
                if (logChannel != null) {
                    logChannel.close();
                }
            } catch (IOException e) {
                LOG.debug("portasip call journal: closing {}: {}", log, e.getMessage());
            }
        }
    }

    private void crash(CrashPoint at) {
        if (crashPoint == at) {
            throw new SimulatedCrash(at);
        }
    }

    private static byte[] line(Observation o) {
        try {
            return (OBSERVATION_WRITER.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
