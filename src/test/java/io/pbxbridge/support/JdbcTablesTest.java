package io.pbxbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.pbxbridge.testsupport.Postgres;

/** First-use table creation against a real PostgreSQL, by sessions that nothing orders (as separate processes). */
class JdbcTablesTest {

    @RegisterExtension
    static final Postgres pg = Postgres.perTestClass();

    static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS t (key text PRIMARY KEY, at timestamptz NOT NULL)",
            "CREATE INDEX IF NOT EXISTS t_at ON t (at)");

    @Test
    void sessionsCreatingTheSameTablesAtOnceAllSucceedInAutocommitAndInTransactions() throws Exception {
        for (boolean autoCommit : new boolean[] { true, false }) {
            String url = pg.createSchema("race_" + autoCommit);
            int sessions = 8;
            CyclicBarrier start = new CyclicBarrier(sessions);
            ExecutorService threads = Executors.newFixedThreadPool(sessions);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    done.add(threads.submit(() -> {
                        try (Connection c = DriverManager.getConnection(url, Postgres.USER, "")) {
                            c.setAutoCommit(autoCommit);
                            start.await();
                            JdbcTables.create(c, DDL);
                            // the tables are there and usable on this session
                            c.createStatement().execute("INSERT INTO t VALUES ('" + Thread.currentThread().getName()
                                    + "', now())");
                            if (!autoCommit) {
                                c.commit();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS); // none failed
                }
            } finally {
                threads.shutdownNow();
            }
            assertEquals(sessions, pg.queryLong("SELECT count(*) FROM race_" + autoCommit + ".t"),
                    "autocommit " + autoCommit);
        }
    }
}
