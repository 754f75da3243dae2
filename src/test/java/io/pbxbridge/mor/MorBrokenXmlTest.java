package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pbxbridge.mor.MorRepair.Kind;
import io.pbxbridge.testsupport.LogCapture;

/**
 * The simulator's broken-XML switch (the spec's literal faults in every page that has them): every page is read,
 * to the same result as in well-formed mode, and each repair is reported in the result, the CamelMorRepairs header
 * and one INFO line per page and kind.
 */
class MorBrokenXmlTest {

    static MorSim mor;
    /** One period for both reads: the pages show it. */
    static final Map<String, Object> WEEK = MorComponentTest.week();

    @BeforeAll
    static void start() {
        mor = MorSim.start();
        mor.sim.addMissedCall(Instant.now().minusSeconds(30), "37061230000");
    }

    @AfterAll
    static void stop() {
        mor.close();
    }

    record Page(String uri, Map<String, Object> headers, Set<Kind> repairs) {
        @Override
        public String toString() {
            return uri;
        }
    }

    static List<Page> pages() {
        Set<Kind> none = EnumSet.noneOf(Kind.class);
        Set<Kind> banner = EnumSet.of(Kind.BANNER);
        return List.of(
                new Page("loginForm", Map.of(), none),
                new Page("login", Map.of(), EnumSet.of(Kind.DECLARATION_WITHOUT_QUESTION_MARK)),
                new Page("mainPage", Map.of(), none),
                new Page("personalDetails", Map.of(), none),
                new Page("devices", Map.of(), EnumSet.of(Kind.ENTITY_WITH_SPACE)),
                new Page("callflow?deviceId=1", Map.of(), none),
                new Page("callflowEdit?deviceId=1&cfType=busy", Map.of(), banner),
                new Page("rates", Map.of(), banner),
                new Page("changeCurrency?currency=USD", Map.of(), banner),
                new Page("destinations?destId=1", Map.of(), none),
                new Page("payments", Map.of(), none),
                new Page("invoices", Map.of(), banner),
                new Page("subscriptions", Map.of(), banner),
                new Page("calls", Map.of(), banner),
                new Page("callsPeriod", WEEK, banner),
                new Page("newCalls", Map.of(), banner),
                new Page("missedCalls", Map.of(), EnumSet.of(Kind.DOUBLED_LESS_THAN, Kind.BANNER)),
                new Page("missedCallsPeriod", WEEK, EnumSet.of(Kind.DOUBLED_LESS_THAN,
                        Kind.BANNER)),
                new Page("statistics", Map.of(), none),
                new Page("statisticsPeriod", WEEK, none),
                // the attribute form is the CLIs page's shape in both modes
                new Page("clis", Map.of(), EnumSet.of(Kind.ATTRIBUTE_FORM, Kind.BANNER)),
                new Page("phonebook", Map.of(), banner),
                new Page("faxes", Map.of(), banner),
                new Page("faxesPeriod", WEEK, banner),
                new Page("callback?src=37061111111&dst=12125550000&deviceId=1", Map.of(),
                        EnumSet.of(Kind.DECLARATION_WITHOUT_QUESTION_MARK)));
    }

    @Test
    void everyPageIsReadInBrokenModeAsInWellFormedModeAndEachRepairReported() {
        Map<String, Object> wellFormed = new LinkedHashMap<>();
        for (Page p : pages()) {
            if (!p.uri().startsWith("callback") && !p.uri().startsWith("login")) {
                wellFormed.put(p.uri(), withoutRepairs(mor.call(p.uri(), p.headers(), Object.class)));
            }
        }
        mor.sim.faults().brokenXml(true);
        List<String> infos;
        List<String> problems = new ArrayList<>();
        try (LogCapture log = LogCapture.open()) {
            for (Page p : pages()) {
                Exchange ex = mor.exchange(p.uri(), p.headers());
                if (ex.getException() != null) {
                    problems.add(p + ": " + ex.getException());
                    continue;
                }
                MorReply reply = (MorReply) ex.getMessage().getBody();
                Set<Kind> kinds = reply.repairs().stream().map(MorRepair::kind)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class)));
                if (!kinds.equals(p.repairs())) {
                    problems.add(p + ": repairs " + reply.repairs() + ", expected " + p.repairs());
                }
                if (!reply.repairs().equals(ex.getMessage().getHeader(MorConstants.REPAIRS))) {
                    problems.add(p + ": the header is not the result's repairs");
                }
                if (wellFormed.containsKey(p.uri()) && !wellFormed.get(p.uri()).equals(withoutRepairs(reply))) {
                    problems.add(p + ": read differently in broken mode:\n  " + wellFormed.get(p.uri()) + "\n  "
                            + withoutRepairs(reply));
                }
            }
            infos = log.messages(Level.INFO, "MorClient");
        } finally {
            mor.sim.faults().reset();
        }
        assertEquals(List.of(), problems);

        // once per page and kind: the devices page is read twice above (the session's login is one more page)
        List<String> devices = infos.stream().filter(m -> m.startsWith("mor:devices:")).toList();
        assertEquals(1, devices.size(), infos.toString());
        assertTrue(devices.get(0).contains("MOR's page /devices/user_devices is not well-formed XML; read after "
                + "repairing: [entity written with a space after '&', space removed: '& quot;' x"), devices.get(0));
        assertTrue(devices.get(0).contains(", first at line "), devices.get(0));
        assertFalse(infos.stream().anyMatch(m -> m.startsWith("mor:mainPage:")), infos.toString());
        assertTrue(infos.stream().anyMatch(m -> m.startsWith("mor:missedCalls:") && m.contains("doubled '<'")),
                infos.toString());
    }

    @Test
    void theRepairedDevicesAndMissedCallsReadAsTheSpecMeansThem() {
        mor.sim.faults().brokenXml(true);
        try {
            Devices devices = mor.call("devices", Devices.class);
            assertEquals("\"101\" <101>", devices.devices().get(0).callerId());
            MissedCalls missed = mor.call("missedCalls", MissedCalls.class);
            assertFalse(missed.calls().isEmpty());
            assertNull(missed.calls().stream().filter(c -> c.callId() == null).findFirst().orElse(null));
            CallflowEdit edit = mor.call("callflowEdit?deviceId=1&cfType=busy", CallflowEdit.class);
            assertEquals(3, edit.actions().size());
            MorRepair banner = edit.repairs().get(0);
            assertEquals(Kind.BANNER, banner.kind());
            assertTrue(banner.count() >= 6, banner.toString());
        } finally {
            mor.sim.faults().reset();
        }
    }

    /** The record with an empty repairs list, to compare what was read. */
    static Object withoutRepairs(Object reply) {
        if (!(reply instanceof Record r)) {
            return reply;
        }
        try {
            var components = r.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getName().equals("repairs") ? List.of()
                        : components[i].getAccessor().invoke(r);
            }
            return r.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
