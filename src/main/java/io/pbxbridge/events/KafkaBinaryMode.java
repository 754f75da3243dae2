package io.pbxbridge.events;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

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
        headers(ce, headers::put);
        in.setHeaders(headers);
        in.setBody(value(ce));
    }

    /**
     * key + {@code ce_*} + content-type, each name once, to {@code headers}. The header values are UTF-8 bytes, as
     * the CloudEvents Kafka binding wants them: camel-kafka would encode strings in the platform's charset (ASCII
     * under a POSIX locale on Java 17).
     */
    static void headers(CloudEvent ce, java.util.function.BiConsumer<String, Object> headers) {
        headers.accept(KafkaConstants.KEY, ce.subject());
        headers.accept("ce_specversion", CloudEvents.SPEC_VERSION.equals(ce.specversion()) ? SPEC_VERSION
                : utf8(ce.specversion()));
        headers.accept("ce_id", utf8(ce.id()));
        headers.accept("ce_source", utf8(ce.source()));
        headers.accept("ce_type", utf8(ce.type()));
        headers.accept("ce_time", utf8(IsoInstant.format(ce.time())));
        if (ce.subject() != null) {
            headers.accept("ce_subject", utf8(ce.subject()));
        }
        headers.accept("ce_sequence", utf8(ce.sequence()));
        headers.accept("ce_sequencetype", INTEGER.equals(ce.sequencetype()) ? INTEGER_UTF8 : utf8(ce.sequencetype()));
        if (ce.pbxvendor() != null) {
            headers.accept("ce_pbxvendor", utf8(ce.pbxvendor()));
        }
        headers.accept("content-type", CONTENT_TYPE);
    }

    private static final String INTEGER = "Integer";
    private static final byte[] SPEC_VERSION = utf8(CloudEvents.SPEC_VERSION);
    private static final byte[] INTEGER_UTF8 = utf8(INTEGER);
    private static final byte[] CONTENT_TYPE = utf8(CloudEvents.JSON);

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
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
            BindingHeaders headers = new BindingHeaders();
            headers(event, headers::add);
            return headers;
        }
    }

    /**
     * The headers of one record, in the order added, for camel-kafka to read (a few lookups, one pass over all):
     * arrays and a scan of at most eleven names instead of a hash map's nodes. Records carry no override headers,
     * so nothing is ever removed.
     */
    static final class BindingHeaders extends AbstractMap<String, Object> {
        private final String[] names = new String[11];
        private final Object[] values = new Object[11];
        private int size;

        /** A header not there yet (no lookup: {@link #headers} gives each name once). */
        void add(String name, Object value) {
            names[size] = name;
            values[size++] = value;
        }

        @Override
        public Object put(String name, Object value) {
            int i = indexOf(name);
            if (i >= 0) {
                Object old = values[i];
                values[i] = value;
                return old;
            }
            names[size] = name;
            values[size++] = value;
            return null;
        }

        @Override
        public Object get(Object name) {
            int i = indexOf(name);
            return i < 0 ? null : values[i];
        }

        @Override
        public boolean containsKey(Object name) {
            return indexOf(name) >= 0;
        }

        private int indexOf(Object name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, Object> e = new SimpleImmutableEntry<>(names[next], values[next]);
                            next++;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }
}
