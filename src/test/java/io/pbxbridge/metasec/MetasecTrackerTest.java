package io.pbxbridge.metasec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.support.Json;

/**
 * The diff of {@link MetasecTracker} on lists written by hand (the spec's 13-field channel lines): which channels make
 * one call, the events of each change in order, unreadable lines and failed lists, the baseline, reconciliation and
 * the saved state.
 */
class MetasecTrackerTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final String SRC = "pbx.example.com/1004";

    final MetasecTracker tracker = new MetasecTracker(SRC, "Callme", Duration.ofSeconds(2));
    int poll;

    /** A channel line in the spec's layout. */
    static String line(String chan, String ctx, String exten, String state, String app, String data, String cid,
                       long duration, String bridged, String uid) {
        return String.join("!", chan, ctx, exten, state, app, data, cid, cid, cid, "3", Long.toString(duration),
                bridged == null ? "(None)" : bridged, uid);
    }

    static MetasecList<ChannelLine> channels(String... lines) {
        List<ChannelLine> rows = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String l : lines) {
            ChannelLine c = MetasecLines.channel(l);
            if (c == null) {
                bad.add(l);
            } else {
                rows.add(c);
            }
        }
        return new MetasecList<>(rows, bad);
    }

    Instant at() {
        return T0.plusSeconds(2L * poll);
    }

    List<CallEvent> poll(String... lines) {
        return apply(MetasecPoll.calls(at(), channels(lines))).events();
    }

    MetasecTracker.Result apply(MetasecPoll p) {
        poll++;
        return tracker.apply(p);
    }

    static List<String> types(List<CallEvent> events) {
        return events.stream().map(e -> e.type() + " " + e.callId() + " " + e.legId()).toList();
    }

    // a click-to-dial 1004 -> 1001: the originating channel in Callme, the called leg AppDial
    static final String A_RING = line("SIP/1004-00000010", "Callme", "1001", "Ring", "Dial", "SIP/1001,30,tT", "1004",
            0, null, "1358704647.90");
    static final String B_RINGING = line("SIP/1001-00000011", "from-internal", "1001", "Ringing", "AppDial",
            "(Outgoing Line)", "1004", 0, null, "1358704647.91");
    static final String A_UP = line("SIP/1004-00000010", "Callme", "1001", "Up", "Dial", "SIP/1001,30,tT", "1004", 8,
            "SIP/1001-00000011", "1358704647.90");
    static final String B_UP = line("SIP/1001-00000011", "from-internal", "1001", "Up", "AppDial", "(Outgoing Line)",
            "1004", 6, "SIP/1004-00000010", "1358704647.91");

    @Test
    void aClickToDialCallFromDialingToEnded() {
        assertEquals(List.of(), poll(), "the baseline: nothing");
        List<CallEvent> ringing = poll(A_RING, B_RINGING);
        assertEquals(List.of("call.dialing 1358704647.90 1358704647.90", "call.ringing 1358704647.90 1358704647.91"),
                types(ringing));
        CallEvent dialing = ringing.get(0);
        assertEquals("metasec", dialing.vendor());
        assertEquals(SRC, dialing.source());
        assertEquals("1004", dialing.from());
        assertEquals("1001", dialing.to());
        assertEquals(Direction.INTERNAL, dialing.direction());
        assertEquals("Ring", dialing.state());
        assertEquals("A", dialing.details().get("leg"));
        assertEquals("SIP/1004-00000010", dialing.details().get("channel"));
        assertEquals(A_RING.replace("!1004!1004!1004!3!", "!1004!1004!!!"), dialing.raw());
        assertEquals("B", ringing.get(1).details().get("leg"));
        assertEquals(List.of(), poll(A_RING, B_RINGING), "nothing changed");

        List<CallEvent> answered = poll(A_UP, B_UP);
        assertEquals(List.of("call.answered 1358704647.90 1358704647.91", "call.connected 1358704647.90 1358704647.91"),
                types(answered));
        Instant answerAt = at().minusSeconds(2);
        assertEquals(List.of(), poll(A_UP, B_UP));
        Instant lastSeen = at().minusSeconds(2);

        MetasecTracker.Result end = apply(MetasecPoll.calls(at(), channels()));
        assertEquals(List.of("call.ended 1358704647.90 1358704647.90"), types(end.events()));
        assertEquals(1, end.ended().size());
        CallRecord r = end.ended().get(0);
        assertEquals("metasec:" + SRC + ":1358704647.90", r.key());
        assertEquals(T0.plusSeconds(2), r.start(), "first seen");
        assertEquals(answerAt, r.answer(), "first seen answered");
        assertEquals(lastSeen, r.end(), "last seen");
        assertEquals(6, r.duration());
        assertEquals(2, r.billsec());
        assertEquals(Disposition.ANSWERED, r.disposition());
        assertEquals(Direction.INTERNAL, r.direction());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) r.raw()).get("derived"));
        assertEquals(2L, ((Map<?, ?>) r.raw()).get("precisionSeconds"));
        assertEquals(6L, end.events().get(0).details().get("duration"));
        assertEquals(0, tracker.callCount());
    }

    @Test
    void anInboundCallRingsOnceAndAQueueCallerIsNotAnsweredUntilAnAgentTakesIt() {
        poll();
        String trunk = line("SIP/sps2-00000020", "from-trunk", "1002", "Ring", "Dial", "SIP/1002,30,tT",
                "+4930123456", 0, null, "1358704700.1");
        String ringing = line("SIP/1002-00000021", "from-internal", "1002", "Ringing", "AppDial", "(Outgoing Line)",
                "+4930123456", 0, null, "1358704700.2");
        List<CallEvent> e = poll(trunk, ringing);
        assertEquals(List.of("call.ringing 1358704700.1 1358704700.1"), types(e), "one ringing for both channels");
        assertEquals(Direction.INBOUND, e.get(0).direction());
        assertEquals("+4930123456", e.get(0).from());

        String queued = line("SIP/sps2-00000030", "from-trunk", "7777", "Up", "Queue", "VMX,i", "+4930999", 0, null,
                "1358704700.3");
        e = poll(trunk, ringing, queued);
        assertEquals(List.of("call.ringing 1358704700.3 1358704700.3"), types(e), "Up in a queue is not answered");
        String agent = line("SIP/1001-00000031", "from-queue", "7777", "Up", "AppQueue", "(Outgoing Line)", "+4930999",
                0, "SIP/sps2-00000030", "1358704700.4");
        String queuedBridged = line("SIP/sps2-00000030", "from-trunk", "7777", "Up", "Queue", "VMX,i", "+4930999", 4,
                "SIP/1001-00000031", "1358704700.3");
        e = poll(trunk, ringing, queuedBridged, agent);
        assertEquals(List.of("call.answered 1358704700.3 1358704700.4", "call.connected 1358704700.3 1358704700.4"),
                types(e), "the agent's channel joins the caller's call");
        // the inbound call is hung up unanswered
        MetasecTracker.Result end = apply(MetasecPoll.calls(at(), channels(queuedBridged, agent)));
        assertEquals(List.of("call.ended 1358704700.1 1358704700.1"), types(end.events()));
        assertEquals(Disposition.NO_ANSWER, end.ended().get(0).disposition());
        assertNull(end.ended().get(0).answer());
        assertEquals(0L, end.ended().get(0).billsec());
    }

    @Test
    void aTransferRingsTheNewDestinationAndConnectsAgain() {
        poll();
        poll(A_RING, B_RINGING);
        poll(A_UP, B_UP);
        // call_pick of the A channel to 1002: its B channel is hung up, a new leg rings
        String aRinging2 = line("SIP/1004-00000010", "from-internal", "1002", "Ring", "Dial", "SIP/1002,30,tT", "1004",
                20, null, "1358704647.90");
        String c = line("SIP/1002-00000012", "from-internal", "1002", "Ringing", "AppDial", "(Outgoing Line)", "1004",
                0, null, "1358704647.95");
        assertEquals(List.of("call.ringing 1358704647.90 1358704647.95"), types(poll(aRinging2, c)));
        String aUp2 = line("SIP/1004-00000010", "from-internal", "1002", "Up", "Dial", "SIP/1002,30,tT", "1004", 22,
                "SIP/1002-00000012", "1358704647.90");
        String cUp = line("SIP/1002-00000012", "from-internal", "1002", "Up", "AppDial", "(Outgoing Line)", "1004", 2,
                "SIP/1004-00000010", "1358704647.95");
        assertEquals(List.of("call.connected 1358704647.90 1358704647.95"), types(poll(aUp2, cUp)),
                "answered once per call; connected again");
        assertEquals(List.of("SIP/1004-00000010", "SIP/1002-00000012"), tracker.find("1358704647.90").orElseThrow()
                .stream().map(MetasecTracker.LiveLeg::channel).toList(), "the live channels, A first");
        assertEquals("SIP/1004-00000010", tracker.find("1358704647.95").orElseThrow().get(0).channel(),
                "found by a leg's id too");
    }

    @Test
    void aListWithUnreadableLinesOrNoListEndsNothing() {
        poll();
        poll(A_RING, B_RINGING);
        poll(A_UP, B_UP);
        // the server's list could not be read: nothing is gone
        assertEquals(List.of(), apply(MetasecPoll.calls(at(), null)).events());
        // a PHP notice and a line cut short among good lines: what it does not list is not gone
        assertEquals(List.of(), poll("<br />", "SIP/1004-00000010!Callme!1001"));
        assertEquals(2, tracker.channelCount());
        // the first whole list reconciles: the call ended meanwhile, at its last sight
        Instant lastSeen = T0.plusSeconds(2L * 2);
        MetasecTracker.Result end = apply(MetasecPoll.calls(at(), channels()));
        assertEquals(List.of("call.ended 1358704647.90 1358704647.90"), types(end.events()));
        assertEquals(Boolean.TRUE, end.events().get(0).details().get("reconciled"));
        assertEquals(lastSeen, end.ended().get(0).end());
    }

    @Test
    void afterAnOutageANewCallIsOneEventOfItsStateNow() {
        poll();
        apply(MetasecPoll.calls(at(), null)); // the outage
        List<CallEvent> e = poll(A_UP, B_UP);
        assertEquals(List.of("call.connected 1358704647.90 1358704647.90"), types(e), "not a replay");
        assertEquals(Boolean.TRUE, e.get(0).details().get("reconciled"));
        assertEquals(List.of(), poll(A_UP, B_UP));
        MetasecTracker.Result end = apply(MetasecPoll.calls(at(), channels()));
        CallRecord r = end.ended().get(0);
        assertEquals(T0.plusSeconds(4).minusSeconds(8), r.start(), "started the line's duration before it was first "
                + "seen");
        assertEquals(Boolean.TRUE, ((Map<?, ?>) r.raw()).get("reconciled"));
    }

    @Test
    void theSavedStateRestartsWithoutAnnouncingRunningCallsAgain() throws Exception {
        poll();
        poll(A_RING, B_RINGING);
        poll(A_UP, B_UP);
        byte[] saved = Json.MAPPER.writeValueAsBytes(tracker.state());

        MetasecTracker restarted = new MetasecTracker(SRC, "Callme", Duration.ofSeconds(2));
        restarted.restore(Json.MAPPER.readValue(saved, MetasecTracker.State.class));
        assertEquals(2, restarted.channelCount());
        String other = line("SIP/1003-00000040", "from-internal", "1005", "Ring", "Dial", "SIP/1005,30,tT", "1003", 3,
                null, "1358704800.1");
        MetasecTracker.Result r = restarted.apply(MetasecPoll.calls(T0.plusSeconds(60), channels(A_UP, B_UP, other)));
        assertEquals(List.of("call.ringing 1358704800.1 1358704800.1"), types(r.events()),
                "the running call is not new; the call started meanwhile is, once, reconciled");
        assertEquals(Boolean.TRUE, r.events().get(0).details().get("reconciled"));
        MetasecTracker.Result end = restarted.apply(MetasecPoll.calls(T0.plusSeconds(62), channels(other)));
        assertEquals(List.of("call.ended 1358704647.90 1358704647.90"), types(end.events()));
        CallRecord rec = end.ended().get(0);
        assertEquals(T0.plusSeconds(2), rec.start(), "the start saved");
        assertNotNull(rec.answer());
    }

    @Test
    void queuesAgentsRelaysExtensionsAndRecordings() {
        MetasecList<WaitingCaller> none = new MetasecList<>(List.of(), List.of());
        MetasecList<AgentInfo> agents = new MetasecList<>(List.of(MetasecLines.agent("SIP/1001!Empfang!0!0!0!0")),
                List.of());
        MetasecList<Relay> relays = new MetasecList<>(List.of(new Relay("17", "Tuer", 0)), List.of());
        MetasecList<ExtensionStatus> ext = new MetasecList<>(List.of(new ExtensionStatus("1001",
                ExtensionState.IDLE)), List.of());
        MetasecList<RecordingFile> files = new MetasecList<>(List.of(MetasecLines.recordingFile("old.wav")), List.of());
        assertEquals(List.of(), apply(new MetasecPoll(at(), channels(), ext, Map.of("VMX", none),
                Map.of("VMX", agents), relays, files)).events(), "the baseline of every kind");

        String queued = line("SIP/sps2-00000030", "from-trunk", "7777", "Up", "Queue", "VMX,i", "+4930999", 0, null,
                "1358704700.3");
        MetasecList<WaitingCaller> waiting = new MetasecList<>(List.of(MetasecLines.waitingCaller(
                "1!SIP/sps2-00000030!+4930999!!0!1358704700.3")), List.of());
        MetasecList<AgentInfo> two = new MetasecList<>(List.of(MetasecLines.agent("SIP/1001!Empfang!0!0!0!0"),
                MetasecLines.agent("SIP/1004!Lukas!0!0!0!0")), List.of());
        String md5 = MetasecBackendMd5.md5("1358704700.3");
        MetasecList<RecordingFile> newFile = new MetasecList<>(List.of(MetasecLines.recordingFile("old.wav"),
                MetasecLines.recordingFile(md5 + "_1358704702.wav")), List.of());
        List<CallEvent> e = apply(new MetasecPoll(at(), channels(queued), new MetasecList<>(List.of(
                new ExtensionStatus("1001", ExtensionState.RINGING)), List.of()), Map.of("VMX", waiting),
                Map.of("VMX", two), new MetasecList<>(List.of(new Relay("17", "Tuer", 1)), List.of()), newFile))
                .events();
        assertEquals(List.of("call.ringing 1358704700.3 1358704700.3", "queue.joined 1358704700.3 1358704700.3",
                "agent.logged_in null agent:SIP/1004", "relay.changed null relay:17",
                "extension.changed null extension:1001"), types(e), "the recording waits for its call to end");
        assertEquals("VMX", e.get(1).details().get("queue"));
        assertEquals("VMX", e.get(2).to());
        assertEquals(0, e.get(3).details().get("previous"));
        assertEquals("RINGING", e.get(4).state());

        List<CallEvent> end = apply(new MetasecPoll(at(), channels(), null, Map.of("VMX", none), Map.of("VMX", agents),
                null, newFile)).events();
        assertEquals(List.of("queue.left 1358704700.3 1358704700.3", "call.ended 1358704700.3 1358704700.3",
                "recording.available 1358704700.3 null", "agent.logged_out null agent:SIP/1004"), types(end));
        assertEquals("ended", end.get(0).details().get("outcome"));
        assertEquals(md5 + "_1358704702.wav", end.get(2).details().get("file"));
        assertTrue(end.get(1).details().containsKey("recording"));
    }

    @Test
    void uniqueIdsAreOrderedAsNumbers() {
        assertTrue(MetasecTracker.compareUniqueIds("1358704647.9", "1358704647.10") < 0);
        assertTrue(MetasecTracker.compareUniqueIds("1358704647.99", "1358704648.1") < 0);
        assertEquals(0, MetasecTracker.compareUniqueIds("1.5", "1.5"));
    }

    /** The simulator's file names: md5 of the channel's unique id. */
    static final class MetasecBackendMd5 {
        static String md5(String s) throws RuntimeException {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
