package io.pbxbridge.cdr.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.testsupport.LocalPorts;
import io.pbxbridge.testsupport.Postgres;

/** Checkpoints in PostgreSQL ({@link JdbcHarvestCheckpoints}) and the pool they come through. */
class PostgresHarvestCheckpointsTest {

    static final String ACME = "monema:127.0.0.1/acme";
    static final String ESCAUX = "escaux:127.0.0.1/tenant";

    @RegisterExtension
    static final Postgres pg = Postgres.perTestClass();

    final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    HikariDataSource pool(String url, String user, String password) {
        return pool(url, user, password, Duration.ofMillis(300));
    }

    HikariDataSource pool(String url, String user, String password, Duration connectionTimeout) {
        HikariDataSource pool = CdrDataSources.pool(url, user, password, 1, connectionTimeout);
        pools.add(pool);
        return pool;
    }

    @Test
    void aCommittedCheckpointLoadsAsItWasAndTheNextReplacesIt() throws Exception {
        JdbcHarvestCheckpoints checkpoints = new JdbcHarvestCheckpoints(pool(pg.createSchema("round_trip"),
                Postgres.USER, null));
        assertNull(checkpoints.load(ACME), "no checkpoint yet (and the table is created)");
        HarvestCheckpoint first = new HarvestCheckpoint(ACME, 1, Instant.parse("2024-05-01T10:00:00.123456789Z"),
                Map.of("monema:127.0.0.1/acme:41", 1714557000L, "monema:127.0.0.1/acme:42", 1714557300L),
                Instant.parse("2024-05-01T10:01:00Z"));
        HarvestCheckpoint other = new HarvestCheckpoint(ESCAUX, 5, Instant.parse("2024-05-01T09:00:00Z"), Map.of(),
                Instant.parse("2024-05-01T09:01:00Z"));

        checkpoints.commit(first);
        checkpoints.commit(other);

        assertEquals(first, checkpoints.load(ACME), "every field, the watermark to the nanosecond (in the JSON)");
        assertEquals(other, checkpoints.load(ESCAUX));
        HarvestCheckpoint second = new HarvestCheckpoint(ACME, 2, Instant.parse("2024-05-01T10:05:00Z"), Map.of(),
                Instant.parse("2024-05-01T10:06:00Z"));
        checkpoints.commit(second);
        assertEquals(second, checkpoints.load(ACME));
        assertEquals(other, checkpoints.load(ESCAUX));
        assertEquals(2, pg.queryLong("SELECT count(*) FROM round_trip.pbx_cdr_checkpoint"), "one row per source");
        assertEquals("2 2024-05-01T10:05:00 2024-05-01T10:06:00 monema:127.0.0.1/acme", pg.query(
                "SELECT run || ' ' || to_char(watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || ' ' "
                        + "|| to_char(committed AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || ' ' "
                        + "|| (state::jsonb ->> 'source') FROM round_trip.pbx_cdr_checkpoint WHERE source = '"
                        + ACME + "'"));
    }

    /**
     * Several instances starting at once after a deployment (here: separate pools, so nothing in this JVM orders them)
     * each create the missing table on their first use: every one of them goes on.
     */
    @Test
    void instancesCreatingTheTableAtTheSameMomentAllGoOn() throws Exception {
        String url = pg.createSchema("first_use_race");
        int instances = 8;
        List<JdbcHarvestCheckpoints> each = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            each.add(new JdbcHarvestCheckpoints(pool(url, Postgres.USER, null, Duration.ofSeconds(10))));
        }
        CyclicBarrier start = new CyclicBarrier(instances);
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        try {
            List<Future<HarvestCheckpoint>> loads = new ArrayList<>();
            for (JdbcHarvestCheckpoints checkpoints : each) {
                loads.add(threads.submit(() -> {
                    start.await();
                    return checkpoints.load(ACME);
                }));
            }
            for (Future<HarvestCheckpoint> load : loads) {
                assertNull(load.get(30, TimeUnit.SECONDS), "no checkpoint yet, and no failure");
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, pg.queryLong("SELECT count(*) FROM first_use_race.pbx_cdr_checkpoint"));
    }

    @Test
    void aCheckpointThatCannotBeReadSaysWhichAndWhatToDo() throws Exception {
        JdbcHarvestCheckpoints checkpoints = new JdbcHarvestCheckpoints(pool(pg.createSchema("broken"),
                Postgres.USER, null), "broken.harvest_checkpoints");
        checkpoints.commit(new HarvestCheckpoint(ACME, 3, Instant.parse("2024-05-01T10:00:00Z"), Map.of(), null));
        pg.execute("UPDATE broken.harvest_checkpoints SET state = '{\"source\": \"x\", \"run\": [1]}'");

        IOException e = assertThrows(IOException.class, () -> checkpoints.load(ACME));

        assertEquals("The CDR checkpoint of " + ACME + " in broken.harvest_checkpoints of the PostgreSQL database "
                + "postgres on 127.0.0.1:" + pg.port() + " as postgres cannot be read (\"run\" must be a number, not "
                + "a list, at line 1, column 24); delete its row to start that source again from its first-run point",
                e.getMessage());
    }

    @Test
    void aDatabaseThatCannotBeReachedIsNamedWithoutItsPassword() {
        int nobody = LocalPorts.free();
        JdbcHarvestCheckpoints checkpoints = new JdbcHarvestCheckpoints(pool("jdbc:postgresql://127.0.0.1:" + nobody
                + "/pbx?password=url-s3cret", "harvester", "pool-s3cret"));
        String database = "the PostgreSQL database pbx on 127.0.0.1:" + nobody + " as harvester";
        String refused = "Connection to 127.0.0.1:" + nobody + " refused.";

        SQLException load = assertThrows(SQLException.class, () -> checkpoints.load(ACME));
        SQLException commit = assertThrows(SQLException.class, () -> checkpoints.commit(
                new HarvestCheckpoint(ACME, 2, Instant.parse("2024-05-01T10:00:00Z"), Map.of(), null)));

        assertTrue(load.getMessage().startsWith("the CDR checkpoint of " + ACME + " could not be read from "
                + "pbx_cdr_checkpoint in " + database + ": " + refused), load.getMessage());
        assertTrue(commit.getMessage().startsWith("the CDR checkpoint of " + ACME + " (run 2) was not written to "
                + "pbx_cdr_checkpoint in " + database + ": " + refused), commit.getMessage());
        for (SQLException e : List.of(load, commit)) {
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertEquals("08001", e.getSQLState(), "the driver's state is kept: a connection that was not made");
        }
    }

    @Test
    void aWrongPasswordIsRefusedByNameWithoutThePassword() throws Exception {
        String url = pg.createSchema("roles");
        pg.createRole("harvester", "right-s3cret");
        pg.execute("GRANT ALL ON SCHEMA roles TO harvester");

        // time for a first SCRAM exchange in a cold JVM: what the server said is then the reason given
        SQLException e = assertThrows(SQLException.class, () -> new JdbcHarvestCheckpoints(
                pool(url, "harvester", "wrong-s3cret", Duration.ofSeconds(1))).load(ACME));

        assertEquals("the CDR checkpoint of " + ACME + " could not be read from pbx_cdr_checkpoint in the PostgreSQL "
                + "database postgres on 127.0.0.1:" + pg.port() + " as harvester: FATAL: password authentication "
                + "failed for user \"harvester\"", e.getMessage());
        // the right one works, as a role that is not the superuser
        JdbcHarvestCheckpoints checkpoints = new JdbcHarvestCheckpoints(pool(url, "harvester", "right-s3cret"));
        HarvestCheckpoint cp = new HarvestCheckpoint(ACME, 1, Instant.parse("2024-05-01T10:00:00Z"), Map.of(),
                Instant.parse("2024-05-01T10:00:01Z"));
        checkpoints.commit(cp);
        assertEquals(cp, checkpoints.load(ACME));
        assertEquals("harvester", pg.query("SELECT tableowner FROM pg_tables WHERE schemaname = 'roles'"));
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtOnce() {
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> CdrDataSources.pool("jdbc:mysql://db.example/pbx?password=s3cret", "pbx", "pw", 2));
        assertEquals("cdr.postgres: the URL must be a PostgreSQL JDBC URL such as "
                + "jdbc:postgresql://db.example:5432/pbx, not 'jdbc:mysql://db.example/pbx'", url.getMessage());
        assertEquals("cdr.postgres: the pool size must be at least 1, not 0", assertThrows(
                IllegalArgumentException.class, () -> CdrDataSources.pool(pg.jdbcUrl(), "pbx", "pw", 0)).getMessage());
        assertEquals("cdr.postgres: the checkpoint table must be a plain name such as pbx_call_record or "
                + "cdr.pbx_call_record (letters, digits, _), not 'checkpoints\"; --'", assertThrows(
                        IllegalArgumentException.class, () -> new JdbcHarvestCheckpoints(
                                pool(pg.jdbcUrl(), Postgres.USER, null), "checkpoints\"; --")).getMessage());
    }

    @Test
    void aDatabaseIsDescribedByHostsPortNameAndUserOnly() {
        assertEquals("the PostgreSQL database pbx on db1.example:5433,db2.example:5432 as cdr",
                CdrDataSources.describe("jdbc:postgresql://db1.example:5433,db2.example/pbx?user=cdr&password=s3cret",
                        null));
        assertEquals("the PostgreSQL database pbx on localhost:5432 as harvester",
                CdrDataSources.describe("jdbc:postgresql:pbx", "harvester"));
    }
}
