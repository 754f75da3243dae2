package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.pbxbridge.portasip.PortaSipTestEvents.event;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.support.Json;
import io.pbxbridge.portasip.PortaSipCallRecords.Observation;

/** A call's events to its record: times in the server's zone, both legs, the disposition from the reason. */
class PortaSipCallRecordsTest {

    static final String SOURCE = "pbx.example.com/123001";
    static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    static final String CALL = "BBfc!rA3EV9JNsDxdhRoPvXGW4xR@192.168.243.133";

    static List<Observation> obs(CallEvent... events) {
        List<Observation> out = new ArrayList<>();
        for (CallEvent e : events) {
            out.add(Observation.of(e));
        }
        return out;
    }

    @Test
    void anAnsweredCallOfTwoLegs() {
        // server times in Kolkata (UTC+05:30): 13:43:01 there is 08:13:01Z
        Instant t0 = Instant.parse("2026-12-06T08:13:01.200Z");
        List<Observation> seen = obs(
                event(SOURCE, "call.ringing", CALL, "A", "a1", t0, "123001", "123002",
                        Map.of("startTime", "2026-12-06 13:43:01")),
                event(SOURCE, "call.answered", CALL, "A", "a1", t0.plusSeconds(2), "123001", "123002",
                        Map.of("connectTime", "2026-12-06 13:43:03")),
                event(SOURCE, "call.ringing", CALL, "B", "b1", t0.plusSeconds(2), "123001", "123002",
                        Map.of("startTime", "2026-12-06 13:43:03")),
                event(SOURCE, "call.answered", CALL, "B", "b1", t0.plusSeconds(5), "123001", "123002",
                        Map.of("connectTime", "2026-12-06 13:43:06")),
                event(SOURCE, "call.held", CALL, "B", "b1", t0.plusSeconds(7), "123001", "123002",
                        Map.of("connectTime", "2026-12-06 13:43:06")),
                event(SOURCE, "call.ended", CALL, "A", "a1", t0.plusSeconds(40), "123001", "123002",
                        Map.of("duration", 37, "reason", "normal clearing", "reasonCode", 16)));
        assertFalse(PortaSipCallRecords.complete(seen), "leg B has not ended");
        seen.addAll(obs(event(SOURCE, "call.ended", CALL, "B", "b1", t0.plusSeconds(41), "123001",
                "123002", Map.of("duration", "34", "reason", "normal clearing", "reasonCode", 16))));
        assertTrue(PortaSipCallRecords.complete(seen));

        CallRecord r = PortaSipCallRecords.record(SOURCE, CALL, seen, KOLKATA, true);
        assertEquals("portasip:" + SOURCE + ":" + CALL, r.key());
        assertEquals("portasip", r.vendor());
        assertEquals(CALL, r.callId());
        assertEquals(Instant.parse("2026-12-06T08:13:01Z"), r.start(), "the earliest start_time, read in its zone");
        assertEquals(Instant.parse("2026-12-06T08:13:03Z"), r.answer(), "the earliest connect_time");
        assertEquals(t0.plusSeconds(41), r.end(), "the last leg's end");
        assertEquals(37L, r.billsec(), "the longest terminated duration");
        assertEquals(41L, r.duration(), "end - start");
        assertEquals("123001", r.from());
        assertEquals("123002", r.to());
        assertEquals(Direction.INTERNAL, r.direction());
        assertEquals(Disposition.ANSWERED, r.disposition());
        Map<?, ?> raw = (Map<?, ?>) r.raw();
        assertEquals(PortaSipCallRecords.DERIVED_FROM, raw.get("derivedFrom"));
        assertEquals("notification", raw.get("ended"));
        assertEquals(2, ((List<?>) raw.get("legs")).size());
    }

    @Test
    void anUnansweredCallTakesItsDispositionFromTheReason() {
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        for (Object[] c : new Object[][] { { 487, "cancelled", Disposition.CANCELLED }, { 486, "busy here",
            Disposition.BUSY }, { 480, "temporarily unavailable", Disposition.NO_ANSWER }, { 503, "service unavailable",
            Disposition.FAILED }, { null, "normal clearing", Disposition.NO_ANSWER } }) {
            List<Observation> seen = obs(
                    event(SOURCE, "call.ringing", CALL, "A", "a1", t0, "+3222000000", "123001",
                            Map.of("startTime", "2026-12-06 10:00:00")),
                    event(SOURCE, "call.ended", CALL, "A", "a1", t0.plusSeconds(9), "+3222000000",
                            "123001", c[0] == null ? Map.of("duration", 0, "reason", c[1])
                                    : Map.of("duration", 0, "reason", c[1], "reasonCode", c[0])));
            CallRecord r = PortaSipCallRecords.record(SOURCE, CALL, seen, ZoneId.of("UTC"), true);
            assertEquals(c[2], r.disposition(), String.valueOf(c[1]));
            assertNull(r.answer());
            assertEquals(0L, r.billsec());
            assertEquals(9L, r.duration());
            assertEquals(Direction.INBOUND, r.direction(), "from an outside number to an extension");
        }
    }

    @Test
    void aReconciledEndAndAnEndNeverSeenAreSaid() {
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        List<Observation> seen = obs(
                event(SOURCE, "call.answered", CALL, "A", "a1", t0, "123001", "123002",
                        Map.of("connectTime", "2026-12-06 10:00:00")),
                event(SOURCE, "call.ended", CALL, "A", "a1", t0.plusSeconds(60), "123001", "123002",
                        Map.of("reconciled", true)));
        CallRecord r = PortaSipCallRecords.record(SOURCE, CALL, seen, ZoneId.of("UTC"), true);
        assertEquals("reconciled", ((Map<?, ?>) r.raw()).get("ended"));
        assertEquals(60L, r.billsec(), "no duration in a reconciled end: end - answer");
        assertEquals(t0, r.start(), "no start time: the connect time");

        CallRecord open = PortaSipCallRecords.record(SOURCE, CALL, seen.subList(0, 1), ZoneId.of("UTC"), false);
        assertEquals("not seen", ((Map<?, ?>) open.raw()).get("ended"));
        assertNull(open.end());
        assertNull(open.duration());
        assertEquals(Disposition.ANSWERED, open.disposition(), "it connected");
        CallRecord ringing = PortaSipCallRecords.record(SOURCE, CALL, obs(event(SOURCE, "call.ringing",
                CALL, "A", "a1", t0, "123001", "123002", Map.of())), ZoneId.of("UTC"), false);
        assertEquals(Disposition.UNKNOWN, ringing.disposition());
        assertEquals(t0, ringing.start(), "no start time: the first event's time");
    }

    /** A call no notification confirmed after a reconnect, ended when its hold ran out: no end, time or duration. */
    @Test
    void anEndUnknownInventsNoEndNorDuration() throws Exception {
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        Map<String, Object> unknown = Map.of("reconciled", true, "endUnknown", true, "unconfirmedSince",
                "2026-12-06T10:05:00Z", "reason", "end not seen: no notification within 1h of the reconnect");
        List<Observation> seen = obs(
                event(SOURCE, "call.answered", CALL, "A", "a1", t0, "123001", "123002",
                        Map.of("connectTime", "2026-12-06 10:00:00")),
                event(SOURCE, "call.answered", CALL, "B", "b1", t0, "123001", "123002",
                        Map.of("connectTime", "2026-12-06 10:00:00")),
                event(SOURCE, "call.ended", CALL, "A", "a1", t0.plusSeconds(3900), "123001", "123002", unknown),
                event(SOURCE, "call.ended", CALL, "B", "b1", t0.plusSeconds(3900), "123001", "123002", unknown));
        // what the journal logs and reads again at a restart
        for (Observation o : seen) {
            assertEquals(o, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(o), Observation.class));
        }
        CallRecord r = PortaSipCallRecords.record(SOURCE, CALL, seen, ZoneId.of("UTC"), true);
        assertEquals(t0, r.start());
        assertEquals(t0, r.answer());
        assertNull(r.end(), "unknown: not the end of the hold");
        assertNull(r.duration());
        assertNull(r.billsec());
        assertEquals(Disposition.ANSWERED, r.disposition());
        Map<?, ?> raw = (Map<?, ?>) r.raw();
        assertEquals("unknown", raw.get("ended"));
        Map<?, ?> legA = (Map<?, ?>) ((List<?>) raw.get("legs")).get(0);
        assertEquals(true, legA.get("endUnknown"));
        assertEquals("2026-12-06T10:05:00Z", legA.get("unconfirmedSince"));
        assertEquals(t0.plusSeconds(3900).toString(), legA.get("endedBy"), "the end came before this");
        assertNull(legA.get("endedAt"));

        CallRecord ringing = PortaSipCallRecords.record(SOURCE, CALL, obs(
                event(SOURCE, "call.ringing", CALL, "A", "a1", t0, "123001", "123002", Map.of()),
                event(SOURCE, "call.ended", CALL, "A", "a1", t0.plusSeconds(3900), "123001", "123002", unknown)),
                ZoneId.of("UTC"), true);
        assertEquals(Disposition.UNKNOWN, ringing.disposition(), "whether it was answered in the gap is unknown");
        assertNull(ringing.billsec());
        assertNull(ringing.end());
    }
}
