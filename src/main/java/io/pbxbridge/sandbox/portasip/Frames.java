package io.pbxbridge.sandbox.portasip;

import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The frames of the Call Control socket: SIPCallInfo of a leg, the notification
 * {@code {"action":"update","event":"sip.call_control_notifications","result":{"call_info":{...}}}} (keys in
 * alphabetical order, as the spec's samples print them), and the same notification damaged the way the spec prints
 * most of its samples ({@link #damaged}).
 *
 * <p>State-specific fields as the spec's SIPCallInfo table says: {@code start_time} for trying/ringing/early,
 * {@code connect_time} for connected/held/holding, {@code duration}, {@code reason}, {@code reason_code} for
 * terminated, {@code queue_info {i_c_queue, position, operators}} for queued/dequeued. Times
 * {@code yyyy-MM-dd HH:mm:ss}, no zone (the simulator's zone, UTC unless the builder says otherwise).
 *
 * <p>The IVR fields, whose names the spec lost (our choice, the {@code portasip} client reads the same):
 * {@code ivr_event} ({@code play_prompt_completed} or {@code dtmf_digit_detected}), {@code order} (2 or 3, with
 * play_prompt_completed), {@code dtmf_digit} (a string: 0-9, *, #, A-D) and {@code dtmf_duration} (ms), with
 * dtmf_digit_detected; added to the leg's SIPCallInfo in its current state.
 */
final class Frames {

    static final String EVENT = "sip.call_control_notifications";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Frames() {
    }

    static ObjectNode party(SimParty p) {
        ObjectNode o = PortaSipState.NODES.objectNode();
        if (p.ivr() != null) {
            o.put("access_number", p.ivr().number());
        }
        if (p.account() != null) {
            o.put("account_id", p.account().login());
            o.put("centrex_id", Long.toString(p.account().iCustomer()));
        }
        o.put("display_id", p.displayId());
        if (p.displayName() != null) {
            o.put("display_name", p.displayName());
        }
        if (p.account() != null) {
            o.put("extension_id", p.account().extension());
        }
        ArrayNode fw = o.putArray("forwarder_list");
        p.forwarders().forEach(f -> fw.addObject().put("id", f));
        if (p.huntgroupId() != null) {
            o.put("huntgroup_id", p.huntgroupId());
        }
        o.put("id", p.id());
        return o;
    }

    /** SIPCallInfo of {@code leg}, plus {@code extra} (the IVR fields), keys sorted. */
    static ObjectNode callInfo(SimLeg leg, Map<String, Object> extra) {
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        ObjectNode call = PortaSipState.NODES.objectNode();
        call.put("id", leg.id);
        call.put("tag", leg.tag);
        fields.put("call", call);
        fields.put("callee", party(leg.callee));
        fields.put("caller", party(leg.caller));
        switch (leg.state) {
            case SimLeg.TRYING, SimLeg.RINGING, SimLeg.EARLY ->
                    fields.put("start_time", PortaSipState.NODES.textNode(TIME.format(leg.startTime)));
            case SimLeg.CONNECTED, SimLeg.HELD, SimLeg.HOLDING ->
                    fields.put("connect_time", PortaSipState.NODES.textNode(TIME.format(leg.connectTime)));
            case SimLeg.TERMINATED -> {
                long duration = leg.connectTime == null ? 0
                        : Math.max(0, java.time.Duration.between(leg.connectTime, leg.endTime).getSeconds());
                fields.put("duration", PortaSipState.NODES.numberNode(duration));
                fields.put("reason", PortaSipState.NODES.textNode(leg.reason));
                fields.put("reason_code", leg.reasonCode == null ? PortaSipState.NODES.nullNode()
                        : PortaSipState.NODES.numberNode(leg.reasonCode));
            }
            case SimLeg.QUEUED, SimLeg.DEQUEUED -> {
                ObjectNode q = PortaSipState.NODES.objectNode();
                q.put("i_c_queue", leg.iCQueue);
                q.put("operators", leg.queueOperators);
                q.put("position", leg.queuePosition);
                fields.put("queue_info", q);
            }
            default -> {
            }
        }
        fields.put("state", PortaSipState.NODES.textNode(leg.state));
        fields.put("transport_id", PortaSipState.NODES.textNode(leg.transportId));
        fields.put("type", PortaSipState.NODES.textNode(leg.type));
        if (extra != null) {
            extra.forEach((k, v) -> fields.put(k, v instanceof Number n ? PortaSipState.NODES.numberNode(n.longValue())
                    : PortaSipState.NODES.textNode(String.valueOf(v))));
        }
        ObjectNode o = PortaSipState.NODES.objectNode();
        fields.forEach(o::set);
        return o;
    }

    static String notification(SimLeg leg, Map<String, Object> extra) {
        ObjectNode o = PortaSipState.NODES.objectNode();
        o.put("action", "update");
        o.put("event", EVENT);
        o.putObject("result").set("call_info", callInfo(leg, extra));
        return o.toString();
    }

    /**
     * The notification as the spec prints it (L1502-1566, L1761-1799): {@code "call info"} at the top level without
     * {@code result}, {@code "event":"sip.call control notifications"}, keys with spaces ({@code "account id"},
     * {@code "display id"}, {@code "forwarder list"}, {@code "transport id"}), in the callee a duplicated key with a
     * conflicting value ({@code "display_id":"<the callee's>"} then, last, {@code "display id":"<the caller's>"}, as
     * L1564/L1566), and in the caller {@code "forwarder_list"} and {@code "id"} written twice with the same value
     * (L1787-1792). Everything else as in {@link #notification}.
     */
    static String damaged(SimLeg leg, Map<String, Object> extra) {
        ObjectNode info = callInfo(leg, extra);
        StringBuilder b = new StringBuilder(512);
        b.append("{\"action\":\"update\",\"event\":\"sip.call control notifications\",\"call info\":{");
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) info::fields) {
            if (!first) {
                b.append(',');
            }
            first = false;
            switch (e.getKey()) {
                case "callee" -> {
                    b.append("\"callee\":");
                    damagedParty(b, e.getValue(), leg.caller.displayId(), false);
                }
                case "caller" -> {
                    b.append("\"caller\":");
                    damagedParty(b, e.getValue(), null, true);
                }
                case "transport_id" -> b.append("\"transport id\":").append(e.getValue().toString());
                default -> b.append(quote(e.getKey())).append(':').append(e.getValue().toString());
            }
        }
        return b.append("}}").toString();
    }

    private static void damagedParty(StringBuilder b, JsonNode p, String conflictingDisplayId, boolean repeatTail) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) p::fields) {
            if (!first) {
                b.append(',');
            }
            first = false;
            String key = switch (e.getKey()) {
                case "account_id" -> "account id";
                case "display_id" -> conflictingDisplayId != null ? "display_id" : "display id";
                case "forwarder_list" -> conflictingDisplayId != null ? "forwarder_list" : "forwarder list";
                default -> e.getKey();
            };
            b.append(quote(key)).append(':').append(e.getValue().toString());
        }
        if (conflictingDisplayId != null) {
            b.append(",\"display id\":").append(quote(conflictingDisplayId));
        }
        if (repeatTail) {
            b.append(",\"forwarder_list\":").append(p.path("forwarder_list").toString())
                    .append(",\"id\":").append(p.path("id").toString());
        }
        b.append('}');
    }

    static String quote(String s) {
        return PortaSipState.NODES.textNode(s).toString();
    }
}
