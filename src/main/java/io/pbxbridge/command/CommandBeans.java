package io.pbxbridge.command;

import static io.pbxbridge.config.Settings.duration;
import static io.pbxbridge.config.Settings.require;

import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;

import io.pbxbridge.cdr.sink.CdrDataSources;
import io.pbxbridge.cluster.ClusterBeans;
import io.pbxbridge.config.ConfigurationException;
import io.pbxbridge.config.Settings;
import io.pbxbridge.escaux.EscauxCommandVerbs;
import io.pbxbridge.metasec.MetasecCommandVerbs;
import io.pbxbridge.monema.MonemaCommandVerbs;
import io.pbxbridge.mor.MorCommandVerbs;
import io.pbxbridge.portasip.PortaSipCommandVerbs;

/**
 * Binds what {@code routes/commands.camel.yaml} uses, from the {@code commands.*} settings: the bean
 * {@code commandExecutor} with its ledger (PostgreSQL when {@code commands.store = postgres}, shared by every
 * instance; else files in {@code <commands.folder>/ledger}) and the vendors' verb tables.
 */
public final class CommandBeans {

    public static final String EXECUTOR = "commandExecutor";

    private CommandBeans() {
    }

    public static void bind(CamelContext context) throws Exception {
        Path folder = Path.of(require(context, "commands.folder"));
        CommandLedger ledger;
        String store = require(context, "commands.store");
        if (!store.equalsIgnoreCase("file") && !store.equalsIgnoreCase("postgres")) {
            throw new ConfigurationException("commands.store = \"" + store + "\": expected file or postgres");
        }
        if (store.equalsIgnoreCase("postgres")) {
            HikariDataSource pool = CdrDataSources.pool(context, "commands.postgres");
            ledger = new JdbcCommandLedger(pool, require(context, "commands.postgres.table"));
        } else {
            ledger = new FileCommandLedger(folder.resolve("ledger"));
        }
        CommandDocuments documents = new CommandDocuments(Path.of(require(context, "commands.documents")),
                Long.parseLong(require(context, "fax.max-size")), Duration.ofSeconds(30));
        CommandTargets targets = new CommandTargets(context, new EscauxCommandVerbs(),
                new MonemaCommandVerbs(documents), new PortaSipCommandVerbs(), new MorCommandVerbs(),
                new MetasecCommandVerbs());
        CommandExecutor executor = new CommandExecutor(context,
                new CommandParser(Integer.parseInt(require(context, "commands.max-bytes"))), targets, ledger,
                instance(context));
        executor.setRetry(duration(context, "commands.retry.delay"), duration(context, "commands.retry.max-delay"),
                duration(context, "commands.retry.max-duration"));
        executor.setStaleAfter(duration(context, "commands.stale-after"));
        Duration heartbeat = duration(context, "commands.heartbeat");
        Duration ownerTimeout = duration(context, "commands.owner-timeout");
        if (heartbeat.isZero() || ownerTimeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            // one late beat must not make a live instance look dead
            throw new ConfigurationException("commands.owner-timeout = " + ownerTimeout.toMillis() + " ms must be at "
                    + "least twice commands.heartbeat = " + heartbeat.toMillis() + " ms (and the heartbeat above 0)");
        }
        executor.setOwnerLiveness(heartbeat, ownerTimeout);
        executor.setRetention(duration(context, "commands.retention"));
        context.addService(executor, true, true);
        context.getRegistry().bind(EXECUTOR, executor);
    }

    /**
     * {@code commands.instance}, else the instance's name in the cluster ({@code cluster.instance}, else this host's
     * name and folder): stable across restarts, distinct between instances. Two instances under one name would each
     * take the other's claims for their own: a command redelivered to one while the other executes it would be
     * answered {@code unknown} at once, and then answered again by the other.
     */
    static String instance(CamelContext context) throws Exception {
        String configured = Settings.resolve(context, "commands.instance").orElse("").trim();
        return configured.isEmpty() ? ClusterBeans.instance(context) : configured;
    }
}
