package io.pbxbridge.portasip;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An audio file read from PortaSIP ({@code get_vm_greeting}, {@code get_menu_prompt},
 * {@code get_menu_transition_prompt}, {@code get_conf_prompt}): the name the reply gives it ({@code filename} or
 * {@code prompt}), its content type and its bytes.
 * <p>
 * The JSON API answers these methods with {@code multipart/mixed}: a JSON part (the result), then the file part (our
 * decision with the simulator: the spec only shows SOAP attachments). The file part is read as it comes: up to
 * {@value #IN_MEMORY_LIMIT} bytes are kept in memory, a larger file is written to a temporary file (deleted by
 * {@link #close()}, or when the JVM exits) rather than held whole in memory. Either way the HTTP connection is given
 * back before this is returned. {@link #openStream()} can be called more than once.
 */
public final class PortaSipAudio implements Closeable {

    /** Larger audio files are kept in a temporary file. */
    public static final int IN_MEMORY_LIMIT = 1 << 20;

    private final String filename;
    private final String contentType;
    private final byte[] bytes;
    private final Path file;
    private final long size;

    PortaSipAudio(String filename, String contentType, byte[] bytes, Path file, long size) {
        this.filename = filename;
        this.contentType = contentType;
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    /** The file name PortaSIP gives it (the reply's {@code filename} or {@code prompt}, else the part's). */
    public String filename() {
        return filename;
    }

    /** The file part's content type, e.g. {@code audio/basic}. */
    public String contentType() {
        return contentType;
    }

    /** Its length in bytes. */
    public long size() {
        return size;
    }

    /** Whether it was written to a temporary file (larger than {@value #IN_MEMORY_LIMIT} bytes). */
    public boolean isSpooled() {
        return file != null;
    }

    /** The content from its start; the caller closes the stream. */
    public InputStream openStream() {
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("the audio " + filename + " is gone from " + file, e);
        }
    }

    /** The whole content in memory. */
    public byte[] bytes() {
        if (bytes != null) {
            return bytes.clone();
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("the audio " + filename + " is gone from " + file, e);
        }
    }

    /** Deletes the temporary file, if any. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public String toString() {
        return "PortaSipAudio[" + filename + ", " + contentType + ", " + size + " bytes]";
    }
}
