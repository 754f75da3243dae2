package io.pbxbridge.portasip;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.support.Json;

/**
 * For tests, a stand-in for {@code portasip:events} (built on another branch): it subscribes a scope on a Call Control
 * socket and turns the simulator's (intact) notification frames into {@link CallEvent}s as that consumer's contract
 * says: vendor {@code portasip}, source {@code <host>/<login>}, {@code callId} the call id without {@code ~N},
 * {@code legId} {@code <leg id>;tag=<tag>}, types call.ringing / call.answered / call.resumed / call.held /
 * call.ended / queue.joined / queue.left / ivr.prompt_completed / ivr.dtmf, {@code details} leg, tag, transportId,
 * legType, startTime, connectTime, duration, reason, reasonCode.
 */
public final class SimCallEvents implements Consumer<String> {

    private final String source;
    private final Consumer<CallEvent> sink;
    private final List<CallEvent> seen = new CopyOnWriteArrayList<>();
    private final Set<String> held = new HashSet<>();

    private SimCallEvents(String source, Consumer<CallEvent> sink) {
        this.source = source;
        this.sink = sink;
    }

    /** Subscribes {@code scope} on {@code cc} and hands each event to {@code sink}. */
    public static SimCallEvents attach(PortaSipCallControl cc, PortaSipCallControl.Scope scope, String source,
                                       Consumer<CallEvent> sink) {
        SimCallEvents events = new SimCallEvents(source, sink);
        cc.addNotificationListener(events);
        cc.enableNotifications(scope, Duration.ofSeconds(5));
        return events;
    }

    /** Every event so far. */
    public List<CallEvent> seen() {
        return List.copyOf(seen);
    }

    /** The events of one call so far. */
    public List<CallEvent> of(String callId) {
        return seen.stream().filter(e -> callId.equals(e.callId())).toList();
    }

    @Override
    public void accept(String frame) {
        CallEvent e = event(frame, source, held, Instant.now());
        if (e != null) {
            seen.add(e);
            sink.accept(e);
        }
    }

    /** The event of an intact notification frame, or null. */
    static synchronized CallEvent event(String frame, String source, Set<String> held, Instant at) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(frame);
        } catch (Exception ex) {
            return null;
        }
        JsonNode info = n.path("result").path("call_info");
        if (!info.isObject()) {
            return null;
        }
        SipCallInfo leg;
        try {
            leg = Json.MAPPER.treeToValue(info, SipCallInfo.class);
        } catch (Exception ex) {
            return null;
        }
        String legKey = leg.call().id() + ";tag=" + leg.call().tag();
        String type;
        if (leg.ivrEvent() != null) {
            type = leg.ivrEvent().equals("dtmf_digit_detected") ? "ivr.dtmf" : "ivr.prompt_completed";
        } else {
            type = switch (leg.state()) {
                case "trying", "ringing", "early" -> "call.ringing";
                case "connected" -> held.remove(legKey) ? "call.resumed" : "call.answered";
                case "held", "holding" -> {
                    held.add(legKey);
                    yield "call.held";
                }
                case "terminated" -> "call.ended";
                case "queued" -> "queue.joined";
                case "dequeued" -> "queue.left";
                default -> "portasip." + leg.state();
            };
        }
        String callId = leg.call().callKey();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("leg", callId.equals(leg.call().id()) ? "A" : "B");
        details.put("tag", leg.call().tag());
        put(details, "transportId", leg.transportId());
        put(details, "legType", leg.type());
        put(details, "startTime", leg.startTime());
        put(details, "connectTime", leg.connectTime());
        put(details, "duration", leg.duration());
        put(details, "reason", leg.reason());
        put(details, "reasonCode", leg.reasonCode());
        String from = leg.caller() == null ? null : leg.caller().id();
        String to = leg.callee() == null ? null : leg.callee().id();
        return new CallEvent(UUID.randomUUID().toString(), PortaSipCallRecords.VENDOR, source, type, callId, legKey,
                from, to, PortaSipCallRecords.direction(from, to), leg.state(), at, details, frame);
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** A hand-made event of the contract, for tests without a simulator. */
    public static CallEvent event(String source, String type, String callId, String leg, String tag, Instant at,
                                  String from, String to, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("leg", leg);
        details.put("tag", tag);
        details.put("transportId", "192.168.243.133:5070");
        details.putAll(more);
        String legId = (leg.equals("A") ? callId : callId + "~10") + ";tag=" + tag;
        return new CallEvent(UUID.randomUUID().toString(), PortaSipCallRecords.VENDOR, source, type, callId, legId,
                from, to, PortaSipCallRecords.direction(from, to), null, at, details, null);
    }
}
