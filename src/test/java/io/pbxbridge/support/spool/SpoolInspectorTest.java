package io.pbxbridge.support.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.events.CloudEvent;
import io.pbxbridge.events.CloudEvents;
import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.Direction;
import io.pbxbridge.support.Json;

class SpoolInspectorTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    /** In every event's data: must never be printed. */
    static final String CALLER = "+3225550199";
    static final String REASON = "HTTP 503 from https://hooks.example.com/pbx";

    @TempDir
    Path tmp;

    Path dir() {
        return tmp.resolve("spool").resolve("webhook-main");
    }

    DeadLetters dead() {
        return new DeadLetters(tmp.resolve("dead"));
    }

    /** Call event {@code i} as a sink spools it: its structured CloudEvents JSON under its id and subject. */
    static SpoolRecord event(int i) {
        Instant time = T0.plusSeconds(i);
        CallEvent call = new CallEvent("evt-" + i, "escaux", "sop.example.com", i % 2 == 0 ? "call.ringing"
                : "call.answered", "call-" + i % 3, "SIP/leg-" + i, CALLER, "+3225550100", Direction.INBOUND,
                "ringing", time, null, null);
        CloudEvent ce = new CloudEvent(CloudEvents.SPEC_VERSION, call.id(), "/escaux/sop.example.com",
                "pbx." + call.type(), time, call.subject(), CloudEvents.JSON, Integer.toString(i), "Integer", "escaux",
                call);
        return new SpoolRecord(ce.id(), ce.subject(), CloudEvents.structured(ce), 1 + i % 3,
                i % 2 == 0 ? REASON : null, time.plusMillis(500));
    }

    static void assertEvent(int i, SpooledEvent e) {
        SpoolRecord r = event(i);
        assertEquals(new SpooledEvent("evt-" + i, i % 2 == 0 ? "pbx.call.ringing" : "pbx.call.answered",
                "call-" + i % 3, T0.plusSeconds(i), r.attempts(), r.reason(), r.spooledAt()), e);
    }

    static void appendEvents(EventSpool spool, int from, int to) throws Exception {
        List<SpoolRecord> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(event(i));
        }
        spool.appendAll(batch);
    }

    /** Every file of a folder (the sub-folders' too) with its size, modification time and content's CRC. */
    static Map<String, String> files(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                CRC32 content = new CRC32();
                if (!Files.isDirectory(p)) {
                    content.update(Files.readAllBytes(p));
                }
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " bytes, " + Files.getLastModifiedTime(p).toInstant() + ", crc "
                                + content.getValue());
            }
        }
        return files;
    }

    record Run(int exit, String out, String err) {
    }

    static Run command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SpoolInspector.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void depthOldestNewestAndEntriesOfAPartlyAcknowledgedSpool() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "webhook-main", 1 << 30, dead())) {
            appendEvents(spool, 0, 12);
            for (int i = 12; i < 20; i++) {
                spool.append(event(i));
            }
            spool.peek(7);
            spool.acknowledge(7);

            SpoolSummary s = SpoolInspector.inspect(dir(), SpoolInspector.DEFAULT_ENTRIES);
            assertEquals("webhook-main", s.sink());
            assertEquals(13, s.events());
            assertTrue(s.eventsExact());
            assertEquals(spool.count(), s.events());
            assertEquals(spool.bytes(), s.bytes());
            assertEquals(1, s.segments());
            JsonNode written = Json.MAPPER.readTree(dir().resolve("read-position.json").toFile());
            assertEquals(new SpoolPosition(written.get("segment").asLong(), written.get("offset").asLong()),
                    s.readPosition());
            assertEvent(7, s.oldest());
            assertEvent(19, s.newest());
            assertEquals(5, s.entries().size());
            for (int k = 0; k < 5; k++) {
                assertEvent(7 + k, s.entries().get(k));
            }
            assertEquals(0, s.damagedRecords());
            assertEquals(0, s.bytesBeingWritten());
            assertEquals(List.of(), s.warnings());

            assertEquals(13, SpoolInspector.inspect(dir(), 100).entries().size(), "no more than there are");
            SpoolSummary summary = SpoolInspector.summary(dir());
            assertEquals(List.of(), summary.entries());
            assertEquals(s.oldest(), summary.oldest());
            assertEquals(s.events(), summary.events());

            Run text = command(dir().toString());
            assertEquals(0, text.exit(), text.err());
            assertTrue(text.out().contains("waiting:        13 events, " + spool.bytes() + " bytes in 1 segment\n"),
                    text.out());
            assertTrue(text.out().contains("oldest:         time=2025-03-01T10:00:07Z type=pbx.call.answered "
                    + "subject=call-1 id=evt-7 attempts=2 spooledAt=2025-03-01T10:00:07.500Z\n"), text.out());
            assertTrue(text.out().contains("newest:         time=2025-03-01T10:00:19Z type=pbx.call.answered "
                    + "subject=call-1 id=evt-19 attempts=2"), text.out());
            assertTrue(text.out().contains("\n  time=2025-03-01T10:00:08Z type=pbx.call.ringing subject=call-2 "
                    + "id=evt-8 attempts=3 spooledAt=2025-03-01T10:00:08.500Z reason=\"" + REASON + "\"\n"),
                    text.out());
            assertEquals(5, text.out().lines().filter(l -> l.startsWith("  time=")).count(), text.out());
            assertFalse(text.out().contains(CALLER), "the event data is never printed");
            assertFalse(text.out().contains("SIP/leg"), "the event data is never printed");
        }
    }

    @Test
    void jsonIsOneDocumentOfTheSameSummary() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "webhook-main", 1 << 30, dead())) {
            appendEvents(spool, 0, 10);
            spool.peek(4);
            spool.acknowledge(4);
        }
        Run json = command("--json", dir().toString(), "--entries", "3");
        assertEquals(0, json.exit(), json.err());
        assertEquals(SpoolInspector.toJson(SpoolInspector.inspect(dir(), 3)), json.out());
        JsonNode doc = Json.MAPPER.readTree(json.out());
        assertEquals("webhook-main", doc.get("sink").asText());
        assertEquals(6, doc.get("events").asLong());
        assertTrue(doc.get("eventsExact").asBoolean());
        assertEquals(1, doc.get("segments").asInt());
        assertTrue(doc.get("readPosition").get("offset").asLong() > EventSpool.SEGMENT_HEADER);
        assertEquals("evt-4", doc.get("oldest").get("id").asText());
        assertEquals("pbx.call.ringing", doc.get("oldest").get("type").asText());
        assertEquals("call-1", doc.get("oldest").get("subject").asText());
        assertEquals("2025-03-01T10:00:04Z", doc.get("oldest").get("time").asText());
        assertEquals(2, doc.get("oldest").get("attempts").asInt());
        assertEquals(REASON, doc.get("oldest").get("reason").asText());
        assertEquals("2025-03-01T10:00:04.500Z", doc.get("oldest").get("spooledAt").asText());
        assertEquals("evt-9", doc.get("newest").get("id").asText());
        assertEquals(List.of("evt-4", "evt-5", "evt-6"),
                doc.get("entries").findValues("id").stream().map(JsonNode::asText).toList());
        assertFalse(json.out().contains(CALLER), "the event data is never printed");
    }

    @Test
    void emptySpool() throws Exception {
        EventSpool.open(dir(), "webhook-main", 1 << 30, dead()).close();
        SpoolSummary fresh = SpoolInspector.inspect(dir(), 5);
        assertEquals(0, fresh.events());
        assertEquals(0, fresh.bytes());
        assertEquals(1, fresh.segments());
        assertNull(fresh.oldest());
        assertNull(fresh.newest());
        assertEquals(List.of(), fresh.entries());

        try (EventSpool spool = EventSpool.open(dir(), "webhook-main", 1 << 30, 2048, dead())) {
            appendEvents(spool, 0, 40);
            while (!spool.isEmpty()) {
                spool.acknowledge(spool.peek(7).size());
            }
        }
        SpoolSummary drained = SpoolInspector.inspect(dir(), 5);
        assertEquals(new SpoolSummary("webhook-main", dir().toString(), 0, true, 0, 1, drained.readPosition(), null,
                null, 0, 0, List.of(), List.of()), drained);
        Run text = command(dir().toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("waiting:        0 events, 0 bytes in 1 segment\n"), text.out());
        assertTrue(text.out().contains("oldest:         none\n"), text.out());
        JsonNode doc = Json.MAPPER.readTree(command(dir().toString(), "--json").out());
        assertTrue(doc.get("oldest").isNull());
        assertEquals(0, doc.get("entries").size());

        // the next segment caught while it is being created: not yet its whole header
        long next = drained.readPosition().segment() + 1;
        Files.write(dir().resolve(String.format("%020d.seg", next)), new byte[] {0x50, 0x53, 0x50});
        SpoolSummary creating = SpoolInspector.inspect(dir(), 5);
        assertEquals(2, creating.segments());
        assertEquals(0, creating.events());
        assertTrue(creating.eventsExact());
        assertNull(creating.oldest());
    }

    @Test
    void tornLastRecordIsBeingWrittenAndADamagedOneIsCounted() throws Exception {
        long[] start = new long[11];
        start[0] = EventSpool.SEGMENT_HEADER;
        try (EventSpool spool = EventSpool.open(dir(), "webhook-main", 1 << 30, dead())) {
            for (int i = 0; i < 10; i++) {
                spool.append(event(i));
                start[i + 1] = start[i] + EventSpool.encode(event(i)).length;
            }
        }
        Path tail = dir().resolve(String.format("%020d.seg", 1));
        byte[] half = EventSpool.encode(event(10));
        try (FileChannel ch = FileChannel.open(tail, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(half, 0, half.length / 2), ch.size()); // a record being appended
            ch.write(ByteBuffer.wrap(new byte[] {0x01}), start[5] - 3); // and a byte changed in the payload of evt-4
        }
        Map<String, String> before = files(dir());
        SpoolSummary s = SpoolInspector.inspect(dir(), 5);
        assertEquals(9, s.events());
        assertEquals(1, s.damagedRecords());
        assertEquals(half.length / 2, s.bytesBeingWritten());
        assertEquals(start[10] - EventSpool.SEGMENT_HEADER, s.bytes(), "what is being written is not waiting yet");
        assertEvent(9, s.newest());
        assertEquals(List.of("evt-0", "evt-1", "evt-2", "evt-3", "evt-5"),
                s.entries().stream().map(SpooledEvent::id).toList(), "the damaged record is not an event");
        Run text = command(dir().toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("being written:  " + half.length / 2 + " bytes at the end"), text.out());
        assertTrue(text.out().contains("damaged:        1 records"), text.out());
        assertEquals(before, files(dir()), "read only");

        try (EventSpool spool = EventSpool.open(dir(), "webhook-main", 1 << 30, dead())) {
            assertEquals(s.events(), spool.count(), "the spool counts the same");
        }
    }

    @Test
    void countsTwoSegmentsExactlyAndEstimatesTheOnesBetweenWithoutReadingThem() throws Exception {
        int frame = EventSpool.encode(EventSpoolTest.fixed(0)).length;
        long segmentBytes = EventSpool.SEGMENT_HEADER + 10L * frame;
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, segmentBytes, dead())) {
            for (int i = 0; i < 15; i++) {
                spool.append(EventSpoolTest.fixed(i));
            }
            spool.peek(3);
            spool.acknowledge(3);
            SpoolSummary two = SpoolInspector.summary(dir());
            assertEquals(2, two.segments());
            assertEquals(12, two.events());
            assertTrue(two.eventsExact());

            for (int i = 15; i < 95; i++) {
                spool.append(EventSpoolTest.fixed(i));
            }
            SpoolSummary many = SpoolInspector.summary(dir());
            assertEquals(10, many.segments());
            assertFalse(many.eventsExact());
            assertEquals(92, many.events(), "records of one size: the estimate is exact");
            assertEquals(spool.bytes(), many.bytes());
            assertEquals("f00003", many.oldest().id());
            assertEquals("f00094", many.newest().id());
        }
        // the segments between are not read: zeros there go unnoticed
        Path middle = dir().resolve(String.format("%020d.seg", 5));
        Files.write(middle, ByteBuffer.allocate((int) segmentBytes).putInt(EventSpool.SEGMENT_MAGIC)
                .putInt(EventSpool.SEGMENT_VERSION).array());
        SpoolSummary zeroed = SpoolInspector.inspect(dir(), 0);
        assertEquals(92, zeroed.events());
        assertEquals(0, zeroed.damagedRecords());
    }

    @Test
    void estimateOfEventsOfDifferentSizes() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "webhook-main", 1 << 30, 8192, dead())) {
            Random random = new Random(7);
            List<SpoolRecord> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                SpoolRecord r = event(i);
                String pad = "x".repeat(random.nextInt(400)); // reasons of any length
                batch.add(new SpoolRecord(r.id(), r.key(), r.payload(), r.attempts(), "timeout " + pad,
                        r.spooledAt()));
            }
            spool.appendAll(batch);
            SpoolSummary s = SpoolInspector.summary(dir());
            assertTrue(s.segments() > 50, "segments: " + s.segments());
            assertFalse(s.eventsExact());
            assertEquals(2000, s.events(), 2000 * 0.1, "estimated from two segments' mean");
            assertEquals(spool.bytes(), s.bytes());
        }
    }

    @Test
    void segmentsTheReplayDeletesMeanwhileAreDelivered() throws Exception {
        int frame = EventSpool.encode(EventSpoolTest.fixed(0)).length;
        long segmentBytes = EventSpool.SEGMENT_HEADER + 10L * frame;
        try (EventSpool spool = EventSpool.open(dir(), "kafka", 1 << 30, segmentBytes, dead())) {
            for (int i = 0; i < 50; i++) {
                spool.append(EventSpoolTest.fixed(i));
            }
            SpoolInspector listed = SpoolInspector.list(dir());
            spool.peek(25);
            spool.acknowledge(25); // deletes segments 1 and 2 between the listing and the reading
            SpoolSummary s = listed.read(3);
            assertEquals(3, s.segments());
            assertEquals(30, s.events());
            assertEquals(List.of("f00020", "f00021", "f00022"), s.entries().stream().map(SpooledEvent::id).toList());
            assertEquals("f00049", s.newest().id());
            assertEquals(3 * segmentBytes, s.bytes());
        }
        // and deleted between the read position's reading and the listing: it names a segment that is gone
        Files.write(dir().resolve("read-position.json"), "{\"segment\":2,\"offset\":600}\n".getBytes());
        SpoolSummary s = SpoolInspector.inspect(dir(), 1);
        assertEquals(new SpoolPosition(3, EventSpool.SEGMENT_HEADER), s.readPosition());
        assertEquals("f00020", s.oldest().id());
    }

    /**
     * An appender and a replayer keep writing the spool while it is inspected: every inspection succeeds and is
     * coherent; with the writer paused, an inspection changes nothing in the folder and agrees with the spool.
     */
    @Test
    void inspectionWhileTheSpoolIsWrittenNeverFailsNorChangesTheFolder() throws Exception {
        try (EventSpool spool = EventSpool.open(dir(), "webhook-main", 1 << 30, 8192, dead())) {
            spool.forceEachWrite(false); // as the sinks use it: the read position written at most every 50 ms
            ReentrantLock writing = new ReentrantLock(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            int[] next = {0};
            int[] head = {0};
            Thread writer = new Thread(() -> {
                Random random = new Random(3);
                try {
                    while (!stop.get()) {
                        writing.lock();
                        try {
                            int n = 1 + random.nextInt(10);
                            appendEvents(spool, next[0], next[0] + n);
                            next[0] += n;
                            if (spool.count() > 300) {
                                int delivered = spool.peek(1 + random.nextInt(40)).size();
                                spool.acknowledge(delivered);
                                head[0] += delivered;
                            }
                        } finally {
                            writing.unlock();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "spool-writer");
            writer.start();
            try {
                int inspections = 0;
                int estimated = 0;
                int beingWritten = 0;
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < deadline || inspections < 100) {
                    SpoolSummary s = SpoolInspector.inspect(dir(), 10);
                    inspections++;
                    estimated += s.eventsExact() ? 0 : 1;
                    beingWritten += s.bytesBeingWritten() > 0 ? 1 : 0;
                    assertEquals(0, s.damagedRecords(), "a record being written is not damage: " + s);
                    assertEquals(List.of(), s.warnings());
                    assertTrue(s.events() >= s.entries().size() && s.bytes() >= 0, s.toString());
                    List<Integer> ids = s.entries().stream().map(e -> Integer.parseInt(e.id().substring(4))).toList();
                    for (int k = 1; k < ids.size(); k++) {
                        assertTrue(ids.get(k) > ids.get(k - 1), "oldest first: " + ids);
                    }
                    if (s.oldest() != null) {
                        assertEquals(s.entries().get(0), s.oldest());
                        assertTrue(Integer.parseInt(s.newest().id().substring(4)) >= ids.get(ids.size() - 1),
                                s.toString());
                    }
                }
                assertTrue(failure.get() == null, () -> "the writer failed: " + failure.get());
                assertTrue(next[0] > 1000 && head[0] > 500, "the writer kept going: " + next[0] + " appended, "
                        + head[0] + " delivered, " + inspections + " inspections");
                System.out.println(inspections + " inspections, " + estimated + " estimated, " + beingWritten
                        + " saw a record being written; " + next[0] + " appended, " + head[0] + " delivered");

                writing.lock();
                try {
                    spool.sync(); // the read position on disk is the spool's
                    Map<String, String> before = files(dir());
                    SpoolSummary s = SpoolInspector.inspect(dir(), 10);
                    assertEquals(0, command(dir().toString(), "--json", "--entries", "1000").exit());
                    assertEquals(0, command(dir().toString()).exit());
                    assertEquals(before, files(dir()), "nothing written, created, moved or touched");
                    assertEquals(spool.bytes(), s.bytes());
                    assertEquals(spool.segmentCount(), s.segments());
                    assertEquals("evt-" + head[0], s.oldest().id());
                    assertEquals("evt-" + (next[0] - 1), s.newest().id());
                    assertEquals(0, s.bytesBeingWritten());
                    assertEquals(spool.count(), s.events(), s.eventsExact() ? 0 : spool.count() * 0.1);
                } finally {
                    writing.unlock();
                }
            } finally {
                stop.set(true); // not an interrupt: that would close the spool's channels under it
                writer.join(10_000);
            }
            assertTrue(failure.get() == null, () -> "the writer failed: " + failure.get());
        }
    }

    @Test
    void aFolderThatIsNotASpool() throws Exception {
        Path missing = tmp.resolve("missing");
        Run run = command(missing.toString());
        assertEquals(2, run.exit());
        assertEquals(missing + " does not exist\n", run.err());
        assertFalse(Files.exists(missing), "nothing created");

        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "call back");
        Map<String, String> before = files(notes);
        run = command(notes.toString());
        assertEquals(2, run.exit());
        assertEquals(notes + " is not an event spool: it has no segment files (<20 digits>.seg) and no "
                + "read-position.json\n", run.err());
        assertEquals("", run.out());
        assertEquals(before, files(notes));
        assertThrows(SpoolInspector.NotASpoolException.class, () -> SpoolInspector.summary(notes));

        run = command(notes.resolve("todo.txt").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().endsWith("todo.txt is not a folder\n"), run.err());

        EventSpool.open(tmp.resolve("spool").resolve("kafka"), "kafka", 1 << 20, dead()).close();
        EventSpool.open(dir(), "webhook-main", 1 << 20, dead()).close();
        run = command(tmp.resolve("spool").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains(" holds the spools of kafka, webhook-main: name one, e.g. "
                + tmp.resolve("spool").resolve("kafka")), run.err());

        Path fake = Files.createDirectories(tmp.resolve("fake"));
        Files.writeString(fake.resolve(String.format("%020d.seg", 1)), "not a segment");
        run = command(fake.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("00000000000000000001.seg is not an event spool segment"), run.err());
    }

    @Test
    void wrongArgumentsExitWithTwo() {
        for (String[] args : List.of(new String[] {}, new String[] {"a", "b"}, new String[] {"--entries"},
                new String[] {dir().toString(), "--entries", "many"}, new String[] {dir().toString(), "--entries",
                    "-1"}, new String[] {dir().toString(), "--verbose"})) {
            Run run = command(args);
            assertEquals(2, run.exit(), List.of(args).toString());
            assertTrue(run.err().contains("usage: java -cp pbx-bridge.jar io.pbxbridge.support.spool.SpoolInspector"),
                    run.err());
        }
        Run help = command("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("usage: "), help.out());
    }
}
