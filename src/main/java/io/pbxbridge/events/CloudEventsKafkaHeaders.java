package io.pbxbridge.events;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The Kafka sink's header filter: only the CloudEvents binary-mode headers ({@code ce_*} and {@code content-type})
 * become Kafka record headers. Camel's default lets every header through that does not look like Camel's own, so the
 * transport headers of the source (Escaux, Netty) would reach the topic; and it runs a case-insensitive prefix scan
 * per header, per record.
 */
public class CloudEventsKafkaHeaders implements HeaderFilterStrategy {

    /** True (leave out) for every Camel header that is not part of the CloudEvents Kafka binding. */
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !isBindingHeader(headerName) || headerValue == null;
    }

    /** Consumers are not filtered: what a record carries is what the route sees. */
    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return false;
    }

    static boolean isBindingHeader(String name) {
        return name.startsWith("ce_") || name.equals("content-type");
    }
}
