package io.pbxbridge.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.support.spool.DeadLetters;
import io.pbxbridge.support.spool.EventSpool;
import io.pbxbridge.support.spool.SpoolRecord;

/**
 * Not a test: the spool's append rate (200,000 records of 400 bytes, appendAll in batches of 100, one fdatasync per
 * batch) and replay rate (peek 500 + acknowledge, one atomic read-position write per batch), plus the time to reopen
 * (recovery scan) a full spool and the rate of single-record appends (one fdatasync each). Run with
 * {@code mvn -o -Pbench test -Dtest=EventSpoolBench}.
 */
@Tag("bench")
class EventSpoolBench {

    static final int RECORDS = Integer.getInteger("bench.records", 200_000);
    static final int PAYLOAD = 400;
    static final int BATCH = 100;
    static final int PEEK = 500;
    static final int SINGLES = Integer.getInteger("bench.singles", 5_000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    static final Instant T0 = Instant.now();

    @TempDir
    Path tmp;

    @Test
    void appendAndReplay() throws Exception {
        run(tmp.resolve("warmup"), RECORDS / 10); // JIT, page cache, file system warm
        List<double[]> rounds = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            rounds.add(run(tmp.resolve("round" + i), RECORDS));
        }
        double singles = singles(tmp.resolve("singles"));
        double[] fsync = fsyncLatency(tmp.resolve("probe.bin"));
        report(rounds, singles, fsync);
    }

    /** {append rec/s, append payload MB/s, append disk MB/s, reopen ms, replay rec/s, replay payload MB/s}. */
    double[] run(Path dir, int records) throws Exception {
        DeadLetters dead = new DeadLetters(dir.resolve("dead"));
        Path spoolDir = dir.resolve("spool");
        long diskBytes;
        long start = System.nanoTime();
        try (EventSpool spool = EventSpool.open(spoolDir, "bench", 1L << 30, dead)) {
            List<SpoolRecord> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < records; i += BATCH) {
                batch.clear();
                for (int j = i; j < Math.min(records, i + BATCH); j++) {
                    batch.add(record(j));
                }
                spool.appendAll(batch);
            }
            diskBytes = spool.bytes();
        }
        double appendSeconds = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        EventSpool spool = EventSpool.open(spoolDir, "bench", 1L << 30, dead);
        double reopenMs = (System.nanoTime() - start) / 1e6;
        if (spool.count() != records) {
            throw new IllegalStateException("reopened with " + spool.count() + " records, expected " + records);
        }

        start = System.nanoTime();
        long next = 0;
        try (spool) {
            while (!spool.isEmpty()) {
                List<SpoolRecord> got = spool.peek(PEEK);
                for (SpoolRecord r : got) {
                    if (Long.parseLong(r.id()) != next++) {
                        throw new IllegalStateException("out of order at " + r.id());
                    }
                }
                spool.acknowledge(got.size());
            }
        }
        double replaySeconds = (System.nanoTime() - start) / 1e9;
        if (next != records) {
            throw new IllegalStateException("replayed " + next + " of " + records);
        }
        deleteTree(dir);
        double payloadMb = (double) records * PAYLOAD / 1e6;
        return new double[] {records / appendSeconds, payloadMb / appendSeconds, diskBytes / 1e6 / appendSeconds,
                reopenMs, records / replaySeconds, payloadMb / replaySeconds, diskBytes / 1e6};
    }

    /** Single-record appends: one fdatasync per record. */
    double singles(Path dir) throws Exception {
        try (EventSpool spool = EventSpool.open(dir.resolve("spool"), "bench", 1L << 30,
                new DeadLetters(dir.resolve("dead")))) {
            for (int i = 0; i < 200; i++) {
                spool.append(record(i));
            }
            long start = System.nanoTime();
            for (int i = 0; i < SINGLES; i++) {
                spool.append(record(i));
            }
            return SINGLES / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The disk under the spool, for context: {p50, p99} ms of a 40 KB write + fdatasync. */
    static double[] fsyncLatency(Path file) throws Exception {
        double[] ms = new double[500];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(40_000);
            for (int i = 0; i < ms.length; i++) {
                long start = System.nanoTime();
                buf.clear();
                ch.write(buf, (long) i * buf.capacity());
                ch.force(false);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[ms.length * 99 / 100]};
    }

    static final byte[] TEMPLATE;

    static {
        String head = "{\"eventId\":\"000000000000\",\"callId\":\"call-0000\",\"type\":\"CALL_ANSWERED\","
                + "\"at\":\"2025-03-01T10:00:00Z\",\"pad\":\"";
        String json = head + "x".repeat(PAYLOAD - head.length() - 2) + "\"}";
        TEMPLATE = json.getBytes(StandardCharsets.US_ASCII);
        if (TEMPLATE.length != PAYLOAD) {
            throw new IllegalStateException("payload " + TEMPLATE.length);
        }
    }

    static SpoolRecord record(long id) {
        byte[] payload = TEMPLATE.clone();
        String digits = String.format("%012d", id);
        for (int i = 0; i < 12; i++) {
            payload[12 + i] = (byte) digits.charAt(i);
        }
        return new SpoolRecord(Long.toString(id), "call-" + id % 1000, payload, 3, "connection refused", T0);
    }

    static void report(List<double[]> rounds, double singles, double[] fsync) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n=== EventSpool benchmark: %,d records x %d B payload, appendAll batches of %d, "
                + "replay peek %d + acknowledge, %d rounds, %d cores, load %.1f, max heap %d MB ===%n", RECORDS,
                PAYLOAD, BATCH, PEEK, rounds.size(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().maxMemory() >> 20));
        for (int i = 0; i < rounds.size(); i++) {
            double[] r = rounds.get(i);
            out.append(String.format("round %d: append %,.0f rec/s (%.1f MB/s payload, %.1f MB/s on disk) | reopen "
                    + "(recovery scan of %.1f MB) %.0f ms | replay %,.0f rec/s (%.1f MB/s payload)%n", i + 1, r[0],
                    r[1], r[2], r[6], r[3], r[4], r[5]));
        }
        out.append(String.format("median: append %,.0f rec/s (%.1f MB/s payload) | reopen %.0f ms | replay %,.0f "
                + "rec/s (%.1f MB/s payload)%n", median(rounds, 0), median(rounds, 1), median(rounds, 3),
                median(rounds, 4), median(rounds, 5)));
        out.append(String.format("single-record append (one fdatasync each): %,.0f rec/s%n", singles));
        out.append(String.format("disk: 40 KB write + fdatasync p50 %.2f ms, p99 %.2f ms%n", fsync[0], fsync[1]));
        System.out.println(out);
        try {
            Files.writeString(Path.of("target", "bench-event-spool.txt"), out.toString());
        } catch (Exception e) {
            // printing is what matters
        }
    }

    static double median(List<double[]> runs, int index) {
        double[] v = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        return v[v.length / 2];
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
