package io.pbxbridge.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader (or a restarted process) sees either the old content or the new, never half: write a
 * temporary sibling, force it to disk, rename it over the target.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * With {@code force} false the content is written but not forced before the rename: whole after a killed
     * process (the operating system has it), but a power cut may leave the old content or an empty file.
     */
    public static void write(Path target, byte[] content, boolean force) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        write(target, content, force, dir.resolve("." + target.getFileName() + ".tmp"));
    }

    /** The same through the temporary file {@code tmp}: for two writers of one target that must not share one. */
    public static void write(Path target, byte[] content, boolean force, Path tmp) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (force) {
                ch.force(true);
            }
        }
        move(tmp, target);
        if (force) {
            forceDirectory(target.toAbsolutePath().getParent()); // the rename itself survives a power cut
        }
    }

    /**
     * Forces {@code folder}'s entries (creations, renames, deletions) to disk; nothing where the platform cannot
     * open a folder.
     */
    public static void forceDirectory(Path folder) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(folder, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (ch) {
            ch.force(true);
        }
    }

    /** Renames {@code from} to {@code to}, atomically where the file system allows, replacing {@code to}. */
    public static void move(Path from, Path to) throws IOException {
        Files.createDirectories(to.toAbsolutePath().getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
