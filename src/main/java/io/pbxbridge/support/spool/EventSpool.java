package io.pbxbridge.support.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.AtomicFiles;

/**
 * The durable, bounded FIFO of one sink's undeliverable events: what the sink could not take within its retry budget
 * waits here, on disk, until a replayer hands it over when the sink is back.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #append}/{@link #appendAll} return only once the records are on disk ({@code FileChannel.force(false)},
 * i.e. fdatasync; once per call, so batches are much cheaper than single records).</li>
 * <li>FIFO, also across restarts: {@link #peek} returns the oldest records without removing them;
 * {@link #acknowledge} removes them and persists the read position atomically before it returns. A crash between a
 * delivery and its acknowledgement delivers the record again after the restart (at least once: consumers dedupe by
 * id).</li>
 * <li>Bounded: when an append would take the live data over {@code maxBytes}, the oldest records are moved to the
 * {@link DeadLetters} (reason {@code "spool full (<maxBytes> bytes): oldest moved to dead letter"}) until it fits.
 * Nothing is ever dropped: a record is removed from the spool only after its dead letter is on disk.</li>
 * <li>One appender thread and one replayer thread may use a spool at the same time (every method is synchronized;
 * the replayer delivers outside the lock, between {@code peek} and {@code acknowledge}; an append writes to the file
 * outside it).</li>
 * <li>The directory belongs to one spool: {@link #open} takes an exclusive lock on {@code <dir>/.lock}.</li>
 * </ul>
 *
 * <h2>On disk</h2>
 * <pre>
 * &lt;dir&gt;/00000000000000000001.seg   segments, appended to in order, the last one is the tail
 * &lt;dir&gt;/read-position.json         {"segment":1,"offset":8} : the next record to deliver (temp file + rename)
 * &lt;dir&gt;/.lock                      held while open
 *
 * segment  = header record*                 a record never spans two segments; a new segment is started when the
 * header   = "PSP1" version:int32(=1)       next record would take the tail over the segment size (16 MB default)
 * record   = magic:int32(=0xF55A11ED) length:int32 crc:int32 body[length]
 *            crc = CRC32 over the 4 length bytes and the body
 * body     = spooledAtSeconds:int64 spooledAtNanos:int32 attempts:int32 id:str key:str reason:str
 *            payloadLength:int32 payload
 * str      = byteLength:int32 (-1 = null) UTF-8 bytes
 * </pre>
 * All integers big-endian. The magic begins with 0xF5, a byte that never occurs in UTF-8, so it cannot appear
 * inside a JSON payload; that lets recovery find the next record after a damaged one. Segments are deleted once fully
 * read (after the read position past them is on disk). {@link SegmentReader} reads this format, here and in
 * {@link SpoolInspector}, which looks into a spool from outside.
 *
 * <h2>Recovery on open</h2>
 * Every live segment is scanned (CRC checked) to count the records. At the end of the tail segment, bytes that do not
 * form a valid record and are not followed by one are a write torn by a crash (never acknowledged to the appender:
 * {@code append} had not returned): they are truncated, with a warning. A damaged record <em>followed</em> by valid
 * ones (or anywhere in an older segment) is corruption: it is logged as an error at once, and when the replay reaches
 * it, it is moved to the dead letters with reason {@value #CORRUPT_REASON} (its fields salvaged where they still
 * parse, else the raw bytes) - never skipped silently.
 */
public final class EventSpool implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(EventSpool.class);

    public static final long DEFAULT_SEGMENT_BYTES = 16L * 1024 * 1024;
    public static final String CORRUPT_REASON = "corrupt spool record";

    static final int SEGMENT_MAGIC = 0x50535031; // "PSP1"
    static final int SEGMENT_VERSION = 1;
    static final int SEGMENT_HEADER = 8;
    static final int RECORD_MAGIC = 0xF55A11ED;
    static final int FRAME_HEADER = 12;
    /** seconds + nanos + attempts + three null strings + empty payload. */
    static final int MIN_BODY = 8 + 4 + 4 + 4 + 4 + 4 + 4;
    static final String CHECKPOINT = "read-position.json";
    static final String LOCK = ".lock";
    private static final int READ_CHUNK = 256 * 1024;
    /** Dead letters written per step when the bound pushes out many records at once. */
    private static final int EVICT_STEP = 1000;
    private static final long EVICT_STEP_BYTES = 8L * 1024 * 1024;

    private final Path dir;
    private final String sink;
    private final long maxBytes;
    private final long segmentBytes;
    private final DeadLetters deadLetters;
    private final String fullReason;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment tail;
    /**
     * Held by the appending thread through a whole {@link #appendAll}, and by what replaces or closes the tail; the
     * monitor ({@code this}) only for moments, so that writing never keeps readers waiting. Taken before the monitor.
     */
    private final Object appending = new Object();
    /** The read position: the next record to deliver. */
    private long headSeg;
    private long headOff;
    /** Valid records from the read position to the end. */
    private long count;
    /** Records removed from the head since open (acknowledged or pushed out): the head's logical number. */
    private long removed;
    /** Logical number of the next record {@link #acknowledge} confirms (the first of the latest peek). */
    private long ackBase;
    /** Logical number of the first record of the latest peek, and the positions after each record it returned. */
    private long peekFirst;
    private int peekLen;
    private long[] peekEndSeg = new long[0];
    private long[] peekEndOff = new long[0];
    private boolean closed;
    /** Frames of the running {@link #appendAll}, written with one call per segment. */
    private byte[] pend = new byte[READ_CHUNK];
    private int pendLen;
    private int pendCount;
    private static final int MAX_PENDING = 4 * 1024 * 1024;
    /** "spool full" is logged at most once a minute while a sink stays down. */
    private static final long FULL_LOG_INTERVAL_NANOS = 60_000_000_000L;
    private long lastFullLog;
    private long pushedOut;
    /** Records moved to the dead letters by the bound since open. */
    private long evictedTotal;
    /**
     * False (write-ahead use): appends and read positions are written but not forced, so they survive a killed
     * process (the page cache outlives it) at the cost of one write call; {@link #sync} forces them, on a timer.
     */
    private boolean forceEachWrite = true;
    /** The end position of each of the latest appended records, by logical number (see {@link #acknowledgeTo}). */
    private static final int APPEND_RING = 1 << 16;
    private final long[] ringEndSeg = new long[APPEND_RING];
    private final long[] ringEndOff = new long[APPEND_RING];
    /** Lowest logical number whose end position the ring still holds. */
    private long ringFirst;
    private int[] pendEnds = new int[64];
    /** Written-but-not-forced mode writes the read position at most this often (see {@link #setHead}). */
    private static final long CHECKPOINT_NANOS = 50_000_000L;
    private long checkpointWritten;
    private boolean checkpointDirty;
    /** Set while the read position could not be written (see {@link #setHead}). */
    private IOException checkpointFailure;
    /** Set when a write or force failed: the tail is in an unknown state until the spool is reopened. */
    private IOException failure;

    private final SegmentReader reader = new SegmentReader();

    private static final class Segment implements SegmentReader.Segment {
        final long seq;
        final Path path;
        long size;
        FileChannel ch;

        Segment(long seq, Path path, long size) {
            this.seq = seq;
            this.path = path;
            this.size = size;
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
                ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            return ch;
        }

        void closeChannel() {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing a file we only read or already forced
                }
                ch = null;
            }
        }
    }

    /** A record (or a damaged stretch) found at a position. */
    private record Entry(long seg, long off, long end, SpoolRecord record, boolean corrupt) {
    }

    /** Opens (creating or recovering) the spool of {@code sink} in {@code dir} with 16 MB segments. */
    public static EventSpool open(Path dir, String sink, long maxBytes, DeadLetters deadLetters) throws IOException {
        return open(dir, sink, maxBytes, DEFAULT_SEGMENT_BYTES, deadLetters);
    }

    public static EventSpool open(Path dir, String sink, long maxBytes, long segmentBytes, DeadLetters deadLetters)
            throws IOException {
        return new EventSpool(dir, sink, maxBytes, segmentBytes, deadLetters);
    }

    private EventSpool(Path dir, String sink, long maxBytes, long segmentBytes, DeadLetters deadLetters)
            throws IOException {
        if (maxBytes <= 0 || segmentBytes <= SEGMENT_HEADER) {
            throw new IllegalArgumentException("maxBytes and segmentBytes must be positive");
        }
        this.dir = dir;
        this.sink = sink;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.deadLetters = deadLetters;
        this.fullReason = "spool full (" + maxBytes + " bytes): oldest moved to dead letter";
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("spool " + dir + " is already open (" + LOCK + " is locked)");
        }
        lock = l;
        try {
            recover();
            makeRoom(0); // the bound may have been lowered since the last run
            ringFirst = removed + count;
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------- recovery

    private void recover() throws IOException {
        for (Map.Entry<Long, Path> file : SegmentReader.segmentFiles(dir).entrySet()) {
            segments.put(file.getKey(), new Segment(file.getKey(), file.getValue(), Files.size(file.getValue())));
        }
        SpoolPosition checkpoint = readCheckpoint();
        if (segments.isEmpty()) {
            long seq = checkpoint != null ? Math.max(1, checkpoint.segment()) : 1;
            tail = createSegment(seq);
            headSeg = seq;
            headOff = SEGMENT_HEADER;
            return;
        }
        tail = segments.lastEntry().getValue();
        SpoolPosition head = SegmentReader.head(checkpoint, segments.navigableKeySet());
        headSeg = head.segment();
        headOff = head.offset();
        if (checkpoint != null && checkpoint.segment() == headSeg) {
            long size = segments.get(headSeg).size;
            if (headOff > size && segments.get(headSeg) != tail) {
                LOG.warn("spool {}: read position {}@{} is beyond the end of the segment ({} bytes)", sink, headSeg,
                        headOff, size);
                headOff = size;
            }
        } else if (checkpoint != null && checkpoint.segment() > segments.firstKey()) {
            // (one below the oldest segment was fully read and deleted: nothing to say)
            LOG.warn("spool {}: read position {}@{} names a missing segment; replaying from segment {}", sink,
                    checkpoint.segment(), checkpoint.offset(), headSeg);
        }
        for (Segment old : new ArrayList<>(segments.headMap(headSeg, false).values())) {
            LOG.info("spool {}: deleting {}, read before the last stop", sink, old.path.getFileName());
            Files.deleteIfExists(old.path);
            segments.remove(old.seq);
        }
        for (Segment s : segments.values()) {
            checkHeader(s);
        }
        if (headSeg == tail.seq && headOff > tail.size) {
            // the tail lost data the read position had passed (power cut with a lying disk): nothing to replay there
            LOG.warn("spool {}: read position {} is beyond the end of the tail ({} bytes)", sink, headOff, tail.size);
            headOff = tail.size;
        }
        long records = 0;
        int damaged = 0;
        for (Segment s : segments.tailMap(headSeg, true).values()) {
            long p = s.seq == headSeg ? headOff : SEGMENT_HEADER;
            while (p < s.size) {
                long q = reader.read(s, p, s != tail);
                if (reader.record() != null) {
                    records++;
                    p = q;
                    continue;
                }
                if (q < 0) {
                    LOG.warn("spool {}: truncating {} at {}: {} bytes of a record torn by a crash", sink,
                            s.path.getFileName(), p, s.size - p);
                    truncate(s, p);
                    break;
                }
                damaged++;
                LOG.error("spool {}: CORRUPT record in {} at offset {} ({} bytes, CRC or framing mismatch); it will "
                        + "be moved to the dead letters when the replay reaches it", sink, s.path, p, q - p);
                p = q;
            }
            if (s != tail && s.seq != headSeg) {
                s.closeChannel();
            }
        }
        count = records;
        if (headOff >= segments.get(headSeg).size && segments.get(headSeg) != tail) {
            setHead(headSeg, headOff); // a crash between a rollover and moving the read position past the old tail
        }
        if (records == 0 && damaged == 0 && headSeg == tail.seq && tail.size > SEGMENT_HEADER
                && headOff >= tail.size) {
            // all read: a fresh segment, so the old one's room is given back (a disk that was full)
            tail = createSegment(tail.seq + 1);
            setHead(tail.seq, SEGMENT_HEADER);
        }
        LOG.info("spool {}: opened {} with {} records, {} bytes in {} segments{}", sink, dir, count, bytes(),
                segments.size(), damaged > 0 ? ", " + damaged + " CORRUPT" : "");
    }

    private SpoolPosition readCheckpoint() {
        try {
            return SegmentReader.readPosition(dir);
        } catch (IOException e) {
            // written by rename, so it is whole; unreadable means someone edited it: replaying everything is safe
            LOG.warn("spool {}: unreadable {} ({}); replaying from the oldest segment", sink, dir.resolve(CHECKPOINT),
                    e.toString());
            return null;
        }
    }

    private void checkHeader(Segment s) throws IOException {
        if (s.size < SEGMENT_HEADER && s == tail) {
            LOG.warn("spool {}: {} was being created at a crash; rewriting its header", sink, s.path.getFileName());
            writeHeader(s.channel());
            s.size = SEGMENT_HEADER;
            return;
        }
        String problem = SegmentReader.headerProblem(s);
        if (problem != null) {
            throw new IOException(problem);
        }
    }

    private void truncate(Segment s, long size) throws IOException {
        s.channel().truncate(size);
        s.channel().force(true);
        s.size = size;
        reader.discardWindow();
    }

    // ---------------------------------------------------------------------------------------------- appending

    /** Appends one record; it is on disk when this returns. */
    public void append(SpoolRecord record) throws IOException {
        appendAll(List.of(record));
    }

    /**
     * Appends records in order; they are on disk when this returns (one force for the whole batch; written but not
     * forced with {@link #forceEachWrite(boolean) forceEachWrite(false)}). Returns how many were appended: a record
     * over the bound goes to the dead letters instead.
     */
    public int appendAll(List<SpoolRecord> records) throws IOException {
        if (records.isEmpty()) {
            return 0;
        }
        byte[][] frames = new byte[records.size()][];
        long total = 0;
        for (int i = 0; i < frames.length; i++) {
            frames[i] = encode(records.get(i));
            total += frames[i].length;
        }
        synchronized (appending) {
            Segment t;
            FileChannel ch;
            synchronized (this) {
                ensureUsable();
                if (total > MAX_PENDING || total + SEGMENT_HEADER > maxBytes || tail.size + total > segmentBytes
                        || bytes() + total > maxBytes) {
                    return appendAllLocked(records, frames); // a rollover, the bound or a huge batch: all under the lock
                }
                t = tail;
                ch = t.channel();
            }
            // the common case writes outside the monitor: only this thread writes the tail (under `appending`),
            // and readers stop at tail.size, published below, so peeks and acknowledgements go on meanwhile
            pendLen = 0;
            pendCount = 0;
            for (byte[] f : frames) {
                pendAdd(f);
            }
            try {
                SpoolFiles.writeFully(ch, ByteBuffer.wrap(pend, 0, pendLen), t.size);
            } catch (IOException e) {
                synchronized (this) {
                    fail(e);
                }
                throw e;
            } finally {
                shrinkPending();
            }
            synchronized (this) {
                ensureUsable(); // a force of sync() failed meanwhile: it cut the tail back, these are not kept
                published();
                if (forceEachWrite) {
                    guarded(() -> tail.channel().force(false));
                }
            }
            return frames.length;
        }
    }

    /** {@link #appendAll} when the batch needs room, a rollover or the dead letters. */
    private int appendAllLocked(List<SpoolRecord> records, byte[][] frames) throws IOException {
        synchronized (this) {
            long batch = 0;
            for (byte[] f : frames) {
                batch += f.length + SEGMENT_HEADER > maxBytes ? 0 : f.length; // oversized ones go to dead letters
            }
            makeRoom(Math.min(batch, maxBytes)); // one round of dead letters for the batch, not one per record
            pendLen = 0;
            pendCount = 0;
            int appended = 0;
            for (int i = 0; i < frames.length; i++) {
                byte[] f = frames[i];
                if (f.length + SEGMENT_HEADER > maxBytes) {
                    String reason = "record of " + f.length + " bytes exceeds the spool bound (" + maxBytes
                            + " bytes)";
                    Path file = deadLetters.write(sink, records.get(i), reason);
                    LOG.warn("spool {}: {}: {} moved to dead letter {}", sink, reason, records.get(i).id(), file);
                    continue;
                }
                long end = tail.size + pendLen;
                boolean roll = end + f.length > segmentBytes && end > SEGMENT_HEADER;
                long need = f.length + (roll ? SEGMENT_HEADER : 0);
                if (roll || bytes() + pendLen + need > maxBytes || pendLen + f.length > MAX_PENDING) {
                    flushPending(); // eviction reads what is written; a rollover seals the tail
                    makeRoom(need);
                    if (roll) {
                        guarded(this::rollover);
                    }
                }
                pendAdd(f);
                appended++;
            }
            flushPending();
            if (appended > 0 && forceEachWrite) {
                guarded(() -> tail.channel().force(false));
            }
            shrinkPending();
            return appended;
        }
    }

    private void pendAdd(byte[] f) {
        if (pend.length < pendLen + f.length) {
            pend = Arrays.copyOf(pend, Math.max(pendLen + f.length, pend.length * 2));
        }
        System.arraycopy(f, 0, pend, pendLen, f.length);
        pendLen += f.length;
        if (pendCount == pendEnds.length) {
            pendEnds = Arrays.copyOf(pendEnds, pendCount * 2);
        }
        pendEnds[pendCount++] = pendLen;
    }

    private void shrinkPending() {
        if (pend.length > MAX_PENDING) {
            pend = new byte[READ_CHUNK];
        }
    }

    /**
     * Whether every append and read position is forced to disk before the call returns (the default), or only
     * written (the operating system has it: a killed process loses nothing, a power cut what {@link #sync} had not
     * forced yet).
     */
    public synchronized void forceEachWrite(boolean force) {
        this.forceEachWrite = force;
    }

    /** Forces what was appended and the read position to disk. */
    public void sync() throws IOException {
        FileChannel ch;
        synchronized (this) {
            ensureUsable();
            ch = tail.channel();
        }
        // outside the lock: forcing many written megabytes can take long, and appends go on meanwhile
        try {
            ch.force(false);
        } catch (java.nio.channels.ClosedChannelException e) {
            // rolled over meanwhile: the rollover forced it
        } catch (IOException e) {
            synchronized (this) {
                fail(e);
            }
            throw e;
        }
        byte[] position;
        synchronized (this) {
            position = checkpoint(headSeg, headOff);
            checkpointWritten = System.nanoTime();
            checkpointDirty = false;
        }
        // also outside the lock: on a journaling file system this fsync can wait for all the data written before it.
        // Its own temporary file, so it never mixes with setHead's; should it land after a newer position, a
        // restart delivers a few records again, never fewer
        try {
            AtomicFiles.write(dir.resolve(CHECKPOINT), position, true, dir.resolve("." + CHECKPOINT + ".sync"));
            checkpointFailure = null;
        } catch (IOException e) {
            checkpointFailure = e; // see setHead: the position lives on in memory; written again next time
        }
        SpoolFiles.forceDirectory(dir);
    }

    /**
     * After a failed write: cuts the tail back to its last whole record and accepts appends again (a full disk that
     * has room again). Throws if the tail still cannot be written to.
     */
    public void resumeWrites() throws IOException {
        synchronized (appending) {
            synchronized (this) {
                resumeWritesLocked();
            }
        }
    }

    private void resumeWritesLocked() throws IOException {
        ensureOpen();
        if (failure != null) {
            tail.channel().truncate(tail.size);
            reader.discardWindow();
            failure = null;
        }
        if (count == 0 && headSeg == tail.seq && headOff >= tail.size && tail.size > SEGMENT_HEADER) {
            // all read: the old tail is deleted before a fresh one is made, so a full disk gets its room back
            Segment old = tail;
            old.closeChannel();
            Files.deleteIfExists(old.path);
            segments.remove(old.seq);
            reader.discardWindow();
            tail = createSegment(old.seq + 1);
            setHead(tail.seq, SEGMENT_HEADER);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /** Runs a write to the tail; if it fails, the spool is failed (see {@link #fail}). */
    private void guarded(IoAction action) throws IOException {
        try {
            action.run();
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    /** Writes the frames gathered by {@link #appendAll} to the tail with one write call. */
    private void flushPending() throws IOException {
        if (pendLen == 0) {
            return;
        }
        guarded(() -> SpoolFiles.writeFully(tail.channel(), ByteBuffer.wrap(pend, 0, pendLen), tail.size));
        published();
    }

    /** Makes the frames of {@code pend}, written at the tail's end, visible: numbers, positions, size. */
    private void published() {
        long first = removed + count;
        for (int k = 0; k < pendCount; k++) {
            int slot = (int) ((first + k) & (APPEND_RING - 1));
            ringEndSeg[slot] = tail.seq;
            ringEndOff[slot] = tail.size + pendEnds[k];
        }
        ringFirst = Math.max(ringFirst, first + pendCount - APPEND_RING);
        tail.size += pendLen;
        count += pendCount;
        pendLen = 0;
        pendCount = 0;
    }

    /** After a failed write or force the tail's state is unknown (a failed fsync may have dropped pages). */
    private void fail(IOException e) {
        failure = e;
        // the caller reports it (once per change); a full disk would make this a line per attempt
        LOG.debug("spool {}: write failed; appends are refused until resumeWrites or a reopen", sink, e);
        try {
            tail.channel().truncate(tail.size);
        } catch (IOException ignored) {
            // recovery on reopen truncates a torn record anyway
        }
    }

    private void rollover() throws IOException {
        tail.channel().force(false);
        Segment old = tail;
        tail = createSegment(old.seq + 1);
        if (headSeg == old.seq && headOff >= old.size) {
            setHead(tail.seq, SEGMENT_HEADER); // everything in the old tail was read: delete it now
        } else if (old.seq != headSeg) {
            old.closeChannel();
        }
    }

    private Segment createSegment(long seq) throws IOException {
        Path path = dir.resolve(String.format("%020d.seg", seq));
        Segment s = new Segment(seq, path, 0);
        s.ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        writeHeader(s.ch);
        s.size = SEGMENT_HEADER;
        SpoolFiles.forceDirectory(dir);
        segments.put(seq, s);
        return s;
    }

    private static void writeHeader(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER).putInt(SEGMENT_MAGIC).putInt(SEGMENT_VERSION).flip();
        ch.truncate(0);
        SpoolFiles.writeFully(ch, b, 0);
        ch.force(true);
    }

    /**
     * Moves the oldest records to the dead letters until {@code needed} more bytes fit under the bound. Dead letters
     * are on disk before the read position passes their records.
     */
    private void makeRoom(long needed) throws IOException {
        long limit = maxBytes - needed;
        while (bytes() > limit) {
            List<SpoolRecord> letters = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            long seg = headSeg;
            long off = headOff;
            long evicted = 0;
            long held = 0;
            while (letters.size() < EVICT_STEP && held < EVICT_STEP_BYTES && bytesFrom(seg, off) > limit) {
                Entry e = entryAt(seg, off);
                if (e == null) {
                    break;
                }
                held += e.end() - e.off();
                letters.add(e.record());
                if (e.corrupt()) {
                    reasons.add(CORRUPT_REASON);
                    logCorrupt(e);
                } else {
                    reasons.add(fullReason);
                    evicted++;
                }
                seg = e.seg();
                off = e.end();
            }
            if (letters.isEmpty()) {
                return;
            }
            deadLetters.writeAll(sink, letters, reasons);
            setHead(seg, off);
            removed += evicted;
            count -= evicted;
            pushedOut += letters.size();
            evictedTotal += evicted;
            if (System.nanoTime() - lastFullLog > FULL_LOG_INTERVAL_NANOS || lastFullLog == 0) {
                LOG.warn("spool {}: {}; moved {} records to the dead letters since the last report (latest {}), {} "
                        + "remain", sink, fullReason, pushedOut, letters.get(letters.size() - 1).id(), count);
                lastFullLog = System.nanoTime();
                pushedOut = 0;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * The oldest records, at most {@code max}, without removing them. A damaged record at the head is moved to the
     * dead letters here (reason {@value #CORRUPT_REASON}); one further on ends the batch, to be handled by the next
     * peek once the records before it are acknowledged.
     */
    public synchronized List<SpoolRecord> peek(int max) throws IOException {
        ensureOpen();
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        List<SpoolRecord> out = new ArrayList<>((int) Math.min(max, Math.min(count, 4096)));
        peekLen = 0;
        long seg = headSeg;
        long off = headOff;
        while (out.size() < max) {
            Entry e = entryAt(seg, off);
            if (e == null) {
                break;
            }
            if (e.corrupt()) {
                if (!out.isEmpty()) {
                    break;
                }
                logCorrupt(e);
                Path file = deadLetters.write(sink, e.record(), CORRUPT_REASON);
                LOG.error("spool {}: corrupt record at {}@{} moved to dead letter {}", sink, e.seg(), e.off(), file);
                setHead(e.seg(), e.end());
                seg = headSeg;
                off = headOff;
                continue;
            }
            toWindow(e);
            out.add(e.record());
            seg = e.seg();
            off = e.end();
        }
        peekFirst = removed;
        ackBase = removed;
        return out;
    }

    /** Remembers where a record handed out by a peek ends, so that acknowledging it needs no reading. */
    private void toWindow(Entry e) {
        if (peekLen == peekEndSeg.length) {
            int n = Math.max(16, peekLen * 2);
            peekEndSeg = Arrays.copyOf(peekEndSeg, n);
            peekEndOff = Arrays.copyOf(peekEndOff, n);
        }
        peekEndSeg[peekLen] = e.seg();
        peekEndOff[peekLen] = e.end();
        peekLen++;
    }

    /**
     * The records after those the latest {@link #peek} and {@code peekMore} calls returned (from the oldest if they
     * were all removed since), at most {@code max}: a reader that hands records over before the earlier ones are
     * confirmed. They stay acknowledgeable by number. A damaged record ends the batch; {@link #peek} handles it.
     */
    public synchronized List<SpoolRecord> peekMore(int max) throws IOException {
        ensureOpen();
        if (peekLen == 0 || peekFirst + peekLen <= removed) {
            return peek(max);
        }
        int drop = (int) Math.min(peekLen - 1, Math.max(0, removed - peekFirst)); // what was acknowledged meanwhile
        if (drop > 0) {
            System.arraycopy(peekEndSeg, drop, peekEndSeg, 0, peekLen - drop);
            System.arraycopy(peekEndOff, drop, peekEndOff, 0, peekLen - drop);
            peekFirst += drop;
            peekLen -= drop;
        }
        List<SpoolRecord> out = new ArrayList<>((int) Math.min(max, 4096));
        long seg = peekEndSeg[peekLen - 1];
        long off = peekEndOff[peekLen - 1];
        while (out.size() < max) {
            Entry e = entryAt(seg, off);
            if (e == null || e.corrupt()) {
                break;
            }
            toWindow(e);
            out.add(e.record());
            seg = e.seg();
            off = e.end();
        }
        return out;
    }

    /**
     * Removes the first {@code n} records of the latest {@link #peek} (the {@code n} oldest, unless the bound has
     * meanwhile moved some of them to the dead letters: those are not removed twice) and persists the read position
     * atomically. Consecutive calls continue through the same peek. A crash before this returns delivers the records
     * again after the restart.
     */
    public synchronized void acknowledge(int n) throws IOException {
        ensureOpen();
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        if (n == 0) {
            return;
        }
        long target = ackBase + n;
        if (target - removed > count) {
            throw new IllegalArgumentException("cannot acknowledge " + n + " records: " + count + " are spooled");
        }
        removeTo(target);
        ackBase = target;
    }

    /**
     * Removes every record numbered below {@code number} (see {@link #headNumber}) and persists the read position;
     * records already removed (acknowledged, or moved to the dead letters by the bound) are not removed twice. For a
     * reader that delivers what it appended without peeking it back: the positions of the latest 65,536 appended
     * records are known, so no record is read again.
     */
    public synchronized void acknowledgeTo(long number) throws IOException {
        ensureOpen();
        if (number - removed > count) {
            throw new IllegalArgumentException("cannot acknowledge up to record " + number + ": the spool ends at "
                    + (removed + count));
        }
        removeTo(number);
    }

    /** Logical number of the oldest record: how many were removed from the head since the spool was opened. */
    public synchronized long headNumber() {
        return removed;
    }

    /** Logical number the next appended record gets. */
    public synchronized long endNumber() {
        return removed + count;
    }

    private void removeTo(long target) throws IOException {
        long toRemove = target - removed;
        if (toRemove <= 0) {
            return;
        }
        long last = target - 1;
        long seg;
        long off;
        if (last >= ringFirst) {
            int slot = (int) (last & (APPEND_RING - 1));
            seg = ringEndSeg[slot];
            off = ringEndOff[slot];
        } else if (last >= peekFirst && last < peekFirst + peekLen) {
            int i = (int) (last - peekFirst);
            seg = peekEndSeg[i];
            off = peekEndOff[i];
        } else {
            seg = headSeg;
            off = headOff;
            for (long k = 0; k < toRemove;) {
                Entry e = entryAt(seg, off);
                if (e.corrupt()) {
                    logCorrupt(e);
                    deadLetters.write(sink, e.record(), CORRUPT_REASON);
                } else {
                    k++;
                }
                seg = e.seg();
                off = e.end();
            }
        }
        removed += toRemove;
        count -= toRemove;
        setHead(seg, off);
    }

    /** The entry at a position, moving on to the next segment at the end of one; null at the end of the spool. */
    private Entry entryAt(long seg, long off) throws IOException {
        Segment s = segments.get(seg);
        while (off >= s.size) {
            if (s == tail) {
                return null;
            }
            s = segments.higherEntry(s.seq).getValue();
            off = SEGMENT_HEADER;
        }
        long q = reader.read(s, off, s != tail);
        if (reader.record() != null) {
            return new Entry(s.seq, off, q, reader.record(), false);
        }
        if (q < 0) {
            q = s.size;
        }
        return new Entry(s.seq, off, q, reader.salvage(s, off, q), true);
    }

    private void logCorrupt(Entry e) {
        LOG.error("spool {}: CORRUPT record in segment {} at offset {} ({} bytes): moving it to the dead letters "
                + "as '{}' ({})", sink, e.seg(), e.off(), e.end() - e.off(), CORRUPT_REASON, e.record().id());
    }

    /** Moves the read position (normalized past fully read segments), persists it, deletes the segments before it. */
    private void setHead(long seg, long off) throws IOException {
        Segment s = segments.get(seg);
        while (off >= s.size && s != tail) {
            s = segments.higherEntry(s.seq).getValue();
            off = SEGMENT_HEADER;
        }
        headSeg = s.seq;
        headOff = off;
        Map<Long, Segment> done = segments.headMap(headSeg, false);
        if (!forceEachWrite && done.isEmpty() && System.nanoTime() - checkpointWritten < CHECKPOINT_NANOS) {
            // write-ahead use: at most every CHECKPOINT_NANOS (a file rename under the lock the appender waits
            // for); a killed process may deliver up to that much again. sync() and close() write it too.
            checkpointDirty = true;
            return;
        }
        try {
            AtomicFiles.write(dir.resolve(CHECKPOINT), checkpoint(s.seq, off), forceEachWrite);
            checkpointWritten = System.nanoTime();
            checkpointDirty = false;
            checkpointFailure = null;
        } catch (IOException e) {
            // a full disk: the read position moves on in memory (sync() reports it). Read segments are still
            // deleted, which frees the room: after a crash the older position names a deleted segment, and the
            // replay starts at the oldest segment left (records again, none lost)
            if (checkpointFailure == null) {
                LOG.error("spool {}: cannot write its read position ({}); a restart may deliver some records again",
                        sink, e.toString());
            }
            checkpointFailure = e;
        }
        Map<Long, Segment> read = done;
        if (!read.isEmpty()) {
            SpoolFiles.forceDirectory(dir); // the new read position before the segments go
            for (Segment old : new ArrayList<>(read.values())) {
                old.closeChannel();
                Files.deleteIfExists(old.path);
                segments.remove(old.seq);
                reader.discardWindow(old.seq);
            }
        }
    }

    private static byte[] checkpoint(long seg, long off) {
        return ("{\"segment\":" + seg + ",\"offset\":" + off + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------- frames

    static byte[] encode(SpoolRecord r) {
        byte[] id = r.id().getBytes(StandardCharsets.UTF_8);
        byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
        byte[] reason = r.reason() == null ? null : r.reason().getBytes(StandardCharsets.UTF_8);
        long body = (long) MIN_BODY + id.length + (key == null ? 0 : key.length)
                + (reason == null ? 0 : reason.length) + r.payload().length;
        if (body + FRAME_HEADER > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("record too large: " + body + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) body + FRAME_HEADER);
        b.putInt(RECORD_MAGIC).putInt((int) body).putInt(0);
        b.putLong(r.spooledAt().getEpochSecond()).putInt(r.spooledAt().getNano()).putInt(r.attempts());
        putString(b, id);
        putString(b, key);
        putString(b, reason);
        b.putInt(r.payload().length).put(r.payload());
        CRC32 c = new CRC32();
        c.update(b.array(), 4, 4);
        c.update(b.array(), FRAME_HEADER, (int) body);
        b.putInt(8, (int) c.getValue());
        return b.array();
    }

    private static void putString(ByteBuffer b, byte[] s) {
        if (s == null) {
            b.putInt(-1);
        } else {
            b.putInt(s.length).put(s);
        }
    }

    // ---------------------------------------------------------------------------------------------- state

    public synchronized boolean isEmpty() {
        return bytes() == 0;
    }

    /** Records the bound moved to the dead letters since the spool was opened. */
    public synchronized long evicted() {
        return evictedTotal;
    }

    /** Records waiting (damaged stretches not counted). */
    public synchronized long count() {
        return count;
    }

    /** Bytes of live data from the read position to the end (framing and segment headers included). */
    public synchronized long bytes() {
        return bytesFrom(headSeg, headOff);
    }

    private long bytesFrom(long seg, long off) {
        long total = 0;
        for (Segment s : segments.tailMap(seg, true).values()) {
            total += s.seq == seg ? Math.max(0, s.size - off) : s.size;
        }
        return total;
    }

    public String sink() {
        return sink;
    }

    public Path dir() {
        return dir;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Segment files on disk (for tests and monitoring). */
    public synchronized int segmentCount() {
        return segments.size();
    }

    /** Reading and acknowledging go on after a failed write: what is on disk before the failure is whole. */
    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("spool " + sink + " is closed");
        }
    }

    /** True once a write failed: appends are refused until the spool is reopened (recovered). */
    public synchronized boolean writeFailed() {
        return failure != null;
    }

    private void ensureUsable() throws IOException {
        ensureOpen();
        if (failure != null) {
            throw new IOException("spool " + sink + " failed earlier and must be reopened", failure);
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (appending) { // not in the middle of an append's write
            synchronized (this) {
                closeLocked();
            }
        }
    }

    private void closeLocked() {
        if (!closed) {
            if (checkpointDirty) {
                try {
                    AtomicFiles.write(dir.resolve(CHECKPOINT), checkpoint(headSeg, headOff));
                } catch (IOException e) {
                    LOG.warn("spool {}: cannot write its read position at close ({}); a restart may deliver some "
                            + "records again", sink, e.toString());
                }
            }
            closeQuietly();
        }
    }

    private void closeQuietly() {
        closed = true;
        for (Segment s : segments.values()) {
            s.closeChannel();
        }
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            // released with the channel anyway
        }
        try {
            lockChannel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public synchronized String toString() {
        return "EventSpool[" + sink + ", " + count + " records, " + bytes() + "/" + maxBytes + " bytes, " + dir + "]";
    }
}
