package io.pbxbridge.cdr.sink;

import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.SOURCE;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.T0;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.assertEachKeyOnce;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.batch;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.endOffsets;
import static io.pbxbridge.cdr.sink.KafkaCallRecordSinkTest.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.KafkaBroker;

/**
 * The sink in a process of its own, killed with SIGKILL while it sends a run (in the middle of its batches, or just
 * after its journal, as the first records go out); the harvest then runs the uncommitted run again in a new sink:
 * every key is on the topic exactly once.
 */
@Tag("kafka")
class KafkaCallRecordSinkCrashTest {

    static final String TOPIC = "cdr-crash";
    static final int RUN_RECORDS = 5000;
    static final int BATCH = 500;

    @TempDir
    Path tmp;

    @Test
    void aRunKilledAtAnyMomentIsReplayedWithEachKeyOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
                CamelContext camel = new DefaultCamelContext()) {
            broker.createTopic(TOPIC, 3);
            camel.start();
            FileHarvestCheckpoints checkpoints = new FileHarvestCheckpoints(tmp.resolve("checkpoints"));
            for (int run = 1; run <= 2; run++) {
                int from = (run - 1) * RUN_RECORDS;
                ChildJvm child = ChildJvm.start(Child.class, broker.bootstrapServers(), TOPIC,
                        tmp.resolve("journal").toString(), checkpoints.directory().toString(), Integer.toString(run),
                        Integer.toString(from));
                String moment;
                if (run == 1) { // in the middle of its batches
                    moment = "'acked 2'";
                    child.awaitLines(lines -> lines.contains("acked 2"), 60, "the child's 'acked 2'");
                } else { // as it begins: the journal just written, the first records going out
                    moment = "its journal";
                    long r = run;
                    Await.until(Duration.ofSeconds(60), "the child's journal of run 2", () -> journalRun() == r);
                }
                int delay = ThreadLocalRandom.current().nextInt(20);
                Thread.sleep(delay);
                child.kill();
                long before = endOffsets(broker, TOPIC).values().stream().mapToLong(Long::longValue).sum();

                KafkaCallRecordSink sink = new KafkaCallRecordSink(broker.bootstrapServers(), TOPIC,
                        Map.of(), tmp.resolve("journal"), checkpoints);
                sink.start();
                try {
                    for (int i = 0; i < RUN_RECORDS / BATCH; i++) {
                        sink.send(batch(camel, run, i, records(from + i * BATCH, from + (i + 1) * BATCH)));
                    }
                } finally {
                    sink.stop();
                }
                System.out.printf("[KafkaCallRecordSinkCrashTest] run %d killed %d ms after %s with %d records on "
                        + "the topic; replayed%n", run, delay, moment, before);
                assertEachKeyOnce(broker, TOPIC, from + RUN_RECORDS);
                checkpoints.commit(new HarvestCheckpoint(SOURCE, run, T0, Map.of(), Instant.now()));
            }
        }
    }

    long journalRun() {
        try {
            KafkaRunJournal journal = KafkaRunJournal.load(KafkaRunJournal.file(tmp.resolve("journal"), SOURCE));
            return journal == null ? 0 : journal.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The process to kill: sends run {@code args[4]} (records {@code args[5]} on) batch after batch, saying
     * "sending" before the first and "acked i" after each; then waits to be killed (the run never commits).
     */
    public static final class Child {

        public static void main(String[] args) throws Exception {
            FileHarvestCheckpoints checkpoints = new FileHarvestCheckpoints(Path.of(args[3]));
            long run = Long.parseLong(args[4]);
            int from = Integer.parseInt(args[5]);
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.start();
                KafkaCallRecordSink sink = new KafkaCallRecordSink(args[0], args[1], Map.of(),
                        Path.of(args[2]), checkpoints);
                sink.start();
                System.out.println("sending");
                for (int i = 0; i < RUN_RECORDS / BATCH; i++) {
                    sink.send(batch(camel, run, i, records(from + i * BATCH, from + (i + 1) * BATCH)));
                    System.out.println("acked " + i);
                }
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
