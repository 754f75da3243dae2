package io.pbxbridge.cdr.sink;

import static io.pbxbridge.config.Settings.require;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.postgresql.Driver;
import org.postgresql.ds.common.BaseDataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import io.pbxbridge.config.Settings;
import io.pbxbridge.support.LogSafe;

/**
 * The connection pool of the CDR harvest's PostgreSQL database, and the words its failures are told in: which
 * database (host, port, name, user: never the password, never the URL, whose parameters may hold one) and the
 * server's or the driver's own reason.
 */
public final class CdrDataSources {

    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern TABLE_NAME = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}");

    private CdrDataSources() {
    }

    /** {@link #pool(String, String, String, int, Duration)} waiting {@link #DEFAULT_CONNECTION_TIMEOUT}. */
    public static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize) {
        return pool(jdbcUrl, user, password, poolSize, DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * A HikariCP pool of at most {@code poolSize} connections to {@code jdbcUrl}. It connects on first use, not
     * here: a database that is down fails the harvest runs that need it (their checkpoints stay), not the start of
     * the application. Close it when done.
     *
     * @param jdbcUrl           {@code jdbc:postgresql://host:port/database}, parameters allowed
     * @param user              the role to connect as (null: the URL's or the driver's default)
     * @param password          its password (null: none); never logged
     * @param connectionTimeout how long a call waits for a connection before it fails; keep it above 5 s, the
     *                          pool's longest pause between attempts to reconnect, so that the first run after an
     *                          outage gets through
     */
    public static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize,
                                        Duration connectionTimeout) {
        return pool("cdr.postgres", jdbcUrl, user, password, poolSize, connectionTimeout);
    }

    /**
     * The pool of the settings {@code <prefix>.url}, {@code .user}, {@code .password}, {@code .pool-size} (e.g.
     * {@code cdr.postgres}, {@code commands.postgres}), closed when {@code context} stops.
     */
    public static HikariDataSource pool(CamelContext context, String prefix) throws Exception {
        HikariDataSource pool = pool(prefix, require(context, prefix + ".url"), require(context, prefix + ".user"),
                Settings.resolve(context, prefix + ".password").orElse(""),
                Integer.parseInt(require(context, prefix + ".pool-size")), DEFAULT_CONNECTION_TIMEOUT);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                pool.close();
            }
        }, true, true);
        return pool;
    }

    private static HikariDataSource pool(String settings, String jdbcUrl, String user, String password,
                                         int poolSize, Duration connectionTimeout) {
        if (jdbcUrl == null || Driver.parseURL(jdbcUrl, null) == null) {
            throw new IllegalArgumentException(settings + ": the URL must be a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://db.example:5432/pbx, not '" + LogSafe.text(withoutParameters(jdbcUrl)) + "'");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException(settings + ": the pool size must be at least 1, not " + poolSize);
        }
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("pbx-" + settings.substring(0, settings.indexOf('.')));
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(poolSize);
        pool.setMinimumIdle(1); // runs are minutes apart: one connection kept, more only while batches overlap
        pool.setConnectionTimeout(connectionTimeout.toMillis());
        pool.setInitializationFailTimeout(-1); // no connection at construction, see above
        pool.addDataSourceProperty("ApplicationName", "pbx-bridge " + settings.substring(0, settings.indexOf('.')));
        return pool;
    }

    /**
     * Which database {@code dataSource} reaches, for messages: {@code the PostgreSQL database pbx on
     * db.example:5432 as harvester}.
     */
    public static String describe(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource h && h.getJdbcUrl() != null) {
            return describe(h.getJdbcUrl(), h.getUsername());
        }
        if (dataSource instanceof BaseDataSource pg) {
            StringBuilder hosts = new StringBuilder();
            String[] names = pg.getServerNames();
            int[] ports = pg.getPortNumbers();
            for (int i = 0; i < names.length; i++) {
                int p = ports != null && i < ports.length && ports[i] > 0 ? ports[i] : 5432;
                hosts.append(i == 0 ? "" : ",").append(names[i]).append(':').append(p);
            }
            return describe(hosts.toString(), pg.getDatabaseName(), pg.getUser());
        }
        return "the database of " + dataSource.getClass().getName();
    }

    /** {@link #describe(DataSource)} of a JDBC URL and a user (null: the URL's). */
    static String describe(String jdbcUrl, String user) {
        Properties p = Driver.parseURL(jdbcUrl, null);
        if (p == null) {
            return "the database at " + LogSafe.text(withoutParameters(jdbcUrl));
        }
        String[] hosts = p.getProperty("PGHOST", "localhost").split(",");
        String[] ports = p.getProperty("PGPORT", "5432").split(",");
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            at.append(i == 0 ? "" : ",").append(hosts[i]).append(':').append(i < ports.length ? ports[i] : "5432");
        }
        return describe(at.toString(), p.getProperty("PGDBNAME"), user != null ? user : p.getProperty("user"));
    }

    private static String describe(String hostsAndPorts, String database, String user) {
        return "the PostgreSQL database " + (database == null || database.isEmpty() ? "(the user's)" : database)
                + " on " + hostsAndPorts + (user == null || user.isEmpty() ? "" : " as " + user);
    }

    private static String withoutParameters(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    /**
     * Why a database call failed, in one line: the innermost {@link SQLException} of the chain (the driver's
     * "Connection to host:port refused", the server's "ERROR: ..."). Of a server's error, only its severity and
     * message: its detail may quote a whole row.
     */
    static String problem(Throwable failure) {
        SQLException innermost = null;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException s) {
                innermost = s;
            }
        }
        if (innermost == null) {
            return LogSafe.text(failure, LogSafe.MAX_MESSAGE_CHARS);
        }
        String message = innermost.getMessage();
        if (innermost instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage server = p.getServerErrorMessage();
            message = server.getSeverity() + ": " + server.getMessage();
        }
        return LogSafe.text(message != null ? message : innermost.getClass().getSimpleName(),
                LogSafe.MAX_MESSAGE_CHARS);
    }

    /**
     * {@code name} checked to be a plain table name, {@code table} or {@code schema.table} (letters, digits and
     * underscores, not starting with a digit): it goes into SQL as it is.
     */
    static String tableName(String name, String what) {
        if (!isPlainTableName(name)) {
            throw new IllegalArgumentException("cdr.postgres: the " + what + " table must be a plain name such as "
                    + "pbx_call_record or cdr.pbx_call_record (letters, digits, _), not '" + LogSafe.text(name) + "'");
        }
        return name;
    }

    /**
     * Whether {@code name} is a plain table name, {@code table} or {@code schema.table} (letters, digits and
     * underscores, not starting with a digit), safe to put into SQL as it is.
     */
    public static boolean isPlainTableName(String name) {
        return name != null && TABLE_NAME.matcher(name).matches();
    }

    /** {@code failure} as what {@code what} could not do in {@code database}, its SQL state kept. */
    public static SQLException failed(String what, String database, SQLException failure) {
        return new SQLException(what + " in " + database + ": " + problem(failure), failure.getSQLState(), failure);
    }
}
