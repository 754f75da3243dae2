package io.pbxbridge.monema;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Structurally plausible PDF files of any size, for fax tests. */
public final class TestPdfs {

    private TestPdfs() {
    }

    public static byte[] bytes(int size, long seed) {
        byte[] head = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "\nendstream\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[Math.max(size, head.length + tail.length)];
        new Random(seed).nextBytes(out);
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, out.length - tail.length, tail.length);
        return out;
    }

    /** Writes a PDF of {@code size} bytes in 1 MiB blocks, without holding it in memory. */
    public static Path write(Path file, long size, long seed) throws IOException {
        byte[] head = bytes(64 * 1024, seed);
        byte[] tail = "\nendstream\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            long remaining = size - tail.length;
            int first = (int) Math.min(head.length - tail.length, remaining);
            out.write(head, 0, first);
            remaining -= first;
            while (remaining > 0) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, remaining);
                out.write(block, 0, n);
                remaining -= n;
            }
            out.write(tail);
        }
        return file;
    }

    public static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    public static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
