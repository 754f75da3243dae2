package io.pbxbridge.support.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.pbxbridge.support.AtomicFiles;

/** File helpers of the spool package. */
final class SpoolFiles {

    private SpoolFiles() {
    }

    /**
     * Forces a directory's entries (a rename, a new or deleted file) to disk. POSIX needs it for a rename to survive
     * a power cut; where a directory cannot be opened (Windows) the file system orders it by itself and this is a
     * no-op.
     */
    static void forceDirectory(Path dir) {
        try {
            AtomicFiles.forceDirectory(dir);
        } catch (IOException e) {
            // best effort here: the spool's records are forced themselves
        }
    }

    /** Reads until {@code buf} is full or the end of the file; returns the bytes read. */
    static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            p += ch.write(buf, p);
        }
    }
}
