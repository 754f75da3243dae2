package io.pbxbridge.cdr.sink;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.support.JdbcTables;
import io.pbxbridge.support.LogSafe;

/**
 * Stores the call-record batches of the {@code cdr} consumers in a PostgreSQL table, one row per record, called by a
 * route step ({@code bean: ref: cdrPostgresSink}). Each batch is one transaction: its rows go in with a JDBC batch of
 * {@code INSERT ... ON CONFLICT (key) DO NOTHING}, so records already stored (the overlap's repeats, the replay of
 * a run that failed or crashed) are skipped, and the last batch of a run writes the run's checkpoint
 * ({@link CdrConstants#CHECKPOINT}) through {@link JdbcHarvestCheckpoints#write} in the same transaction: the rows
 * and the checkpoint that says they are there commit together or not at all. How many rows were new and how many
 * were there already: the headers {@value #INSERTED} and {@value #SKIPPED}. A database that cannot be reached fails
 * the exchange with a message naming it; the consumer then keeps its checkpoint and reads the window again later.
 *
 * <p>Make it the last step of its route when other sinks share the route and the checkpoints are in this database
 * (the bean {@code cdrCheckpoints}): a sink after it that failed would find the run's checkpoint committed already,
 * and would not be given the run's records again.
 *
 * <p>Plain JDBC in a bean rather than camel-sql or camel-jdbc: rows and checkpoint in one transaction need one
 * connection for both, and those components share a transaction only through Spring's transaction manager, which
 * this application does not have.
 *
 * <p>The table, created when missing (default name {@value #DEFAULT_TABLE}; the raw vendor record is not kept):
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS pbx_call_record (
 *     key          text PRIMARY KEY,     -- vendor:source:vendor record id
 *     vendor       text,
 *     source       text,
 *     call_id      text,
 *     start_time   timestamptz NOT NULL,
 *     answer_time  timestamptz,
 *     end_time     timestamptz,
 *     duration     bigint,               -- seconds
 *     billsec      bigint,               -- seconds
 *     from_number  text,
 *     to_number    text,
 *     direction    text,                 -- INBOUND, OUTBOUND, INTERNAL, UNKNOWN
 *     disposition  text,                 -- ANSWERED, NO_ANSWER, BUSY, FAILED, CANCELLED, UNKNOWN
 *     cost         numeric,
 *     currency     text,
 *     recording    text,
 *     harvested_at timestamptz NOT NULL DEFAULT now()
 * );
 * CREATE INDEX IF NOT EXISTS pbx_call_record_start_time ON pbx_call_record (start_time);
 * </pre>
 *
 * Times are stored as instants (to the microsecond) whatever the zone of this JVM or of the session. PostgreSQL
 * text cannot hold the NUL character: one in a vendor's field is stored as U+FFFD, with a warning naming the record.
 */
public class PostgresCallRecordSink {

    public static final String DEFAULT_TABLE = "pbx_call_record";
    /** Header set on each batch: how many of its records were new rows (Integer). */
    public static final String INSERTED = "CamelPbxCdrSinkInserted";
    /** Header set on each batch: how many of its records were stored already, and skipped (Integer). */
    public static final String SKIPPED = "CamelPbxCdrSinkSkipped";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCallRecordSink.class);
    private static final String COLUMNS = "key, vendor, source, call_id, start_time, answer_time, end_time, duration, "
            + "billsec, from_number, to_number, direction, disposition, cost, currency, recording";

    private final DataSource dataSource;
    private final JdbcHarvestCheckpoints checkpoints;
    private final String database;
    private final String insert;
    private final List<String> createTable;
    private volatile boolean tablesReady;

    /** Records in {@value #DEFAULT_TABLE}, checkpoints in {@value JdbcHarvestCheckpoints#DEFAULT_TABLE}. */
    public PostgresCallRecordSink(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE, new JdbcHarvestCheckpoints(dataSource));
    }

    /**
     * @param table       the records' table, {@code name} or {@code schema.name}
     * @param checkpoints the checkpoints' table, in the same database (only its table is used: rows and checkpoint
     *                    are written on this sink's connection)
     */
    public PostgresCallRecordSink(DataSource dataSource, String table, JdbcHarvestCheckpoints checkpoints) {
        this.dataSource = dataSource;
        String name = CdrDataSources.tableName(table, "call record");
        this.checkpoints = checkpoints;
        this.database = CdrDataSources.describe(dataSource);
        this.insert = "INSERT INTO " + name + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?) ON CONFLICT (key) DO NOTHING";
        String unqualified = name.substring(name.indexOf('.') + 1);
        this.createTable = List.of("CREATE TABLE IF NOT EXISTS " + name + " (key text PRIMARY KEY, "
                + "vendor text, source text, call_id text, start_time timestamptz NOT NULL, answer_time timestamptz, "
                + "end_time timestamptz, duration bigint, billsec bigint, from_number text, to_number text, "
                + "direction text, disposition text, cost numeric, currency text, recording text, "
                + "harvested_at timestamptz NOT NULL DEFAULT now())",
                "CREATE INDEX IF NOT EXISTS " + unqualified + "_start_time ON " + name + " (start_time)");
    }

    /**
     * Stores the exchange's batch (body {@code List<CallRecord>}) and, on a run's last batch, its checkpoint, in one
     * transaction; sets {@value #INSERTED} and {@value #SKIPPED}.
     */
    @Handler
    public void store(Exchange exchange) throws SQLException {
        List<CallRecord> records = records(exchange);
        HarvestCheckpoint checkpoint = exchange.getProperty(CdrConstants.CHECKPOINT, HarvestCheckpoint.class);
        int inserted = 0;
        if (!records.isEmpty() || checkpoint != null) {
            try (Connection c = dataSource.getConnection()) {
                ensureTables(c);
                c.setAutoCommit(false);
                try {
                    inserted = insert(c, records);
                    if (checkpoint != null) {
                        checkpoints.write(c, checkpoint);
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    rollback(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                throw CdrDataSources.failed(batch(exchange, records) + " was not stored", database, e);
            }
        }
        exchange.getMessage().setHeader(INSERTED, inserted);
        exchange.getMessage().setHeader(SKIPPED, records.size() - inserted);
        LOG.debug("{}: {} new rows, {} stored already{}", batch(exchange, records), inserted,
                records.size() - inserted, checkpoint != null ? ", checkpoint of run " + checkpoint.run() : "");
    }

    /** The new rows: the records the database did not have. */
    private int insert(Connection c, List<CallRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        try (PreparedStatement s = c.prepareStatement(insert)) {
            for (CallRecord r : records) {
                s.setString(1, text(r, "key", r.key()));
                s.setString(2, text(r, "vendor", r.vendor()));
                s.setString(3, text(r, "source", r.source()));
                s.setString(4, text(r, "call_id", r.callId()));
                s.setObject(5, JdbcHarvestCheckpoints.utc(r.start()), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setObject(6, JdbcHarvestCheckpoints.utc(r.answer()), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setObject(7, JdbcHarvestCheckpoints.utc(r.end()), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setObject(8, r.duration(), Types.BIGINT);
                s.setObject(9, r.billsec(), Types.BIGINT);
                s.setString(10, text(r, "from_number", r.from()));
                s.setString(11, text(r, "to_number", r.to()));
                s.setString(12, r.direction() == null ? null : r.direction().name());
                s.setString(13, r.disposition() == null ? null : r.disposition().name());
                s.setBigDecimal(14, r.cost());
                s.setString(15, text(r, "currency", r.currency()));
                s.setString(16, text(r, "recording", r.recording()));
                s.addBatch();
            }
            // 1 per new row, 0 per key already there (the driver reports no count, -2, with reWriteBatchedInserts)
            int inserted = 0;
            for (int n : s.executeBatch()) {
                inserted += n > 0 ? 1 : 0;
            }
            return inserted;
        }
    }

    /** Once per instance (see {@link JdbcTables} for other processes doing it at the same moment). */
    private void ensureTables(Connection c) throws SQLException {
        if (tablesReady) {
            return;
        }
        synchronized (this) {
            if (!tablesReady) {
                List<String> ddl = new ArrayList<>(createTable);
                ddl.add(checkpoints.createTable());
                JdbcTables.create(c, ddl);
                tablesReady = true;
            }
        }
    }

    /** The exchange's body, every record checked for what the table requires. */
    private static List<CallRecord> records(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException("the PostgreSQL CDR sink takes a List<CallRecord> body (a batch of a "
                    + "cdr consumer), not " + (body == null ? "an empty body" : body.getClass().getName()));
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof CallRecord r)) {
                Object o = list.get(i);
                throw refused(exchange, list, "record " + i, "is " + (o == null ? "null" : "a " + o.getClass()
                        .getName()) + ", not a CallRecord");
            } else if (r.key() == null || r.key().isBlank()) {
                throw refused(exchange, list, "record " + i, "has no key");
            } else if (r.start() == null) {
                throw refused(exchange, list, "record " + i + " (" + LogSafe.text(r.key()) + ")", "has no start time");
            }
        }
        @SuppressWarnings("unchecked")
        List<CallRecord> records = (List<CallRecord>) list;
        return records;
    }

    private static IllegalArgumentException refused(Exchange exchange, List<?> records, String which, String why) {
        return new IllegalArgumentException(which + " of " + batch(exchange, records) + " " + why
                + "; nothing of the batch was stored");
    }

    /** {@code value} without the NUL characters PostgreSQL text refuses (U+FFFD instead, said in a warning). */
    private static String text(CallRecord r, String column, String value) {
        if (value == null || value.indexOf('\0') < 0) {
            return value;
        }
        LOG.warn("CDR record {}: NUL characters in {} stored as U+FFFD (PostgreSQL text cannot hold them)",
                LogSafe.text(r.key()), column);
        return value.replace('\0', '\uFFFD');
    }

    private static String batch(Exchange exchange, List<?> records) {
        return "the CDR batch of " + LogSafe.text(exchange.getMessage().getHeader(CdrConstants.SOURCE)) + " run "
                + exchange.getMessage().getHeader(CdrConstants.RUN) + " (" + records.size()
                + (records.size() == 1 ? " record)" : " records)");
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e); // the connection is gone: the server rolled back already
        }
    }
}
