package io.pbxbridge.cdr.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.testsupport.Postgres;

/** The PostgreSQL sink against a real PostgreSQL: each test in a schema of its own. */
class PostgresCallRecordSinkTest {

    static final String SOURCE = "monema:127.0.0.1/acme";
    static final Instant T0 = Instant.parse("2024-03-31T00:30:00Z");

    @RegisterExtension
    static final Postgres pg = Postgres.perTestClass();
    static CamelContext camel = new DefaultCamelContext();

    final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    HikariDataSource pool(String url) {
        HikariDataSource pool = CdrDataSources.pool(url, Postgres.USER, "", 2, Duration.ofMillis(500));
        pools.add(pool);
        return pool;
    }

    static CallRecord record(String id, Instant start) {
        return new CallRecord(CallRecord.key("monema", "127.0.0.1/acme", id), "monema", "127.0.0.1/acme",
                "call-" + id, start, start.plusSeconds(5), start.plusSeconds(65), 65L, 60L, "+3225550100",
                "+3225550199", Direction.OUTBOUND, Disposition.ANSWERED, new BigDecimal("0.0425"), "EUR",
                "rec-" + id, Map.of("id", id));
    }

    static List<CallRecord> records(String... ids) {
        List<CallRecord> list = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            list.add(record(ids[i], T0.plusSeconds(60L * i)));
        }
        return list;
    }

    static HarvestCheckpoint checkpoint(long run, List<CallRecord> recent) {
        Map<String, Long> keys = new java.util.HashMap<>();
        recent.forEach(r -> keys.put(r.key(), r.start().getEpochSecond()));
        return new HarvestCheckpoint(SOURCE, run, T0.plus(Duration.ofHours(run)), keys,
                T0.plus(Duration.ofHours(run)).plusSeconds(61));
    }

    static Exchange batch(long run, List<CallRecord> records, HarvestCheckpoint checkpoint) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(records);
        e.getMessage().setHeader(CdrConstants.SOURCE, SOURCE);
        e.getMessage().setHeader(CdrConstants.RUN, run);
        if (checkpoint != null) {
            e.setProperty(CdrConstants.CHECKPOINT, checkpoint);
        }
        return e;
    }

    /** Stores and returns {inserted, skipped}. */
    static int[] store(PostgresCallRecordSink sink, Exchange batch) throws SQLException {
        sink.store(batch);
        return new int[] { batch.getMessage().getHeader(PostgresCallRecordSink.INSERTED, Integer.class),
                batch.getMessage().getHeader(PostgresCallRecordSink.SKIPPED, Integer.class) };
    }

    @Test
    void aBatchStoredTwiceIsStoredOnceAndItsCheckpointWritten() throws Exception {
        HikariDataSource pool = pool(pg.createSchema("twice"));
        JdbcHarvestCheckpoints checkpoints = new JdbcHarvestCheckpoints(pool);
        PostgresCallRecordSink sink = new PostgresCallRecordSink(pool, "pbx_call_record", checkpoints);
        List<CallRecord> first = records("1", "2", "3");
        first.add(new CallRecord("monema:127.0.0.1/acme:4", null, null, null, T0.plusSeconds(600), null, null, null,
                null, null, null, null, null, null, null, null, null));
        HarvestCheckpoint cp1 = checkpoint(1, first);

        int[] stored = store(sink, batch(1, first, cp1));
        assertEquals(4, stored[0]);
        assertEquals(0, stored[1]);
        assertEquals(cp1, checkpoints.load(SOURCE));

        // the replay of a run that failed after its rows were committed: the same batch, the same checkpoint
        int[] again = store(sink, batch(1, first, cp1));
        assertEquals(0, again[0], "no row is new");
        assertEquals(4, again[1], "every record was there");
        // an overlapping batch: two known, one new
        int[] overlap = store(sink, batch(2, List.of(first.get(1), first.get(2), record("5", T0.plusSeconds(900))),
                null));
        assertEquals(1, overlap[0]);
        assertEquals(2, overlap[1]);

        assertEquals(5, pg.queryLong("SELECT count(*) FROM twice.pbx_call_record"));
        assertEquals(1, pg.queryLong("SELECT count(*) FROM twice.pbx_cdr_checkpoint"));
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, vendor, source, call_id, start_time, answer_time, end_time, "
                     + "duration, billsec, from_number, to_number, direction, disposition, cost, currency, "
                     + "recording, harvested_at FROM twice.pbx_call_record WHERE key = 'monema:127.0.0.1/acme:2'")) {
            assertTrue(rs.next());
            CallRecord r = first.get(1);
            assertEquals(r.key(), rs.getString("key"));
            assertEquals("monema", rs.getString("vendor"));
            assertEquals("127.0.0.1/acme", rs.getString("source"));
            assertEquals("call-2", rs.getString("call_id"));
            assertEquals(r.start(), rs.getObject("start_time", OffsetDateTime.class).toInstant());
            assertEquals(r.answer(), rs.getObject("answer_time", OffsetDateTime.class).toInstant());
            assertEquals(r.end(), rs.getObject("end_time", OffsetDateTime.class).toInstant());
            assertEquals(65L, rs.getLong("duration"));
            assertEquals(60L, rs.getLong("billsec"));
            assertEquals("+3225550100", rs.getString("from_number"));
            assertEquals("+3225550199", rs.getString("to_number"));
            assertEquals("OUTBOUND", rs.getString("direction"));
            assertEquals("ANSWERED", rs.getString("disposition"));
            assertEquals(new BigDecimal("0.0425"), rs.getBigDecimal("cost"));
            assertEquals("EUR", rs.getString("currency"));
            assertEquals("rec-2", rs.getString("recording"));
            assertNotNull(rs.getObject("harvested_at"));
        }
        assertEquals(1, pg.queryLong("SELECT count(*) FROM twice.pbx_call_record WHERE key = "
                + "'monema:127.0.0.1/acme:4' AND vendor IS NULL AND duration IS NULL AND cost IS NULL"),
                "a record of nulls but key and start is stored with nulls");
    }

    @Test
    void anEmptyLastBatchWritesTheCheckpointAlone() throws Exception {
        HikariDataSource pool = pool(pg.createSchema("empty_last"));
        PostgresCallRecordSink sink = new PostgresCallRecordSink(pool);
        HarvestCheckpoint cp = checkpoint(7, List.of());

        int[] stored = store(sink, batch(7, List.of(), cp));

        assertEquals(0, stored[0]);
        assertEquals(0, stored[1]);
        assertEquals(cp, new JdbcHarvestCheckpoints(pool).load(SOURCE));
        assertEquals(0, pg.queryLong("SELECT count(*) FROM empty_last.pbx_call_record"));
    }

    @Test
    void theRowsAndTheCheckpointCommitTogetherOrNotAtAll() throws Exception {
        HikariDataSource pool = pool(pg.createSchema("atomic"));
        JdbcHarvestCheckpoints checkpoints = new JdbcHarvestCheckpoints(pool);
        PostgresCallRecordSink sink = new PostgresCallRecordSink(pool, "pbx_call_record", checkpoints);
        List<CallRecord> run1 = records("1", "2");
        store(sink, batch(1, run1, checkpoint(1, run1)));
        // the checkpoint of run 2 cannot be written: the run's last batch must leave no row behind
        pg.execute("ALTER TABLE atomic.pbx_cdr_checkpoint ADD CONSTRAINT no_run_two CHECK (run <> 2)");
        List<CallRecord> run2 = records("3", "4", "5");

        SQLException e = assertThrows(SQLException.class, () -> sink.store(batch(2, run2, checkpoint(2, run2))));

        assertTrue(e.getMessage().startsWith("the CDR batch of " + SOURCE + " run 2 (3 records) was not stored in "
                + "the PostgreSQL database postgres on 127.0.0.1:" + pg.port() + " as postgres: ERROR: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("no_run_two"), e.getMessage());
        assertEquals(2, pg.queryLong("SELECT count(*) FROM atomic.pbx_call_record"), "none of run 2's rows kept");
        assertEquals(1, checkpoints.load(SOURCE).run());
        // the same records in a batch without a checkpoint go in: it was the checkpoint that failed
        assertEquals(3, store(sink, batch(2, run2, null))[0]);
    }

    @Test
    void aDatabaseThatGoesAwayFailsTheBatchByNameAndTheCheckpointStays() throws Exception {
        String secret = "pw-in-the-url-s3cret";
        String url = pg.createSchema("outage") + "&password=" + secret;
        // a connection timeout above the pool's reconnection backoff (at most 5 s), as in the application
        HikariDataSource pool = CdrDataSources.pool(url, Postgres.USER, "pool-s3cret", 2, Duration.ofSeconds(6));
        pools.add(pool);
        JdbcHarvestCheckpoints checkpoints = new JdbcHarvestCheckpoints(pool);
        PostgresCallRecordSink sink = new PostgresCallRecordSink(pool, "pbx_call_record", checkpoints);
        String database = "the PostgreSQL database postgres on 127.0.0.1:" + pg.port() + " as postgres";
        List<CallRecord> run1 = records("1", "2");
        store(sink, batch(1, run1, checkpoint(1, run1)));
        List<CallRecord> run2 = records("3", "4", "5");

        // the server stops while the last batch of run 2 is in its transaction: rows inserted, checkpoint on its way
        pg.execute("CREATE FUNCTION outage.slow() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; "
                + "END $$ LANGUAGE plpgsql", "CREATE TRIGGER slow BEFORE UPDATE ON outage.pbx_cdr_checkpoint "
                + "FOR EACH ROW WHEN (NEW.run = 2) EXECUTE FUNCTION outage.slow()");
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                sink.store(batch(2, run2, checkpoint(2, run2)));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pg.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") == 0) {
            assertTrue(System.nanoTime() < deadline, "the sink's transaction never reached its checkpoint");
            Thread.sleep(10);
        }
        pg.stop();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> writing.get(10, TimeUnit.SECONDS));
        String during = failed.getCause().getCause().getMessage();
        assertTrue(during.startsWith("the CDR batch of " + SOURCE + " run 2 (3 records) was not stored in " + database
                + ": "), during);

        // while it is down, a try fails once its connection timeout is over, by name, without a password
        HikariDataSource impatient = CdrDataSources.pool(url, Postgres.USER, "pool-s3cret", 1, Duration.ofMillis(300));
        pools.add(impatient);
        long t0 = System.nanoTime();
        SQLException down = assertThrows(SQLException.class, () -> new PostgresCallRecordSink(impatient)
                .store(batch(2, run2, checkpoint(2, run2))));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3), "waits the connection timeout, not more");
        assertTrue(down.getMessage().startsWith("the CDR batch of " + SOURCE + " run 2 (3 records) was not stored in "
                + database + ": Connection to 127.0.0.1:" + pg.port() + " refused"), down.getMessage());
        for (String message : List.of(during, down.getMessage())) {
            assertFalse(message.contains(secret) || message.contains("pool-s3cret") || message.contains("password="),
                    message);
        }

        pg.start();
        assertEquals(1, pg.queryLong("SELECT run FROM outage.pbx_cdr_checkpoint"), "the checkpoint did not move");
        assertEquals(1, checkpoints.load(SOURCE).run(), "the checkpoint did not move");
        assertEquals(2, pg.queryLong("SELECT count(*) FROM outage.pbx_call_record"), "nothing of run 2 kept");
        pg.execute("DROP TRIGGER slow ON outage.pbx_cdr_checkpoint");
        int[] stored = store(sink, batch(2, run2, checkpoint(2, run2)));
        assertEquals(3, stored[0]);
        assertEquals(checkpoint(2, run2), checkpoints.load(SOURCE));
        assertEquals(5, pg.queryLong("SELECT count(*) FROM outage.pbx_call_record"));
    }

    @Test
    void timesAreStoredAsTheirInstantsWhateverTheZoneOfTheJvm() throws Exception {
        String url = pg.createSchema("zones");
        TimeZone jvmZone = TimeZone.getDefault();
        // a zone 12:45 or 13:45 ahead of UTC: the driver gives it to the session as its TimeZone
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
        Instant start = Instant.parse("2024-03-31T01:30:00Z");
        Instant answer = Instant.parse("2024-03-31T01:30:07.123456Z");
        CallRecord r = new CallRecord("monema:127.0.0.1/acme:z", "monema", "127.0.0.1/acme", null, start, answer,
                null, 7L, null, null, null, null, null, null, null, null, null);
        HarvestCheckpoint cp = new HarvestCheckpoint(SOURCE, 1, Instant.parse("2024-03-31T02:00:00Z"), Map.of(),
                Instant.parse("2024-03-31T02:00:01Z"));
        try {
            HikariDataSource pool = pool(url);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW TimeZone")) {
                assertTrue(rs.next());
                assertEquals("Pacific/Chatham", rs.getString(1), "the session is not in UTC");
            }
            new PostgresCallRecordSink(pool).store(batch(1, List.of(r), cp));
        } finally {
            TimeZone.setDefault(jvmZone);
        }
        assertEquals("2024-03-31T01:30:00.000000 2024-03-31T01:30:07.123456", pg.query(
                "SELECT to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || ' ' || "
                        + "to_char(answer_time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
                        + "FROM zones.pbx_call_record"));
        assertEquals(start.getEpochSecond(), pg.queryLong(
                "SELECT extract(epoch FROM start_time)::bigint FROM zones.pbx_call_record"));
        assertEquals("2024-03-31T02:00:00 2024-03-31T02:00:01", pg.query(
                "SELECT to_char(watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || ' ' || "
                        + "to_char(committed AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') "
                        + "FROM zones.pbx_cdr_checkpoint"));
        assertEquals(cp, new JdbcHarvestCheckpoints(pool(url)).load(SOURCE));
    }

    @Test
    void whatIsNotABatchIsRefusedByNameAndNothingIsStored() throws Exception {
        HikariDataSource pool = pool(pg.createSchema("refused"));
        PostgresCallRecordSink sink = new PostgresCallRecordSink(pool);

        Exchange text = batch(1, List.of(), null);
        text.getMessage().setBody("not a batch");
        assertEquals("the PostgreSQL CDR sink takes a List<CallRecord> body (a batch of a cdr consumer), not "
                + "java.lang.String",
                assertThrows(IllegalArgumentException.class, () -> sink.store(text)).getMessage());
        List<Object> mixed = new ArrayList<>(records("1"));
        mixed.add(null);
        Exchange withNull = batch(1, List.of(), checkpoint(1, List.of()));
        withNull.getMessage().setBody(mixed);
        assertEquals("record 1 of the CDR batch of " + SOURCE + " run 1 (2 records) is null, not a CallRecord; "
                + "nothing of the batch was stored",
                assertThrows(IllegalArgumentException.class, () -> sink.store(withNull)).getMessage());
        CallRecord noStart = new CallRecord("monema:127.0.0.1/acme:9", "monema", null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
        assertEquals("record 1 (monema:127.0.0.1/acme:9) of the CDR batch of " + SOURCE + " run 1 (2 records) has "
                + "no start time; nothing of the batch was stored", assertThrows(IllegalArgumentException.class,
                        () -> sink.store(batch(1, List.of(record("1", T0), noStart), null))).getMessage());

        assertEquals(0, pg.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'refused'"),
                "the database was not even asked");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PostgresCallRecordSink(pool, "cdr; DROP TABLE x", new JdbcHarvestCheckpoints(pool)))
                .getMessage().contains("not 'cdr; DROP TABLE x'"));
    }

    @Test
    void aNulCharacterIsStoredAsAReplacementCharacterAndSaid() throws Exception {
        HikariDataSource pool = pool(pg.createSchema("nul"));
        PostgresCallRecordSink sink = new PostgresCallRecordSink(pool, "nul.calls",
                new JdbcHarvestCheckpoints(pool, "nul.checkpoints"));
        CallRecord r = new CallRecord("monema:127.0.0.1/acme:n", "monema", "127.0.0.1/acme", null, T0, null, null,
                null, null, "+32\u000022", null, null, null, null, null, null, null);

        try (LogCapture log = LogCapture.open()) {
            sink.store(batch(1, List.of(r), null));
            assertEquals(List.of("CDR record monema:127.0.0.1/acme:n: NUL characters in from_number stored as U+FFFD "
                    + "(PostgreSQL text cannot hold them)"), log.messages(Level.WARN, "PostgresCallRecordSink"));
        }
        assertEquals("+32\uFFFD22", pg.query("SELECT from_number FROM nul.calls"));
        assertEquals(List.of("calls", "checkpoints"), List.of(pg.query("SELECT string_agg(tablename, ',' ORDER BY "
                + "tablename) FROM pg_tables WHERE schemaname = 'nul'").toString().split(",")),
                "the tables named, not the default ones");
    }
}
