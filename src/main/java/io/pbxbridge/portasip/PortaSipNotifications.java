package io.pbxbridge.portasip;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.support.Json;

/**
 * Reads the frames of Call Control's {@code sip.call_control_notifications} as PortaSIP writes them and as its spec
 * prints them: {@code {"action":"update","event":"sip.call_control_notifications","result":{"call_info":{...}}}}, or
 * the call info at the top level without {@code result} ({@code "call info":{...}}); keys with spaces for
 * underscores ({@code "account id"}, {@code "transport id"}) at any depth; duplicated keys, the last value winning
 * (also a key written both ways, {@code "display_id"} then {@code "display id"}); missing optional fields; and, as a
 * second attempt, text that is not strict JSON (trailing commas, single quotes, a line break inside a string, as the
 * spec's wrapped samples have). Everything repaired is said in {@link Read#repairs()}, in words.
 * <p>
 * One pass of Jackson's streaming parser builds the tree, normalizing keys and noting duplicates as it goes (a
 * tree read by {@code readTree} would keep the last duplicate without a word). A frame that is not JSON, not an
 * object, another event, or without a call info holding a call id and a state is {@link Unreadable}: the consumer
 * dead-letters it with its raw text.
 */
public final class PortaSipNotifications {

    /** The event of the frames read here. */
    public static final String EVENT = PortaSipCallControl.NOTIFICATIONS;

    private static final JsonFactory STRICT = Json.MAPPER.getFactory();
    private static final JsonFactory LENIENT = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_MISSING_VALUES)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Deeper than any SIPCallInfo: a frame nested further is not a notification. */
    private static final int MAX_DEPTH = 32;

    private PortaSipNotifications() {
    }

    /**
     * A notification read.
     *
     * @param info     the leg's SIPCallInfo
     * @param callInfo the call info as read (keys normalized, duplicates resolved), e.g. for a calls-list comparison
     * @param repairs  what was repaired to read it, in words; empty for a clean frame
     */
    public record Read(SipCallInfo info, ObjectNode callInfo, List<String> repairs) {
    }

    /** A frame that is no notification. */
    public static final class Unreadable extends Exception {

        private final String reason;

        Unreadable(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** {@code NOT_JSON}, {@code NOT_AN_OBJECT}, {@code OTHER_EVENT}, {@code NO_CALL_INFO} or {@code MALFORMED}. */
        public String reason() {
            return reason;
        }
    }

    /** Reads one frame. */
    public static Read read(String text) throws Unreadable {
        List<String> repairs = new ArrayList<>(0);
        JsonNode root = tree(text, repairs);
        if (root == null || !root.isObject()) {
            throw new Unreadable("NOT_AN_OBJECT", "the frame is JSON but not an object");
        }
        JsonNode event = root.get("event");
        if (event != null && !event.isNull()) {
            String name = event.asText().trim();
            if (!EVENT.equals(name)) {
                String fixed = name.replace(' ', '_');
                if (!EVENT.equals(fixed)) {
                    throw new Unreadable("OTHER_EVENT", "not a " + EVENT + " frame but event '"
                            + io.pbxbridge.support.LogSafe.truncate(name, 80) + "'");
                }
                repairs.add("event name with spaces (\"" + name + "\") read as " + EVENT);
            }
        }
        JsonNode info = null;
        JsonNode result = root.get("result");
        if (result != null && result.isObject()) {
            info = result.get("call_info");
        }
        if (info == null || info.isNull()) {
            info = root.get("call_info");
            if (info != null && !info.isNull()) {
                repairs.add("call_info at the top level, not under result");
            }
        }
        if (info == null || !info.isObject()) {
            throw new Unreadable("NO_CALL_INFO", info == null || info.isNull() ? "no call_info in the frame"
                    : "call_info is not an object but " + info.getNodeType());
        }
        return read((ObjectNode) info, repairs);
    }

    /**
     * One SIPCallInfo already parsed (a frame's call info, an entry of {@code get_sip_calls_list}), keys normalized
     * by {@link #normalize}.
     */
    static Read read(ObjectNode info, List<String> repairs) throws Unreadable {
        SipCallInfo leg = callInfo(info);
        if (leg.call() == null || leg.call().id() == null || leg.call().id().isBlank()) {
            throw new Unreadable("NO_CALL_INFO", "call_info without call.id");
        }
        if (leg.state() == null || leg.state().isBlank()) {
            throw new Unreadable("NO_CALL_INFO", "call_info without state");
        }
        return new Read(leg, info, repairs.isEmpty() ? List.of() : List.copyOf(repairs));
    }

    /**
     * The calls-list entry {@code entry} (a JSON node of a {@code get_sip_calls_list} reply) with its keys
     * normalized as a frame's, read as {@link #read(String)} reads a frame's call info.
     */
    public static Read readListed(JsonNode entry) throws Unreadable {
        if (entry == null || !entry.isObject()) {
            throw new Unreadable("NO_CALL_INFO", "a calls_list entry that is not an object");
        }
        List<String> repairs = new ArrayList<>(0);
        return read((ObjectNode) normalize(entry, "", repairs), repairs);
    }

    // ---- SIPCallInfo from the tree ------------------------------------------------------------------------------

    /**
     * The tree as {@link SipCallInfo}, as Jackson would map it (unknown fields ignored, a number for a text and a
     * numeric text for a number accepted), by hand: it is a third of the cost of reading a frame otherwise.
     */
    static SipCallInfo callInfo(ObjectNode n) throws Unreadable {
        JsonNode call = n.get("call");
        SipCallIdentifier id = call == null || call.isNull() ? null : identifier(call);
        JsonNode q = n.get("queue_info");
        SipCallQueueStateInfo queue = q == null || q.isNull() ? null : new SipCallQueueStateInfo(
                longValue(object(q, "queue_info"), "i_c_queue"), integer(q, "position"), integer(q, "operators"));
        return new SipCallInfo(id, party(n.get("callee"), "callee"), party(n.get("caller"), "caller"),
                text(n, "state"), text(n, "transport_id"), text(n, "type"), text(n, "connect_time"),
                integer(n, "duration"), text(n, "reason"), integer(n, "reason_code"), text(n, "start_time"), queue,
                text(n, "ivr_event"), text(n, "dtmf_digit"), integer(n, "dtmf_duration"), integer(n, "order"));
    }

    private static SipCallIdentifier identifier(JsonNode call) throws Unreadable {
        object(call, "call");
        return new SipCallIdentifier(text(call, "id"), text(call, "tag"));
    }

    private static SipCallerInfo party(JsonNode p, String name) throws Unreadable {
        if (p == null || p.isNull()) {
            return null;
        }
        object(p, name);
        List<SipForwarderAccountInfo> forwarders = null;
        JsonNode f = p.get("forwarder_list");
        if (f != null && !f.isNull()) {
            forwarders = new ArrayList<>(f.size());
            for (JsonNode x : f.isArray() ? f : List.of(f)) {
                forwarders.add(new SipForwarderAccountInfo(x.isObject() ? text(x, "id") : scalar(x, name
                        + ".forwarder_list")));
            }
        }
        return new SipCallerInfo(text(p, "account_id"), text(p, "centrex_id"), text(p, "display_id"),
                text(p, "display_name"), text(p, "extension_id"), text(p, "huntgroup_id"), text(p, "id"), forwarders,
                text(p, "access_number"));
    }

    private static JsonNode object(JsonNode n, String name) throws Unreadable {
        if (!n.isObject()) {
            throw new Unreadable("MALFORMED", "call_info cannot be read: " + name + " must be an object, not "
                    + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return n;
    }

    private static String text(JsonNode n, String field) throws Unreadable {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : scalar(v, field);
    }

    private static String scalar(JsonNode v, String field) throws Unreadable {
        if (v.isContainerNode()) {
            throw new Unreadable("MALFORMED", "call_info cannot be read: " + field + " must be a value, not "
                    + (v.isArray() ? "a list" : "an object"));
        }
        return v.asText();
    }

    private static Integer integer(JsonNode n, String field) throws Unreadable {
        Long v = longValue(n, field);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new Unreadable("MALFORMED", "call_info cannot be read: " + field + " is out of range: " + v);
        }
        return v == null ? null : v.intValue();
    }

    private static Long longValue(JsonNode n, String field) throws Unreadable {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
                && Math.abs(v.doubleValue()) < 1e15) {
            return (long) v.doubleValue(); // 12.0, as Jackson takes it
        }
        if (v.isTextual()) {
            String t = v.asText().trim();
            if (t.isEmpty()) {
                return null;
            }
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new Unreadable("MALFORMED", "call_info cannot be read: " + field + " must be a whole number, not "
                + io.pbxbridge.support.LogSafe.truncate(v.toString(), 40));
    }

    // ---- the tree -----------------------------------------------------------------------------------------------

    /** The frame's tree: strict JSON, else lenient (said in {@code repairs}); keys normalized, duplicates noted. */
    private static JsonNode tree(String text, List<String> repairs) throws Unreadable {
        if (text == null || text.isBlank()) {
            throw new Unreadable("NOT_JSON", "an empty frame");
        }
        Builder strict = new Builder(false);
        try (JsonParser p = STRICT.createParser(text)) {
            JsonNode n = strict.root(p);
            repairs.addAll(strict.repairs());
            return n;
        } catch (JsonProcessingException e) {
            String problem = Json.problem(e);
            Builder lenient = new Builder(true);
            try (JsonParser p = LENIENT.createParser(text)) {
                JsonNode n = lenient.root(p);
                repairs.add("not strict JSON (" + problem + "), read leniently");
                repairs.addAll(lenient.repairs());
                return n;
            } catch (JsonProcessingException again) {
                throw new Unreadable("NOT_JSON", "the frame is not JSON: " + problem);
            } catch (IOException again) {
                throw new Unreadable("NOT_JSON", "the frame cannot be read: " + again.getMessage());
            }
        } catch (IOException e) {
            throw new Unreadable("NOT_JSON", "the frame cannot be read: " + e.getMessage());
        }
    }

    /** Builds a tree from the parser's tokens: keys trimmed with spaces as underscores, the last duplicate winning. */
    private static final class Builder {

        private final boolean lenient;
        private final Set<String> spaced = new LinkedHashSet<>(0);
        private final List<String> duplicates = new ArrayList<>(0);
        private boolean lineBreaks;

        Builder(boolean lenient) {
            this.lenient = lenient;
        }

        JsonNode root(JsonParser p) throws IOException, Unreadable {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new Unreadable("NOT_JSON", "an empty frame");
            }
            JsonNode n = value(p, t, "", null, 0);
            if (p.nextToken() != null) {
                throw new Unreadable("NOT_JSON", "the frame goes on after its JSON value");
            }
            return n;
        }

        List<String> repairs() {
            List<String> out = new ArrayList<>(0);
            if (!spaced.isEmpty()) {
                out.add("keys with spaces read with underscores: " + String.join(", ", spaced));
            }
            for (String d : duplicates) {
                out.add("duplicated key " + d + ": the last value kept");
            }
            if (lineBreaks) {
                out.add("line breaks inside strings removed");
            }
            return out;
        }

        /**
         * The value starting at token {@code t}, the value of key {@code key} of the object at {@code parent} (a
         * path such as {@code call_info.callee}, made only for containers: the path of a duplicated key).
         */
        private JsonNode value(JsonParser p, JsonToken t, String parent, String key, int depth)
                throws IOException, Unreadable {
            if (depth > MAX_DEPTH) {
                throw new Unreadable("MALFORMED", "the frame is nested deeper than " + MAX_DEPTH);
            }
            switch (t) {
                case START_OBJECT: {
                    String path = key == null ? parent : parent.isEmpty() ? key : parent + "." + key;
                    ObjectNode o = NODES.objectNode();
                    for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                        String name = key(p.currentName());
                        JsonNode v = value(p, p.nextToken(), path, name, depth + 1);
                        if (o.replace(name, v) != null) { // the last one wins
                            String where = path.isEmpty() ? name : path + "." + name;
                            if (!duplicates.contains(where)) {
                                duplicates.add(where);
                            }
                        }
                    }
                    return o;
                }
                case START_ARRAY: {
                    String path = (key == null ? parent : parent.isEmpty() ? key : parent + "." + key) + "[]";
                    ArrayNode a = NODES.arrayNode();
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        a.add(value(p, e, path, null, depth + 1));
                    }
                    return a;
                }
                case VALUE_STRING: {
                    String s = p.getText();
                    if (lenient && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
                        lineBreaks = true;
                        s = s.replace("\r", "").replace("\n", "");
                    }
                    return NODES.textNode(s);
                }
                case VALUE_NUMBER_INT:
                    return switch (p.getNumberType()) {
                        case INT -> NODES.numberNode(p.getIntValue());
                        case LONG -> NODES.numberNode(p.getLongValue());
                        default -> NODES.numberNode(p.getBigIntegerValue());
                    };
                case VALUE_NUMBER_FLOAT:
                    return NODES.numberNode(p.getDecimalValue());
                case VALUE_TRUE:
                    return NODES.booleanNode(true);
                case VALUE_FALSE:
                    return NODES.booleanNode(false);
                case VALUE_NULL:
                    return NODES.nullNode();
                default:
                    throw new Unreadable("NOT_JSON", "unexpected " + t);
            }
        }

        /** {@code "account id"} as {@code account_id}; a key without spaces as it is (no copy). */
        private String key(String raw) {
            if (raw.indexOf(' ') < 0) {
                return raw;
            }
            String key = raw.trim().replace(' ', '_');
            if (!key.equals(raw)) {
                spaced.add('"' + raw + '"');
            }
            return key;
        }
    }

    /** A copy of {@code n} with keys normalized as in a frame, duplicates (after normalization) noted. */
    static JsonNode normalize(JsonNode n, String path, List<String> repairs) {
        if (n.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (var it = n.fields(); it.hasNext();) {
                var e = it.next();
                String raw = e.getKey();
                String key = raw.indexOf(' ') < 0 ? raw : raw.trim().replace(' ', '_');
                String where = path.isEmpty() ? key : path + "." + key;
                JsonNode v = normalize(e.getValue(), where, repairs);
                if (out.has(key)) {
                    repairs.add("duplicated key " + where + ": the last value kept");
                    out.remove(key);
                }
                out.set(key, v);
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = NODES.arrayNode();
            n.forEach(item -> out.add(normalize(item, path + "[]", repairs)));
            return out;
        }
        return n;
    }
}
