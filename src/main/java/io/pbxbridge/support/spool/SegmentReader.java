package io.pbxbridge.support.spool;

import static io.pbxbridge.support.spool.EventSpool.FRAME_HEADER;
import static io.pbxbridge.support.spool.EventSpool.MIN_BODY;
import static io.pbxbridge.support.spool.EventSpool.RECORD_MAGIC;
import static io.pbxbridge.support.spool.EventSpool.SEGMENT_HEADER;
import static io.pbxbridge.support.spool.EventSpool.SEGMENT_MAGIC;
import static io.pbxbridge.support.spool.EventSpool.SEGMENT_VERSION;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;

/**
 * The reading side of the {@link EventSpool} format (described there): segment files, their headers, the read
 * position, and the frames of a segment checked and decoded into {@link SpoolRecord}s. The spool recovers and replays
 * through it, {@link SpoolInspector} looks into a running spool through it with read-only channels: one copy of the
 * format.
 *
 * <p>Frames are read through a window of up to 256 KB of one segment, so walking over small records takes few read
 * calls. Not thread-safe: one instance per spool (used under its lock) or per inspection.
 */
final class SegmentReader {

    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\.seg");
    private static final int READ_CHUNK = 256 * 1024;

    /** A segment file as it is read here. */
    interface Segment {

        long seq();

        Path path();

        /** The bytes that may be read: what the spool has published of its tail, or the size an inspection saw. */
        long size();

        FileChannel channel() throws IOException;
    }

    /** Read window over one segment. */
    private byte[] rArr = new byte[READ_CHUNK];
    private long rSeg = -1;
    private long rStart;
    private int rLen;
    private final CRC32 crc = new CRC32();
    /** Length of the frame parsed last by {@link #parseFrame}. */
    private int lastFrameLen;
    /** The record found by the latest {@link #read}, null if it found a damaged stretch. */
    private SpoolRecord record;

    // ---------------------------------------------------------------------------------------------- files

    /** The segment files of a spool folder by sequence number, whatever their state. */
    static TreeMap<Long, Path> segmentFiles(Path dir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (SEGMENT_NAME.matcher(name).matches()) {
                    files.put(Long.parseLong(name.substring(0, name.length() - 4)), p);
                }
            }
        }
        return files;
    }

    /** The read position last written, or null if none was; throws if the file cannot be parsed. */
    static SpoolPosition readPosition(Path dir) throws IOException {
        Path file = dir.resolve(EventSpool.CHECKPOINT);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            return new SpoolPosition(node.get("segment").asLong(), node.get("offset").asLong());
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a read position: " + e, e);
        }
    }

    /**
     * Where the replay starts, given the read position written last and the segments there are: that position if its
     * segment is there, else (read and deleted since, or lost) the start of the next segment there is, else of the
     * oldest.
     */
    static SpoolPosition head(SpoolPosition written, NavigableSet<Long> segments) {
        if (written != null && segments.contains(written.segment())) {
            return new SpoolPosition(written.segment(), Math.max(SEGMENT_HEADER, written.offset()));
        }
        Long next = written == null ? null : segments.higher(written.segment());
        return new SpoolPosition(next != null ? next : segments.first(), SEGMENT_HEADER);
    }

    /** Null if the segment begins with the header of the format version this build reads, else what is wrong. */
    static String headerProblem(Segment s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER);
        int n = SpoolFiles.readFully(s.channel(), b, 0);
        if (n < SEGMENT_HEADER || b.getInt(0) != SEGMENT_MAGIC) {
            return s.path() + " is not an event spool segment";
        }
        if (b.getInt(4) != SEGMENT_VERSION) {
            return s.path() + " has spool format version " + b.getInt(4) + ", this build reads " + SEGMENT_VERSION;
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------- frames

    /**
     * Reads what begins at {@code p}: a valid record (then {@link #record()}), or a damaged stretch ({@code record()}
     * null). Returns where it ends; for a damaged stretch that no valid record follows, the end of a {@code sealed}
     * segment, or -1 in the tail: a record being written, or torn by a crash.
     */
    long read(Segment s, long p, boolean sealed) throws IOException {
        record = parseFrame(s, p);
        if (record != null) {
            return p + lastFrameLen;
        }
        long q = corruptEnd(s, p, sealed);
        return q < 0 && sealed ? s.size() : q;
    }

    /** The record the latest {@link #read} found, or null if it found a damaged stretch. */
    SpoolRecord record() {
        return record;
    }

    /** Forgets what the window holds (the tail was cut back: bytes there may be written again). */
    void discardWindow() {
        rSeg = -1;
    }

    /** Forgets what the window holds of a segment being deleted. */
    void discardWindow(long seq) {
        if (rSeg == seq) {
            rSeg = -1;
        }
    }

    /** The record of a valid frame at {@code p} (its length in {@link #lastFrameLen}), or null. */
    private SpoolRecord parseFrame(Segment s, long p) throws IOException {
        int len = plausibleLength(s, p);
        if (len < 0) {
            return null;
        }
        int at = window(s, p, FRAME_HEADER + len);
        if (at < 0) {
            return null;
        }
        crc.reset();
        crc.update(rArr, at + 4, 4);
        crc.update(rArr, at + FRAME_HEADER, len);
        if ((int) crc.getValue() != getInt(rArr, at + 8)) {
            return null;
        }
        SpoolRecord r = decodeBody(rArr, at + FRAME_HEADER, len);
        if (r != null) {
            lastFrameLen = FRAME_HEADER + len;
        }
        return r;
    }

    /** The body length of a frame header at {@code p} with the right magic and a length that fits, else -1. */
    private int plausibleLength(Segment s, long p) throws IOException {
        int at = window(s, p, FRAME_HEADER);
        if (at < 0 || getInt(rArr, at) != RECORD_MAGIC) {
            return -1;
        }
        int len = getInt(rArr, at + 4);
        return len < MIN_BODY || len > s.size() - p - FRAME_HEADER ? -1 : len;
    }

    /**
     * Where the damaged stretch starting at {@code p} ends: after the frame its header announces if a valid record
     * (or the end of a sealed segment) follows there, else at the next valid record; -1 if none follows.
     */
    private long corruptEnd(Segment s, long p, boolean sealed) throws IOException {
        int len = plausibleLength(s, p);
        if (len >= 0) {
            long next = p + FRAME_HEADER + len;
            if ((next == s.size() && sealed) || (next < s.size() && parseFrame(s, next) != null)) {
                return next;
            }
        }
        for (long q = p + 1; q + FRAME_HEADER + MIN_BODY <= s.size(); q++) {
            int at = window(s, q, 1);
            if (rArr[at] == (byte) (RECORD_MAGIC >>> 24) && parseFrame(s, q) != null) {
                return q;
            }
        }
        return -1;
    }

    /** What can be saved of a damaged stretch: its fields if the body still parses, else its raw bytes. */
    SpoolRecord salvage(Segment s, long p, long q) throws IOException {
        int n = (int) (q - p);
        byte[] raw = new byte[n];
        SpoolFiles.readFully(s.channel(), ByteBuffer.wrap(raw), p);
        if (n >= FRAME_HEADER + MIN_BODY && getInt(raw, 0) == RECORD_MAGIC && getInt(raw, 4) == n - FRAME_HEADER) {
            SpoolRecord r = decodeBody(raw, FRAME_HEADER, n - FRAME_HEADER);
            if (r != null) {
                return r;
            }
        }
        return new SpoolRecord("corrupt-" + s.seq() + "-" + p, null, raw, 0, null, Instant.now());
    }

    private static SpoolRecord decodeBody(byte[] a, int off, int len) {
        ByteBuffer b = ByteBuffer.wrap(a, off, len);
        try {
            long seconds = b.getLong();
            int nanos = b.getInt();
            int attempts = b.getInt();
            String id = getString(b);
            String key = getString(b);
            String reason = getString(b);
            int n = b.getInt();
            if (id == null || n < 0 || n != b.remaining()) {
                return null;
            }
            byte[] payload = new byte[n];
            b.get(payload);
            return new SpoolRecord(id, key, payload, attempts, reason, Instant.ofEpochSecond(seconds, nanos));
        } catch (RuntimeException e) {
            return null; // inconsistent lengths, impossible instant: damaged
        }
    }

    private static String getString(ByteBuffer b) {
        int n = b.getInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad string length");
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    private static int getInt(byte[] a, int i) {
        return (a[i] << 24) | ((a[i + 1] & 0xFF) << 16) | ((a[i + 2] & 0xFF) << 8) | (a[i + 3] & 0xFF);
    }

    /**
     * Makes bytes {@code [p, p+n)} of a segment available in {@link #rArr}; returns their index there, or -1 if the
     * segment is shorter.
     */
    private int window(Segment s, long p, int n) throws IOException {
        if (p + n > s.size()) {
            return -1;
        }
        if (rSeg == s.seq() && p >= rStart && p + n <= rStart + rLen) {
            return (int) (p - rStart);
        }
        int want = (int) Math.min(Math.max(n, READ_CHUNK), s.size() - p);
        if (rArr.length < want || (rArr.length > READ_CHUNK && want <= READ_CHUNK)) {
            rArr = new byte[want];
        }
        int got = SpoolFiles.readFully(s.channel(), ByteBuffer.wrap(rArr, 0, want), p);
        rSeg = s.seq();
        rStart = p;
        rLen = got;
        return got < n ? -1 : 0;
    }
}
