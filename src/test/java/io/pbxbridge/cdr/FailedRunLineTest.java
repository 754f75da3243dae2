package io.pbxbridge.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.support.metrics.PbxMetrics;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.vendor.VendorException;

/**
 * A failed run's one line says what failed: the vendor, a sink, or the store of the checkpoints. A run that cannot
 * read its checkpoint (the store, a database, is away) fails as any run does, in its line with the window and number
 * it would have had from the checkpoint last known, counted as a failed run; once the store is back the next run
 * starts from that checkpoint.
 */
class FailedRunLineTest {

    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final String SOURCE = "test:pbx";
    static final String RUN_2 = "CDR harvest test:pbx run 2: window (2026-12-06T11:49:00Z, 2026-12-06T12:00:00Z], "
            + "0 read, 0 new, 0 repeats skipped, 0 dead letters; FAILED: ";

    @TempDir
    Path tmp;
    CamelContext context;
    CallRecordConsumer consumer;
    volatile boolean storeAway;
    volatile boolean sinkAway;
    volatile boolean vendorAway;

    @BeforeEach
    void start() throws Exception {
        FileHarvestCheckpoints files = new FileHarvestCheckpoints(tmp.resolve("checkpoints"));
        HarvestCheckpoints store = new HarvestCheckpoints() {
            @Override
            public HarvestCheckpoint load(String source) throws Exception {
                if (storeAway) {
                    throw new IOException("the checkpoint store is away");
                }
                return files.load(source);
            }

            @Override
            public void commit(HarvestCheckpoint checkpoint) throws Exception {
                files.commit(checkpoint);
            }
        };
        HarvestOptions options = new HarvestOptions(Duration.ofMinutes(10), Duration.ofMinutes(1),
                Duration.ofHours(24), 100, Duration.ofHours(1), tmp.resolve("dead"), store);
        context = new DefaultCamelContext();
        PagesEndpoint endpoint = new PagesEndpoint(context, SOURCE, this::emptyOrAway, options);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("cdr").process(e -> {
                    if (sinkAway) {
                        throw new IOException("the sink did not acknowledge");
                    }
                });
            }
        });
        context.start();
        consumer = (CallRecordConsumer) context.getRoute("cdr").getConsumer();
        consumer.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
        assertTrue(consumer.harvestNow().isCommitted(), "run 1");
        consumer.setClock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** The line of the run that fails now. */
    String failedLine() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            assertThrows(Exception.class, consumer::harvestNow);
            List<String> lines = log.messages(Level.WARN, "CallRecordConsumer");
            assertEquals(1, lines.size(), "one line: " + lines);
            return lines.get(0).replaceFirst(", \\d+ ms$", "");
        }
    }

    @Test
    void aRunThatCannotReadItsCheckpointFailsInItsLineAndTheNextStartsFromTheLastOne() throws Exception {
        storeAway = true;
        assertEquals(RUN_2 + "the checkpoint store is away; checkpoint stays at 2026-12-06T11:59:00Z", failedLine());
        assertEquals(1.0, PbxMetrics.registry(context).get("pbx_cdr_runs").tag("outcome", "failed").counter()
                .count());

        storeAway = false;
        consumer.setClock(Clock.fixed(NOW.plusSeconds(120), ZoneOffset.UTC));
        HarvestRun next = consumer.harvestNow();
        assertEquals(2, next.number(), next.line());
        assertEquals(new HarvestWindow(Instant.parse("2026-12-06T11:49:00Z"), Instant.parse("2026-12-06T12:01:00Z")),
                next.window());
        assertTrue(next.isCommitted(), next.line());
    }

    @Test
    void aSinkThatFailsIsNotTheVendorNotAnswering() throws Exception {
        sinkAway = true;
        assertEquals(RUN_2 + "the sink did not acknowledge; checkpoint stays at 2026-12-06T11:59:00Z", failedLine());
    }

    @Test
    void aVendorThatDoesNotAnswerIsSaidToBe() throws Exception {
        vendorAway = true;
        assertEquals(RUN_2 + "the vendor did not answer: test-cdr: connection refused; checkpoint stays at "
                + "2026-12-06T11:59:00Z", failedLine());
    }

    /** A vendor whose call log is empty, or that cannot be reached. */
    private CallRecordPage emptyOrAway(HarvestWindow window, String cursor) {
        if (vendorAway) {
            throw new VendorException("test", "cdr", null, null, VendorException.Kind.UNREACHABLE,
                    "test-cdr: connection refused", null);
        }
        return PagesEndpoint.page(List.of(), null);
    }
}
