package io.pbxbridge.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.testsupport.MisbehavingHttpServer;
import io.pbxbridge.vendor.VendorException;

/**
 * ccOriginate is a GET that places a call: a request the SOP read but did not answer must reach it once, and the
 * route must learn that the outcome is unknown. The JDK HttpClient sent such a GET a second time when it went over a
 * pooled connection that the server closed after reading it.
 */
class EscauxNoRetryTest {

    static final String ORIGINATED = "<ccOriginateResult><Result>0</Result></ccOriginateResult>";

    CamelContext camel;
    ProducerTemplate template;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    Exchange originate(MisbehavingHttpServer sop) {
        return template.request("escaux:ccOriginate?address=" + sop.address()
                + "&phoneId=SDP80001&to=0027884390&requestTimeout=5000", e -> {
                });
    }

    static void assertOutcomeUnknown(Exchange failed) {
        EscauxConnectionException e = assertInstanceOf(EscauxConnectionException.class, failed.getException());
        assertEquals(VendorException.Kind.NO_ANSWER, e.getKind(), e.getMessage());
        assertTrue(e.isTransient());
        assertFalse(e.provesNotExecuted());
        assertEquals("ccOriginate", e.getOperation());
    }

    @Test
    void anOriginateDroppedOnANewConnectionReachesTheSopOnce() throws Exception {
        try (MisbehavingHttpServer sop = MisbehavingHttpServer.dropping()) {
            assertOutcomeUnknown(originate(sop));
            assertEquals(1, sop.requests(), sop.requestLines().toString());
        }
    }

    @Test
    void anOriginateDroppedOnAPooledConnectionReachesTheSopOnce() throws Exception {
        try (MisbehavingHttpServer sop = MisbehavingHttpServer.answeringThenDropping(1, "text/xml", ORIGINATED)) {
            Exchange placed = originate(sop);
            assertNull(placed.getException());
            assertInstanceOf(EscauxResult.class, placed.getMessage().getBody());

            // the second goes over the kept-alive connection, which the SOP closes once it has read the request
            assertOutcomeUnknown(originate(sop));
            assertEquals(2, sop.requests(), "the dropped ccOriginate was sent again: " + sop.requestLines());
            assertEquals(1, sop.connections(), "the second request did not use the pooled connection");
        }
    }
}
