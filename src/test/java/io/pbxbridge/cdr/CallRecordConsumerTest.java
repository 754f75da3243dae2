package io.pbxbridge.cdr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harvest's own rules, vendor aside: the window, pages until the vendor says there is no more, repeats by key,
 * dead letters, and a checkpoint that moves only once the sinks have committed the run's last batch. The vendor
 * here is a list in memory paged three records at a time; the vendors' own pages are tested against their
 * simulators (MonemaCdrTest, EscauxCdrTest).
 */
class CallRecordConsumerTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String SOURCE = "test:pbx";

    @TempDir
    Path tmp;

    private final List<HarvestEntry> vendor = Collections.synchronizedList(new ArrayList<>());
    private final List<List<String>> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger failBatch = new AtomicInteger(-1);
    private volatile boolean repeatsWithinWindow;
    private FileHarvestCheckpoints checkpoints;
    private CamelContext context;
    private CallRecordConsumer consumer;

    @BeforeEach
    void start() throws Exception {
        checkpoints = new FileHarvestCheckpoints(tmp.resolve("checkpoints"));
        HarvestOptions options = new HarvestOptions(Duration.ofMinutes(10), Duration.ofMinutes(1),
                Duration.ofHours(24), 2, Duration.ofHours(1), tmp.resolve("dead"), checkpoints);
        context = new DefaultCamelContext();
        PagesEndpoint endpoint = new PagesEndpoint(context, SOURCE, new ListPages(), options);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("cdr").process(e -> {
                    if (failBatch.get() == e.getProperty(Exchange.BATCH_INDEX, Integer.class)) {
                        throw new IllegalStateException("sink down");
                    }
                    List<CallRecord> batch = e.getMessage().getBody(List.class);
                    delivered.add(batch.stream().map(r -> r.callId()).toList());
                });
            }
        });
        context.start();
        consumer = (CallRecordConsumer) context.getRoute("cdr").getConsumer();
        consumer.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void firstRunReadsEveryPageOfItsWindowInBatchesAndCommitsAtTheEnd() throws Exception {
        for (int i = 1; i <= 7; i++) {
            vendor.add(HarvestEntry.of(record("c" + i, NOW.minusSeconds(3600 - i))));
        }
        vendor.add(HarvestEntry.of(record("late-for-window", NOW.minusSeconds(30)))); // after now - lag
        vendor.add(HarvestEntry.of(record("too-old", NOW.minus(Duration.ofHours(25)))));

        HarvestRun run = CallRecordHarvests.of(context).now(SOURCE);

        assertEquals(List.of(List.of("c1", "c2"), List.of("c3", "c4"), List.of("c5", "c6"), List.of("c7")),
                delivered);
        assertEquals(9, run.read());
        assertEquals(7, run.fresh());
        assertEquals(2, run.outside());
        assertTrue(run.isCommitted());
        HarvestCheckpoint cp = checkpoints.load(SOURCE);
        assertEquals(1, cp.run());
        assertEquals(NOW.minusSeconds(60), cp.watermark());
        assertEquals(new HarvestWindow(NOW.minus(Duration.ofHours(24)), NOW.minusSeconds(60)), run.window());
        assertTrue(run.line().contains("7 new"), run.line());
    }

    @Test
    void theOverlapsRepeatsAreSkippedAndALateRecordInsideItIsDeliveredOnce() throws Exception {
        vendor.add(HarvestEntry.of(record("early", NOW.minusSeconds(3000))));
        vendor.add(HarvestEntry.of(record("in-overlap", NOW.minusSeconds(300))));
        CallRecordHarvests.of(context).now(SOURCE);
        delivered.clear();

        // ten minutes on: the window starts 10 minutes before the checkpoint and lists "in-overlap" again
        consumer.setClock(Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC));
        vendor.add(HarvestEntry.of(record("written-late", NOW.minusSeconds(200))));
        vendor.add(HarvestEntry.of(record("new", NOW.plusSeconds(100))));
        HarvestRun run = CallRecordHarvests.of(context).now(SOURCE);

        assertEquals(List.of(List.of("written-late", "new")), delivered);
        assertEquals(1, run.repeats());
        assertEquals(2, run.fresh());
        assertEquals(2, checkpoints.load(SOURCE).run());
    }

    @Test
    void aSinkThatFailsEndsTheRunTheCheckpointStaysAndTheNextRunDeliversTheWindowAgain() throws Exception {
        for (int i = 1; i <= 5; i++) {
            vendor.add(HarvestEntry.of(record("c" + i, NOW.minusSeconds(3600 - i))));
        }
        CallRecordHarvests.of(context).now(SOURCE);
        consumer.setClock(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
        vendor.add(HarvestEntry.of(record("d1", NOW.plusSeconds(100))));
        vendor.add(HarvestEntry.of(record("d2", NOW.plusSeconds(200))));
        vendor.add(HarvestEntry.of(record("d3", NOW.plusSeconds(300))));
        delivered.clear();
        failBatch.set(1);

        Exception e = assertThrows(Exception.class, () -> CallRecordHarvests.of(context).now(SOURCE));
        assertTrue(e.getMessage().contains("sink down"), e.getMessage());
        assertEquals(List.of(List.of("d1", "d2")), delivered);
        assertEquals(1, checkpoints.load(SOURCE).run());
        assertEquals(NOW.minusSeconds(60), checkpoints.load(SOURCE).watermark());

        failBatch.set(-1);
        delivered.clear();
        HarvestRun retry = CallRecordHarvests.of(context).now(SOURCE);
        assertEquals(List.of(List.of("d1", "d2"), List.of("d3")), delivered);
        assertEquals(2, retry.number());
        assertEquals(2, checkpoints.load(SOURCE).run());
    }

    @Test
    void recordsThatCannotBeReadGoToTheDeadLettersWithTheirReasonAndTheOthersGoOn() throws Exception {
        vendor.add(HarvestEntry.of(record("good", NOW.minusSeconds(500))));
        vendor.add(HarvestEntry.rejected("<Calls><id>9</id><duration>abc</duration></Calls>",
                "duration 'abc' is not a number"));
        vendor.add(HarvestEntry.of(record("", NOW.minusSeconds(400)))); // no id
        vendor.add(HarvestEntry.of(record("no-start", null)));

        HarvestRun run = CallRecordHarvests.of(context).now(SOURCE);

        assertEquals(List.of(List.of("good")), delivered);
        assertEquals(3, run.deadLetters());
        List<String> lines = Files.readAllLines(tmp.resolve("dead").resolve("test_pbx.ndjson"));
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("duration 'abc' is not a number") && lines.get(0).contains("<duration>abc"),
                lines.get(0));
        assertTrue(lines.get(1).contains("no record id"), lines.get(1));
        assertTrue(lines.get(2).contains("no start time"), lines.get(2));
        assertTrue(run.isCommitted());
    }

    @Test
    void aDeadLetterInsideTheOverlapIsNotDeadLetteredAgainByTheNextRun() throws Exception {
        vendor.add(HarvestEntry.rejected("<Calls><id>9</id><duration>abc</duration></Calls>", "duration 'abc'"));
        HarvestRun first = CallRecordHarvests.of(context).now(SOURCE);
        consumer.setClock(Clock.fixed(NOW.plusSeconds(300), ZoneOffset.UTC));
        HarvestRun second = CallRecordHarvests.of(context).now(SOURCE);
        // far later, when the window that listed it cannot be listed again, the vendor still lists it: news again
        consumer.setClock(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
        HarvestRun third = CallRecordHarvests.of(context).now(SOURCE);

        assertEquals(1, first.deadLetters());
        assertEquals(0, second.deadLetters());
        assertEquals(1, second.repeats());
        assertEquals(1, third.deadLetters());
        assertEquals(2, Files.readAllLines(tmp.resolve("dead").resolve("test_pbx.ndjson")).size());
    }

    @Test
    void aRecordListedTwiceInOneWindowComesOutOnceWhenTheVendorSaysItMay() throws Exception {
        repeatsWithinWindow = true;
        vendor.add(HarvestEntry.of(record("a", NOW.minusSeconds(500))));
        vendor.add(HarvestEntry.of(record("b", NOW.minusSeconds(400))));
        vendor.add(HarvestEntry.of(record("a", NOW.minusSeconds(500))));

        HarvestRun run = CallRecordHarvests.of(context).now(SOURCE);

        assertEquals(List.of(List.of("a", "b")), delivered);
        assertEquals(1, run.repeats());
    }

    @Test
    void aBackfillReadsItsRangeAndLeavesTheLiveCheckpointWhereItWas() throws Exception {
        vendor.add(HarvestEntry.of(record("recent", NOW.minusSeconds(500))));
        CallRecordHarvests.of(context).now(SOURCE);
        HarvestCheckpoint live = checkpoints.load(SOURCE);
        vendor.add(HarvestEntry.of(record("last-week", NOW.minus(Duration.ofDays(7)))));
        delivered.clear();

        HarvestRun run = CallRecordHarvests.of(context).backfill(SOURCE, NOW.minus(Duration.ofDays(8)),
                NOW.minus(Duration.ofDays(6)));

        assertEquals(List.of(List.of("last-week")), delivered);
        assertTrue(run.isBackfill());
        HarvestCheckpoint after = checkpoints.load(SOURCE);
        assertEquals(live.watermark(), after.watermark());
        assertEquals(live.recentKeys(), after.recentKeys());
        assertEquals(2, after.run());
    }

    @Test
    void aSourceIsNamedByItsKeyOrByItsVendorAlone() {
        assertEquals(consumer, CallRecordHarvests.of(context).consumer("test"));
        assertEquals(consumer, CallRecordHarvests.of(context).consumer(SOURCE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CallRecordHarvests.of(context).consumer("nope"));
        assertTrue(e.getMessage().contains("test:pbx"), e.getMessage());
        assertNull(consumer.getEndpoint().getCamelContext().getRegistry().lookupByName("nothing"));
        assertFalse(CallRecordHarvests.of(context).sources().isEmpty());
    }

    private static CallRecord record(String id, Instant start) {
        return new CallRecord(CallRecord.key("test", "pbx", id), "test", "pbx", id, start, null, null, 10L, 10L,
                "100", "200", Direction.INTERNAL, Disposition.ANSWERED, null, null, null, id);
    }

    /** The vendor's list, three entries per page; the cursor is the next index. */
    private final class ListPages implements CallRecordPages {

        @Override
        public CallRecordPage fetch(HarvestWindow window, String cursor) {
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            List<HarvestEntry> page;
            synchronized (vendor) {
                page = List.copyOf(vendor.subList(from, Math.min(vendor.size(), from + 3)));
            }
            return PagesEndpoint.page(page, page.size() < 3 ? null : Integer.toString(from + 3));
        }

        @Override
        public boolean mayRepeatWithinWindow() {
            return repeatsWithinWindow;
        }
    }
}
