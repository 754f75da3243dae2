package io.pbxbridge.events;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Route step: the CloudEvent in the body to Kafka binary mode (key, {@code ce_*} headers, data as the value). */
public class KafkaBinaryMode implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        CloudEvents.toKafkaBinary(exchange);
    }
}
