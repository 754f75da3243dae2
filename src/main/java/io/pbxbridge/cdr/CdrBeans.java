package io.pbxbridge.cdr;

import static io.pbxbridge.config.Settings.require;

import java.nio.file.Path;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Handler;

import io.pbxbridge.cdr.sink.CdrDataSources;
import io.pbxbridge.cdr.sink.CsvCallRecordSink;
import io.pbxbridge.cdr.sink.JdbcHarvestCheckpoints;
import io.pbxbridge.cdr.sink.KafkaCallRecordSink;
import io.pbxbridge.cdr.sink.PostgresCallRecordSink;
import io.pbxbridge.config.Settings;
import io.pbxbridge.vendor.VendorEndpoint;

/**
 * Binds what {@code routes/cdr-harvest.camel.yaml} uses, from the {@code cdr.*} settings: the checkpoints (in
 * PostgreSQL when that sink is on, so that they commit with its rows; else files in {@code <cdr.folder>/checkpoints}),
 * the three sinks ({@code cdrCsvSink}, {@code cdrKafkaSink}, {@code cdrPostgresSink}; one that is off is a stand-in
 * that refuses batches, which its route's filter never sends it) and {@code cdrRequests}.
 */
public final class CdrBeans {

    private CdrBeans() {
    }

    public static void bind(CamelContext context) throws Exception {
        Path folder = Path.of(require(context, "cdr.folder"));
        HarvestCheckpoints checkpoints;
        Object postgres;
        if (Settings.isTrue(context, "cdr.postgres.enabled")) {
            HikariDataSource pool = CdrDataSources.pool(context, "cdr.postgres");
            JdbcHarvestCheckpoints jdbc = new JdbcHarvestCheckpoints(pool);
            checkpoints = jdbc;
            postgres = new PostgresCallRecordSink(pool, require(context, "cdr.postgres.table"), jdbc);
        } else {
            checkpoints = new FileHarvestCheckpoints(folder.resolve("checkpoints"));
            postgres = new Off("cdr.postgres.enabled");
        }
        context.getRegistry().bind(VendorEndpoint.CHECKPOINTS_BEAN, HarvestCheckpoints.class, checkpoints);
        // with several instances on cdr.folder, a start-up must not settle the run another instance is harvesting
        boolean settleNow = !Settings.isTrue(context, "cluster.enabled");
        context.getRegistry().bind("cdrCsvSink", Settings.isTrue(context, "cdr.csv.enabled")
                ? new CsvCallRecordSink(folder.resolve("csv"), checkpoints, settleNow) : new Off("cdr.csv.enabled"));
        if (Settings.isTrue(context, "cdr.kafka.enabled")) {
            KafkaCallRecordSink kafka = new KafkaCallRecordSink(require(context, "cdr.kafka.brokers"),
                    require(context, "cdr.kafka.topic"), Map.of(), folder.resolve("kafka"), checkpoints);
            context.addService(kafka, true, true);
            context.getRegistry().bind("cdrKafkaSink", kafka);
        } else {
            context.getRegistry().bind("cdrKafkaSink", new Off("cdr.kafka.enabled"));
        }
        context.getRegistry().bind("cdrPostgresSink", postgres);
        context.getRegistry().bind("cdrRequests", new HarvestRequests());
    }

    /** A sink that is switched off: its route's filter keeps batches away; one that arrives anyway is refused. */
    public static final class Off {

        private final String setting;

        Off(String setting) {
            this.setting = setting;
        }

        @Handler
        public void refuse() {
            throw new IllegalStateException("this CDR sink is off (" + setting + " = false)");
        }
    }
}
