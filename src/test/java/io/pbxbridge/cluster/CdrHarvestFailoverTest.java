package io.pbxbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cdr.CdrHarvestEndToEndTest;
import io.pbxbridge.cdr.CdrHarvestEndToEndTest.Checkpoint;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.cdr.HarvestedKeys;
import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.Postgres;

/**
 * Monema's CDR harvest ({@code cdr-monema}, a run every 2 s) on two instances of pbx-bridge, each a JVM of its own, the
 * leader killed with SIGKILL in the middle of a run (some batches stored, the checkpoint not yet) and started again as
 * the standby while the other harvests. The calls keep coming meanwhile (50 a second), and the simulator answers
 * slowly (a page of 50 calls per 150 ms), so that a run is under way much of the time. Afterwards each call is once in
 * each sink, each new leader's first run continued from the checkpoint the killed run left, and the simulator never
 * served two harvests at once.
 * <ul>
 * <li>checkpoints in PostgreSQL (with the rows), the CSV files in the shared folder: two kills, one of each instance
 * (the second of the instance that took over at the first; the instance killed first, started again, takes it back);
 * <li>PostgreSQL off, the checkpoints as files in the shared {@code cdr.folder}: one kill, and the killed instance
 * starts again while the new leader is held in the middle of a run (its CSV lines must stay: only the harvester
 * settles what a run left in the files).
 * </ul>
 */
class CdrHarvestFailoverTest {

    static final String LOGIN = "acme";
    static final String PASSWORD = "acme-s3cret";
    static final String SOURCE = "monema:127.0.0.1/" + LOGIN;
    static final String ROUTE = "cdr-monema";
    /** Calls per C_getCalls answer and per batch: a run of 2 s of calls is a few batches. */
    static final int PAGE = 50;
    static final Duration OVERLAP = Duration.ofSeconds(5);
    static final Duration PAGE_DELAY = Duration.ofMillis(150);
    static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);
    static final Duration WAIT = Duration.ofSeconds(60);
    /** A run's line (HarvestRun.line()): run, window from, checkpoint before (when it committed). */
    static final Pattern RUN_LINE = Pattern.compile(".*CDR harvest " + Pattern.quote(SOURCE) + " run (\\d+): "
            + "window \\((\\S+), \\S+\\], .*?(?:, checkpoint (\\S+) -> \\S+|; FAILED: .*), \\d+ ms$");

    @RegisterExtension
    static final Postgres pg = Postgres.perTestClass();
    @TempDir
    Path tmp;
    @AutoClose
    MonemaSimulator monema;
    @AutoClose
    ClusterInstances cluster;
    Thread feeder;
    volatile boolean feeding;

    @AfterEach
    void stopTheCalls() throws InterruptedException {
        stopFeeding();
    }

    record Takeover(Instance from, Instance to, long leadsMillis, long harvestsMillis) {
    }

    /** Waits until the leader is in the middle of a run. */
    interface UnderWay {
        void await(Instance leader) throws Exception;
    }

    @Test
    void checkpointsInPostgresCarryTheHarvestOverTwoKills() throws Exception {
        String schema = "cluster_cdr";
        String url = pg.createSchema(schema);
        start(Map.of("cdr.postgres.enabled", "true", "cdr.postgres.url", url, "cdr.postgres.user", Postgres.USER));
        Supplier<HarvestCheckpoint> checkpoint = () -> {
            Checkpoint cp = CdrHarvestEndToEndTest.checkpoint(pg, schema, SOURCE);
            return cp == null ? null : new HarvestCheckpoint(SOURCE, cp.run(), cp.watermark(), Map.of(), null);
        };
        List<Takeover> takeovers = new ArrayList<>();
        // each instance killed once, each taking over once; a third kill took 20 s more to repeat the first
        for (int kill = 0; kill < 2; kill++) {
            // under way: a batch stored in PostgreSQL, the run's checkpoint (with its last batch) not yet
            Takeover t = killTheLeaderDuringARun(checkpoint, leader -> CdrHarvestEndToEndTest.awaitRunUnderWay(pg,
                    schema, leader.jvm, SOURCE, 1, PAGE));
            takeovers.add(t);
            restartAsStandby(t.from());
        }
        Instant stopped = stopFeeding();
        Await.until(WAIT, "a run past the last call", () -> checkpoint.get().watermark().isAfter(stopped));

        List<String> expected = monema.calls(LOGIN).stream().map(c -> SOURCE + ":" + c.id()).toList();
        report(takeovers, expected.size());
        assertEquals(null, HarvestedKeys.problems("PostgreSQL", expected, HarvestedKeys.postgres(pg, schema
                + ".pbx_call_record")));
        assertEquals(null, HarvestedKeys.problems("CSV", expected, csvKeys()));
        assertOneHarvestAtATime(takeovers);
    }

    @Test
    void checkpointFilesInTheSharedFolderCarryTheHarvestOverAKill() throws Exception {
        // the vendor's answers may take 10 s below: no timeout before
        start(Map.of("cdr.postgres.enabled", "false", "camel.component.monema.receive-timeout", "30000"));
        FileHarvestCheckpoints files = new FileHarvestCheckpoints(cluster.shared.resolve("cdr/checkpoints"));
        Path journal = cluster.shared.resolve("cdr/csv").resolve(FileHarvestCheckpoints.fileName(SOURCE))
                .resolve(".uncommitted.json");
        Supplier<HarvestCheckpoint> checkpoint = () -> {
            try {
                return files.load(SOURCE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // under way: the CSV sink's undo journal is of a run after the last committed one (read first: a run may
        // commit between the two reads)
        BooleanSupplier underWay = () -> {
            long journaled = journalRun(journal);
            HarvestCheckpoint cp = checkpoint.get();
            return cp != null && journaled > cp.run();
        };
        Takeover takeover = killTheLeaderDuringARun(checkpoint, leader -> Await.until(WAIT, "a run under way",
                underWay));
        // the killed instance starts again while the new leader has appended some of a run to the CSV files and waits
        // for the vendor's next page (a run ends with a page)
        long held = holdMidRun(underWay, checkpoint);
        restartAsStandby(takeover.from());
        monema.faults().delayOperation("C_getCalls", PAGE_DELAY);
        Await.until(WAIT, "the held run committed", () -> checkpoint.get().run() >= held);
        Instant stopped = stopFeeding();
        Await.until(WAIT, "a run past the last call", () -> checkpoint.get().watermark().isAfter(stopped));

        List<String> expected = monema.calls(LOGIN).stream().map(c -> SOURCE + ":" + c.id()).toList();
        report(List.of(takeover), expected.size());
        assertEquals(null, HarvestedKeys.problems("CSV", expected, csvKeys()));
        assertTrue(takeover.to().log().stream().anyMatch(l -> l.contains(" of " + SOURCE + " did not commit: ")),
                "the new leader cut what the killed run had appended to the CSV files");
        assertOneHarvestAtATime(List.of(takeover));
    }

    /**
     * The simulator with calls of the last 5 minutes, slow pages, and calls coming in; two instances harvesting it
     * every 2 s with the {@code sink} settings, one of them leading.
     */
    void start(Map<String, String> sink) throws Exception {
        monema = MonemaSimulator.builder().account(LOGIN, PASSWORD, BigDecimal.TEN).initialCalls(0)
                .maxCallsPerAnswer(PAGE).dataDir(tmp.resolve("monema")).start();
        monema.faults().delayOperation("C_getCalls", PAGE_DELAY);
        Instant now = Instant.now();
        monema.addCalls(LOGIN, 600, now.minus(Duration.ofMinutes(5)), now.minusSeconds(5));
        cluster = new ClusterInstances(tmp).withMonema(monema, LOGIN, PASSWORD)
                .with("cdr.monema.enabled", "true")
                .with("cdr.monema.cron", "0/2 * * * * ?")
                .with("cdr.lag", "1s")
                .with("cdr.overlap", OVERLAP.toSeconds() + "s")
                .with("cdr.first-run-lookback", "10m")
                .with("cdr.batch-size", Integer.toString(PAGE))
                .with("cdr.missed-calls.enabled", "false")
                .with("cdr.csv.enabled", "true");
        sink.forEach(cluster::with);
        Instance a = cluster.instance("a").start();
        Instance b = cluster.instance("b").start();
        Await.until(WAIT, "one instance leads " + ROUTE + ", both are ready", () -> cluster.leaders(ROUTE).size() == 1
                && a.readiness() == 200 && b.readiness() == 200);
        // a run every 2 s reads its 2 s and the overlap's 5 s: 7 or 8 pages, about 1.2 s at 150 ms a page
        feeding = true;
        feeder = new Thread(() -> {
            while (feeding) {
                Instant t = Instant.now();
                monema.addCalls(LOGIN, 10, t.minusMillis(200), t);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "call-feeder");
        feeder.start();
    }

    Instant stopFeeding() throws InterruptedException {
        feeding = false;
        if (feeder != null) {
            feeder.join();
        }
        return Instant.now();
    }

    /**
     * Waits for a run under way on the leader, kills it, and waits until the other instance leads and has committed a
     * run of its own, which must have continued from the checkpoint the killed run left.
     */
    Takeover killTheLeaderDuringARun(Supplier<HarvestCheckpoint> checkpoint, UnderWay underWay) throws Exception {
        Await.until(WAIT, "one leader of " + ROUTE + ", a run committed", () -> cluster.leaders(ROUTE).size() == 1
                && checkpoint.get() != null);
        Instance leader = cluster.leaders(ROUTE).get(0);
        Instance standby = cluster.other(leader);
        underWay.await(leader);
        long killed = System.nanoTime();
        leader.kill();
        HarvestCheckpoint left = checkpoint.get(); // nobody harvests until the standby takes over
        Await.until(WAIT, standby + " leads " + ROUTE, () -> standby.leads(ROUTE));
        long leads = (System.nanoTime() - killed) / 1_000_000;
        Await.until(WAIT, () -> standby + " commits a run:\n" + String.join("\n", tail(standby)),
                () -> firstRunAfter(standby, left) != null);
        long harvests = (System.nanoTime() - killed) / 1_000_000;
        Matcher first = firstRunAfter(standby, left);
        assertEquals(left.run() + 1, Long.parseLong(first.group(1)), "the run numbers go on: " + first.group());
        assertEquals(left.watermark().toString(), first.group(3), "from the checkpoint left: " + first.group());
        assertEquals(left.watermark().minus(OVERLAP).toString(), first.group(2), "its overlap: " + first.group());
        return new Takeover(leader, standby, leads, harvests);
    }

    /**
     * Makes the vendor take 10 s for each page from now on, once a run is under way and still is when the pages asked
     * before are answered: its next page is held. The held run's number.
     */
    long holdMidRun(BooleanSupplier underWay, Supplier<HarvestCheckpoint> checkpoint) throws InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            Await.until(WAIT, "a run under way", underWay);
            monema.faults().delayOperation("C_getCalls", Duration.ofSeconds(10));
            Thread.sleep(3 * PAGE_DELAY.toMillis());
            if (underWay.getAsBoolean()) {
                return checkpoint.get().run() + 1;
            }
            monema.faults().delayOperation("C_getCalls", PAGE_DELAY); // it ended meanwhile: another
        }
        throw new AssertionError("no run to hold in the middle");
    }

    /** The line of the first run after {@code checkpoint} that {@code i} committed, or null. */
    Matcher firstRunAfter(Instance i, HarvestCheckpoint checkpoint) {
        return runs(i.log()).stream().filter(m -> m.group(3) != null && Long.parseLong(m.group(1)) > checkpoint.run())
                .findFirst().orElse(null);
    }

    /** Starts a killed instance again: it comes back as the standby, while the other harvests. */
    void restartAsStandby(Instance killed) throws Exception {
        killed.start();
        Await.until(WAIT, killed + " back, ready", () -> killed.readiness() == 200);
        assertTrue(!killed.leads(ROUTE), killed + " came back as the standby");
    }

    /**
     * Each committed run once, on whichever instance ran it; never two C_getCalls at once; each new leader harvesting
     * within the bound.
     */
    void assertOneHarvestAtATime(List<Takeover> takeovers) {
        Map<Long, String> committed = new HashMap<>();
        for (Instance i : cluster.all()) {
            for (Matcher m : runs(i.logOfAllRuns())) {
                if (m.group(3) != null) {
                    String before = committed.put(Long.parseLong(m.group(1)), i + ": " + m.group());
                    assertEquals(null, before, "run " + m.group(1) + " committed twice: " + before + "; " + i + ": "
                            + m.group());
                }
            }
        }
        assertEquals(1, monema.mostConcurrent("C_getCalls"), "the simulator served one harvest at a time");
        for (Takeover t : takeovers) {
            assertTrue(t.harvestsMillis() < TAKEOVER_BOUND.toMillis(), "a run committed by the new leader within "
                    + TAKEOVER_BOUND + ": " + takeovers);
        }
    }

    void report(List<Takeover> takeovers, int calls) {
        Map<String, Integer> runsBy = new HashMap<>();
        cluster.all().forEach(i -> runsBy.put(i.name, runs(i.logOfAllRuns()).size()));
        System.out.printf("%s: %d calls; runs per instance %s; takeovers (kill -> leads, -> first run committed) %s ms;"
                + " C_getCalls %d%n", getClass().getSimpleName(), calls, runsBy, takeovers.stream()
                .map(t -> t.from() + "->" + t.to() + " " + t.leadsMillis() + "/" + t.harvestsMillis()).toList(),
                monema.requestCount("C_getCalls"));
    }

    Map<String, Integer> csvKeys() throws IOException {
        return HarvestedKeys.csv(cluster.shared.resolve("cdr/csv"));
    }

    static List<String> tail(Instance i) {
        List<String> l = i.log();
        return l.subList(Math.max(0, l.size() - 30), l.size());
    }

    static List<Matcher> runs(List<String> lines) {
        List<Matcher> runs = new ArrayList<>();
        for (String l : lines) {
            Matcher m = RUN_LINE.matcher(l);
            if (m.matches()) {
                runs.add(m);
            }
        }
        return runs;
    }

    /** The run of the CSV sink's undo journal, 0 without one. */
    static long journalRun(Path journal) {
        try {
            return Json.MAPPER.readTree(journal.toFile()).path("run").asLong();
        } catch (Exception e) {
            return 0; // none (between runs), or being replaced
        }
    }
}
