package io.pbxbridge.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.KafkaProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Delivery to Kafka with the client of a camel-kafka endpoint (its URI options configure it: brokers, security,
 * batching), sending each event as its own record with its own callback. Why not through the endpoint's producer:
 * camel-kafka reports one outcome per exchange, and the guard must know which records of a batch the broker
 * acknowledged, so that none of those is ever sent again.
 *
 * <p>The endpoint should set a delivery timeout beyond any outage ({@code deliveryTimeoutMs=2147483647}): the client
 * then never gives up a record by itself, so a record that expired can never be overtaken by a later one of its call
 * (its partition's order is the client's). A stop closes the client within its drain time; records it had not
 * confirmed are failed and sent again after the restart from the spool.
 */
final class KafkaDelivery implements SinkDelivery {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaDelivery.class);

    private final KafkaProducer camelProducer;
    private final Producer<String, byte[]> client;
    private final String topic;
    private final long slowMillis;
    private final String sink;
    private volatile boolean waitingLong;

    @SuppressWarnings("unchecked")
    KafkaDelivery(KafkaEndpoint endpoint, long slowMillis, String sink) throws Exception {
        this.sink = sink;
        this.camelProducer = (KafkaProducer) endpoint.createProducer();
        ServiceHelper.startService(camelProducer);
        this.client = camelProducer.getKafkaProducer();
        this.topic = endpoint.getConfiguration().getTopic();
        this.slowMillis = slowMillis;
    }

    @Override
    public int deliver(List<Outbound> events, Throwable[] outcome) throws InterruptedException {
        return await(send(events, outcome));
    }

    /** Records handed to the client, their outcomes to come. */
    record Sent(Throwable[] outcome, CountDownLatch done, int sent) {
    }

    /**
     * Hands the records to the client without waiting for the broker (so the next ones can be read meanwhile); each
     * outcome lands in {@code outcome}. After a send that fails at once, the rest are not offered.
     */
    Sent send(List<Outbound> events, Throwable[] outcome) {
        int n = events.size();
        CountDownLatch done = new CountDownLatch(n);
        int sent = 0;
        for (; sent < n; sent++) {
            int i = sent;
            try {
                Future<RecordMetadata> f = client.send(KafkaBinaryMode.record(topic, events.get(i)),
                        (metadata, failure) -> {
                            outcome[i] = failure;
                            done.countDown();
                        });
                if (f.isDone() && outcome[i] != null) {
                    // no metadata within max.block.ms (a broker unreachable since the start): the client reports it
                    // through the callback, not by throwing; each of the rest would block as long
                    sent++;
                    break;
                }
            } catch (Exception e) { // a record that cannot be written (too large, a closed client): the rest are not
                outcome[i] = e; //    offered either
                sent++;
                break;
            }
        }
        for (int i = sent; i < n; i++) {
            done.countDown();
        }
        return new Sent(outcome, done, sent);
    }

    /** Waits for the broker's acknowledgements (the client retries meanwhile; a stop closes it): how many were sent. */
    int await(Sent s) throws InterruptedException {
        long since = System.nanoTime();
        while (!s.done().await(slowMillis, TimeUnit.MILLISECONDS)) {
            if (!waitingLong) {
                waitingLong = true;
                LOG.warn("Sink {} is down: Kafka has not confirmed {} records for {} ms; the client keeps retrying "
                        + "them, new events wait in the spool", sink, s.done().getCount(),
                        (System.nanoTime() - since) / 1_000_000);
            }
        }
        if (waitingLong) {
            waitingLong = false;
            LOG.info("Sink {} is back: Kafka confirmed the records it held after {} ms", sink,
                    (System.nanoTime() - since) / 1_000_000);
        }
        return s.sent();
    }

    /** True while records have been waiting for the broker longer than the request timeout: Kafka is down. */
    boolean waitingLong() {
        return waitingLong;
    }

    @Override
    public void close(long millis) {
        client.close(Duration.ofMillis(millis));
        ServiceHelper.stopService(camelProducer);
    }
}
