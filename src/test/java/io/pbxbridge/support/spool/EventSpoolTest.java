package io.pbxbridge.support.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.ChildJvm;

class EventSpoolTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456789Z");

    @TempDir
    Path tmp;

    Path dir() {
        return tmp.resolve("spool");
    }

    DeadLetters dead() {
        return new DeadLetters(tmp.resolve("dead"));
    }

    static SpoolRecord rec(int i) {
        String json = "{\"eventId\":\"e" + i + "\",\"callId\":\"call-" + i % 7 + "\",\"type\":\"RINGING\",\"pad\":\""
                + "p".repeat(i * 37 % 200) + "\"}";
        return new SpoolRecord("e" + i, i % 5 == 0 ? null : "call-" + i % 7, json.getBytes(StandardCharsets.UTF_8),
                i % 4, i % 3 == 0 ? null : "HTTP 503 after " + i % 4 + " attempts", T0.plusMillis(i));
    }

    /** A record of a fixed frame size. */
    static SpoolRecord fixed(int i) {
        String json = String.format("{\"eventId\":\"f%05d\",\"pad\":\"%s\"}", i, "q".repeat(100));
        return new SpoolRecord(String.format("f%05d", i), "call-1", json.getBytes(StandardCharsets.UTF_8), 3,
                "down", T0);
    }

    static List<SpoolRecord> drain(EventSpool spool, int batch) throws Exception {
        List<SpoolRecord> all = new ArrayList<>();
        while (!spool.isEmpty()) {
            List<SpoolRecord> got = spool.peek(batch);
            all.addAll(got);
            spool.acknowledge(got.size());
        }
        return all;
    }

    static List<String> ids(List<SpoolRecord> records) {
        return records.stream().map(SpoolRecord::id).toList();
    }

    List<Path> segmentFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void fifoOverSeveralSegments() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "webhook", 1 << 30, 4096, dead())) {
            List<SpoolRecord> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                if (i % 41 == 0) {
                    spool.appendAll(batch);
                    batch.clear();
                    spool.append(rec(i));
                } else {
                    batch.add(rec(i));
                    if (batch.size() == 17) {
                        spool.appendAll(batch);
                        batch.clear();
                    }
                }
            }
            spool.appendAll(batch);
            assertEquals(1000, spool.count());
            assertTrue(spool.segmentCount() > 20, "several segments: " + spool.segmentCount());
            assertEquals(spool.segmentCount(), segmentFiles().size());
            List<SpoolRecord> first = spool.peek(10);
            assertEquals(first, spool.peek(10), "peek does not remove");
            List<SpoolRecord> all = drain(spool, 37);
            assertEquals(1000, all.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(rec(i), all.get(i), "record " + i);
            }
            assertTrue(spool.isEmpty());
            assertEquals(0, spool.count());
            assertEquals(0, spool.bytes());
            assertEquals(1, segmentFiles().size(), "fully read segments are deleted");
            assertEquals(List.of(), spool.peek(5));
        }
    }

    @Test
    void persistsAcrossCloseAndReopen() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 2048, dead())) {
            for (int i = 0; i < 50; i++) {
                spool.append(rec(i));
            }
        }
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 2048, dead())) {
            assertEquals(50, spool.count());
            List<SpoolRecord> all = spool.peek(1000);
            for (int i = 0; i < 50; i++) {
                assertEquals(rec(i), all.get(i));
            }
            spool.append(rec(50));
        }
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 2048, dead())) {
            assertEquals(51, spool.count());
            assertEquals(rec(50), drain(spool, 100).get(50));
        }
    }

    @Test
    void acknowledgeIsPersistedAndUnacknowledgedAreRedelivered() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "mail", 1 << 30, 2048, dead())) {
            for (int i = 0; i < 100; i++) {
                spool.append(rec(i));
            }
            assertEquals(ids(List.of(rec(0), rec(1), rec(2))), ids(spool.peek(3)));
            spool.acknowledge(2);
            spool.acknowledge(1); // continues through the same peek
            spool.peek(30);
            spool.acknowledge(27);
            spool.peek(40); // delivered, never acknowledged: a crash here
        }
        try (EventSpool spool = EventSpool.open(dir(), "mail", 1 << 30, 2048, dead())) {
            assertEquals(70, spool.count());
            assertEquals("e30", spool.peek(1).get(0).id());
            assertThrows(IllegalArgumentException.class, () -> spool.acknowledge(71));
            spool.acknowledge(70);
            assertTrue(spool.isEmpty());
        }
        try (EventSpool spool = EventSpool.open(dir(), "mail", 1 << 30, 2048, dead())) {
            assertTrue(spool.isEmpty());
            assertEquals(1, segmentFiles().size());
        }
    }

    @Test
    void secondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 20, dead())) {
            assertThrows(IllegalStateException.class, () -> EventSpool.open(dir(), "kafka", 1 << 20, dead()));
        }
        EventSpool.open(dir(), "kafka", 1 << 20, dead()).close();
    }

    @ParameterizedTest(name = "[{index}] cut {0} bytes, append {1} {2} bytes: {3} records survive")
    @CsvSource({
            "5, 100, garbage, 19", // torn last record followed by junk
            "5, 5, garbage, 19", // last record complete in length but not in content
            "150, 0, none, 19", // half a record
            "0, 7, header, 20", // the first 7 bytes of a frame header
            "0, 4096, zeros, 20", // file size extended, data never written (delayed allocation)
    })
    void tornLastRecordIsTruncated(int cut, int add, String what, int survivors) throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "webhook", 1 << 30, dead())) {
            for (int i = 0; i < 20; i++) {
                spool.append(fixed(i)); // frames of ~190 bytes: a cut of 150 stays inside the last record
            }
        }
        Path tail = segmentFiles().get(segmentFiles().size() - 1);
        try (FileChannel ch = FileChannel.open(tail, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - cut);
            byte[] extra = new byte[add];
            if (what.equals("garbage")) {
                new Random(42).nextBytes(extra);
            } else if (what.equals("header")) {
                System.arraycopy(EventSpool.encode(fixed(999)), 0, extra, 0, add);
            }
            ch.write(ByteBuffer.wrap(extra), ch.size());
        }
        try (EventSpool spool = EventSpool.open(dir(), "webhook", 1 << 30, dead())) {
            assertEquals(survivors, spool.count());
            spool.append(rec(500));
        }
        try (EventSpool spool = EventSpool.open(dir(), "webhook", 1 << 30, dead())) {
            List<SpoolRecord> all = drain(spool, 7);
            assertEquals(survivors + 1, all.size());
            for (int i = 0; i < survivors; i++) {
                assertEquals(fixed(i), all.get(i));
            }
            assertEquals(rec(500), all.get(survivors));
        }
        assertEquals(List.of(), dead().list("webhook"), "a torn write was never acknowledged: no dead letter");
    }

    @Test
    void crashesAroundSegmentFilesAreRecovered() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 1024, dead())) {
            for (int i = 0; i < 100; i++) {
                spool.append(fixed(i));
            }
        }
        Path backup = Files.createDirectories(tmp.resolve("backup"));
        for (Path seg : segmentFiles()) {
            Files.copy(seg, backup.resolve(seg.getFileName()));
        }
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 1024, dead())) {
            spool.peek(60);
            spool.acknowledge(60);
        }
        int left = segmentFiles().size();
        // a crash after the read position was written but before the read segments were deleted
        try (Stream<Path> files = Files.list(backup)) {
            for (Path seg : files.toList()) {
                if (!Files.exists(dir().resolve(seg.getFileName()))) {
                    Files.copy(seg, dir().resolve(seg.getFileName()));
                }
            }
        }
        // and a crash while the next segment was being created
        Path last = segmentFiles().get(segmentFiles().size() - 1);
        long nextSeq = Long.parseLong(last.getFileName().toString().substring(0, 20)) + 1;
        Files.write(dir().resolve(String.format("%020d.seg", nextSeq)), new byte[] {0x50, 0x53, 0x50});
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 1024, dead())) {
            assertEquals(left + 1, segmentFiles().size(), "read segments deleted, torn new one kept");
            assertEquals(40, spool.count());
            spool.append(fixed(100));
            List<SpoolRecord> all = drain(spool, 9);
            for (int i = 0; i < 41; i++) {
                assertEquals(fixed(60 + i), all.get(i));
            }
        }
        assertEquals(List.of(), dead().list("kafka"));
    }

    @Test
    void damageAtTheEndOfASealedSegmentIsCorruptionNotATornWrite() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 1024, dead())) {
            for (int i = 0; i < 20; i++) {
                spool.append(fixed(i));
            }
        }
        Path first = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 2] ^= 0x10; // the last record of a full segment
        Files.write(first, bytes);
        int perSegment = (int) ((bytes.length - EventSpool.SEGMENT_HEADER) / EventSpool.encode(fixed(0)).length);
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, 1024, dead())) {
            assertEquals(19, spool.count());
            List<String> ids = ids(drain(spool, 100));
            assertEquals(19, ids.size());
            assertFalse(ids.contains(fixed(perSegment - 1).id()));
        }
        List<Path> letters = dead().list("kafka");
        assertEquals(1, letters.size());
        SpoolRecord salvaged = DeadLetters.read(letters.get(0));
        assertEquals(fixed(perSegment - 1).id(), salvaged.id());
        assertEquals(EventSpool.CORRUPT_REASON, salvaged.reason());
    }

    @Test
    void corruptMiddleRecordsGoToDeadLetters() throws Exception {
        long[] start = new long[11];
        start[0] = EventSpool.SEGMENT_HEADER;
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, dead())) {
            for (int i = 0; i < 10; i++) {
                spool.append(rec(i));
                start[i + 1] = start[i] + EventSpool.encode(rec(i)).length;
            }
        }
        Path seg = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(seg);
        bytes[(int) start[5] - 3] ^= 0x04; // a flipped bit in the payload of e4
        ByteBuffer.wrap(bytes).putInt((int) start[7] + 4, 0x7FFFFFF0); // a wrecked length field in e7
        Files.write(seg, bytes);

        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, dead())) {
            assertEquals(8, spool.count(), "the damaged records are not counted");
            List<SpoolRecord> first = spool.peek(100);
            assertEquals(List.of("e0", "e1", "e2", "e3"), ids(first), "a peek stops before a damaged record");
            spool.acknowledge(first.size());
            List<SpoolRecord> rest = drain(spool, 100);
            assertEquals(List.of("e5", "e6", "e8", "e9"), ids(rest));
            assertEquals(rec(9), rest.get(3));
        }
        List<Path> letters = dead().list("kafka");
        assertEquals(2, letters.size(), letters.toString());
        var e4 = Json.MAPPER.readTree(letters.get(0).toFile());
        assertEquals("corrupt spool record", e4.get("reason").asText());
        assertEquals("e4", e4.get("id").asText(), "fields salvaged where the body still parses");
        assertEquals("kafka", e4.get("sink").asText());
        var e7 = Json.MAPPER.readTree(letters.get(1).toFile());
        assertEquals("corrupt spool record", e7.get("reason").asText());
        assertEquals("corrupt-1-" + start[7], e7.get("id").asText());
        byte[] raw = DeadLetters.read(letters.get(1)).payload();
        assertEquals(start[8] - start[7], raw.length, "the raw bytes of the damaged stretch are kept");
    }

    @Test
    void boundMovesOldestToDeadLettersAndLosesNothing() throws Exception {
        int frame = EventSpool.encode(fixed(0)).length;
        long max = EventSpool.SEGMENT_HEADER + 20L * frame;
        try (EventSpool spool = EventSpool.open(dir(), "webhook", max, 6L * frame, dead())) {
            for (int i = 0; i < 70; i++) {
                spool.append(fixed(i));
                assertTrue(spool.bytes() <= max, "bound held: " + spool.bytes());
            }
            List<SpoolRecord> batch = new ArrayList<>();
            for (int i = 70; i < 100; i++) {
                batch.add(fixed(i));
            }
            spool.appendAll(batch); // a batch larger than the bound
            assertTrue(spool.bytes() <= max, "bound held: " + spool.bytes());
            long spooled = spool.count();
            List<Path> letters = dead().list("webhook");
            assertEquals(100, spooled + letters.size(), "spool + dead letters = appended");
            List<SpoolRecord> deadRecords = new ArrayList<>();
            for (Path p : letters) {
                deadRecords.add(DeadLetters.read(p));
            }
            List<SpoolRecord> live = drain(spool, 8);
            List<String> all = new ArrayList<>(ids(deadRecords));
            all.addAll(ids(live));
            for (int i = 0; i < 100; i++) {
                assertEquals(fixed(i).id(), all.get(i), "oldest went first, order kept");
            }
            assertTrue(live.size() >= 15, "the newest stayed: " + live.size());
            var letter = Json.MAPPER.readTree(letters.get(0).toFile());
            assertEquals("spool full (" + max + " bytes): oldest moved to dead letter", letter.get("reason").asText());
            assertEquals(3, letter.get("attempts").asInt());
            assertEquals("f00000", letter.get("event").get("eventId").asText());
            assertEquals(new String(fixed(0).payload(), StandardCharsets.UTF_8),
                    new String(deadRecords.get(0).payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void boundReachedWhileReplayingDoesNotAcknowledgeNewerRecords() throws Exception {
        int frame = EventSpool.encode(fixed(0)).length;
        long max = EventSpool.SEGMENT_HEADER + 20L * frame;
        try (EventSpool spool = EventSpool.open(dir(), "webhook", max, dead())) {
            for (int i = 0; i < 20; i++) {
                spool.append(fixed(i));
            }
            List<SpoolRecord> inFlight = spool.peek(10); // f0..f9 being delivered
            spool.appendAll(List.of(fixed(20), fixed(21), fixed(22), fixed(23), fixed(24))); // pushes out f0..f4
            assertEquals(5, dead().list("webhook").size());
            spool.acknowledge(inFlight.size()); // f0..f9 delivered: only f5..f9 are still to be removed
            assertEquals(15, spool.count());
            assertEquals("f00010", spool.peek(1).get(0).id());
        }
    }

    @Test
    void recordLargerThanTheBoundGoesStraightToDeadLetters() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "mail", 1000, dead())) {
            spool.append(rec(1));
            SpoolRecord big = new SpoolRecord("huge", "call-1", new byte[2000], 1, "down", T0);
            spool.append(big);
            assertEquals(1, spool.count());
            List<Path> letters = dead().list("mail");
            assertEquals(1, letters.size());
            SpoolRecord back = DeadLetters.read(letters.get(0));
            assertEquals("huge", back.id());
            assertEquals(2000, back.payload().length);
            assertTrue(back.reason().contains("exceeds the spool bound"), back.reason());
        }
    }

    @Test
    void concurrentAppenderAndReplayerKeepOrderAndLoseNothing() throws Exception {
        int total = 100_000;
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            try (EventSpool spool = EventSpool.open(dir(), "kafka", 1L << 30, 64 * 1024, dead())) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread appender = new Thread(() -> {
                    Random rnd = new Random(1);
                    try {
                        int next = 0;
                        while (next < total) {
                            int n = Math.min(total - next, 1 + rnd.nextInt(64));
                            List<SpoolRecord> batch = new ArrayList<>(n);
                            for (int i = 0; i < n; i++) {
                                batch.add(small(next + i));
                            }
                            if (n == 1) {
                                spool.append(batch.get(0));
                            } else {
                                spool.appendAll(batch);
                            }
                            next += n;
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "appender");
                appender.start();
                Random rnd = new Random(2);
                int expected = 0;
                long peeks = 0;
                while (expected < total && failure.get() == null) {
                    List<SpoolRecord> got = spool.peek(1 + rnd.nextInt(500));
                    peeks++;
                    if (got.isEmpty()) {
                        Thread.onSpinWait();
                        continue;
                    }
                    for (int i = 0; i < got.size(); i++) {
                        assertEquals(Integer.toString(expected + i), got.get(i).id(), "order");
                    }
                    int ack = rnd.nextInt(4) == 0 ? rnd.nextInt(got.size() + 1) : got.size(); // partial acks
                    spool.acknowledge(ack);
                    expected += ack;
                }
                appender.join();
                if (failure.get() != null) {
                    throw new AssertionError("appender failed", failure.get());
                }
                assertEquals(total, expected);
                assertTrue(spool.isEmpty());
                assertEquals(1, spool.segmentCount());
                assertTrue(peeks > 100, "the replayer ran alongside: " + peeks + " peeks");
            }
            try (EventSpool spool = EventSpool.open(dir(), "kafka", 1L << 30, 64 * 1024, dead())) {
                assertTrue(spool.isEmpty());
            }
        });
    }

    static SpoolRecord small(int i) {
        return new SpoolRecord(Integer.toString(i), "c" + i % 11,
                ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), 1, null, T0);
    }

    /**
     * A child JVM appends (and acknowledges from the head) until it is killed with SIGKILL, three times over the same
     * spool: every record it reported as appended is there afterwards, unless it reported acknowledging it, in order
     * and without gaps; what it acknowledged does not come back.
     */
    @Test
    void killedMidAppendLosesNothing() throws Exception {
        long expectedFirst = 0; // the oldest id that must still be in the spool
        long next = 0; // the id the next child starts with
        for (int round = 1; round <= 3; round++) {
            List<String> lines = runAndKill(next, 2000 + round * 1000);
            long lastAppended = -1;
            long lastAcked = -1;
            Pattern line = Pattern.compile("([AK]) (\\d+)");
            for (String l : lines) {
                Matcher m = line.matcher(l);
                if (m.matches()) {
                    long id = Long.parseLong(m.group(2));
                    if (m.group(1).equals("A")) {
                        assertTrue(id > lastAppended, "appends reported in order");
                        lastAppended = id;
                    } else {
                        lastAcked = Math.max(lastAcked, id);
                    }
                }
            }
            assertTrue(lastAppended >= next + 2000, "round " + round + ": the child appended " + lastAppended);
            try (EventSpool spool = EventSpool.open(dir(), "kill", 1L << 30, 64 * 1024, dead())) {
                List<SpoolRecord> all = spool.peek((int) Math.max(1, spool.count()));
                assertEquals(spool.count(), all.size());
                assertFalse(all.isEmpty(), "round " + round);
                long first = Long.parseLong(all.get(0).id());
                for (int i = 0; i < all.size(); i++) {
                    SpoolRecord r = all.get(i);
                    assertEquals(Long.toString(first + i), r.id(), "round " + round + ": no gap, order kept");
                    assertEquals(SpoolAppenderProcess.record(first + i).key(), r.key());
                    assertTrue(new String(r.payload(), StandardCharsets.UTF_8).startsWith("{\"id\":\"" + r.id()));
                }
                long last = first + all.size() - 1;
                assertTrue(last >= lastAppended, "round " + round + ": appended " + lastAppended
                        + " (reported) but the spool ends at " + last);
                assertTrue(first > lastAcked, "round " + round + ": acknowledged " + lastAcked + " came back");
                assertTrue(first <= Math.max(expectedFirst, lastAcked + 1) + 50,
                        "round " + round + ": at most one unreported ack batch");
                assertTrue(first >= expectedFirst, "round " + round);
                expectedFirst = first;
                next = last + 1;
            }
            assertEquals(List.of(), dead().list("kill"), "no corruption");
        }
    }

    List<String> runAndKill(long firstId, int appendsBeforeKill) throws Exception {
        ChildJvm child = ChildJvm.start(SpoolAppenderProcess.class, dir().toString(), tmp.resolve("dead").toString(),
                Long.toString(firstId), Integer.toString(64 * 1024));
        try {
            child.awaitLines(lines -> lines.stream().filter(l -> l.startsWith("A ")).count() >= appendsBeforeKill,
                    60, appendsBeforeKill + " appends");
            Thread.sleep(new Random().nextInt(30));
        } finally {
            child.kill(); // SIGKILL: mid-write, mid-force, mid-rename
        }
        return child.lines();
    }

    /** The write-ahead use: written records acknowledged by number, across a reopen and appends after it. */
    @Test
    void acknowledgeToByNumberAcrossAReopen() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "webhook", 1 << 30, dead())) {
            spool.forceEachWrite(false);
            for (int i = 0; i < 1500; i += 50) {
                List<SpoolRecord> batch = new java.util.ArrayList<>();
                for (int j = i; j < i + 50; j++) {
                    batch.add(rec(j));
                }
                assertEquals(50, spool.appendAll(batch));
            }
            assertEquals(0, spool.headNumber());
            assertEquals(1500, spool.endNumber());
            spool.acknowledgeTo(10); // by the positions of the appends, nothing read back
            assertEquals(10, spool.headNumber());
            assertEquals("e10", spool.peek(1).get(0).id());
        }
        try (EventSpool spool = EventSpool.open(dir(), "webhook", 1 << 30, dead())) {
            spool.forceEachWrite(false);
            assertEquals(1490, spool.count());
            List<SpoolRecord> more = new java.util.ArrayList<>();
            for (int j = 1500; j < 1800; j++) {
                more.add(rec(j));
            }
            spool.appendAll(more);
            // reading on before the earlier records are confirmed, then confirming them all by number
            List<SpoolRecord> first = spool.peek(100);
            List<SpoolRecord> second = spool.peekMore(100);
            assertEquals("e10", first.get(0).id());
            assertEquals("e110", second.get(0).id());
            assertEquals("e209", second.get(99).id());
            spool.acknowledgeTo(spool.headNumber() + 50);
            assertEquals("e210", spool.peekMore(1).get(0).id());
            spool.acknowledgeTo(spool.headNumber() + 150);
            int next = 210;
            while (spool.count() > 0) {
                List<SpoolRecord> got = spool.peek(500);
                assertFalse(got.isEmpty(), "records left: " + spool.count());
                assertEquals("e" + next, got.get(0).id());
                int take = Math.min(100, got.size());
                spool.acknowledgeTo(spool.headNumber() + take);
                next += take;
            }
            assertEquals(1800, next);
        }
    }
}
