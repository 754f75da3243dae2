package io.pbxbridge.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.events.CloudEvent;
import io.pbxbridge.events.CloudEvents;
import io.pbxbridge.events.SinkGuard;
import io.pbxbridge.model.CallEvent;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.WebhookReceiver;

/**
 * Not a test: the Escaux event stream into the in-process Kafka broker through routes/events-*.camel.yaml, next to
 * a raw KafkaProducer sending the same payloads in the same run. Prints events/s, p50/p99 latency (emitted by the
 * simulator -> acknowledged by Kafka) at 10,000 events/s, and the spool's replay rate after an outage. Run with
 * {@code mvn -Pbench test -Dtest=EventsKafkaBench -Dbench.argLine=-Xmx1g}.
 */
@Tag("bench")
class EventsKafkaBench {

    static final int CALLS = 1000;
    static final int BLOCK = 200;
    static final int WARM_UP = Integer.getInteger("bench.warmup", 1_000_000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final int ROUND_EVENTS = Integer.getInteger("bench.events", 500_000);
    /** {@code -Dbench.throughputOnly=true} skips the latency and spool parts (for profiling). */
    static final boolean THROUGHPUT_ONLY = Boolean.getBoolean("bench.throughputOnly");

    @TempDir
    Path tmp;

    /** A block of events, each stamped with the emit time (nanoTime) so the ack side can compute latency. */
    static String block(long first, int n) {
        long now = System.nanoTime();
        StringBuilder b = new StringBuilder(n * 200);
        for (long i = first; i < first + n; i++) {
            b.append("<evParked><Channel>SIP/bench-").append(i % CALLS).append("</Channel><ParkSlot>70")
                    .append(i % 10).append("</ParkSlot><Seq>").append(i).append("</Seq><T>").append(now)
                    .append("</T></evParked>\n");
        }
        return b.toString();
    }

    @Test
    void escauxStreamIntoKafka() throws Exception {
        StringBuilder out = new StringBuilder();
        try (KafkaBroker broker = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
                EscauxSimulator escaux = EscauxSimulator.builder().httpPort(0).eventPort(0).build().start();
                WebhookReceiver receiver = new WebhookReceiver(WEBHOOK_SECRET).start()) {
            broker.createTopic("pbx-events", 3);
            broker.createTopic("raw-bench", 3);
            var main = Application.newMain();
            String[][] props = {
                    { "sandbox.enabled", "false" },
                    { "camel.main.routes-include-pattern", "file:routes/events-*.camel.yaml" },
                    { "camel.component.escaux.address", "http://127.0.0.1:" + escaux.httpPort() },
                    { "camel.component.escaux.event-host", "127.0.0.1" },
                    { "camel.component.escaux.event-port", Integer.toString(escaux.eventPort()) },
                    { "camel.component.escaux.ping-interval", "0" },
                    // -Dbench.workers=N: N threads route (application.properties has 1: the socket's own thread)
                    { "camel.component.escaux.workers", System.getProperty("bench.workers", "1") },
                    { "events.state", tmp.resolve("state").toString() },
                    { "events.spool.dir", System.getProperty("bench.spoolDir", tmp.resolve("spool").toString()) },
                    { "events.deadletter.dir", tmp.resolve("deadletter").toString() },
                    // an unpaced blast runs ahead of Kafka: the backlog must fit the spool (256 MiB by default)
                    { "events.spool.max-bytes", Long.toString(8L << 30) },
                    { "events.ndjson.enabled", "false" },
                    { "cdr.escaux.enabled", "false" },
                    { "cdr.monema.enabled", "false" },
                    { "events.kafka.enabled", "true" },
                    { "events.kafka.brokers", broker.bootstrapServers() },
                    { "events.kafka.delivery-timeout-ms", "6000" },
                    { "events.kafka.request-timeout-ms", "2000" },
                    { "events.retry.delay", "50" },
                    { "events.retry.max-delay", "200" },
                    // parts 1-3 (evParked: call.parked) go to Kafka only, part 4 (evBench) to the webhook only
                    { "events.kafka.filter.types", "call.*" },
                    { "events.webhook.enabled", "true" },
                    { "events.webhook.url", receiver.url() },
                    { "events.webhook.secret", WEBHOOK_SECRET },
                    { "events.webhook.filter.types", "escaux.evBench" },
                    { "camel.management.port", io.pbxbridge.testsupport.FreePort.managementPort() } };
            for (String[] p : props) {
                main.addOverrideProperty(p[0], p[1]);
            }
            main.start();
            CamelContext camel = main.getCamelContext();
            AckProbe probe = new AckProbe();
            Await.until(Duration.ofSeconds(30), "connected", () -> escaux.eventClients() == 1);
            SinkGuard guard = camel.getRegistry().findByType(SinkGuard.class).stream()
                    .filter(g -> "kafka".equals(g.getSink())).findFirst().orElseThrow();
            guard.setDeliveryListener(probe);

            long seq = 0;
            // warm-up: the JIT of the routes, the client and the broker (a third of the CPU goes to compiling
            // with a warm-up of 200,000), and of the raw producer's path
            seq = blast(escaux, probe, seq, WARM_UP);
            // 1. throughput, unpaced: the socket's back-pressure sets the pace. Two baselines, both sending what the
            // pipeline wrote (a real record is read back from the topic), keyed the same way:
            // - the issue's: a plain KafkaProducer (acks=all, linger.ms=5, otherwise defaults), the same values;
            // - a tuned one: the sink's producer settings, the very same records (value and ce_* headers).
            ConsumerRecord<String, byte[]> real = lastRecord(broker.bootstrapServers(), "pbx-events");
            List<Header> ceHeaders = List.of(real.headers().toArray());
            Properties sinkSettings = new Properties();
            sinkSettings.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
            sinkSettings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            sinkSettings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
            List<Double> pipeline = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            List<Double> rawTuned = new ArrayList<>();
            List<double[]> cpuPerRecord = new ArrayList<>(); // pipeline, raw, tuned raw: us of CPU (all threads)
            int n = ROUND_EVENTS;
            List<byte[]> rawValues = java.util.Collections.nCopies(n, real.value());
            List<String> rawKeys = new ArrayList<>(CALLS);
            for (int i = 0; i < CALLS; i++) {
                rawKeys.add("SIP/bench-" + i);
            }
            KafkaRawProducerBench.rawProducerRecordsPerSecond(broker.bootstrapServers(), "raw-bench", rawValues, rawKeys);
            KafkaRawProducerBench.rawProducerRecordsPerSecond(broker.bootstrapServers(), "raw-bench", rawValues, rawKeys,
                    ceHeaders, sinkSettings); // their warm-up
            for (int round = 0; round < ROUNDS; round++) {
                ThreadCpu cpu = ThreadCpu.snapshot();
                if (round == ROUNDS - 1) {
                    Profiler.start(); // the last pipeline round only
                }
                long t0 = System.nanoTime();
                seq = blast(escaux, probe, seq, n);
                pipeline.add(n / ((System.nanoTime() - t0) / 1e9));
                ThreadCpu cpuPipeline = ThreadCpu.snapshot();
                if (round == ROUNDS - 1) {
                    Profiler.stop();
                }
                raw.add(KafkaRawProducerBench.rawProducerRecordsPerSecond(broker.bootstrapServers(), "raw-bench",
                        rawValues, rawKeys));
                ThreadCpu cpuRaw = ThreadCpu.snapshot();
                rawTuned.add(KafkaRawProducerBench.rawProducerRecordsPerSecond(broker.bootstrapServers(), "raw-bench",
                        rawValues, rawKeys, ceHeaders, sinkSettings));
                ThreadCpu cpuTuned = ThreadCpu.snapshot();
                double usPipeline = cpuPipeline.cpuSeconds(cpu) * 1e6 / n;
                double usRaw = cpuRaw.cpuSeconds(cpuPipeline) * 1e6 / n;
                double usTuned = cpuTuned.cpuSeconds(cpuRaw) * 1e6 / n;
                cpuPerRecord.add(new double[] { usPipeline, usRaw, usTuned });
                System.out.printf("[bench] round %d: pipeline %.0f events/s, %.1f us CPU/event, %s%n", round + 1,
                        pipeline.get(round), usPipeline, cpuPipeline.since(cpu, 8));
                System.out.printf("[bench] round %d: raw %.0f records/s (%.1f us CPU/record), tuned raw with headers %.0f"
                        + " records/s (%.1f us CPU/record); this round's ratios %.0f %% / %.0f %%%n", round + 1,
                        raw.get(round), usRaw, rawTuned.get(round), usTuned, 100 * pipeline.get(round) / raw.get(round),
                        100 * pipeline.get(round) / rawTuned.get(round));
            }
            double p = median(pipeline);
            double r = median(raw);
            double rt = median(rawTuned);
            out.append(String.format("%n=== events -> Kafka benchmark (%d cores, heap %d MB, load %.1f) ===%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            out.append(String.format("records: %d-byte values, keyed by call (%d calls), %d ce_* headers (%d bytes);"
                    + " the sink's producer: acks=all, idempotent, linger.ms=5, batch.size=128 KiB%n", real.value().length,
                    CALLS, ceHeaders.size(), ceHeaders.stream().mapToInt(h -> h.key().length() + h.value().length).sum()));
            out.append(String.format("escaux:events -> CloudEvents -> kafka: %s events/s (median %.0f)%n", fmt(pipeline), p));
            out.append(String.format("raw KafkaProducer, same values:       %s records/s (median %.0f)%n", fmt(raw), r));
            out.append(String.format("  the same with the sink's settings and the same ce_* headers: %s records/s (median"
                    + " %.0f)%n", fmt(rawTuned), rt));
            out.append(String.format("ratio: %.0f %% of the raw producer (target >= 60 %%); %.0f %% of the tuned one%n",
                    100 * p / r, 100 * p / rt));
            // each round's pipeline next to the raw runs right after it: less exposed to the machine's slow spells
            List<Double> paired = new ArrayList<>();
            List<Double> pairedTuned = new ArrayList<>();
            for (int i = 0; i < pipeline.size(); i++) {
                paired.add(100 * pipeline.get(i) / raw.get(i));
                pairedTuned.add(100 * pipeline.get(i) / rawTuned.get(i));
            }
            out.append(String.format("  round by round: %s %% of the raw producer (median %.0f %%), %s %% of the tuned"
                    + " one (median %.0f %%)%n", fmt(paired), median(paired), fmt(pairedTuned), median(pairedTuned)));
            out.append(String.format("  CPU per record, all threads incl. the broker (median): pipeline %.1f us, raw %.1f"
                    + " us, tuned raw %.1f us%n", median(cpuPerRecord.stream().map(c -> c[0]).toList()),
                    median(cpuPerRecord.stream().map(c -> c[1]).toList()),
                    median(cpuPerRecord.stream().map(c -> c[2]).toList())));
            if (THROUGHPUT_ONLY) {
                main.stop();
                System.out.println(out);
                return;
            }

            // 2. latency at 10,000 events/s for 10 s
            probe.startSampling();
            long t0 = System.nanoTime();
            int paced = 100_000;
            for (int i = 0; i < paced / 100; i++) {
                escaux.emit(block(seq, 100));
                seq += 100;
                long due = t0 + (i + 1) * 10_000_000L;
                java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
            }
            Await.until(Duration.ofSeconds(60), "paced events acked", () -> probe.count.get() >= paced);
            long[] lat = probe.latencies();
            out.append(String.format("latency at 10,000 events/s (%d events, emit -> Kafka ack): p50 %.1f ms, p99 %.1f ms,"
                    + " max %.1f ms (target p99 < 50 ms)%n", lat.length, pct(lat, 50), pct(lat, 99), pct(lat, 100)));

            // 3. a backlog of 100,000 events into Kafka: the broker down while they come, then back; the replay
            // rate next to the live rate of part 1 (the same dispatcher, reading the spool back from disk)
            int backlog = Integer.getInteger("bench.backlog", 100_000);
            broker.stop();
            long before = probe.acked.get();
            for (int i = 0; i < backlog / BLOCK; i++) {
                escaux.emit(block(seq, BLOCK));
                seq += BLOCK;
            }
            Await.until(Duration.ofSeconds(120), () -> "the backlog spooled: " + guard.spooled(),
                    () -> guard.spooled() >= backlog);
            broker.start();
            long r0 = System.nanoTime();
            Await.until(Duration.ofSeconds(300), "the backlog delivered", () -> guard.spooled() == 0
                    && probe.acked.get() >= before + backlog);
            double replaySeconds = (System.nanoTime() - r0) / 1e9;
            out.append(String.format("backlog replay into Kafka: %d events in %.2f s = %.0f events/s, incl. the "
                    + "broker's restart (live: %.0f events/s)%n", backlog, replaySeconds, backlog / replaySeconds, p));

            // 4. the same for a webhook subscription: live POSTs to a real receiver (verifying every signature),
            // then a 100,000-event backlog built while it is down, replayed when it is back
            webhookBench(main.getCamelContext(), escaux, receiver, backlog, out);
            main.stop();
        }
        System.out.println(out);
        Files.writeString(Path.of("target", "bench-events-kafka.txt"), out.toString());
    }

    static final String WEBHOOK_SECRET = io.pbxbridge.support.webhook.StandardWebhooks.newSecret();

    /** Webhook events (type escaux.evBench), numbered from {@code first}. */
    static String webhookBlock(long first, int n) {
        StringBuilder b = new StringBuilder(n * 120);
        for (long i = first; i < first + n; i++) {
            b.append("<evBench><Channel>SIP/hook-").append(i % CALLS).append("</Channel><Seq>").append(i)
                    .append("</Seq></evBench>\n");
        }
        return b.toString();
    }

    /** Live POST rate, then the replay rate of a backlog built while the receiver is down. */
    static void webhookBench(CamelContext camel, EscauxSimulator escaux, WebhookReceiver receiver, int backlog,
            StringBuilder out) throws Exception {
        SinkGuard hook = camel.getRegistry().findByType(SinkGuard.class).stream()
                .filter(g -> "webhook-main".equals(g.getSink())).findFirst().orElseThrow();
        int live = Integer.getInteger("bench.webhookLive", 20_000);
        long seq = 0;
        long d0 = hook.delivered();
        for (int i = 0; i < 2000 / BLOCK; i++) { // warm-up
            escaux.emit(webhookBlock(seq, BLOCK));
            seq += BLOCK;
        }
        Await.until(Duration.ofSeconds(120), "webhook warm-up", () -> hook.delivered() >= d0 + 2000);
        long d1 = hook.delivered();
        long t0 = System.nanoTime();
        for (int i = 0; i < live / BLOCK; i++) {
            escaux.emit(webhookBlock(seq, BLOCK));
            seq += BLOCK;
        }
        Await.until(Duration.ofSeconds(300), "webhook live", () -> hook.delivered() >= d1 + live);
        double liveRate = live / ((System.nanoTime() - t0) / 1e9);
        receiver.stop();
        long d2 = hook.delivered();
        for (int i = 0; i < backlog / BLOCK; i++) {
            escaux.emit(webhookBlock(seq, BLOCK));
            seq += BLOCK;
        }
        Await.until(Duration.ofSeconds(120), () -> "the webhook backlog spooled: " + hook.spooled(),
                () -> hook.spooled() >= backlog);
        receiver.start();
        long r0 = System.nanoTime();
        Await.until(Duration.ofSeconds(600), "the webhook backlog delivered", () -> hook.delivered() >= d2 + backlog);
        double replaySeconds = (System.nanoTime() - r0) / 1e9;
        out.append(String.format("webhook (one POST at a time, signatures verified by the receiver): live %.0f "
                + "events/s; backlog replay %d events in %.2f s = %.0f events/s (incl. the first retry's backoff)%n",
                liveRate, backlog, replaySeconds, backlog / replaySeconds));
    }

    /** Emits n events in blocks and waits until Kafka acknowledged all of them. */
    static long blast(EscauxSimulator escaux, AckProbe probe, long seq, int n) {
        long target = probe.acked.get() + n;
        long start = System.nanoTime();
        long base = probe.acked.get();
        for (int i = 0; i < n / BLOCK; i++) {
            escaux.emit(block(seq, BLOCK));
            seq += BLOCK;
        }
        if (Boolean.getBoolean("bench.trace")) {
            System.out.printf("emitted %d in %d ms%n", n, (System.nanoTime() - start) / 1_000_000);
            while (probe.acked.get() < target) {
                System.out.printf("  t=%d ms acked %d%n", (System.nanoTime() - start) / 1_000_000, probe.acked.get() - base);
                java.util.concurrent.locks.LockSupport.parkNanos(250_000_000L);
            }
        }
        Await.until(Duration.ofSeconds(300), () -> "acks " + probe.acked.get() + "/" + target,
                () -> probe.acked.get() >= target);
        return seq;
    }

    /** The newest record of partition 0 of {@code topic}. */
    static ConsumerRecord<String, byte[]> lastRecord(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.seek(tp, consumer.position(tp) - 1);
            for (int i = 0; i < 100; i++) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new IllegalStateException("no record on " + topic);
    }

    /** Counts Kafka acknowledgements and samples emit -> ack latency from the events' T stamps. */
    static final class AckProbe implements java.util.function.Consumer<CloudEvent> {
        final AtomicLong acked = new AtomicLong();
        final AtomicLong count = new AtomicLong();
        private final long[] samples = new long[200_000];
        /** Latency is sampled in the paced part only: the throughput rounds just count (the listener's cost is
         * charged to the pipeline). */
        volatile boolean sampling;

        @Override
        public void accept(CloudEvent ce) {
            acked.incrementAndGet();
            if (sampling && ce.data() instanceof CallEvent c && c.details() != null && c.details().get("T") != null) {
                long latency = System.nanoTime() - Long.parseLong(c.details().get("T").toString());
                long i = count.getAndIncrement();
                if (i < samples.length) {
                    samples[(int) i] = latency;
                }
            }
        }

        void startSampling() {
            count.set(0);
            sampling = true;
        }

        long[] latencies() {
            int n = (int) Math.min(count.get(), samples.length);
            long[] copy = Arrays.copyOf(samples, n);
            Arrays.sort(copy);
            return copy;
        }
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }

    static String fmt(List<Double> v) {
        return v.stream().map(d -> String.format("%.0f", d)).toList().toString();
    }
}
