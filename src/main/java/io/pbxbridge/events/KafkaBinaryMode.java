package io.pbxbridge.events;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallEventJson;
import io.pbxbridge.support.IsoInstant;
import io.pbxbridge.support.Json;

/**
 * Route step before the Kafka producer: the CloudEvent in the body to Kafka binary mode (key = subject, {@code ce_*}
 * headers, value = the data as JSON). The headers are replaced, not added to: a record carries the CloudEvents
 * attributes, not the source's transport headers. The envelope stays in the exchange property
 * {@link CloudEvents#ORIGINAL} (for the spool if the send fails).
 *
 * <p>A list of CloudEvents (a batch read at once) becomes an iterable of messages, one record each with its own key
 * and headers, for camel-kafka's {@code batchWithIndividualHeaders}: one exchange, one client callback to continue
 * the route, for the whole batch. Once a send has failed, the remaining records are not offered to the client (each
 * could block for {@code max.block.ms} on a full buffer): the whole batch is failed and goes to the spool.
 */
public class KafkaBinaryMode implements Processor {

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        Object body = in.getBody();
        exchange.setProperty(CloudEvents.ORIGINAL, body);
        if (body instanceof List<?> batch) {
            List<CloudEvent> events = (List<CloudEvent>) batch;
            byte[][] values = new byte[events.size()][]; // here, so that a failure fails the batch before any send
            for (int i = 0; i < values.length; i++) {
                values[i] = value(events.get(i));
            }
            in.setBody(new Records(exchange, events, values));
            return;
        }
        CloudEvent ce = in.getMandatoryBody(CloudEvent.class);
        Map<String, Object> headers = exchange.getContext().getCamelContextExtension().getHeadersMapFactory().newMap();
        in.setHeaders(headers(ce, headers));
        in.setBody(value(ce));
    }

    /** key + {@code ce_*} + content-type, into the map given. */
    static Map<String, Object> headers(CloudEvent ce, Map<String, Object> headers) {
        headers.put(KafkaConstants.KEY, ce.subject());
        headers.put("ce_specversion", ce.specversion());
        headers.put("ce_id", ce.id());
        headers.put("ce_source", ce.source());
        headers.put("ce_type", ce.type());
        headers.put("ce_time", IsoInstant.format(ce.time()));
        if (ce.subject() != null) {
            headers.put("ce_subject", ce.subject());
        }
        headers.put("ce_sequence", ce.sequence());
        headers.put("ce_sequencetype", ce.sequencetype());
        if (ce.pbxvendor() != null) {
            headers.put("ce_pbxvendor", ce.pbxvendor());
        }
        headers.put("content-type", CloudEvents.JSON);
        return headers;
    }

    /** The data as UTF-8 JSON, straight to bytes with no String in between. */
    static byte[] value(CloudEvent ce) throws com.fasterxml.jackson.core.JsonProcessingException {
        if (ce.data() instanceof CallEvent e) {
            byte[] fast = CallEventJson.bytes(e);
            if (fast != null) {
                return fast;
            }
        }
        return Json.MAPPER.writeValueAsBytes(ce.data());
    }

    /** The records of a batch, made as camel-kafka takes them; ends early once the exchange has failed. */
    private record Records(Exchange exchange, List<CloudEvent> events, byte[][] values) implements Iterable<Message> {
        @Override
        public Iterator<Message> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < events.size() && exchange.getException() == null;
                }

                @Override
                public Message next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Message record = new RecordMessage(exchange.getContext(), events.get(next));
                    record.setBody(values[next++]);
                    return record;
                }
            };
        }
    }

    /**
     * One record of a batch. Its headers are a plain map, made when camel-kafka first reads them: only camel-kafka
     * does, by their exact names, so the case-insensitive map of a routed message would be work for nothing.
     */
    private static final class RecordMessage extends DefaultMessage {
        private final CloudEvent event;

        RecordMessage(CamelContext context, CloudEvent event) {
            super(context);
            this.event = event;
        }

        @Override
        protected Map<String, Object> createHeaders() {
            return headers(event, new java.util.LinkedHashMap<>(16));
        }
    }
}
