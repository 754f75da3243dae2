package io.pbxbridge.vendor.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.testsupport.LogCapture;

/** Rejected input sent through a real Camel route, counted, and logged without its bytes. */
class UnreadableInputDeadLetterTest {

    static final String REASON = "CamelTestRejectReason";
    static final String SECRET = "password=hunter2";

    CamelContext camel;
    final BlockingQueue<Exchange> dead = new LinkedBlockingQueue<>();
    volatile boolean broken = true;
    UnreadableInputDeadLetter deadLetter;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dead").process(dead::add);
                from("direct:flaky").process(e -> {
                    if (broken) {
                        throw new IllegalStateException("disk full");
                    }
                }).process(dead::add);
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        ServiceHelper.stopService(deadLetter);
        camel.stop();
    }

    UnreadableInputDeadLetter deadLetter(String uri) {
        deadLetter = new UnreadableInputDeadLetter(camel, "test stream", uri, REASON,
                Map.of("CamelTestSource", "pbx-1"));
        deadLetter.start();
        return deadLetter;
    }

    Exchange next() throws InterruptedException {
        Exchange e = dead.poll(5, TimeUnit.SECONDS);
        assertNotNull(e, "no dead letter within 5 s");
        return e;
    }

    @Test
    void rejectsGoToTheEndpointWithTheirReasonAndAreCounted() throws Exception {
        deadLetter("direct:dead");
        byte[] garbage = ("-- noise " + SECRET + " --").getBytes(StandardCharsets.UTF_8);
        deadLetter.reject("GARBAGE", null, garbage, garbage.length);
        deadLetter.reject("MALFORMED", "not well-formed XML: mismatched tag", "<evA></evB>", 11);

        Exchange g = next();
        assertArrayEquals(garbage, g.getIn().getBody(byte[].class));
        assertEquals("GARBAGE", g.getIn().getHeader(REASON));
        assertEquals("pbx-1", g.getIn().getHeader("CamelTestSource"));
        Exchange m = next();
        assertEquals("<evA></evB>", m.getIn().getBody(String.class));
        assertEquals("MALFORMED: not well-formed XML: mismatched tag", m.getIn().getHeader(REASON));
        assertEquals("pbx-1", m.getIn().getHeader("CamelTestSource"));
        assertEquals(2, deadLetter.getRejectedCount());
    }

    /** WARN once per reason, DEBUG for the rest; the input never, at any level. */
    @Test
    void eachReasonIsLoggedOnceAndTheInputNever() throws Exception {
        String logger = UnreadableInputDeadLetter.class.getName();
        Level before = LogManager.getLogger(logger).getLevel();
        Configurator.setLevel(logger, Level.DEBUG);
        try (LogCapture log = LogCapture.open()) {
            deadLetter("direct:dead");
            byte[] garbage = ("junk " + SECRET).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 5; i++) {
                deadLetter.reject("GARBAGE", null, garbage, garbage.length);
            }
            deadLetter.reject("OVERSIZE", null, garbage, 70_000);
            deadLetter.reject("MALFORMED", "bad " + SECRET, "<a>" + SECRET + "</b>", 30);
            for (int i = 0; i < 7; i++) {
                next();
            }

            List<String> warnings = log.messages(Level.WARN, "UnreadableInputDeadLetter");
            assertEquals(3, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains("GARBAGE") && warnings.get(0).contains("21 bytes"), warnings.get(0));
            assertTrue(warnings.get(1).contains("OVERSIZE") && warnings.get(1).contains("70000 bytes"),
                    warnings.get(1));
            assertTrue(warnings.get(2).contains("MALFORMED"), warnings.get(2));
            assertEquals(4, log.messages(Level.DEBUG, "UnreadableInputDeadLetter").size());
            for (Level level : List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE)) {
                for (String line : log.messages(level)) {
                    assertTrue(!line.contains("hunter2") && !line.contains("junk"), level + ": " + line);
                }
            }
            assertEquals(7, deadLetter.getRejectedCount());
        } finally {
            Configurator.setLevel(logger, before);
        }
    }

    @Test
    void withoutAnEndpointRejectsAreCountedOnly() throws Exception {
        deadLetter(" ");
        deadLetter.reject("GARBAGE", null, new byte[] { 1, 2 }, 2);
        assertEquals(1, deadLetter.getRejectedCount());
        assertNull(dead.poll(200, TimeUnit.MILLISECONDS));
    }

    /** A dead-letter route that fails: the source goes on, the failure is said once until the endpoint works again. */
    @Test
    void anEndpointThatFailsDoesNotStopTheSource() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            deadLetter("direct:flaky");
            for (int i = 0; i < 3; i++) {
                deadLetter.reject("GARBAGE", null, new byte[] { 1 }, 1);
            }
            assertEquals(3, deadLetter.getRejectedCount());
            List<String> failures = sendFailures(log);
            assertEquals(1, failures.size(), failures::toString);
            assertTrue(failures.get(0).contains("direct:flaky") && failures.get(0).contains("disk full"),
                    failures.get(0));

            broken = false;
            deadLetter.reject("GARBAGE", null, new byte[] { 2 }, 1);
            assertArrayEquals(new byte[] { 2 }, next().getIn().getBody(byte[].class));
            broken = true;
            deadLetter.reject("GARBAGE", null, new byte[] { 3 }, 1);
            assertEquals(2, sendFailures(log).size(), "failing again after it worked is said again");
            assertEquals(5, deadLetter.getRejectedCount());
        }
    }

    static List<String> sendFailures(LogCapture log) {
        return log.messages(Level.WARN, "UnreadableInputDeadLetter").stream().filter(m -> m.contains("cannot send"))
                .toList();
    }
}
