package io.pbxbridge.sandbox.metasec;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/**
 * The simulator's media: recordings as WAV files (8 kHz, 16 bit, mono: what Asterisk's Monitor writes as
 * {@code wav}) made as they are sent, and camera pictures as small JPEGs.
 */
final class Media {

    static final int SAMPLE_RATE = 8000;

    private Media() {
    }

    /** The byte length of a WAV file of {@code samples} samples. */
    static long wavLength(long samples) {
        return 44 + samples * 2;
    }

    /**
     * Writes a WAV file of {@code samples} samples of a tone (its pitch from {@code seed}) to {@code out}, a block at
     * a time: nothing the size of the file is held.
     */
    static void writeWav(OutputStream out, long samples, int seed) throws IOException {
        long data = samples * 2;
        byte[] header = new byte[44];
        put(header, 0, "RIFF");
        le32(header, 4, 36 + data);
        put(header, 8, "WAVE");
        put(header, 12, "fmt ");
        le32(header, 16, 16);
        le16(header, 20, 1); // PCM
        le16(header, 22, 1); // mono
        le32(header, 24, SAMPLE_RATE);
        le32(header, 28, SAMPLE_RATE * 2L);
        le16(header, 32, 2);
        le16(header, 34, 16);
        put(header, 36, "data");
        le32(header, 40, data);
        out.write(header);
        double hz = 300 + Math.floorMod(seed, 7) * 60;
        byte[] block = new byte[4096];
        long written = 0;
        while (written < samples) {
            int n = (int) Math.min(block.length / 2, samples - written);
            for (int i = 0; i < n; i++) {
                short v = (short) (8000 * Math.sin(2 * Math.PI * hz * (written + i) / SAMPLE_RATE));
                block[2 * i] = (byte) v;
                block[2 * i + 1] = (byte) (v >> 8);
            }
            out.write(block, 0, 2 * n);
            written += n;
        }
    }

    /** A 64x48 JPEG: the camera's colour, a bar that moves with {@code frame}. */
    static byte[] jpeg(int camera, int frame) {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(Math.floorMod(camera * 53, 256), Math.floorMod(camera * 97, 256), 160));
            g.fillRect(0, 0, 64, 48);
            g.setColor(Color.WHITE);
            g.fillRect(Math.floorMod(frame * 8, 64), 0, 8, 48);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            if (!ImageIO.write(image, "jpeg", out)) {
                throw new IllegalStateException("no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(byte[] b, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            b[at + i] = (byte) ascii.charAt(i);
        }
    }

    private static void le16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    private static void le32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >> (8 * i));
        }
    }
}
