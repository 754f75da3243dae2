package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.vendor.VendorException.Kind;

/**
 * How a live-call method finds the leg of a call id: the table of the running {@code portasip:events} consumer, else
 * {@code get_sip_calls_list} of the configured scopes, else it says what to give.
 */
class PortaSipCallLookupTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void theConsumersTableFirstTheListingOfTheScopesElseAClearRefusal() throws Exception {
        try (PortaSipSimulator sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(20)).start();
             CamelContext camel = new DefaultCamelContext()) {
            PortaSipComponent component = new PortaSipComponent();
            PortaSipConfiguration c = component.getConfiguration();
            c.setAddress(sim.address());
            c.setLogin("123001");
            c.setDomain("sip.example.com");
            c.setPassword("secret001");
            camel.addComponent("portasip", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // no liveness check: every get_sip_calls_list is a lookup's
                    from("portasip:events?customers=30&pingInterval=0").routeId("events").to("log:portasip?level=DEBUG");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            PortaSipEventConsumer consumer = (PortaSipEventConsumer) camel.getRoute("events").getConsumer();
            Await.until(WAIT, "subscribed", consumer::isSubscribed);

            // the events consumer's table, bound while it runs: asked, and no list requested
            String call = originate(template, "");
            PortaSipCallLookup table = consumer.getCallLookup();
            Await.until(WAIT, "both legs connected in the table", () -> table.find(call).orElse(List.of()).stream()
                    .filter(l -> l.state().equals("connected")).count() == 2);
            int lists = sim.requestCount("CallControl", "get_sip_calls_list");
            template.requestBodyAndHeaders("portasip:holdCall", null, Map.of(PortaSipConstants.CALL_ID, call,
                    PortaSipConstants.LEG, "B"));
            String tagB = table.find(call).orElseThrow().get(1).call().tag();
            Await.until(WAIT, "leg B holding", () -> sim.liveLegs().contains(call + "~10 " + tagB + " holding"));
            template.requestBodyAndHeaders("portasip:terminateCall", null, Map.of(PortaSipConstants.CALL_ID, call));
            Await.until(WAIT, "ended", () -> table.find(call).isEmpty());
            assertEquals(lists, sim.requestCount("CallControl", "get_sip_calls_list"), "the table was enough");

            // no consumer, no scope: the component says what to give
            camel.getRouteController().stopRoute("events");
            PortaSipException refused = failure(template, "portasip:holdCall", call);
            assertEquals(Kind.INVALID_REQUEST, refused.getKind());
            assertTrue(refused.getMessage().contains("give callTag and transportId"), refused.getMessage());

            // a scope to list: the call placed with it is listed from its first state
            String listed = originate(template, "?iCustomer=30");
            Await.until(WAIT, "both legs connected", () -> sim.liveLegs().stream()
                    .filter(l -> l.startsWith(listed)).filter(l -> l.endsWith(" connected")).count() == 2);
            template.requestBodyAndHeaders("portasip:holdCall?iCustomer=30", null, Map.of(PortaSipConstants.CALL_ID,
                    listed));
            assertTrue(sim.requestCount("CallControl", "get_sip_calls_list") > lists, "listed");
            Await.until(WAIT, "leg A holding", () -> sim.liveLegs().stream()
                    .anyMatch(l -> l.startsWith(listed + " ") && l.endsWith(" holding")));
            template.requestBodyAndHeaders("portasip:terminateCall?iCustomer=30", null, Map.of(
                    PortaSipConstants.CALL_ID, listed));
            Await.until(WAIT, "ended", () -> sim.liveLegs().stream().noneMatch(l -> l.startsWith(listed)));
            PortaSipException gone = failure(template, "portasip:terminateCall?iCustomer=30", listed);
            assertTrue(gone.getMessage().contains("no live call " + listed), gone.getMessage());
        }
    }

    static String originate(ProducerTemplate template, String options) {
        return template.requestBodyAndHeaders("portasip:originateAdvancedCall" + options, null, Map.of(
                PortaSipConstants.BILL_ID, "123001", PortaSipConstants.CALLER_ID, "123001",
                PortaSipConstants.CALLEE_ID, "123002"), OriginateResult.class).callId();
    }

    static PortaSipException failure(ProducerTemplate template, String uri, String call) {
        Exchange ex = template.request(uri, e -> e.getIn().setHeader(PortaSipConstants.CALL_ID, call));
        assertNotNull(ex.getException(), uri + " should fail");
        return assertInstanceOf(PortaSipException.class, ex.getException());
    }
}
