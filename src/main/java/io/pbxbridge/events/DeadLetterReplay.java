package io.pbxbridge.events;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.service.ServiceHelper;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;
import io.pbxbridge.support.spool.DeadLetters;

/**
 * Sends a dead-lettered event back to the sink it failed on: a dead-letter file moved into the replay folder is
 * read, and its event put on that sink's queue (route {@code sink-<name>} or {@code webhook-<name>}), where it is
 * filtered, delivered, retried and spooled like a new one, with its original id. One producer template serves every
 * replay; {@link #close()} (the bean's destroy method) stops it.
 */
public class DeadLetterReplay implements CamelContextAware, AutoCloseable {

    private CamelContext camelContext;
    private ProducerTemplate template;

    public void replay(Exchange exchange) throws Exception {
        Path file = Path.of(exchange.getIn().getBody(GenericFile.class).getAbsoluteFilePath());
        JsonNode letter = Json.MAPPER.readTree(file.toFile());
        String sink = letter.path("sink").asText(null);
        if (sink == null) {
            throw new IllegalArgumentException(file.getFileName() + " is not a pbx-bridge dead letter (no \"sink\")");
        }
        CloudEvent event = Json.MAPPER.readValue(DeadLetters.read(file).payload(), CloudEvent.class);
        String routeId = SinkGuard.routeId(sink);
        Route route = camelContext.getRoute(routeId);
        if (route == null) {
            throw new IllegalArgumentException("no sink route " + routeId + " for the dead letter " + file.getFileName());
        }
        template().sendBody(route.getEndpoint(), event);
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = camelContext.createProducerTemplate();
        }
        return template;
    }

    @Override
    public synchronized void close() {
        ServiceHelper.stopService(template);
        template = null;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
