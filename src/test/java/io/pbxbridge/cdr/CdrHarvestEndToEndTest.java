package io.pbxbridge.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.sandbox.monema.SimCall;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.AppFolders;
import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.FreePort;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.Management;
import io.pbxbridge.testsupport.Postgres;

/**
 * The CDR harvest end to end (issue 12 §3): pbx-bridge as it is run ({@link Application} in a JVM of its own, the
 * shipped application.properties and routes, settings from the environment), Monema and Escaux simulators in this JVM
 * whose call logs grow during the test, and all three sinks on against real servers: a PostgreSQL (the checkpoints
 * there too), a Kafka broker, the CSV files. Every second a run per source, over a window of a 2 s lag and a 30 s
 * overlap, in batches of 25, so that a kill lands in the middle of a run. Each child's log is kept in
 * {@code target/cdr-e2e/<test>-<n>.log}.
 *
 * <p>What the sinks hold is compared key by key with what the simulators hold ({@link HarvestedKeys}): each key once
 * in each sink, none missing, none extra.
 */
public class CdrHarvestEndToEndTest {

    static final String LOGIN = "acme";
    static final String PASSWORD = "acme-s3cret";
    static final String MONEMA = "monema:127.0.0.1/" + LOGIN;
    static final String ESCAUX = "escaux:127.0.0.1";
    static final String ROLE = "harvester";
    static final String ROLE_PASSWORD = "h4rvest-e2e";
    /** The PBXs' zone: Escaux writes its CDR times in it, Monema reads the dates of a request in it. */
    static final ZoneId ZONE = ZoneId.of("Asia/Kolkata"); // UTC+05:30 all year: no hour read twice
    static final Duration LAG = Duration.ofSeconds(2);
    /** Records per batch: a run of a second's calls is a few batches, one after an outage many. */
    static final int BATCH = 25;
    /** Calls made during the kill test, at least: about 25 s of calls. */
    static final int CALLS = 2500;
    static final Duration WAIT = Duration.ofSeconds(60);
    /** One run's line, as the consumer logs it (HarvestRun.line()). */
    static final Pattern RUN_LINE = Pattern.compile("CDR (harvest|backfill) (\\S+) run (\\d+): window \\((\\S+), "
            + "(\\S+)\\], (\\d+) read, (\\d+) new, (\\d+) repeats skipped, (\\d+) dead letters(?:, (\\d+) outside the "
            + "window)?(?:, checkpoint (\\S+) -> (\\S+)|; FAILED: (.*); checkpoint stays at (\\S+)), (\\d+) ms$");

    @TempDir
    static Path shared;
    static Postgres pg;
    static KafkaBroker kafka;

    @TempDir
    Path tmp;
    MonemaSimulator monema;
    EscauxSimulator escaux;
    String schema;
    String topic;
    Path appFolder;
    int managementPort;
    ChildJvm app;
    final List<ChildJvm> apps = new ArrayList<>();
    CallFeeder feeder;
    final Set<String> escauxKeys = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startServers() {
        pg = Postgres.start(shared.resolve("pg"));
        pg.createRole(ROLE, ROLE_PASSWORD);
        kafka = KafkaBroker.inProcess(shared.resolve("kafka")).start();
    }

    @AfterAll
    static void stopServers() {
        if (kafka != null) {
            kafka.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void setUp(TestInfo test) {
        schema = "e2e_" + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "").substring(0, 20);
        pg.createSchema(schema);
        pg.execute("GRANT ALL ON SCHEMA " + schema + " TO " + ROLE);
        topic = "cdr-" + schema;
        kafka.createTopic(topic, 3);
        appFolder = tmp.resolve("app");
        monema = MonemaSimulator.builder().account(LOGIN, PASSWORD, BigDecimal.TEN).initialCalls(0).zone(ZONE)
                .dataDir(tmp.resolve("monema")).start();
        escaux = EscauxSimulator.builder().timeZone(ZONE).start();
    }

    @AfterEach
    void tearDown(TestInfo test) throws Exception {
        if (feeder != null) {
            feeder.stop();
        }
        // each run's log, for when a test fails: target/cdr-e2e/<test>-<n>.log
        Path logs = Files.createDirectories(AppFolders.project().resolve("target/cdr-e2e"));
        for (int i = 0; i < apps.size(); i++) {
            ChildJvm child = apps.get(i);
            if (child.isAlive()) {
                child.kill();
            }
            Files.write(logs.resolve(test.getTestMethod().orElseThrow().getName() + "-" + (i + 1) + ".log"),
                    child.lines());
        }
        if (!pg.isRunning()) {
            pg.start();
        }
        escaux.close();
        monema.close();
    }

    // ---- the tests -------------------------------------------------------------------------------------------------

    /**
     * Thousands of calls arrive while pbx-bridge harvests them and is killed with SIGKILL four times, each time while
     * a run of one source is under way (some of its batches in PostgreSQL, its checkpoint not yet), and started again;
     * then the calls stop and a clean run covers them all. Each sink holds each call once.
     */
    @Test
    void killedInTheMiddleOfHarvestsEverySinkHoldsEveryCallOnce() throws Exception {
        long seed = Long.getLong("cdr.e2e.seed", System.nanoTime());
        Random random = new Random(seed);
        feeder = new CallFeeder(seed).start();
        // the first run after a start has the calls made while pbx-bridge was down: many batches; the later ones a
        // second's worth: a few batches
        record Kill(String source, boolean firstRun) {
        }
        List<Kill> kills = List.of(new Kill(MONEMA, true), new Kill(ESCAUX, false), new Kill(ESCAUX, true),
                new Kill(MONEMA, false));
        List<String> killedDuring = new ArrayList<>();
        int cutShort = 0;
        app = startApp(Map.of());
        for (Kill kill : kills) {
            long committed = run(checkpoint(kill.source()));
            if (!kill.firstRun()) {
                Await.until(WAIT, () -> "a run of " + kill.source() + " since the start:\n" + app.tail(),
                        () -> run(checkpoint(kill.source())) > committed);
            }
            int rows = 1 + random.nextInt(kill.firstRun() ? 4 * BATCH : BATCH);
            long run = awaitRunUnderWay(kill.source(), rows) + 1;
            Thread.sleep(random.nextInt(10)); // somewhere in the next batch: CSV, Kafka or PostgreSQL
            app.kill();
            killedDuring.add(kill.source() + " run " + run + " after " + rows + "+ rows");
            // the next start cuts the lines of the run from the CSV files (and the run does not send its records to
            // Kafka again, nor store them twice in PostgreSQL)
            app = startApp(Map.of());
            app.awaitLines(l -> l.stream().anyMatch(x -> x.contains("Routes startup")), WAIT.toSeconds(), "the start");
            if (app.lines().stream().anyMatch(l -> l.contains("Run " + run + " of " + kill.source()
                    + " did not commit"))) {
                cutShort++;
            }
        }
        Checkpoint monemaBefore = checkpoint(MONEMA);
        Checkpoint escauxBefore = checkpoint(ESCAUX);
        Await.until(WAIT, "both sources harvest again after the last start", () ->
                run(checkpoint(MONEMA)) > run(monemaBefore) && run(checkpoint(ESCAUX)) > run(escauxBefore));
        Await.until(WAIT, "thousands of calls", () -> monema.callCount(LOGIN) + escauxKeys.size() >= CALLS);
        Instant stopped = feeder.stop();
        awaitHarvestedPast(stopped);
        List<String> log = app.stop();

        System.out.printf("CdrHarvestEndToEndTest: seed %d, %d Monema calls (%d written late), %d Escaux calls; "
                + "killed during %s; %d of the kills found cut short at the next start%n", seed,
                monema.callCount(LOGIN), feeder.lateMonema, escauxKeys.size(), killedDuring, cutShort);
        assertEveryKeyOnceInEverySink();
        assertNoDeadLetters();
        assertTrue(log.stream().noneMatch(l -> l.contains("FAILED")), "no run failed but for the kills");
        // a run may commit between the look at PostgreSQL and the kill, rarely
        assertTrue(cutShort >= kills.size() - 1, "the kills landed in the middle of runs: " + cutShort + " of "
                + kills.size() + " (" + killedDuring + ")");
    }

    /**
     * PostgreSQL stops while a run is under way and starts again some seconds later: meanwhile each run fails in one
     * line, the checkpoints stay where they were (readiness goes DOWN past its bound), the runs' records that reached
     * the CSV files and Kafka are not there twice afterwards; the first run after the restart fills the gap.
     */
    @Test
    void postgresStoppedDuringAHarvestMovesNoCheckpointAndTheNextRunFillsTheGap() throws Exception {
        feeder = new CallFeeder(7).start();
        app = startApp(Map.of("CDR_UNHEALTHY_LAG", "6s"));
        Await.until(WAIT, "two runs of each source with records", () -> run(checkpoint(MONEMA)) >= 2
                && run(checkpoint(ESCAUX)) >= 2 && rows("monema") > 0 && rows("escaux") > 0);
        awaitRunUnderWay(MONEMA, 1);
        pg.stop();
        int mark = app.lines().size();
        // a run under way fails at once; one that starts waits for a connection up to the pool's timeout (10 s)
        Await.until(WAIT, () -> "a failed run of each source in the log:\n" + app.tail(), () -> {
            List<String> lines = app.lines().subList(mark, app.lines().size());
            return !failedRuns(lines, MONEMA).isEmpty() && !failedRuns(lines, ESCAUX).isEmpty();
        });
        Await.until(WAIT, "not ready: the harvest lags past its bound", () -> Management.readiness(managementPort)
                == 503);
        Management.Answer down = Management.get(managementPort, "/observe/health/ready?data=true");
        for (String source : List.of(MONEMA, ESCAUX)) {
            JsonNode check = check(down, "cdr-" + source);
            assertEquals("DOWN", check.path("status").asText(), check.toString());
            assertTrue(check.path("message").asText().contains("more than PT6S behind); last run failed: "),
                    check.toString());
            assertTrue(check.path("data").path("lastFailure").asText().contains(" in the PostgreSQL database "
                    + "postgres on 127.0.0.1:" + pg.port() + " as " + ROLE + ": "), "why, and which database: "
                    + check);
        }
        assertFalse(down.body().contains(ROLE_PASSWORD), "no password in the health details");
        Management.Answer metricsDown = Management.get(managementPort, "/observe/metrics");
        List<String> whileDown = app.lines().subList(mark, app.lines().size());
        for (String source : List.of(MONEMA, ESCAUX)) {
            List<Matcher> failed = failedRuns(whileDown, source);
            Set<String> runs = failed.stream().map(m -> m.group(3)).collect(Collectors.toSet());
            Set<String> stays = failed.stream().map(m -> m.group(14)).collect(Collectors.toSet());
            assertEquals(1, runs.size(), "a failed run commits nothing: the next one has the same number " + failed);
            assertEquals(1, stays.size(), "the checkpoint stays where it was: " + whileDown);
            assertTrue(failed.get(0).group(13).contains("127.0.0.1:" + pg.port()), "the line says which database: "
                    + failed.get(0).group());
            assertTrue(metricsDown.sample("pbx_cdr_runs_total", "outcome=\"failed\",source=\"" + source + "\"")
                    >= failed.size(), "each failed run counted: " + metricsDown.body());
        }
        for (int i = 0; i + 1 < whileDown.size(); i++) {
            if (RUN_LINE.matcher(whileDown.get(i)).find()) {
                assertFalse(whileDown.get(i + 1).startsWith("\t") || whileDown.get(i + 1).matches("^[\\w.$]+: .*"),
                        "a failed run is one line, no stack trace: " + whileDown.subList(i, i + 2));
            }
        }
        assertTrue(whileDown.stream().noneMatch(l -> l.contains(ROLE_PASSWORD)), "no password in the log");

        pg.start();
        Await.until(WAIT, "ready again", () -> Management.readiness(managementPort) == 200);
        Instant stopped = feeder.stop();
        awaitHarvestedPast(stopped);
        app.stop();
        // the first run after the restart started from the checkpoint the failed runs kept: the run that failed is
        // done again (unless the database committed its last transaction as it went away: then the next one)
        List<String> lines = app.lines();
        List<String> after = lines.subList(mark, lines.size());
        for (String source : List.of(MONEMA, ESCAUX)) {
            List<Matcher> failed = failedRuns(after, source);
            Matcher kept = failed.get(failed.size() - 1);
            Matcher next = runs(after, source).stream().filter(m -> m.group(11) != null).findFirst().orElseThrow();
            boolean again = next.group(11).equals(kept.group(14));
            assertTrue(again || failed.stream().anyMatch(f -> f.group(5).equals(next.group(11))), "from the "
                    + "checkpoint kept: " + next.group() + " after " + kept.group());
            assertEquals(Long.parseLong(kept.group(3)) + (again ? 0 : 1), Long.parseLong(next.group(3)),
                    next.group());
            // each call new in one committed run (this process harvested them all)
            long fresh = runs(lines, source).stream().filter(m -> m.group(11) != null)
                    .mapToLong(m -> Long.parseLong(m.group(7))).sum();
            assertEquals(source.equals(MONEMA) ? monema.callCount(LOGIN) : escauxKeys.size(), fresh,
                    "the runs' new calls, as their lines say");
        }
        assertFalse(Files.exists(appFolder.resolve("cdr/checkpoints")), "the checkpoints are in PostgreSQL only");
        assertEveryKeyOnceInEverySink();
    }

    /**
     * The overlap and the lag, and their limit: a call the PBX writes late, inside the overlap, is harvested once
     * however many runs read it again; one older than the overlap is not seen by the live runs (the limit of the
     * method), a backfill request harvests it, once, without moving the live checkpoint back.
     */
    @Test
    void aLateCallInsideTheOverlapOnceOneOlderOnlyByABackfillOnce() throws Exception {
        Duration overlap = Duration.ofSeconds(8);
        Instant now = Instant.now();
        monema.addCalls(LOGIN, 200, now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(1)));
        escauxKeys.add(escaux.addCallRecord(now.minusSeconds(90), "102", "104", Duration.ofSeconds(30),
                Duration.ofSeconds(25), "102", "104"));
        app = startApp(Map.of("CDR_OVERLAP", overlap.toSeconds() + "s"));
        Await.until(WAIT, "the first runs", () -> rows("monema") == 200 && rows("escaux") == 1);

        // two calls the PBX writes late, in a window harvested already: one inside the next runs' overlap, one
        // older than the overlap
        Checkpoint cp = checkpoint(MONEMA);
        SimCall late = monema.addCall(LOGIN, cp.watermark().minusSeconds(2));
        SimCall old = monema.addCall(LOGIN, cp.watermark().minus(overlap).minusSeconds(60));
        String lateKey = MONEMA + ":" + late.id();
        String oldKey = MONEMA + ":" + old.id();
        Await.until(WAIT, "the late call harvested", () -> rows("monema") == 201);
        Await.until(WAIT, "the late call out of the overlap", () -> checkpoint(MONEMA).watermark()
                .minus(overlap).getEpochSecond() > late.calldate());
        List<Matcher> reread = runs(app.lines(), MONEMA).stream().filter(m -> Long.parseLong(m.group(3)) > cp.run()
                && m.group(11) != null).toList();
        assertTrue(reread.stream().filter(m -> Long.parseLong(m.group(8)) > 0).count() >= 2, "runs read it "
                + "again, in their overlap, and skipped it: " + reread.stream().map(Matcher::group).toList());
        assertEquals(201, rows("monema"), "a call older than the overlap is not seen by the live runs");
        assertFalse(HarvestedKeys.csv(appFolder.resolve("cdr/csv")).containsKey(oldKey));
        assertFalse(HarvestedKeys.kafka(kafka.bootstrapServers(), topic, WAIT).containsKey(oldKey));

        Checkpoint before = checkpoint(MONEMA);
        Path requests = Files.createDirectories(appFolder.resolve("cdr/requests"));
        Path request = requests.resolve("again.json.part");
        Files.writeString(request, "{\"source\": \"monema\", \"from\": \"" + now.minus(Duration.ofHours(1))
                + "\", \"to\": \"" + Instant.now() + "\"}");
        Files.move(request, requests.resolve("again.json"), StandardCopyOption.ATOMIC_MOVE);
        Path result = requests.resolve("done/again.result.txt");
        Await.until(WAIT, () -> "the backfill's result:\n" + app.tail(), () -> Files.exists(result));
        String line = Files.readString(result).trim();
        Matcher m = RUN_LINE.matcher(line);
        assertTrue(m.matches() && m.group(1).equals("backfill") && m.group(11) != null, line);
        assertEquals("202", m.group(6), "it read every call of its range: " + line);
        assertEquals(202, rows("monema"));
        Checkpoint afterBackfill = checkpoint(MONEMA);
        assertFalse(afterBackfill.watermark().isBefore(before.watermark()), "the live checkpoint did not move back");
        assertEquals(m.group(11), m.group(12), "a backfill leaves the live checkpoint where it is: " + line);

        Await.until(WAIT, "a live run after the backfill", () -> run(checkpoint(MONEMA)) > afterBackfill.run());
        app.stop();
        assertEveryKeyOnceInEverySink();
        Map<String, Integer> kafkaKeys = HarvestedKeys.kafka(kafka.bootstrapServers(), topic, WAIT);
        assertEquals(1, kafkaKeys.get(lateKey));
        assertEquals(1, kafkaKeys.get(oldKey));
    }

    /**
     * What an operator sees of the runs: one line per run with its source, window, figures, checkpoint before and
     * after and duration; the same figures as metrics; the lag as a metric and a readiness check per source.
     */
    @Test
    void eachRunIsOneLineItsFiguresMetricsAndEachSourceAReadinessCheck() throws Exception {
        Instant now = Instant.now();
        monema.addCalls(LOGIN, 120, now.minus(Duration.ofMinutes(20)), now.minusSeconds(30));
        for (int i = 0; i < 30; i++) {
            escauxKeys.add(escaux.addCallRecord(now.minusSeconds(600 - i * 10L), "+3223" + (400000 + i), "555",
                    Duration.ofSeconds(40), i % 3 == 0 ? Duration.ZERO : Duration.ofSeconds(30), "555", "102"));
        }
        app = startApp(Map.of());
        Await.until(WAIT, "the first runs", () -> rows("monema") == 120 && rows("escaux") == 30);
        Checkpoint first = checkpoint(MONEMA);
        // 30 more calls, 10 of them written late
        now = Instant.now();
        monema.addCalls(LOGIN, 20, now.minusSeconds(1), now);
        for (int i = 0; i < 10; i++) {
            monema.addCall(LOGIN, first.watermark().minusSeconds(5 + i));
        }
        Await.until(WAIT, "the new calls", () -> rows("monema") == 150);
        Await.until(WAIT, "two more runs", () -> run(checkpoint(MONEMA)) >= run(first) + 2
                && runs(app.lines(), ESCAUX).size() >= 3);

        int linesBefore = app.lines().size();
        Management.Answer metrics = Management.get(managementPort, "/observe/metrics");
        Management.Answer ready = Management.get(managementPort, "/observe/health/ready?data=true");
        List<String> lines = app.lines();
        for (String source : List.of(MONEMA, ESCAUX)) {
            String label = "source=\"" + source + "\"";
            List<Matcher> all = runs(lines, source);
            List<Matcher> upTo = runs(lines.subList(0, linesBefore), source);
            assertFalse(all.isEmpty());
            for (Matcher m : all) {
                String line = m.group();
                assertEquals("harvest", m.group(1), line);
                assertNull(m.group(13), "no run failed: " + line);
                Instant from = Instant.parse(m.group(4));
                Instant to = Instant.parse(m.group(5));
                assertTrue(to.isAfter(from), line);
                assertEquals(m.group(12), m.group(5), "the checkpoint moves to the window's end: " + line);
                assertEquals("0", m.group(9), line);
            }
            for (int i = 1; i < all.size(); i++) {
                assertEquals(Long.parseLong(all.get(i - 1).group(3)) + 1, Long.parseLong(all.get(i).group(3)));
                assertEquals(all.get(i - 1).group(12), all.get(i).group(11), "each run starts where the last ended");
                assertEquals(Instant.parse(all.get(i).group(11)).minus(Duration.ofSeconds(30)),
                        Instant.parse(all.get(i).group(4)), "the window starts the overlap before the checkpoint");
            }
            long newInLines = all.stream().mapToLong(m -> Long.parseLong(m.group(7))).sum();
            long newUpTo = upTo.stream().mapToLong(m -> Long.parseLong(m.group(7))).sum();
            double newInMetrics = metrics.sample("pbx_cdr_records_total", "outcome=\"new\"," + label);
            assertEquals(source.equals(MONEMA) ? 150 : 30, newInLines, "every record new once: " + all.stream()
                    .map(Matcher::group).toList());
            assertTrue(newInMetrics >= newUpTo && newInMetrics <= newInLines, newInMetrics + " new in the metrics, "
                    + newInLines + " in the lines");
            double ok = metrics.sample("pbx_cdr_runs_total", "outcome=\"ok\"," + label);
            assertTrue(ok >= upTo.size() && ok <= all.size(), ok + " runs in the metrics, " + upTo.size() + " to "
                    + all.size() + " lines");
            assertEquals(0, metrics.sample("pbx_cdr_runs_total", "outcome=\"failed\"," + label));
            double repeats = metrics.sample("pbx_cdr_records_total", "outcome=\"repeat\"," + label);
            assertTrue(repeats >= upTo.stream().mapToLong(m -> Long.parseLong(m.group(8))).sum() && repeats > 0,
                    "the overlap's repeats, counted: " + repeats);
            double lag = metrics.sample("pbx_cdr_lag_seconds", label);
            assertTrue(lag >= LAG.toSeconds() && lag < 30, "the harvest lag: " + lag);
            JsonNode check = check(ready, "cdr-" + source);
            assertEquals("UP", check.path("status").asText(), check.toString());
            JsonNode data = check.path("data");
            assertEquals(source, data.path("source").asText(), check.toString());
            assertEquals(0, data.path("consecutiveFailures").asInt(-1), check.toString());
            Matcher last = RUN_LINE.matcher(data.path("lastRun").asText());
            assertTrue(last.matches() && last.group(2).equals(source), "the last run's line: " + check);
            assertEquals(last.group(12), data.path("checkpoint").asText(), "its checkpoint: " + check);
        }
        assertEquals(200, ready.status());
        app.stop();
        assertEveryKeyOnceInEverySink();
    }

    // ---- pbx-bridge as a child process -----------------------------------------------------------------------------

    ChildJvm startApp(Map<String, String> extra) throws Exception {
        managementPort = FreePort.next();
        Map<String, String> env = new LinkedHashMap<>(AppFolders.environment(appFolder));
        env.put("PBX_SANDBOX", "false");
        env.put("PBX_MGMT_PORT", Integer.toString(managementPort));
        env.put("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "10");
        env.put("MONEMA_ADDRESS", monema.address());
        env.put("MONEMA_LOGIN", LOGIN);
        env.put("MONEMA_PASSWORD", PASSWORD);
        env.put("ESCAUX_ADDRESS", escaux.address());
        env.put("ESCAUX_EVENT_PORT", Integer.toString(escaux.eventPort()));
        env.put("EVENTS_NDJSON_ENABLED", "false");
        env.put("CDR_MISSED_CALLS_ENABLED", "false");
        env.put("CDR_MONEMA_CRON", "* * * * * ?");
        env.put("CDR_ESCAUX_CRON", "* * * * * ?");
        env.put("CDR_ESCAUX_EXTENSIONS", "102,104,555");
        env.put("CDR_ESCAUX_PAGE_SIZE", "100");
        env.put("CDR_LAG", LAG.toSeconds() + "s");
        env.put("CDR_OVERLAP", "30s");
        env.put("CDR_FIRST_RUN_LOOKBACK", "1h");
        env.put("CDR_BATCH_SIZE", Integer.toString(BATCH));
        env.put("CDR_CSV_ENABLED", "true");
        env.put("CDR_POSTGRES_ENABLED", "true");
        env.put("CDR_POSTGRES_URL", pg.jdbcUrl() + "?currentSchema=" + schema);
        env.put("CDR_POSTGRES_USER", ROLE);
        env.put("CDR_POSTGRES_PASSWORD", ROLE_PASSWORD);
        env.put("CDR_KAFKA_ENABLED", "true");
        env.put("CDR_KAFKA_BROKERS", kafka.bootstrapServers());
        env.put("CDR_KAFKA_TOPIC", topic);
        env.putAll(extra);
        ChildJvm child = ChildJvm.builder(Application.class).heap("160m").jvmArg("-XX:+UseSerialGC")
                .applicationLogging()
                .jvmArg("-Dcamel.component.monema.time-zone=" + ZONE)
                .jvmArg("-Dcamel.component.escaux.time-zone=" + ZONE)
                .directory(AppFolders.project()).env(env).start();
        apps.add(child);
        return child;
    }

    /** The lines of the runs of {@code source}, in order. */
    static List<Matcher> runs(List<String> lines, String source) {
        List<Matcher> runs = new ArrayList<>();
        for (String l : lines) {
            int at = l.indexOf("CDR harvest ");
            if (at < 0) {
                at = l.indexOf("CDR backfill ");
            }
            if (at >= 0) {
                Matcher m = RUN_LINE.matcher(l.substring(at));
                if (m.matches() && m.group(2).equals(source)) {
                    runs.add(m);
                }
            }
        }
        return runs;
    }

    static List<Matcher> failedRuns(List<String> lines, String source) {
        return runs(lines, source).stream().filter(m -> m.group(13) != null).toList();
    }

    /** The readiness check {@code name} of a {@code /observe/health/ready?data=true} answer. */
    static JsonNode check(Management.Answer health, String name) throws Exception {
        for (JsonNode check : Json.MAPPER.readTree(health.body()).path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no readiness check " + name + " in " + health.body());
    }

    // ---- what PostgreSQL holds -------------------------------------------------------------------------------------

    public record Checkpoint(long run, Instant watermark) {
    }

    static long run(Checkpoint cp) {
        return cp == null ? 0 : cp.run();
    }

    /** The source's checkpoint in the database, null before its first commit. */
    Checkpoint checkpoint(String source) {
        return checkpoint(pg, schema, source);
    }

    /** The source's checkpoint in the tables of {@code schema}, null before its first commit. */
    public static Checkpoint checkpoint(Postgres pg, String schema, String source) {
        try (Connection c = pg.connect(); PreparedStatement s = c.prepareStatement("SELECT run, watermark FROM "
                + schema + ".pbx_cdr_checkpoint WHERE source = ?")) {
            s.setString(1, source);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Checkpoint(rs.getLong(1), rs.getTimestamp(2).toInstant()) : null;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return null; // no table yet
            }
            throw new IllegalStateException(e);
        }
    }

    long rows(String vendor) {
        long[] r = runAndRows(vendor.equals("monema") ? MONEMA : ESCAUX);
        return r[1];
    }

    /** The source's last committed run and the rows of its vendor, as one snapshot. */
    long[] runAndRows(String source) {
        return runAndRows(pg, schema, source);
    }

    static long[] runAndRows(Postgres pg, String schema, String source) {
        String vendor = source.substring(0, source.indexOf(':'));
        try (Connection c = pg.connect(); PreparedStatement s = c.prepareStatement("SELECT (SELECT run FROM "
                + schema + ".pbx_cdr_checkpoint WHERE source = ?), (SELECT count(*) FROM " + schema
                + ".pbx_call_record WHERE vendor = ?)")) {
            s.setString(1, source);
            s.setString(2, vendor);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] { rs.getLong(1), rs.getLong(2) };
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return new long[] { 0, 0 }; // no table yet
            }
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until a run of {@code source} has stored {@code atLeast} rows in PostgreSQL while its checkpoint is not
     * committed yet (after a batch at most, once a run ended before that): the run is under way, the last sink has
     * some of its batches, not its end. Returns the last committed run's number.
     */
    long awaitRunUnderWay(String source, int atLeast) throws Exception {
        return awaitRunUnderWay(pg, schema, app, source, atLeast, BATCH);
    }

    /**
     * {@link #awaitRunUnderWay(String, int)} of {@code app}, harvesting into the tables of {@code schema} in batches
     * of {@code batch}.
     */
    public static long awaitRunUnderWay(Postgres pg, String schema, ChildJvm app, String source, int atLeast,
            int batch) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long run = -1;
        long baseline = 0;
        int target = atLeast;
        while (true) {
            long[] now = runAndRows(pg, schema, source);
            if (now[0] != run) {
                if (run >= 0) {
                    target = Math.min(target, batch); // that run was too short: the next one, after a batch
                }
                run = now[0];
                baseline = now[1];
            } else if (now[1] - baseline >= target) {
                return run;
            }
            if (!app.isAlive() || System.nanoTime() > deadline) {
                fail("no run of " + source + " with " + target + " rows under way (run " + run + " committed, "
                        + (now[1] - baseline) + " rows past it):\n" + app.tail());
            }
            Thread.sleep(2);
        }
    }

    /** Waits until both sources' checkpoints are past {@code time}: a run covered every call made before it. */
    void awaitHarvestedPast(Instant time) {
        Await.until(WAIT, () -> "a run of each source past " + time + ": " + checkpoint(MONEMA) + ", "
                + checkpoint(ESCAUX) + "\n" + app.tail(), () -> {
                    Checkpoint m = checkpoint(MONEMA);
                    Checkpoint e = checkpoint(ESCAUX);
                    return m != null && e != null && m.watermark().isAfter(time) && e.watermark().isAfter(time);
                });
    }

    // ---- the comparison ----------------------------------------------------------------------------------------

    /**
     * PostgreSQL, the CSV files and the Kafka topic each hold each call of the simulators once, and nothing else; none
     * was harvested before it was the lag old.
     */
    void assertEveryKeyOnceInEverySink() throws Exception {
        List<String> expected = new ArrayList<>();
        monema.calls(LOGIN).forEach(c -> expected.add(MONEMA + ":" + c.id()));
        escauxKeys.forEach(uid -> expected.add(ESCAUX + ":" + uid));
        List<String> problems = Stream.of(
                HarvestedKeys.problems("PostgreSQL", expected, HarvestedKeys.postgres(pg, schema
                        + ".pbx_call_record")),
                HarvestedKeys.problems("CSV", expected, HarvestedKeys.csv(appFolder.resolve("cdr/csv"))),
                HarvestedKeys.problems("Kafka", expected, HarvestedKeys.kafka(kafka.bootstrapServers(), topic, WAIT)))
                .filter(p -> p != null).toList();
        assertEquals(List.of(), problems, "each call once in each sink");
        assertEquals(0, pg.queryLong("SELECT count(*) FROM " + schema + ".pbx_call_record WHERE harvested_at < "
                + "start_time + interval '" + LAG.toSeconds() + " seconds'"), "no call harvested before it was the "
                + "lag old");
    }

    void assertNoDeadLetters() throws Exception {
        Path dead = appFolder.resolve("cdr/dead-letter");
        if (Files.isDirectory(dead)) {
            try (Stream<Path> files = Files.walk(dead)) {
                List<Path> found = files.filter(Files::isRegularFile).filter(f -> f.toFile().length() > 0).toList();
                assertEquals(List.of(), found, "no record was unreadable");
            }
        }
    }

    // ---- the calls -------------------------------------------------------------------------------------------------

    /**
     * Makes calls in both PBXs every 100 ms, about 60 a second in Monema (one in ten written late: its calldate 5 to
     * 20 s back, inside the overlap) and 40 in Escaux (most touching two or three of the watched extensions, some
     * written late).
     */
    final class CallFeeder {

        static final String[] WATCHED = { "102", "104", "555" };
        private final Random random;
        private final Thread thread;
        private volatile boolean running = true;
        volatile int lateMonema;
        private volatile RuntimeException failure;

        CallFeeder(long seed) {
            this.random = new Random(seed);
            this.thread = new Thread(this::feed, "call-feeder");
        }

        CallFeeder start() {
            thread.start();
            return this;
        }

        /** Stops making calls; the time after the last one. */
        Instant stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
            if (failure != null) {
                throw failure;
            }
            return Instant.now();
        }

        private void feed() {
            try {
                long tick = System.nanoTime();
                while (running) {
                    Instant now = Instant.now();
                    monema.addCalls(LOGIN, 6, now.minusMillis(900), now);
                    if (random.nextInt(10) == 0) {
                        monema.addCall(LOGIN, now.minusSeconds(5 + random.nextInt(16)));
                        lateMonema++;
                    }
                    for (int i = 0; i < 4; i++) {
                        escauxCall(random.nextInt(20) == 0 ? now.minusSeconds(5 + random.nextInt(16)) : now);
                    }
                    tick += TimeUnit.MILLISECONDS.toNanos(100);
                    long sleep = tick - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        private void escauxCall(Instant start) {
            String outside = "+3223" + (100000 + random.nextInt(899999));
            Duration duration = Duration.ofSeconds(5 + random.nextInt(300));
            Duration billed = random.nextInt(4) == 0 ? Duration.ZERO : duration.minusSeconds(3);
            String uid = switch (random.nextInt(5)) {
                // an external call to the reception, ringing two more extensions
                case 0 -> escaux.addCallRecord(start, outside, "555", duration, billed, "555", "102", "104");
                // between two watched extensions
                case 1 -> escaux.addCallRecord(start, "102", "104", duration, billed, "102", "104");
                // to a watched extension, forwarded to an unwatched one: listed under the watched one only
                case 2 -> escaux.addCallRecord(start, outside, "104", duration, billed, "104", "067");
                // an external call answered at the reception, transferred to 102
                case 3 -> escaux.addCallRecord(start, outside, "555", duration, billed, "555", "102");
                // placed by a watched extension
                default -> {
                    String ext = WATCHED[random.nextInt(WATCHED.length)];
                    yield escaux.addCallRecord(start, ext, outside, duration, billed, ext);
                }
            };
            escauxKeys.add(uid);
        }
    }
}
