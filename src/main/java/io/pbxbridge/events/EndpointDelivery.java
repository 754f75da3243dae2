package io.pbxbridge.events;

import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Delivery through a Camel endpoint: one exchange per event (webhooks, e-mail: each event is its own request with
 * its own answer), signed anew for every attempt when the sink is a webhook; or, {@code batch}, one exchange whose
 * body is the list of events (a file appended to at once). Stops at the first failure that is not a refusal of that
 * one event, so the events behind it keep their place.
 */
final class EndpointDelivery implements SinkDelivery {

    private final Endpoint endpoint;
    private final Producer producer;
    private final WebhookSigner signer;
    private final boolean batch;
    private final BooleanSupplier stopping;

    EndpointDelivery(Endpoint endpoint, WebhookSigner signer, boolean batch, BooleanSupplier stopping)
            throws Exception {
        this.endpoint = endpoint;
        this.stopping = stopping;
        this.producer = endpoint.createProducer();
        this.signer = signer;
        this.batch = batch;
        ServiceHelper.startService(producer);
    }

    @Override
    public int deliver(List<Outbound> events, Throwable[] outcome) throws InterruptedException {
        if (batch) {
            Throwable failure = send(events.stream().map(Outbound::whole).toList());
            java.util.Arrays.fill(outcome, 0, events.size(), failure);
            return events.size();
        }
        for (int i = 0; i < events.size(); i++) {
            if (i > 0 && stopping.getAsBoolean()) {
                return i; // the rest stay in the spool for the next start
            }
            outcome[i] = send(events.get(i).whole());
            if (outcome[i] != null && SinkFailure.of(outcome[i]) != SinkFailure.PERMANENT) {
                return i + 1;
            }
        }
        return events.size();
    }

    private Throwable send(Object body) {
        Exchange exchange = endpoint.createExchange();
        exchange.getIn().setBody(body);
        try {
            if (signer != null) {
                signer.sign(exchange);
            }
            producer.process(exchange);
        } catch (Exception e) {
            return e;
        }
        return exchange.getException();
    }

    @Override
    public void close(long millis) {
        ServiceHelper.stopService(producer);
    }
}
