package io.pbxbridge.cdr.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.LogCapture;

class CsvCallRecordSinkTest {

    static final String SOURCE = "monema:127.0.0.1/acme";
    static final String DAY1 = "2025-01-31";
    static final String DAY2 = "2025-02-01";
    static final List<String> HEADER = List.of("key", "vendor", "source", "callId", "start", "answer", "end",
            "duration", "billsec", "from", "to", "direction", "disposition", "cost", "currency", "recording");

    static final CamelContext CAMEL = new DefaultCamelContext();

    @TempDir
    Path tmp;
    Path folder;
    Path sourceFolder;
    FileHarvestCheckpoints checkpoints;

    @BeforeEach
    void folders() {
        folder = tmp.resolve("cdr");
        sourceFolder = folder.resolve(FileHarvestCheckpoints.fileName(SOURCE));
        checkpoints = new FileHarvestCheckpoints(tmp.resolve("checkpoints"));
    }

    @AfterAll
    static void stopCamel() throws Exception {
        CAMEL.close();
    }

    @Test
    void writesAHeaderAndQuotesWhatRfc4180Quotes() throws Exception {
        String name = "Doe, \"Jo\"\r\nsecond line\nthird, Zoë";
        CallRecord full = new CallRecord("monema:acme:1", "monema", "acme", "1736000000.17",
                Instant.parse("2025-01-31T10:00:00Z"), Instant.parse("2025-01-31T10:00:05.250Z"),
                Instant.parse("2025-01-31T10:01:05Z"), 65L, 60L, name, "+3225551234", Direction.INBOUND,
                Disposition.ANSWERED, new BigDecimal("1E-2"), "EUR", "rec \"7\".wav", Map.of("raw", "not written"));
        CallRecord sparse = new CallRecord("monema:acme:2", "monema", null, null,
                Instant.parse("2025-01-31T11:00:00Z"), null, null, null, null, null, null, null, null, null, null,
                null, null);
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, full, sparse));

        Path file = day(DAY1);
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith(String.join(",", HEADER) + "\r\n"));
        List<List<String>> rows = parseStrict(file);
        assertEquals(3, rows.size());
        assertEquals(HEADER, rows.get(0));
        assertEquals(List.of("monema:acme:1", "monema", "acme", "1736000000.17", "2025-01-31T10:00:00Z",
                "2025-01-31T10:00:05.250Z", "2025-01-31T10:01:05Z", "65", "60", name, "+3225551234", "INBOUND",
                "ANSWERED", "0.01", "EUR", "rec \"7\".wav"), rows.get(1));
        assertEquals(List.of("monema:acme:2", "monema", "", "", "2025-01-31T11:00:00Z", "", "", "", "", "", "", "",
                "", "", "", ""), rows.get(2));
    }

    @Test
    void oneFilePerSourceAndUtcDayWithOneHeader() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, false, false, record("a", "2025-01-31T23:59:59.999Z"),
                record("b", "2025-02-01T00:00:00Z"), record("c", "2025-01-31T00:00:00Z")));
        sink.write(batch(1, 1, true, false, record("d", "2025-02-01T23:59:59Z")));
        Exchange other = batch(4, 0, true, false, record("e", "2025-01-31T12:00:00Z"));
        other.getMessage().setHeader(CdrConstants.SOURCE, "escaux:pbx.example.com");
        sink.write(other);

        assertEquals(List.of("a", "c"), keys(day(DAY1)));
        assertEquals(List.of("b", "d"), keys(day(DAY2)));
        assertEquals(List.of("e"), keys(folder.resolve("escaux_pbx.example.com").resolve(DAY1 + ".csv")));
        assertEquals(1, parseStrict(day(DAY2)).stream().filter(HEADER::equals).count(), "one header per file");
    }

    @Test
    void aRunThatDidNotCommitIsCutAtRestartAndWrittenOnceAgain() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z"), record("r2", DAY1 + "T09:00:00Z")));
        commit(1);
        Map<Path, byte[]> committed = snapshot();
        sink.write(batch(2, 0, false, false, record("r3", DAY1 + "T10:00:00Z"), record("r4", DAY2 + "T01:00:00Z")));
        sink.write(batch(2, 1, false, false, record("r5", DAY1 + "T11:00:00Z")));
        assertTrue(Files.exists(sourceFolder.resolve(CsvUndoJournal.FILE)));
        assertEquals(List.of("r1", "r2", "r3", "r5"), keys(day(DAY1)));
        // killed here: run 2 never commits

        CsvCallRecordSink restarted = sink();
        assertEquals(committed, snapshot(), "the restart cuts run 2 away, and the day file it created");
        assertFalse(Files.exists(sourceFolder.resolve(CsvUndoJournal.FILE)));

        restarted.write(batch(2, 0, false, false, record("r3", DAY1 + "T10:00:00Z"), record("r4",
                DAY2 + "T01:00:00Z")));
        restarted.write(batch(2, 1, true, false, record("r5", DAY1 + "T11:00:00Z")));
        commit(2);
        assertEquals(List.of("r1", "r2", "r3", "r5"), keys(day(DAY1)));
        assertEquals(List.of("r4"), keys(day(DAY2)));
    }

    @Test
    void aRunRetriedInTheSameProcessCutsTheFailedAttemptFirst() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z")));
        commit(1);
        sink.write(batch(2, 0, false, false, record("r2", DAY1 + "T09:00:00Z")));
        // a later step fails this batch: the run ends uncommitted and the next one, number 2 again, starts over
        sink.write(batch(2, 0, false, false, record("r2", DAY1 + "T09:00:00Z")));
        sink.write(batch(2, 1, true, false, record("r3", DAY2 + "T09:00:00Z")));
        commit(2);
        assertEquals(List.of("r1", "r2"), keys(day(DAY1)));
        assertEquals(List.of("r3"), keys(day(DAY2)));
    }

    @Test
    void aBatchDeliveredAgainInOneExchangeIsWrittenOnce() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, false, false, record("r1", DAY1 + "T08:00:00Z")));
        Exchange second = batch(1, 1, false, false, record("r2", DAY1 + "T09:00:00Z"));
        sink.write(second);
        sink.write(second); // redelivered after a later step failed
        sink.write(batch(1, 2, true, false, record("r3", DAY1 + "T10:00:00Z")));
        assertEquals(List.of("r1", "r2", "r3"), keys(day(DAY1)));
    }

    @Test
    void aTornLastRecordOfAnUncommittedRunIsCutWithTheRun() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z")));
        commit(1);
        Map<Path, byte[]> committed = snapshot();
        sink.write(batch(2, 0, false, false, record("r2", DAY1 + "T09:00:00Z")));
        Files.writeString(day(DAY1), "r3,monema,acme,,2025-01-31T10:00:00Z,,,,,\"Doe,\r\nJo",
                StandardOpenOption.APPEND);

        sink();
        assertEquals(committed, snapshot());
    }

    @Test
    void aTornLastRecordNoJournalCoversIsCutAndKeptAside() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z")));
        commit(1);
        String torn = "r2,monema,acme,,2025-01-31T09:00:00Z,,,,,\"Doe,\r\nJo";
        Files.writeString(day(DAY1), torn, StandardOpenOption.APPEND);
        try (LogCapture log = LogCapture.open()) {
            CsvCallRecordSink restarted = sink(); // run 1 committed: its journal goes, nothing cut
            assertTrue(Files.readString(day(DAY1)).endsWith(torn));
            restarted.write(batch(2, 0, true, false, record("r2", DAY1 + "T09:00:00Z")));
            assertEquals(1, log.messages(Level.WARN, "CsvDayFile").size(),
                    String.valueOf(log.messages(Level.WARN, "")));
        }
        assertEquals(List.of("r1", "r2"), keys(day(DAY1)));
        assertEquals(torn, Files.readString(sourceFolder.resolve(DAY1 + ".csv.torn")));
    }

    @Test
    void aBackfillFindsATornRecordThatEndsInsideQuotesAfterALineEnd() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z")));
        commit(1);
        String torn = "r2,monema,acme,,2025-01-31T09:00:00Z,,,,,\"Doe,\r\n";
        Files.writeString(day(DAY1), torn, StandardOpenOption.APPEND);
        sink.write(batch(2, 0, true, true, record("r1", DAY1 + "T08:00:00Z"), record("r2", DAY1 + "T09:00:00Z")));
        assertEquals(List.of("r1", "r2"), keys(day(DAY1)));
        assertEquals(torn, Files.readString(sourceFolder.resolve(DAY1 + ".csv.torn")));
    }

    @Test
    void aBackfillWritesNoKeyTheDayFileHasAlready() throws Exception {
        CsvCallRecordSink sink = sink();
        String odd = "escaux:pbx:\"7\", Zoë"; // quoted in the file: read back as it was written
        sink.write(batch(1, 0, false, false, record("r1", DAY1 + "T08:00:00Z"), record("r2", DAY1 + "T09:00:00Z"),
                record(odd, DAY1 + "T09:30:00Z")));
        sink.write(batch(1, 1, true, false, record("r3", DAY2 + "T08:00:00Z")));
        commit(1);
        CallRecord r1Again = new CallRecord("r1", "monema", "acme", null, Instant.parse(DAY1 + "T08:00:00Z"), null,
                null, 99L, null, "changed, since", null, null, Disposition.FAILED, null, null, null, null);
        sink.write(batch(2, 0, false, true, r1Again, record("r2", DAY1 + "T09:00:00Z"),
                record("r4", DAY1 + "T10:00:00Z"), record(odd, DAY1 + "T09:30:00Z")));
        sink.write(batch(2, 1, false, true, record("r3", DAY2 + "T08:00:00Z"), record("r5", DAY2 + "T09:00:00Z"),
                record("r4", DAY1 + "T10:00:00Z"), record("r6", "2025-01-30T10:00:00Z")));
        sink.write(batch(2, 2, true, true));
        commit(2);
        assertEquals(List.of("r1", "r2", odd, "r4"), keys(day(DAY1)));
        assertEquals(List.of("r3", "r5"), keys(day(DAY2)));
        assertEquals(List.of("r6"), keys(day("2025-01-30")));
        assertEquals("", parseStrict(day(DAY1)).get(1).get(9), "the first r1 stays as it was");
    }

    @Test
    void aCommittedRunsJournalIsDroppedWithoutCutting() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z")));
        commit(1);
        sink.write(batch(2, 0, true, false, record("r2", DAY1 + "T09:00:00Z"), record("r3", DAY2 + "T09:00:00Z")));
        commit(2);
        Map<Path, byte[]> committed = snapshot();
        assertTrue(Files.exists(sourceFolder.resolve(CsvUndoJournal.FILE)), "dropped only when next seen");

        CsvCallRecordSink restarted = sink();
        assertEquals(committed, snapshot());
        assertFalse(Files.exists(sourceFolder.resolve(CsvUndoJournal.FILE)));

        restarted.write(batch(3, 0, true, false, record("r4", DAY2 + "T10:00:00Z")));
        commit(3);
        restarted.write(batch(4, 0, true, false)); // the next run, in the same process, finds run 3 committed
        assertFalse(Files.exists(sourceFolder.resolve(CsvUndoJournal.FILE)));
        assertEquals(List.of("r1", "r2"), keys(day(DAY1)));
        assertEquals(List.of("r3", "r4"), keys(day(DAY2)));
    }

    @Test
    void aCheckpointResetCutsNothingThatMayHaveCommitted() throws Exception {
        CsvCallRecordSink sink = sink();
        for (int run = 1; run <= 3; run++) {
            sink.write(batch(run, 0, true, false, record("r" + run, DAY1 + "T0" + run + ":00:00Z")));
            commit(run);
        }
        Map<Path, byte[]> written = snapshot();
        Files.delete(checkpoints.file(SOURCE)); // the operator starts the source again from its first-run point
        try (LogCapture log = LogCapture.open()) {
            sink();
            assertEquals(1, log.messages(Level.WARN, "CsvCallRecordSink").size());
        }
        assertEquals(written, snapshot(), "run 3 committed: its records stay");
        assertFalse(Files.exists(sourceFolder.resolve(CsvUndoJournal.FILE)));
    }

    @Test
    void badInputIsRefusedWithWhatAndWhereAndNothingWritten() throws Exception {
        CsvCallRecordSink sink = sink();
        Exchange notAList = batch(1, 0, true, false);
        notAList.getMessage().setBody("key,start");
        String why = assertThrows(IllegalArgumentException.class, () -> sink.write(notAList)).getMessage();
        assertTrue(why.contains("run 1 of " + SOURCE) && why.contains("java.lang.String"), why);

        Exchange noStart = batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z"),
                new CallRecord("r2", "monema", "acme", null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null));
        why = assertThrows(IllegalArgumentException.class, () -> sink.write(noStart)).getMessage();
        assertTrue(why.contains("Record 1 ") && why.contains("key r2"), why);

        Exchange noSource = batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z"));
        noSource.getMessage().removeHeader(CdrConstants.SOURCE);
        why = assertThrows(IllegalArgumentException.class, () -> sink.write(noSource)).getMessage();
        assertTrue(why.contains(CdrConstants.SOURCE + "=null"), why);
        assertFalse(Files.exists(folder), "nothing written");

        Files.createDirectories(sourceFolder);
        Files.writeString(day(DAY1), "id;start\r\n1;2025-01-31\r\n");
        Exchange fine = batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z"));
        why = assertThrows(IOException.class, () -> sink.write(fine)).getMessage();
        assertTrue(why.contains(day(DAY1).toString()) && why.contains("header"), why);
        assertEquals("id;start\r\n1;2025-01-31\r\n", Files.readString(day(DAY1)));
    }

    @Test
    void aRouteStepCallsTheBean() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("cdrCsvSink", sink());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:cdr").bean("cdrCsvSink");
                }
            });
            camel.start();
            Exchange sent = batch(1, 0, true, false, record("r1", DAY1 + "T08:00:00Z"));
            Exchange done = camel.createProducerTemplate().send("direct:cdr", e -> {
                e.getMessage().setHeaders(sent.getMessage().getHeaders());
                e.getMessage().setBody(sent.getMessage().getBody());
                e.setProperty(Exchange.BATCH_INDEX, 0);
            });
            assertEquals(null, done.getException());
        }
        assertEquals(List.of("r1"), keys(day(DAY1)));
    }

    /** A writer killed (SIGKILL) anywhere in run 2 leaves, after a restart, exactly what run 1 committed. */
    @Test
    void aKilledWriterLeavesExactlyTheCommittedRecords() throws Exception {
        CsvCallRecordSink sink = sink();
        sink.write(batch(1, 0, true, false, killRecords(-1).toArray(CallRecord[]::new)));
        commit(1);
        Map<Path, byte[]> committed = snapshot();
        Random random = new Random();
        for (int round = 0; round < 3; round++) {
            ChildJvm child = ChildJvm.start(KilledWriter.class, folder.toString(), checkpoints.directory().toString());
            int batches = 1 + random.nextInt(40);
            try {
                child.awaitLines(lines -> written(lines) >= batches, 60, batches + " batches written");
                Thread.sleep(random.nextInt(30));
            } finally {
                child.kill();
            }
            assertNotEquals(committed, snapshot(), "round " + round + ": the child wrote nothing");
            sink();
            assertEquals(committed, snapshot(), "round " + round + ", killed after " + written(child.lines())
                    + " batches");
        }
        CsvCallRecordSink restarted = sink();
        int batches = 50;
        for (int i = 0; i < batches; i++) {
            restarted.write(batch(2, i, i == batches - 1, false, killRecords(i).toArray(CallRecord[]::new)));
        }
        commit(2);
        Map<String, Integer> seen = new HashMap<>();
        try (Stream<Path> files = Files.list(sourceFolder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
                keys(f).forEach(k -> seen.merge(k, 1, Integer::sum));
            }
        }
        assertEquals(10 + batches * 10, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "each record once");
    }

    static int written(List<String> lines) {
        return (int) lines.stream().filter(l -> l.startsWith("written ")).count();
    }

    /** Ten records of batch {@code i} of run 2 (-1: run 1), over three days, names with quotes and line ends. */
    static List<CallRecord> killRecords(int i) {
        List<CallRecord> records = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            String day = i < 0 ? DAY1 : j % 3 == 0 ? DAY1 : j % 3 == 1 ? DAY2 : "2025-02-02";
            records.add(new CallRecord("k" + i + "-" + j, "monema", "acme", null,
                    Instant.parse(day + "T10:00:00Z").plusSeconds(i * 10L + j), null, null, 30L, null,
                    "Caller \"" + i + "\",\r\nline " + j, "100", Direction.OUTBOUND, Disposition.ANSWERED, null, null,
                    null, null));
        }
        return records;
    }

    /** The child of {@link #aKilledWriterLeavesExactlyTheCommittedRecords}: writes run 2 until killed. */
    public static final class KilledWriter {
        public static void main(String[] args) throws Exception {
            CsvCallRecordSink sink = new CsvCallRecordSink(Path.of(args[0]),
                    new FileHarvestCheckpoints(Path.of(args[1])));
            try (CamelContext camel = new DefaultCamelContext()) {
                for (int i = 0;; i++) {
                    Exchange e = new DefaultExchange(camel);
                    e.getMessage().setHeader(CdrConstants.SOURCE, SOURCE);
                    e.getMessage().setHeader(CdrConstants.RUN, 2L);
                    e.getMessage().setBody(killRecords(i));
                    e.setProperty(Exchange.BATCH_INDEX, i);
                    sink.write(e);
                    System.out.println("written " + i);
                }
            }
        }
    }

    CsvCallRecordSink sink() throws Exception {
        return new CsvCallRecordSink(folder, checkpoints);
    }

    void commit(long run) throws Exception {
        checkpoints.commit(new HarvestCheckpoint(SOURCE, run, Instant.now(), Map.of(), Instant.now()));
    }

    Path day(String day) {
        return sourceFolder.resolve(day + ".csv");
    }

    /** A batch as the cdr consumer emits it. */
    static Exchange batch(long run, int index, boolean last, boolean backfill, CallRecord... records) {
        Exchange e = new DefaultExchange(CAMEL);
        e.getMessage().setBody(new ArrayList<>(List.of(records)));
        e.getMessage().setHeader(CdrConstants.SOURCE, SOURCE);
        e.getMessage().setHeader(CdrConstants.RUN, run);
        e.getMessage().setHeader(CdrConstants.BACKFILL, backfill);
        e.setProperty(Exchange.BATCH_INDEX, index);
        e.setProperty(Exchange.BATCH_COMPLETE, last);
        return e;
    }

    static CallRecord record(String key, String start) {
        return new CallRecord(key, "monema", "acme", null, Instant.parse(start), null, null, 30L, null, null, null,
                null, null, null, null, null, null);
    }

    /** Every file under the folder (journal aside) and its bytes. */
    Map<Path, byte[]> snapshot() throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals(CsvUndoJournal.FILE)) {
                    files.put(folder.relativize(f), Files.readAllBytes(f));
                }
            }
        }
        return new Snapshot(files);
    }

    /** Compares by content, and says which file differs. */
    static final class Snapshot extends TreeMap<Path, byte[]> {
        Snapshot(Map<Path, byte[]> files) {
            super(files);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map<?, ?> m && m.size() == size() && entrySet().stream().allMatch(
                    e -> m.get(e.getKey()) instanceof byte[] b && Arrays.equals(b, e.getValue()));
        }

        @Override
        public int hashCode() {
            return keySet().hashCode();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            forEach((f, b) -> s.append(f).append(": ").append(b.length).append(" bytes\n"));
            return s.toString();
        }
    }

    /** The first column of each record but the header. */
    static List<String> keys(Path file) throws IOException {
        List<List<String>> rows = parseStrict(file);
        assertEquals(HEADER, rows.get(0), file + " starts with the header");
        return rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList();
    }

    /**
     * RFC 4180 read strictly: UTF-8, CRLF after every record, quotes only around a whole field (doubled inside),
     * CR and LF only in quoted fields, 16 fields in every record; anything else fails the test.
     */
    static List<List<String>> parseStrict(Path file) throws IOException {
        String s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = s.length();
        while (i < n) {
            if (s.charAt(i) == '"') {
                for (i++;; i++) {
                    if (i >= n) {
                        throw new AssertionError(file + ": a quoted field is not closed");
                    }
                    char c = s.charAt(i);
                    if (c == '"' && i + 1 < n && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        field.append(c);
                    }
                }
            } else {
                for (; i < n && s.charAt(i) != ',' && s.charAt(i) != '\r'; i++) {
                    char c = s.charAt(i);
                    if (c == '"' || c == '\n') {
                        throw new AssertionError(file + ": " + (c == '"' ? "a quote" : "LF") + " in an unquoted field"
                                + " at " + i);
                    }
                    field.append(c);
                }
            }
            row.add(field.toString());
            field.setLength(0);
            if (i < n && s.charAt(i) == ',') {
                i++;
                if (i == n) {
                    throw new AssertionError(file + ": ends after a comma");
                }
            } else if (i + 1 < n && s.charAt(i) == '\r' && s.charAt(i + 1) == '\n') {
                i += 2;
                assertEquals(HEADER.size(), row.size(), file + ": fields of record " + rows.size());
                rows.add(row);
                row = new ArrayList<>();
            } else {
                throw new AssertionError(file + ": " + (i >= n ? "the last record has no CRLF"
                        : "a field goes on after its closing quote at " + i));
            }
        }
        return rows;
    }
}
