package io.pbxbridge.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the tables pbx-bridge keeps in PostgreSQL (call records, CDR checkpoints, the command ledger) on first use.
 *
 * <p>{@code CREATE ... IF NOT EXISTS} is not safe against itself: when two sessions create the same table or index at
 * the same moment (every instance's first use after a deployment), the one that commits second fails on a catalog's
 * unique index ({@code pg_type_typname_nsp_index}, {@code pg_class_relname_nsp_index}). Tried again, it finds that
 * object and goes on to the next, so each statement can cost at most one more try. A lock in this JVM cannot order
 * other processes; an advisory lock could, but would hold a pooled connection's session for a race retries settle.
 */
public final class JdbcTables {

    private JdbcTables() {
    }

    /**
     * Runs {@code ddl} (statements that are harmless when their object exists: {@code CREATE ... IF NOT EXISTS}) and
     * commits them, on {@code connection}, in autocommit mode or not; tried again while another session's creation of
     * the same object is what failed it (see the class comment).
     */
    public static void create(Connection connection, List<String> ddl) throws SQLException {
        SQLException first = null;
        for (int attempt = 0; ; attempt++) {
            try {
                run(connection, ddl);
                return;
            } catch (SQLException e) {
                if (!connection.getAutoCommit()) {
                    connection.rollback(); // the failed statement aborted the transaction
                }
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
                if (!createdMeanwhile(e) || attempt >= ddl.size()) {
                    throw first;
                }
            }
        }
    }

    /** unique_violation on a catalog, duplicate_table or duplicate_object: the object came into being meanwhile. */
    private static boolean createdMeanwhile(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || "42P07".equals(state) || "42710".equals(state);
    }

    private static void run(Connection connection, List<String> ddl) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String statement : ddl) {
                s.execute(statement);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }
}
