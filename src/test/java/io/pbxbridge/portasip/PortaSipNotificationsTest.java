package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.Direction;
import io.pbxbridge.support.Json;

/**
 * Reading notification frames without a server: the intact form, the spec's damaged forms (top-level "call info",
 * keys with spaces, duplicated keys, trailing commas, a wrapped string), frames that are no notification; the event
 * each becomes; the call table's decisions and its reconciliation.
 */
class PortaSipNotificationsTest {

    static final String ID = "BBfc!rA3EV9JNsDxdhRoPvXGW4xR@192.168.243.133";

    static String frame(String id, String tag, String state, String extra) {
        return "{\"action\":\"update\",\"event\":\"sip.call_control_notifications\",\"result\":{\"call_info\":{"
                + "\"call\":{\"id\":\"" + id + "\",\"tag\":\"" + tag + "\"},"
                + "\"callee\":{\"account_id\":\"123003\",\"centrex_id\":\"30\",\"display_id\":\"123003\","
                + "\"extension_id\":\"203\",\"forwarder_list\":[],\"id\":\"123003\"},"
                + "\"caller\":{\"display_id\":\"+3222334455\",\"forwarder_list\":[],\"id\":\"+3222334455\"},"
                + "\"state\":\"" + state + "\",\"transport_id\":\"192.168.243.133:5070\",\"type\":\"incoming\""
                + extra + "}}}";
    }

    @Test
    void theIntactFrame() throws Exception {
        PortaSipNotifications.Read r = PortaSipNotifications.read(frame(ID + "~10", "t2.o", "connected",
                ",\"connect_time\":\"2018-12-03 13:43:05\""));
        assertEquals(List.of(), r.repairs());
        SipCallInfo i = r.info();
        assertEquals("connected", i.state());
        assertEquals(ID, i.call().callKey());
        assertEquals("2018-12-03 13:43:05", i.connectTime());
        CallEvent e = PortaSipEvents.toCallEvent("call.answered", i, "raw", "127.0.0.1/123001", Instant.EPOCH, false,
                r.repairs());
        assertEquals("portasip", e.vendor());
        assertEquals(ID, e.callId());
        assertEquals(ID + "~10;tag=t2.o", e.legId());
        assertEquals("+3222334455", e.from());
        assertEquals("123003", e.to());
        assertEquals(Direction.INBOUND, e.direction());
        String legA = frame(ID, "t1.o", "connected", "").replace("\"type\":\"incoming\"", "\"type\":\"outgoing\"");
        assertEquals(Direction.INBOUND, PortaSipEvents.direction(PortaSipNotifications.read(legA).info()),
                "leg A, the outside caller's dialog (outgoing), of a call to an account");
        String out = legA.replace("\"callee\":{\"account_id\":\"123003\",\"centrex_id\":\"30\",", "\"callee\":{")
                .replace("\"extension_id\":\"203\",", "")
                .replace("\"caller\":{", "\"caller\":{\"account_id\":\"123001\",");
        assertEquals(Direction.OUTBOUND, PortaSipEvents.direction(PortaSipNotifications.read(out).info()),
                "an account calling out");
        assertEquals("B", e.details().get("leg"));
        assertEquals("t2.o", e.details().get("tag"));
        assertEquals("192.168.243.133:5070", e.details().get("transportId"));
        assertEquals("incoming", e.details().get("legType"));
        assertEquals("2018-12-03 13:43:05", e.details().get("connectTime"));
        assertFalse(e.details().containsKey("reconciled"));
        assertFalse(e.details().containsKey("repairs"));
        assertEquals(36, e.id().length());
    }

    /** The notification as the spec prints it (L1502-1566): the simulator's damaged form. */
    @Test
    void theSpecsDamagedFrame() throws Exception {
        String damaged = "{\"action\":\"update\",\"event\":\"sip.call control notifications\",\"call info\":{"
                + "\"call\":{\"id\":\"" + ID + "~10\",\"tag\":\"t2\"},"
                + "\"callee\":{\"account id\":\"123003\",\"centrex_id\":\"30\",\"display_id\":\"123003\","
                + "\"forwarder_list\":[],\"id\":\"123003\",\"display id\":\"123007\"},"
                + "\"caller\":{\"account id\":\"123002\",\"centrex_id\":\"30\",\"display id\":\"123002\","
                + "\"forwarder list\":[],\"id\":\"123002\",\"forwarder_list\":[],\"id\":\"123002\"},"
                + "\"duration\":12,\"reason\":\"normal clearing\",\"reason_code\":16,"
                + "\"state\":\"terminated\",\"transport id\":\"192.168.243.133:5070\",\"type\":\"incoming\"}}";
        PortaSipNotifications.Read r = PortaSipNotifications.read(damaged);
        SipCallInfo i = r.info();
        assertEquals("123007", i.callee().displayId(), "the last duplicate wins");
        assertEquals("123003", i.callee().accountId());
        assertEquals("192.168.243.133:5070", i.transportId());
        assertEquals(12, i.duration());
        assertEquals(16, i.reasonCode());
        List<String> repairs = r.repairs();
        assertTrue(repairs.contains("event name with spaces (\"sip.call control notifications\") read as "
                + "sip.call_control_notifications"), repairs.toString());
        assertTrue(repairs.contains("call_info at the top level, not under result"), repairs.toString());
        assertTrue(repairs.stream().anyMatch(x -> x.startsWith("keys with spaces read with underscores:")
                && x.contains("\"call info\"") && x.contains("\"transport id\"") && x.contains("\"account id\"")),
                repairs.toString());
        assertTrue(repairs.contains("duplicated key call_info.callee.display_id: the last value kept"),
                repairs.toString());
        assertTrue(repairs.contains("duplicated key call_info.caller.forwarder_list: the last value kept"),
                repairs.toString());
        assertTrue(repairs.contains("duplicated key call_info.caller.id: the last value kept"), repairs.toString());
        CallEvent e = PortaSipEvents.toCallEvent("call.ended", i, damaged, "s", Instant.EPOCH, false, repairs);
        assertEquals(Direction.INTERNAL, e.direction(), "two accounts of centrex 30");
        assertEquals(repairs, e.details().get("repairs"));
        assertEquals(12, e.details().get("duration"));
        assertEquals("normal clearing", e.details().get("reason"));
        // the whole event goes out as JSON
        assertTrue(Json.MAPPER.writeValueAsString(e).contains("\"repairs\":["));
    }

    @Test
    void notStrictJsonIsReadLenientlyAndSaidSo() throws Exception {
        String text = "{\"action\":\"update\",\"event\":\"sip.call_control_notifications\",\"result\":{\"call_info\":{"
                + "\"call\":{\"id\":\"" + ID.substring(0, 40) + "\n" + ID.substring(40) + "\",\"tag\":\"t1\",},"
                + "\"state\":\"ringing\",\"start_time\":\"2018-12-03 13:43:01\",}}}";
        PortaSipNotifications.Read r = PortaSipNotifications.read(text);
        assertEquals(ID, r.info().call().id(), "the line break of the wrapped string removed");
        assertTrue(r.repairs().get(0).startsWith("not strict JSON ("), r.repairs().toString());
        assertTrue(r.repairs().contains("line breaks inside strings removed"), r.repairs().toString());
        assertNull(r.info().caller(), "missing optional fields are fine");
    }

    @Test
    void valuesAreTakenAsJacksonWouldTakeThem() throws Exception {
        SipCallInfo i = PortaSipNotifications.read(frame(ID, "t", "terminated", ",\"duration\":\"12\",\"reason_code\""
                + ":null,\"order\":3.0,\"queue_info\":{\"i_c_queue\":\"5\",\"position\":1},\"unknown\":{\"x\":1}"))
                .info();
        assertEquals(12, i.duration());
        assertNull(i.reasonCode());
        assertEquals(3, i.order());
        assertEquals(5L, i.queueInfo().iCQueue());
        assertNull(i.queueInfo().operators());
        assertEquals(List.of(), i.caller().forwarderList());
        SipCallInfo f = PortaSipNotifications.read(frame(ID, "t", "ringing", "").replace("\"forwarder_list\":[]",
                "\"forwarder_list\":[{\"id\":\"123002\"}]")).info();
        assertEquals("123002", f.callee().forwarderList().get(0).id());
        assertEquals(f, Json.MAPPER.treeToValue(PortaSipNotifications.read(frame(ID, "t", "ringing", "")
                .replace("\"forwarder_list\":[]", "\"forwarder_list\":[{\"id\":\"123002\"}]")).callInfo(),
                SipCallInfo.class), "the same as Jackson's mapping");
    }

    @Test
    void framesThatAreNoNotification() {
        Map<String, String> frames = new LinkedHashMap<>();
        frames.put("not json at all", "NOT_JSON");
        frames.put("{\"action\":\"update\",\"result\":{\"call_info\":", "NOT_JSON");
        frames.put("", "NOT_JSON");
        frames.put("[1,2]", "NOT_AN_OBJECT");
        frames.put("{\"action\":\"update\",\"event\":\"sip.something_else\",\"result\":{}}", "OTHER_EVENT");
        frames.put("{\"action\":\"update\",\"event\":\"sip.call_control_notifications\",\"result\":{}}",
                "NO_CALL_INFO");
        frames.put("{\"result\":{\"call_info\":{\"state\":\"ringing\"}}}", "NO_CALL_INFO");
        frames.put("{\"result\":{\"call_info\":{\"call\":{\"id\":\"x@h\",\"tag\":\"t\"}}}}", "NO_CALL_INFO");
        frames.put("{\"result\":{\"call_info\":{\"call\":{\"id\":\"x@h\"},\"state\":\"ringing\",\"duration\":\"long\"}}}",
                "MALFORMED");
        frames.forEach((text, reason) -> assertEquals(reason, assertThrows(PortaSipNotifications.Unreadable.class,
                () -> PortaSipNotifications.read(text), text).reason(), text));
    }

    static SipCallInfo leg(String id, String tag, String state) throws Exception {
        return PortaSipNotifications.read(frame(id, tag, state, "")).info();
    }

    @Test
    void theTableDecidesTheTypes() throws Exception {
        PortaSipCallTable t = new PortaSipCallTable();
        assertEquals("call.ringing", t.apply(leg(ID, "a", "trying")));
        assertEquals("call.ringing", t.apply(leg(ID, "a", "ringing")));
        assertNull(t.apply(leg(ID, "a", "ringing")), "a state repeated is no event");
        assertEquals("call.answered", t.apply(leg(ID, "a", "connected")));
        assertNull(t.apply(leg(ID, "a", "connected")));
        assertEquals("call.held", t.apply(leg(ID, "a", "holding")));
        assertEquals("call.resumed", t.apply(leg(ID, "a", "connected")));
        assertEquals("call.held", t.apply(leg(ID + "~10", "b", "held")), "first seen held");
        assertEquals("call.resumed", t.apply(leg(ID + "~10", "b", "connected")));
        assertEquals("queue.joined", t.apply(leg("q@h", "q", "queued")));
        assertEquals("queue.joined", t.apply(leg("q@h", "q", "queued")), "a new position is news");
        assertEquals("queue.left", t.apply(leg("q@h", "q", "dequeued")));

        List<PortaSipCallLookup.Leg> legs = t.find(ID + "~10").orElseThrow();
        assertEquals(List.of(ID, ID + "~10"), legs.stream().map(l -> l.call().id()).toList(), "leg A first");
        assertEquals("192.168.243.133:5070", legs.get(0).transportId());
        assertEquals("connected", legs.get(1).state());

        assertEquals("call.ended", t.apply(leg(ID, "a", "terminated")));
        assertNull(t.apply(leg(ID, "a", "terminated")), "ended once");
        assertEquals("call.ended", t.apply(leg(ID + "~10", "b", "terminated")));
        assertTrue(t.find(ID).isEmpty());
        assertEquals(1, t.callCount());
    }

    @Test
    void theReconciliation() throws Exception {
        PortaSipCallTable t = new PortaSipCallTable();
        t.apply(leg("gone@h", "g", "connected"));
        t.apply(leg("stays@h", "s", "connected"));
        t.apply(leg("changed@h", "c", "connected"));
        long asked = t.sequence();
        t.apply(leg("late@h", "l", "ringing")); // a notification after the question: newer than the list
        Map<String, PortaSipNotifications.Read> listed = listed(leg("stays@h", "s", "connected"),
                leg("changed@h", "c", "held"), leg("new@h", "n", "ringing"));
        List<PortaSipCallTable.Reconciled> changes = t.reconcile(listed, Map.of(), asked,
                PortaSipCallTable.Missing.END, Instant.EPOCH);
        assertEquals(List.of("call.held changed@h", "call.ringing new@h", "call.ended gone@h"),
                changes.stream().map(c -> c.type() + " " + c.info().call().id()).toList());
        assertEquals("terminated", changes.get(2).info().state());
        assertTrue(t.find("late@h").isPresent(), "newer than the list: kept");
        assertTrue(t.find("gone@h").isEmpty());
        // an ended leg is not brought back by a list that still shows it
        listed.putAll(listed(leg("gone@h", "g", "connected")));
        assertTrue(t.reconcile(listed, Map.of(), t.sequence(), PortaSipCallTable.Missing.KEEP, Instant.EPOCH)
                .isEmpty());
    }

    /** A calls list: its legs by leg key. */
    static Map<String, PortaSipNotifications.Read> listed(SipCallInfo... legs) {
        Map<String, PortaSipNotifications.Read> listed = new LinkedHashMap<>();
        for (SipCallInfo i : legs) {
            listed.put(PortaSipCallTable.legKey(i.call()), new PortaSipNotifications.Read(i, null, List.of()));
        }
        return listed;
    }

    /** The list of a fresh subscription: the legs it misses are held, not ended, until confirmed or the hold ends. */
    @Test
    void legsAFreshSubscriptionDoesNotListAreHeldUnconfirmed() throws Exception {
        PortaSipCallTable t = new PortaSipCallTable();
        for (String id : List.of("talks", "listed", "ends", "silent")) {
            t.apply(leg(id + "@h", id, "connected"));
        }
        Instant reconnect = Instant.parse("2026-12-01T10:00:00Z");
        Map<String, PortaSipNotifications.Read> listed = listed(leg("listed@h", "listed", "connected"));
        assertEquals(List.of(), t.reconcile(listed, Map.of(), t.sequence(), PortaSipCallTable.Missing.HOLD,
                reconnect), "no event for a leg not listed");
        assertEquals(3, t.unconfirmedLegCount());
        assertEquals(3, t.unconfirmedCallCount());
        assertTrue(t.find("talks@h").isPresent(), "still a live call for the commands");

        // a notification confirms a leg: no event for the same state, its real end later
        assertNull(t.apply(leg("talks@h", "talks", "connected")));
        assertEquals("call.ended", t.apply(leg("ends@h", "ends", "terminated")));
        assertEquals(1, t.unconfirmedLegCount());
        // a second reconnect whose list shows two legs: the hold of the third does not start again
        listed.putAll(listed(leg("talks@h", "talks", "connected")));
        assertEquals(List.of(), t.reconcile(listed, Map.of(), t.sequence(), PortaSipCallTable.Missing.HOLD,
                reconnect.plusSeconds(30)));
        assertEquals(1, t.unconfirmedLegCount());
        // a liveness list (END): a leg the subscription tracked and no longer lists has ended; an unconfirmed one not
        listed.remove(PortaSipCallTable.legKey(leg("listed@h", "listed", "connected").call()));
        assertEquals(List.of("call.ended listed@h"), t.reconcile(listed, Map.of(), t.sequence(),
                PortaSipCallTable.Missing.END, reconnect.plusSeconds(31)).stream()
                .map(c -> c.type() + " " + c.info().call().id()).toList());
        assertTrue(t.find("silent@h").isPresent());
        assertTrue(t.find("talks@h").isPresent());

        assertEquals(List.of(), t.expireUnconfirmed(reconnect.plusSeconds(59), Duration.ofMinutes(1)));
        List<PortaSipCallTable.Reconciled> ends = t.expireUnconfirmed(reconnect.plusSeconds(60),
                Duration.ofMinutes(1));
        assertEquals(1, ends.size());
        PortaSipCallTable.Reconciled end = ends.get(0);
        assertEquals("call.ended silent@h", end.type() + " " + end.info().call().id());
        assertTrue(end.endUnknown());
        assertEquals(reconnect, end.unconfirmedSince());
        assertNull(end.info().duration(), "no duration invented");
        assertEquals("end not seen: no notification within 1m of the reconnect", end.info().reason());
        assertNull(t.apply(leg("silent@h", "silent", "terminated")), "a late end is not a second end");
        assertEquals(0, t.unconfirmedLegCount());
        CallEvent e = PortaSipEvents.toCallEvent(end, "s", reconnect.plusSeconds(60), List.of());
        assertEquals(Boolean.TRUE, e.details().get("reconciled"));
        assertEquals(Boolean.TRUE, e.details().get("endUnknown"));
        assertEquals(reconnect.toString(), e.details().get("unconfirmedSince"));
        assertFalse(e.details().containsKey("duration"));
    }
}
