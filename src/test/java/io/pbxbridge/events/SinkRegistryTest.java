package io.pbxbridge.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.testsupport.LogCapture;

/** The fan-out to the sink routes: a route that does not take an event costs that sink the event, and says so. */
class SinkRegistryTest {

    @TempDir
    Path tmp;
    CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void anEventASinkRouteDidNotTakeIsLoggedCountedAndInItsHealth() throws Exception {
        camel = new DefaultCamelContext();
        SinkRegistry registry = new SinkRegistry();
        registry.setCamelContext(camel);
        camel.getRegistry().bind("sinkRegistry", registry);
        SinkGuard guard = new SinkGuard();
        guard.setCamelContext(camel);
        guard.setSink("broken");
        guard.setDeliverUri("direct:delivered");
        guard.setSpoolDir(tmp.resolve("spool").toString());
        guard.setDeadLetterDir(tmp.resolve("deadletter").toString());
        List<Object> taken = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:delivered").routeId("delivered").to("log:unexpected");
                from("direct:sink-broken").routeId("sink-broken").group("sinks").errorHandler(noErrorHandler())
                        .process(e -> {
                            throw new IllegalStateException("no room for it");
                        }).process(guard);
                from("direct:sink-ok").routeId("sink-ok").group("sinks").process(e -> taken.add(e.getIn().getBody()));
                from("direct:events").routeId("events").process(registry);
            }
        });
        camel.start();

        try (LogCapture log = LogCapture.open()) {
            for (int i = 0; i < 3; i++) {
                camel.createFluentProducerTemplate().to("direct:events").withBody("event-" + i).send();
            }
            List<LogEvent> errors = log.events(Level.ERROR, "SinkRegistry");
            assertEquals(1, errors.size(), "the first failure is logged, not each");
            String line = errors.get(0).getMessage().getFormattedMessage();
            assertTrue(line.contains("sink-broken") && line.contains("IllegalStateException: no room for it"), line);
            assertNull(errors.get(0).getThrown(), "one line: the stack trace is at DEBUG");
        }
        assertEquals(List.of("event-0", "event-1", "event-2"), taken, "the other sink got every event");
        assertEquals(3, registry.dispatchFailures("sink-broken"));
        assertEquals(0, registry.dispatchFailures("sink-ok"));
        HealthCheck.Result health = HealthCheckHelper.invoke(camel, "sink-broken", Map.of()).orElseThrow();
        assertEquals(3L, health.getDetails().get("dispatchFailures"));
    }
}
