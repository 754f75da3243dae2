package io.pbxbridge.cdr.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.cdr.HarvestCheckpoints;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.support.Json;

/**
 * The Kafka sink of the CDR harvest, a route step ({@code bean: ref: cdrKafkaSink}) after a {@code cdr} consumer: each
 * call record of the batch goes to the topic keyed by {@link CallRecord#key()} (a compacted topic keeps one record
 * per call), the record as JSON its value, its source in the {@value #SOURCE_HEADER} header (idempotent producer,
 * {@code acks=all}). The run's last batch ({@link Exchange#BATCH_COMPLETE}; or a batch not from a batch consumer)
 * returns once Kafka has acknowledged every record of the run; the batches before it do not wait. A record not
 * acknowledged fails the next batch or the last, so the run's checkpoint is not committed and the next run reads its
 * window again.
 *
 * <p>No record twice on the topic, even after a killed process: before a run's first record the sink journals
 * where the topic ends ({@link KafkaRunJournal}). A run that did not commit (the process died, a batch failed) comes
 * again with the same number; its first batch reads the topic back from the journal's offsets and the keys of its
 * source found there are not sent again. The journal keeps those offsets until a run commits, so every attempt of
 * an uncommitted run is read back.
 *
 * <p>The value keeps the vendor's own record ({@code raw}): the neutral fields leave out part of what a vendor
 * says (account codes, channels, caller names), and once the PBX purges its call log the topic is the only copy.
 *
 * <p>Why a KafkaProducer of its own rather than camel-kafka's producer: when a send fails part-way (no metadata
 * within {@code max.block.ms}), camel-kafka ends the exchange while the records already handed to the client are
 * still in flight; one of them landing after the retry has read the topic back would be written twice. Here every
 * record handed over has its outcome before a failed step answers, before a run's last batch returns, and before a
 * run's first batch reads the topic back.
 */
public class KafkaCallRecordSink extends ServiceSupport {

    public static final String DEFAULT_TOPIC = "pbx-cdr";
    public static final Path DEFAULT_JOURNAL_FOLDER = Path.of("data/cdr/kafka");
    /** Kafka header of every record: the harvest source, e.g. {@code monema:127.0.0.1/acme}. */
    public static final String SOURCE_HEADER = "cdr_source";
    /** Kafka header of every record: the number of the harvest run that sent it. */
    public static final String RUN_HEADER = "cdr_run";
    /** Kafka header {@code true} on the records of a backfill (records of any age harvested again). */
    public static final String BACKFILL_HEADER = "cdr_backfill";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCallRecordSink.class);
    private static final Header JSON = new RecordHeader("content-type",
            "application/json".getBytes(StandardCharsets.UTF_8));
    private static final Header BACKFILL = new RecordHeader(BACKFILL_HEADER, "true".getBytes(StandardCharsets.UTF_8));

    private final String brokers;
    private final String topic;
    private final Path journalFolder;
    private final HarvestCheckpoints checkpoints;
    private final KafkaClientSettings settings;
    private final KafkaReadBack readBack;
    /** Per source, the run attempt under way. */
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private volatile Producer<String, byte[]> producer;

    /**
     * @param brokers          bootstrap servers, {@code host:port,...}
     * @param topic            the topic; null or blank: {@value #DEFAULT_TOPIC}
     * @param clientProperties further Kafka client settings (security, batching, timeouts), or null; they
     *                         configure the producer and the consumer that reads the topic back
     * @param journalFolder    where the journals are kept; null: {@code data/cdr/kafka}
     * @param checkpoints      the application's harvest checkpoints: a source's last committed run
     */
    public KafkaCallRecordSink(String brokers, String topic, Map<String, ?> clientProperties, Path journalFolder,
                               HarvestCheckpoints checkpoints) {
        if (checkpoints == null) {
            throw new IllegalArgumentException("CDR Kafka sink: no harvest checkpoints given");
        }
        this.settings = new KafkaClientSettings(brokers, clientProperties);
        this.brokers = brokers.trim();
        this.topic = topic == null || topic.isBlank() ? DEFAULT_TOPIC : topic.trim();
        this.journalFolder = journalFolder == null ? DEFAULT_JOURNAL_FOLDER : journalFolder;
        this.checkpoints = checkpoints;
        this.readBack = new KafkaReadBack(settings, this.topic, this.brokers);
    }

    public String getTopic() {
        return topic;
    }

    public Path getJournalFolder() {
        return journalFolder;
    }

    /**
     * Puts the batch's records on the topic; the run's last batch returns once Kafka has acknowledged each record of
     * the run. The first batch of a run first journals the topic's end, or reads back what an uncommitted attempt of
     * the run left there.
     *
     * @throws IOException when a record is not acknowledged or the topic cannot be read: the run ends uncommitted
     */
    @Handler
    public void send(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String source = in.getHeader(CdrConstants.SOURCE, String.class);
        Long run = in.getHeader(CdrConstants.RUN, Long.class);
        if (source == null || source.isBlank() || run == null) {
            throw new IllegalArgumentException("CDR Kafka sink: the exchange has no "
                    + (run == null ? CdrConstants.RUN : CdrConstants.SOURCE) + " header; it takes the batches of a "
                    + "cdr consumer");
        }
        List<CallRecord> records = records(in.getBody());
        // the run's last batch, or one not from a batch consumer: every record acknowledged before the step returns
        boolean last = !Boolean.FALSE.equals(exchange.getProperty(Exchange.BATCH_COMPLETE, Boolean.class));
        if (records.isEmpty()) {
            // nothing to send, nothing to journal (a run's last batch may be empty): the run's earlier records acked
            Attempt earlier = attempts.get(source);
            if (last && earlier != null && earlier.run == run) {
                acknowledged(source, run, earlier, 0);
            }
            return;
        }
        if (!isStarted()) {
            start(); // a bean step stops its bean with its route: another route may still use it
        }
        boolean backfill = in.getHeader(CdrConstants.BACKFILL, false, Boolean.class);
        Attempt attempt = attempt(source, run, exchange.getProperty(Exchange.BATCH_INDEX, Integer.class), backfill);
        // a failure anywhere in the route may leave records of this attempt on the topic: its retry reads them back,
        // once none is in flight any more
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onFailure(Exchange failed) {
                settle();
                attempts.remove(source, attempt);
            }
        });
        List<Header> headers = backfill
                ? List.of(attempt.sourceHeader, attempt.runHeader, JSON, BACKFILL)
                : List.of(attempt.sourceHeader, attempt.runHeader, JSON);
        try {
            publish(source, run, records, attempt, headers, last);
        } catch (Exception e) {
            attempts.remove(source, attempt);
            throw e;
        }
    }

    private static List<CallRecord> records(Object body) {
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException("CDR Kafka sink: the body must be a List<CallRecord>, not "
                    + (body == null ? "null" : body.getClass().getName()));
        }
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            if (!(o instanceof CallRecord r)) {
                throw new IllegalArgumentException("CDR Kafka sink: element " + i + " of the batch is "
                        + (o == null ? "null" : "a " + o.getClass().getName()) + ", not a CallRecord");
            }
            if (r.key() == null || r.key().isBlank()) {
                throw new IllegalArgumentException("CDR Kafka sink: the call record at " + i + " of the batch has no "
                        + "key (source " + r.source() + ", start " + r.start() + ")");
            }
        }
        @SuppressWarnings("unchecked")
        List<CallRecord> records = (List<CallRecord>) list;
        return records;
    }

    /** The attempt the batch belongs to; a new one on a run's first batch (a retry's too) or another run. */
    private Attempt attempt(String source, long run, Integer batchIndex, boolean backfill) throws Exception {
        Attempt a = attempts.get(source);
        if (a == null || a.run != run || batchIndex != null && batchIndex == 0) {
            a = begin(source, run, backfill);
            attempts.put(source, a);
        }
        return a;
    }

    /**
     * Before the first record of a run attempt: when the journal's run did not commit, the keys it left on the topic
     * (its offsets kept for this attempt); else a journal of where the topic ends now. A backfill's attempt also
     * skips every key of its source on the topic (read from the start).
     */
    private Attempt begin(String source, long run, boolean backfill) throws Exception {
        settle(); // an attempt that ended without its last batch (a vendor page failed) may have records in flight
        Path file = KafkaRunJournal.file(journalFolder, source);
        KafkaRunJournal journal = KafkaRunJournal.load(file);
        HarvestCheckpoint checkpoint = checkpoints.load(source);
        long committed = checkpoint == null ? 0 : checkpoint.run();
        if (journal != null && journal.run() > committed && journal.topic().equals(topic)) {
            long t0 = System.nanoTime();
            Set<String> onTopic = readBack.keysOf(source, backfill ? Map.of() : journal.offsets());
            if (journal.run() != run) {
                journal.forRun(run).write(file);
            }
            LOG.info("CDR Kafka sink: run {} of {} did not commit; {} of its records are on topic {} already (read "
                    + "back from offsets {} in {} ms) and are not sent again", journal.run(), source, onTopic.size(),
                    topic, journal.offsets(), (System.nanoTime() - t0) / 1_000_000);
            return new Attempt(source, run, onTopic);
        }
        if (journal != null && !journal.topic().equals(topic)) {
            LOG.info("CDR Kafka sink: the journal of {} is of topic {}; the sink now sends to {}", source,
                    journal.topic(), topic);
        }
        new KafkaRunJournal(source, topic, run, readBack.endOffsets(), Instant.now()).write(file);
        if (backfill) {
            // a backfill sends records of any age again: those of its source on the topic already are not sent
            long t0 = System.nanoTime();
            Set<String> onTopic = readBack.keysOf(source, Map.of());
            LOG.info("CDR Kafka sink: backfill run {} of {}: {} records of the source are on topic {} already (read "
                    + "in {} ms) and are not sent again", run, source, onTopic.size(), topic,
                    (System.nanoTime() - t0) / 1_000_000);
            return new Attempt(source, run, onTopic);
        }
        return new Attempt(source, run, Set.of());
    }

    /**
     * Hands every record to the producer without waiting (after one that fails, the rest are not offered: each would
     * wait as long). On the run's last batch, waits until each record of the attempt has its outcome: the run's
     * checkpoint moves only once all are acknowledged, and none is left in flight to land after a retry's read-back.
     * The batches before it do not wait for their acknowledgements (a round trip to the brokers per batch, an eighth
     * of a harvest's time in CdrHarvestBench): a record that failed fails the next batch, or the last.
     */
    private void publish(String source, long run, List<CallRecord> records, Attempt attempt, List<Header> headers,
                         boolean last) throws IOException {
        Outcomes outcomes = attempt.outcomes;
        if (outcomes.first.get() != null) {
            acknowledged(source, run, attempt, records.size()); // an earlier batch's record failed: throws
        }
        int skipped = 0;
        int offered = 0;
        Producer<String, byte[]> client = producer;
        for (CallRecord r : records) {
            if (attempt.onTopic.contains(r.key())) {
                skipped++;
                continue;
            }
            byte[] value = Json.MAPPER.writeValueAsBytes(r);
            offered++;
            outcomes.offered.incrementAndGet();
            try {
                client.send(new ProducerRecord<>(topic, null, r.key(), value, headers), outcomes);
            } catch (KafkaException | IllegalStateException e) { // IllegalStateException: closed by a stop
                outcomes.onCompletion(null, e);
            }
            if (outcomes.first.get() != null) {
                break;
            }
        }
        if (last || outcomes.first.get() != null) {
            acknowledged(source, run, attempt, records.size() - skipped - offered);
        }
        if (skipped > 0) {
            LOG.debug("CDR Kafka sink: {} run {}: {} records sent, {} already on the topic", source, run, offered,
                    skipped);
        }
    }

    /**
     * Waits until every record the attempt sent has its outcome; throws if one was not acknowledged.
     *
     * @param notOffered records of this batch not handed to the producer after a failure
     */
    private void acknowledged(String source, long run, Attempt attempt, int notOffered) throws IOException {
        producer.flush(); // also ends the linger of the last records: the run goes on sooner
        Outcomes outcomes = attempt.outcomes;
        Exception failure = outcomes.first.get();
        if (failure != null) {
            throw new IOException("CDR Kafka sink: topic " + topic + " at " + brokers + " did not acknowledge "
                    + (outcomes.failed.get() + notOffered) + " of " + (outcomes.offered.get() + notOffered)
                    + " call records of " + source + " run " + run + " (" + failure.getClass().getSimpleName() + ": "
                    + failure.getMessage() + "); the run is not committed and its window is read again", failure);
        }
        outcomes.offered.set(0); // all acknowledged: a later failure counts from here
    }

    /** Waits until no record is in flight: each has landed on the topic or failed. */
    private void settle() {
        Producer<String, byte[]> p = producer;
        if (p != null) {
            try {
                p.flush();
            } catch (RuntimeException e) {
                LOG.debug("CDR Kafka sink: flush after a failure: {}", e.toString()); // closed by a stop
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        producer = new KafkaProducer<>(settings.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    protected void doStop() throws Exception {
        Producer<String, byte[]> p = producer;
        if (p != null) {
            // records not acknowledged by then fail their batch: the run is not committed
            p.close(Duration.ofSeconds(10));
        }
        attempts.clear();
    }

    /**
     * One attempt of a source's run: the keys an earlier attempt left on the topic, the records' headers, and the
     * outcomes of what it sent.
     */
    private static final class Attempt {
        final long run;
        final Set<String> onTopic;
        final Outcomes outcomes = new Outcomes();
        final Header sourceHeader;
        final Header runHeader;

        Attempt(String source, long run, Set<String> onTopic) {
            this.run = run;
            this.onTopic = onTopic;
            this.sourceHeader = new RecordHeader(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
            this.runHeader = new RecordHeader(RUN_HEADER, Long.toString(run).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The outcomes of an attempt's records since the last time all were acknowledged, from the I/O thread. */
    private static final class Outcomes implements Callback {
        final AtomicInteger offered = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<Exception> first = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception e) {
            if (e != null) {
                failed.incrementAndGet();
                first.compareAndSet(null, e);
            }
        }
    }
}
