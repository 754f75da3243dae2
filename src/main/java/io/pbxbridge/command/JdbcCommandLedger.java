package io.pbxbridge.command;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import io.pbxbridge.cdr.sink.CdrDataSources;
import io.pbxbridge.support.JdbcTables;
import io.pbxbridge.support.LogSafe;

/**
 * The command ledger in a PostgreSQL table, one row per command id, shared by every instance of the bridge: the
 * primary key is what lets exactly one of many claims of an id win, whichever process they come from. Each call is
 * a transaction of its own, committed (and so durable) before it returns.
 *
 * <p>The table, created when missing (default name {@value #DEFAULT_TABLE}):
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS pbx_command (
 *     id          text PRIMARY KEY,
 *     fingerprint text NOT NULL,        -- what the command asked
 *     owner       text NOT NULL,        -- who claimed it: instance/boot
 *     claimed_at  timestamptz NOT NULL,
 *     state       text NOT NULL,        -- RUNNING or DONE
 *     result      text,                 -- the result (a JSON document) once DONE
 *     finished_at timestamptz
 * )
 * CREATE TABLE IF NOT EXISTS pbx_command_owner (
 *     owner      text PRIMARY KEY,      -- instance/boot, as in pbx_command
 *     last_beat  timestamptz NOT NULL,  -- its last heartbeat
 *     stopped_at timestamptz            -- when it stopped with nothing under way
 * )
 * </pre>
 *
 * {@code result} is text, not jsonb: jsonb refuses the JSON escape of a NUL character and does not keep a document
 * byte for byte, and a vendor's answer may hold anything. Query it with {@code result::jsonb}. Times are kept to the
 * microsecond, PostgreSQL's precision (finer digits are cut, not rounded).
 */
public class JdbcCommandLedger implements CommandLedger {

    public static final String DEFAULT_TABLE = "pbx_command";

    private final DataSource dataSource;
    private final String table;
    private final String database;
    private final String createTable;
    private final String insert;
    private final String select;
    private final String update;
    private final String prune;
    private final String ownerTable;
    private final String createOwnerTable;
    private final String beat;
    private final String stop;
    private final String selectOwner;
    private final String pruneOwners;
    private volatile boolean tableReady;

    public JdbcCommandLedger(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /** @param table the table's name, {@code name} or {@code schema.name} */
    public JdbcCommandLedger(DataSource dataSource, String table) {
        if (!CdrDataSources.isPlainTableName(table)) {
            throw new IllegalArgumentException("the command ledger's table must be a plain name such as "
                    + DEFAULT_TABLE + " or bridge." + DEFAULT_TABLE + " (letters, digits, _), not '"
                    + LogSafe.text(table) + "'");
        }
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = table;
        this.database = CdrDataSources.describe(dataSource);
        this.createTable = "CREATE TABLE IF NOT EXISTS " + table + " (id text PRIMARY KEY, fingerprint text NOT NULL, "
                + "owner text NOT NULL, claimed_at timestamptz NOT NULL, state text NOT NULL, result text, "
                + "finished_at timestamptz)";
        this.insert = "INSERT INTO " + table + " (id, fingerprint, owner, claimed_at, state) VALUES (?, ?, ?, ?, '"
                + State.RUNNING + "') ON CONFLICT (id) DO NOTHING";
        this.select = "SELECT fingerprint, owner, claimed_at, state, result, finished_at FROM " + table
                + " WHERE id = ?";
        this.update = "UPDATE " + table + " SET state = '" + State.DONE + "', result = ?, finished_at = ? WHERE id = ? "
                + "AND state = '" + State.RUNNING + "'";
        this.prune = "DELETE FROM " + table + " WHERE state = '" + State.DONE + "' AND finished_at < ?";
        this.ownerTable = table + "_owner";
        this.createOwnerTable = "CREATE TABLE IF NOT EXISTS " + ownerTable + " (owner text PRIMARY KEY, last_beat "
                + "timestamptz NOT NULL, stopped_at timestamptz)";
        this.beat = "INSERT INTO " + ownerTable + " (owner, last_beat) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET "
                + "last_beat = excluded.last_beat";
        this.stop = "INSERT INTO " + ownerTable + " (owner, last_beat, stopped_at) VALUES (?, ?, ?) ON CONFLICT "
                + "(owner) DO UPDATE SET last_beat = excluded.last_beat, stopped_at = excluded.stopped_at";
        this.selectOwner = "SELECT last_beat, stopped_at FROM " + ownerTable + " WHERE owner = ?";
        this.pruneOwners = "DELETE FROM " + ownerTable + " WHERE coalesce(stopped_at, last_beat) < ?";
    }

    public String table() {
        return table;
    }

    /**
     * One INSERT that does nothing when the id is there already: of concurrent claims, PostgreSQL makes all but the
     * first wait for its commit, then skip; those then read the winner's row.
     */
    @Override
    public Optional<Entry> claim(String id, String fingerprint, String owner, Instant at)
            throws SQLException, IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(at, "at");
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            while (true) {
                int inserted;
                try (PreparedStatement s = c.prepareStatement(insert)) {
                    s.setString(1, id);
                    s.setString(2, fingerprint);
                    s.setString(3, owner);
                    s.setObject(4, utc(at), Types.TIMESTAMP_WITH_TIMEZONE);
                    inserted = s.executeUpdate();
                }
                commit(c);
                if (inserted == 1) {
                    return Optional.empty();
                }
                Optional<Entry> recorded = select(c, id);
                commit(c);
                if (recorded.isPresent()) {
                    return recorded;
                }
                // its row was pruned between the two statements (a DONE command past retention): claim it again
            }
        } catch (SQLException e) {
            throw CdrDataSources.failed("the command " + LogSafe.text(id) + " was not claimed in " + table, database,
                    e);
        }
    }

    /**
     * One UPDATE of a RUNNING row: of two instances answering one claim at the same moment, PostgreSQL makes the
     * second wait for the first's commit, then finds the row DONE and updates nothing.
     *
     * @throws IllegalStateException {@code id} was never claimed (or its row was pruned): a programming error
     */
    @Override
    public Optional<Entry> finish(String id, String result, Instant at) throws SQLException, IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Optional<Entry> recorded;
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            try (PreparedStatement s = c.prepareStatement(update)) {
                s.setString(1, result);
                s.setObject(2, utc(at), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setString(3, id);
                if (s.executeUpdate() == 1) {
                    commit(c);
                    return Optional.empty();
                }
            }
            commit(c);
            recorded = select(c, id);
            commit(c);
        } catch (SQLException e) {
            throw CdrDataSources.failed("the result of the command " + LogSafe.text(id) + " was not recorded in "
                    + table, database, e);
        }
        if (recorded.isEmpty()) {
            throw new IllegalStateException("the command " + LogSafe.text(id) + " is not in " + table + " of "
                    + database + ": it was never claimed, so it has no result to record");
        }
        return recorded; // DONE: a RUNNING row would have been updated
    }

    @Override
    public Optional<Entry> find(String id) throws SQLException, IOException {
        Objects.requireNonNull(id, "id");
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            Optional<Entry> entry = select(c, id);
            commit(c);
            return entry;
        } catch (SQLException e) {
            throw CdrDataSources.failed("the command " + LogSafe.text(id) + " could not be read from " + table,
                    database, e);
        }
    }

    @Override
    public void heartbeat(String owner, Instant at) throws SQLException {
        writeOwner(owner, at, false);
    }

    @Override
    public void stopped(String owner, Instant at) throws SQLException {
        writeOwner(owner, at, true);
    }

    @Override
    public Optional<Liveness> liveness(String owner) throws SQLException {
        Objects.requireNonNull(owner, "owner");
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            Optional<Liveness> liveness;
            try (PreparedStatement s = c.prepareStatement(selectOwner)) {
                s.setString(1, owner);
                try (ResultSet rs = s.executeQuery()) {
                    liveness = rs.next() ? Optional.of(new Liveness(instant(rs, 1), instant(rs, 2))) : Optional.empty();
                }
            }
            commit(c);
            return liveness;
        } catch (SQLException e) {
            throw CdrDataSources.failed("the life of " + LogSafe.text(owner) + " could not be read from "
                    + ownerTable, database, e);
        }
    }

    /**
     * Deletes the commands whose result was recorded before {@code cutoff} (retention): a redelivery of one of them
     * after that would run it again. RUNNING commands stay, however old. The owners last heard of before it go too.
     *
     * @return how many commands were deleted
     */
    @Override
    public int pruneFinishedBefore(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            int deleted;
            try (PreparedStatement s = c.prepareStatement(prune)) {
                s.setObject(1, utc(cutoff), Types.TIMESTAMP_WITH_TIMEZONE);
                deleted = s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(pruneOwners)) {
                s.setObject(1, utc(cutoff), Types.TIMESTAMP_WITH_TIMEZONE);
                s.executeUpdate();
            }
            commit(c);
            return deleted;
        } catch (SQLException e) {
            throw CdrDataSources.failed("the commands finished before " + cutoff + " were not deleted from " + table,
                    database, e);
        }
    }

    @Override
    public String describe() {
        return "the table " + table + " in " + database;
    }

    private void writeOwner(String owner, Instant at, boolean stopping) throws SQLException {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(at, "at");
        try (Connection c = dataSource.getConnection()) {
            ensureTable(c);
            try (PreparedStatement s = c.prepareStatement(stopping ? stop : beat)) {
                s.setString(1, owner);
                s.setObject(2, utc(at), Types.TIMESTAMP_WITH_TIMEZONE);
                if (stopping) {
                    s.setObject(3, utc(at), Types.TIMESTAMP_WITH_TIMEZONE);
                }
                s.executeUpdate();
            }
            commit(c);
        } catch (SQLException e) {
            throw CdrDataSources.failed("the " + (stopping ? "stop" : "heartbeat") + " of " + LogSafe.text(owner)
                    + " was not recorded in " + ownerTable, database, e);
        }
    }

    private Optional<Entry> select(Connection c, String id) throws SQLException, IOException {
        try (PreparedStatement s = c.prepareStatement(select)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String state = rs.getString(4);
                if (!State.RUNNING.name().equals(state) && !State.DONE.name().equals(state)) {
                    throw new IOException("The command " + LogSafe.text(id) + " in " + table + " of " + database
                            + " has the state '" + LogSafe.text(state) + "', neither RUNNING nor DONE");
                }
                return Optional.of(new Entry(id, rs.getString(1), rs.getString(2), instant(rs, 3),
                        State.valueOf(state), rs.getString(5), instant(rs, 6)));
            }
        }
    }

    /** Once per instance (see {@link JdbcTables} for other processes doing it at the same moment). */
    private void ensureTable(Connection c) throws SQLException {
        if (tableReady) {
            return;
        }
        synchronized (this) {
            if (!tableReady) {
                JdbcTables.create(c, List.of(createTable, createOwnerTable));
                tableReady = true;
            }
        }
    }

    /** Each call is its own transaction: nothing to do on the usual autocommit connection. */
    private static void commit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** As PostgreSQL keeps it: to the microsecond, in UTC whatever this JVM's time zone. */
    private static OffsetDateTime utc(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
