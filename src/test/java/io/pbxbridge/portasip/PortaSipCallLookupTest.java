package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.vendor.VendorException.Kind;

/**
 * How a live-call method finds the leg of a call id: the events consumer's table when one is bound, else
 * {@code get_sip_calls_list} of the configured scopes, else it says what to give.
 */
class PortaSipCallLookupTest {

    /** A call table as the events consumer keeps one, from the events. */
    static final class Table implements PortaSipCallLookup {
        final Map<String, List<Leg>> calls = new ConcurrentHashMap<>();
        final AtomicInteger asked = new AtomicInteger();

        void seen(CallEvent e) {
            String legId = e.legId();
            String id = legId.substring(0, legId.indexOf(";tag="));
            Leg leg = new Leg(new SipCallIdentifier(id, (String) e.details().get("tag")),
                    (String) e.details().get("transportId"), e.state(), (String) e.details().get("legType"), null);
            calls.compute(e.callId(), (k, legs) -> {
                List<Leg> out = new ArrayList<>(legs == null ? List.of() : legs);
                out.removeIf(l -> l.call().equals(leg.call()));
                if (!"call.ended".equals(e.type())) {
                    out.add(leg);
                }
                out.sort((a, b) -> Boolean.compare(a.call().id().contains("~"), b.call().id().contains("~")));
                return out.isEmpty() ? null : out;
            });
        }

        @Override
        public Optional<List<Leg>> find(String callId) {
            asked.incrementAndGet();
            return Optional.ofNullable(calls.get(callId));
        }
    }

    @Test
    void theBoundTableFirstTheListingOfTheScopesElseAClearRefusal() throws Exception {
        try (PortaSipSimulator sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(20)).start();
             CamelContext camel = new DefaultCamelContext()) {
            PortaSipComponent component = new PortaSipComponent();
            PortaSipConfiguration c = component.getConfiguration();
            c.setAddress(sim.address());
            c.setLogin("123001");
            c.setDomain("sip.example.com");
            c.setPassword("secret001");
            camel.addComponent("portasip", component);
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            PortaSipEndpoint endpoint = camel.getEndpoint("portasip:holdCall", PortaSipEndpoint.class);
            Table table = new Table();
            SimCallEvents events = SimCallEvents.attach(endpoint.callControl(),
                    PortaSipCallControl.Scope.customer(30), endpoint.source(), table::seen);
            OriginateResult placed = template.requestBodyAndHeaders("portasip:originateAdvancedCall", null, Map.of(
                    PortaSipConstants.BILL_ID, "123001", PortaSipConstants.CALLER_ID, "123001",
                    PortaSipConstants.CALLEE_ID, "123002"), OriginateResult.class);
            String call = placed.callId();
            Await.until(Duration.ofSeconds(10), "both legs connected", () -> events.of(call).stream()
                    .filter(e -> e.type().equals("call.answered")).count() == 2);

            // no table, no scope: the component says what to give
            PortaSipException refused = failure(template, "portasip:holdCall", call);
            assertEquals(Kind.INVALID_REQUEST, refused.getKind());
            assertTrue(refused.getMessage().contains("give callTag and transportId"), refused.getMessage());

            // the events consumer's table, bound: asked, and no list requested
            component.bindCallLookup(c, table);
            int lists = sim.requestCount("CallControl", "get_sip_calls_list");
            template.requestBodyAndHeaders("portasip:holdCall", null, Map.of(PortaSipConstants.CALL_ID, call,
                    PortaSipConstants.LEG, "B"));
            Await.until(Duration.ofSeconds(10), "leg B holding", () -> sim.liveLegs().contains(call + "~10 "
                    + tag(table, call + "~10") + " holding"));
            assertTrue(table.asked.get() > 0);
            assertEquals(lists, sim.requestCount("CallControl", "get_sip_calls_list"), "the table was enough");

            // a call the table does not know, with a scope to list: the listing
            component.unbindCallLookup(c, table);
            component.bindCallLookup(c, callId -> Optional.empty());
            // a leg named fully needs no lookup
            template.requestBodyAndHeaders("portasip:unholdCall", null, Map.of(PortaSipConstants.CALL_ID,
                    call + "~10", PortaSipConstants.CALL_TAG, tag(table, call + "~10"),
                    PortaSipConstants.TRANSPORT_ID, "192.168.243.133:5070"));
            Await.until(Duration.ofSeconds(10), "connected again", () -> sim.liveLegs().stream()
                    .filter(l -> l.startsWith(call)).allMatch(l -> l.endsWith(" connected")));
            template.requestBodyAndHeaders("portasip:terminateCall?iCustomer=30", null, Map.of(
                    PortaSipConstants.CALL_ID, call));
            assertTrue(sim.requestCount("CallControl", "get_sip_calls_list") > lists, "listed");
            Await.until(Duration.ofSeconds(10), "ended", () -> sim.liveLegs().stream().noneMatch(l -> l.startsWith(
                    call)));
            PortaSipException gone = failure(template, "portasip:terminateCall?iCustomer=30", call);
            assertTrue(gone.getMessage().contains("no live call " + call), gone.getMessage());
        }
    }

    static String tag(Table table, String legId) {
        for (List<PortaSipCallLookup.Leg> legs : table.calls.values()) {
            for (PortaSipCallLookup.Leg l : legs) {
                if (l.call().id().equals(legId)) {
                    return l.call().tag();
                }
            }
        }
        return null;
    }

    static PortaSipException failure(ProducerTemplate template, String uri, String call) {
        Exchange ex = template.request(uri, e -> e.getIn().setHeader(PortaSipConstants.CALL_ID, call));
        assertNotNull(ex.getException(), uri + " should fail");
        return assertInstanceOf(PortaSipException.class, ex.getException());
    }
}
