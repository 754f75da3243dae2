package io.pbxbridge.cdr.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A day file of the CSV sink as a run finds it, before its first append to it: its header checked, a torn last record
 * cut off and kept aside, and for a backfill the keys of its records read. A torn record is one a crash cut short
 * where no undo journal covered it (a journal-covered run is cut back whole by {@link CsvUndoJournal}).
 */
final class CsvDayFile {

    private static final Logger LOG = LoggerFactory.getLogger(CsvDayFile.class);
    private static final int CHUNK = 64 * 1024;

    private CsvDayFile() {
    }

    /**
     * The length of {@code file} up to its last whole record (-1: there is no such file), any torn tail cut away into
     * {@code <file>.torn}; with {@code keys}, each record's key is given to it.
     *
     * <p>Without keys only the last two bytes are looked at: a file that ends with CRLF is taken as whole, a cheap
     * test that holds for what a crash leaves of this sink's writes unless the cut falls right after a line end
     * inside a quoted field. With keys the whole file is read anyway, and the end of the last record is exact.
     */
    static long open(Path file, Consumer<String> keys) throws IOException {
        long size;
        long whole;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            checkHeader(ch, file, size);
            whole = keys == null && endsWithCrlf(ch, size) ? size : scan(ch, keys);
        } catch (NoSuchFileException e) {
            return -1;
        }
        if (whole < size) {
            cutTornTail(file, whole, size);
        }
        return whole;
    }

    private static void checkHeader(FileChannel ch, Path file, long size) throws IOException {
        int n = (int) Math.min(size, CsvCallRecordFormat.HEADER.length);
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
            // read on: a short read is not the end
        }
        if (!Arrays.equals(buf.array(), 0, n, CsvCallRecordFormat.HEADER, 0, n)) {
            throw new IOException("The call-record CSV " + file + " does not start with the header this sink writes ("
                    + new String(CsvCallRecordFormat.HEADER, StandardCharsets.US_ASCII).strip()
                    + "): it was not written by this version, or it was edited; move it away and harvest again");
        }
    }

    private static boolean endsWithCrlf(FileChannel ch, long size) throws IOException {
        if (size < 2) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(2);
        while (last.hasRemaining() && ch.read(last, size - 2 + last.position()) >= 0) {
            // read on
        }
        return last.get(0) == '\r' && last.get(1) == '\n';
    }

    /**
     * Reads the file's records (RFC 4180: a line end inside quotes belongs to its field; {@code ""} in quotes is one
     * quote), gives the first field of each but the header to {@code keys} (when not null), and returns where the
     * last whole record ends.
     */
    private static long scan(FileChannel ch, Consumer<String> keys) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        byte[] key = new byte[128];
        int keyLength = 0;
        boolean quoted = false;
        boolean quoteClosed = false; // the byte before closed a quoted part: one more quote is a doubled quote
        boolean inKey = true;
        boolean header = true;
        long whole = 0;
        long position = 0;
        for (int n; (n = ch.read(buf.clear(), position)) > 0; position += n) {
            byte[] bytes = buf.array();
            for (int i = 0; i < n; i++) {
                byte b = bytes[i];
                if (quoted) {
                    if (b == '"') {
                        quoted = false;
                        quoteClosed = true;
                    } else if (inKey) {
                        key = put(key, keyLength++, b);
                    }
                    continue;
                }
                if (b == '"') {
                    if (quoteClosed && inKey) {
                        key = put(key, keyLength++, b);
                    }
                    quoted = true;
                } else if (b == ',') {
                    inKey = false;
                } else if (b == '\n') {
                    if (!header && keys != null) {
                        keys.accept(new String(key, 0, keyLength, StandardCharsets.UTF_8));
                    }
                    header = false;
                    keyLength = 0;
                    inKey = true;
                    whole = position + i + 1;
                } else if (b != '\r' && inKey) {
                    key = put(key, keyLength++, b);
                }
                quoteClosed = false;
            }
        }
        return whole;
    }

    private static byte[] put(byte[] key, int at, byte b) {
        byte[] k = at < key.length ? key : Arrays.copyOf(key, key.length * 2);
        k[at] = b;
        return k;
    }

    private static void cutTornTail(Path file, long whole, long size) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".torn");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.APPEND)) {
            for (long at = whole; at < size;) {
                at += ch.transferTo(at, size - at, out);
            }
            out.force(true);
            ch.truncate(whole);
            ch.force(true);
        }
        LOG.warn("The call-record CSV {} ended with {} bytes of a record cut short by a crash; they are cut off and"
                + " kept in {} (the records of a run that did not commit come again)", file, size - whole, aside);
    }
}
