package io.pbxbridge.cdr.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.cdr.HarvestCheckpoints;
import io.pbxbridge.support.JdbcTables;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;

/**
 * Harvest checkpoints in a PostgreSQL table, one row per source, so that the {@link PostgresCallRecordSink} commits
 * a run's last rows and its checkpoint in one transaction ({@link #write(Connection, HarvestCheckpoint)}). Bound as
 * the bean {@code cdrCheckpoints}, it is also where the {@code cdr} consumers load their checkpoints and commit them
 * (again, the same row: harmless) once the run's exchange completes.
 *
 * <p>The table, created when missing (default name {@value #DEFAULT_TABLE}):
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS pbx_cdr_checkpoint (
 *     source    text PRIMARY KEY,    -- e.g. monema:pbx.example/acme
 *     run       bigint NOT NULL,     -- the last committed run
 *     watermark timestamptz NOT NULL, -- the end of its window
 *     state     text NOT NULL,       -- the whole checkpoint as JSON, read back by load
 *     committed timestamptz
 * )
 * </pre>
 *
 * {@code state} is text, not jsonb: jsonb refuses the JSON escape of a NUL character, and the recent keys come from
 * vendors' record ids, which may hold anything. Query it with {@code state::jsonb}.
 */
public class JdbcHarvestCheckpoints implements HarvestCheckpoints {

    public static final String DEFAULT_TABLE = "pbx_cdr_checkpoint";

    private final DataSource dataSource;
    private final String table;
    private final String database;
    private final String createTable;
    private final String upsert;
    private final String select;
    private volatile boolean tableReady;

    public JdbcHarvestCheckpoints(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /** @param table the table's name, {@code name} or {@code schema.name} */
    public JdbcHarvestCheckpoints(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = CdrDataSources.tableName(table, "checkpoint");
        this.database = CdrDataSources.describe(dataSource);
        this.createTable = "CREATE TABLE IF NOT EXISTS " + this.table + " (source text PRIMARY KEY, "
                + "run bigint NOT NULL, watermark timestamptz NOT NULL, state text NOT NULL, committed timestamptz)";
        this.upsert = "INSERT INTO " + this.table + " (source, run, watermark, state, committed) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET run = EXCLUDED.run, "
                + "watermark = EXCLUDED.watermark, state = EXCLUDED.state, committed = EXCLUDED.committed";
        this.select = "SELECT state FROM " + this.table + " WHERE source = ?";
    }

    public String table() {
        return table;
    }

    @Override
    public HarvestCheckpoint load(String source) throws SQLException, IOException {
        String json;
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            try (PreparedStatement s = c.prepareStatement(select)) {
                s.setString(1, source);
                try (ResultSet rs = s.executeQuery()) {
                    json = rs.next() ? rs.getString(1) : null;
                }
            }
        } catch (SQLException e) {
            throw CdrDataSources.failed("the CDR checkpoint of " + LogSafe.text(source) + " could not be read from "
                    + table, database, e);
        }
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, HarvestCheckpoint.class);
        } catch (JsonProcessingException e) {
            throw new IOException("The CDR checkpoint of " + LogSafe.text(source) + " in " + table + " of " + database
                    + " cannot be read (" + Json.problem(e) + "); delete its row to start that source again from "
                    + "its first-run point", e);
        }
    }

    /** Replaces the source's checkpoint in a transaction of its own. */
    @Override
    public void commit(HarvestCheckpoint checkpoint) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            write(c, checkpoint);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw CdrDataSources.failed("the CDR checkpoint of " + LogSafe.text(checkpoint.source()) + " (run "
                    + checkpoint.run() + ") was not written to " + table, database, e);
        }
    }

    /**
     * Replaces the source's checkpoint within the caller's transaction on {@code connection}, which commits it with
     * whatever else it wrote. The table must exist ({@link #createTable()}).
     */
    public void write(Connection connection, HarvestCheckpoint checkpoint) throws SQLException {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(checkpoint);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the CDR checkpoint of " + checkpoint.source() + " cannot be written as "
                    + "JSON: " + e.getOriginalMessage(), e);
        }
        try (PreparedStatement s = connection.prepareStatement(upsert)) {
            s.setString(1, checkpoint.source());
            s.setLong(2, checkpoint.run());
            s.setObject(3, utc(checkpoint.watermark()), Types.TIMESTAMP_WITH_TIMEZONE);
            s.setString(4, json);
            s.setObject(5, utc(checkpoint.committed() != null ? checkpoint.committed() : Instant.now()),
                    Types.TIMESTAMP_WITH_TIMEZONE);
            s.executeUpdate();
        }
    }

    /** The statement creating the table when it is missing (for a sink creating it with its own, in one go). */
    public String createTable() {
        return createTable;
    }

    /** Once per instance (see {@link JdbcTables} for other processes doing it at the same moment). */
    private void ensureTable(Connection c) throws SQLException {
        if (tableReady) {
            return;
        }
        synchronized (this) {
            if (!tableReady) {
                JdbcTables.create(c, List.of(createTable));
                tableReady = true;
            }
        }
    }

    /** {@code instant} as PostgreSQL's driver binds a timestamptz whatever this JVM's time zone; null stays null. */
    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
