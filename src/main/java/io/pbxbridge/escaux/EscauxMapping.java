package io.pbxbridge.escaux;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Maps the SOP's JSON to the typed results and validates inputs the SOP would reject. */
final class EscauxMapping {

    /** Largest ccOriginate variable value, in characters. */
    static final int MAX_VAR_VALUE = 59;

    private static final List<String> DIRECTORY_FIELDS = List.of("login", "ext", "fn", "ln", "site", "grp", "dep",
            "profile", "status", "dp", "sp", "email", "mobile", "fax", "home", "pincode", "company", "office", "source",
            "admin", "context_id", "context_name", "outgoing_number", "sop1", "sop1_ip", "sop2", "sop2_ip");

    private EscauxMapping() {
    }

    static String str(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    static DirectoryEntry directoryEntry(EscauxOperation op, JsonNode n, boolean showProfileParameters) {
        if (!n.isObject()) {
            throw new EscauxResponseException(op.name(), "directory entry is not an object: " + EscauxClient.abbreviate(n));
        }
        if (!n.has("ext") && !n.has("login")) {
            throw new EscauxResponseException(op.name(), "expected directory entries (with ext and login), got "
                    + EscauxClient.abbreviate(n));
        }
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (DIRECTORY_FIELDS.contains(k)) {
                continue;
            }
            String v = e.getValue().isNull() ? null : e.getValue().isValueNode() ? e.getValue().asText()
                    : e.getValue().toString();
            if (k.startsWith("P_")) {
                params.put(k.substring(2), v);
            } else if (showProfileParameters) {
                params.put(k, v);
            } else {
                other.put(k, v);
            }
        }
        return new DirectoryEntry(str(n, "login"), str(n, "ext"), str(n, "fn"), str(n, "ln"), str(n, "site"),
                str(n, "grp"), str(n, "dep"), str(n, "profile"), str(n, "status"), str(n, "dp"), str(n, "sp"),
                str(n, "email"), str(n, "mobile"), str(n, "fax"), str(n, "home"), str(n, "pincode"),
                str(n, "company"), str(n, "office"), str(n, "source"), str(n, "admin"), str(n, "context_id"),
                str(n, "context_name"), str(n, "outgoing_number"), str(n, "sop1"), str(n, "sop1_ip"), str(n, "sop2"),
                str(n, "sop2_ip"), params, other);
    }

    static Callflow callflow(EscauxOperation op, JsonNode n) {
        JsonNode status = n.get("Status");
        if (status == null || !(status.isArray() || status.isTextual())) {
            throw new EscauxResponseException(op.name(), "no Status list in " + EscauxClient.abbreviate(n));
        }
        JsonNode statuses = status.isArray() ? status : Json1.array(status);
        JsonNode translated = n.get("TranslatedStatus");
        JsonNode permissions = n.get("PermissionStatus");
        Map<String, String> translations = new LinkedHashMap<>();
        JsonNode tr = n.path("Translations").path("Translation");
        for (JsonNode t : tr.isArray() ? tr : Json1.array(tr)) {
            if (t.isObject()) {
                translations.put(str(t, "Name"), str(t, "TranslatedName"));
            }
        }
        List<Callflow.CallflowStatus> out = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            String name = statuses.get(i).asText();
            String tname = translated != null && translated.isArray() && i < translated.size()
                    ? translated.get(i).asText() : translations.getOrDefault(name, name);
            Integer perm = permissions != null && permissions.isArray() && i < permissions.size()
                    && permissions.get(i).canConvertToInt() ? permissions.get(i).asInt() : null;
            out.add(new Callflow.CallflowStatus(name, tname, perm));
        }
        return new Callflow(str(n, "CurrentProfile"), str(n, "CurrentStatus"), out);
    }

    static List<ProfileParameter> profileParameters(EscauxOperation op, JsonNode n) {
        JsonNode body = n.has("ProfileParameters") ? n.get("ProfileParameters") : n;
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else if (body.isObject()) {
            if (body.has("Result") && body.size() <= 3 && !body.get("Result").isObject()) {
                EscauxResultCodes.check(op, body.get("Result").asInt(1) == 0 ? 1 : body.get("Result").asInt(1),
                        str(body, "Error"));
            }
            body.forEach(items::add);
        } else {
            throw new EscauxResponseException(op.name(), "expected parameters, got " + EscauxClient.abbreviate(n));
        }
        List<ProfileParameter> out = new ArrayList<>();
        for (JsonNode p : items) {
            if (!p.isObject() || str(p, "name") == null) {
                throw new EscauxResponseException(op.name(), "parameter without a name: " + EscauxClient.abbreviate(p));
            }
            List<String> options = new ArrayList<>();
            JsonNode eo = p.get("enum_options");
            if (eo != null && eo.isArray()) {
                eo.forEach(o -> options.add(o.asText()));
            } else if (eo != null && eo.isObject()) {
                eo.forEach(o -> options.add(o.isValueNode() ? o.asText() : o.toString()));
            } else if (eo != null && eo.isTextual() && !eo.asText().isBlank()) {
                for (String s : eo.asText().split("[,|]")) {
                    options.add(s.trim());
                }
            }
            out.add(new ProfileParameter(str(p, "name"), str(p, "friendly_name"), str(p, "descr"), str(p, "value"),
                    str(p, "type"), str(p, "owner_type"), options));
        }
        return out;
    }

    static CallHistoryEntry callHistory(EscauxOperation op, JsonNode c) {
        try {
            return callHistoryEntry(c);
        } catch (RuntimeException e) {
            throw new EscauxResponseException(op.name(), "bad CDR " + EscauxClient.abbreviate(c) + ": " + e.getMessage(), e);
        }
    }

    /** One CDR of dbGetCallHistory; an IllegalArgumentException names the field that cannot be read. */
    static CallHistoryEntry callHistoryEntry(JsonNode c) {
        if (!c.isObject()) {
            throw new IllegalArgumentException("a CDR is a JSON object, not "
                    + c.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String disp = str(c, "disposition");
        return new CallHistoryEntry(callHistoryTimestamp(c), str(c, "caller_name"), str(c, "caller_number"),
                str(c, "called_number"), disp == null ? null : CallHistoryDisposition.of(disp),
                str(c, "last_action"), str(c, "last_application"), str(c, "context"), str(c, "origchannel"),
                str(c, "dstchannel"), seconds(c, "duration"), seconds(c, "billsec"), str(c, "uniqueid"));
    }

    /** The CDR's timestamp (the SOP's local time), null when it has none. */
    static LocalDateTime callHistoryTimestamp(JsonNode c) {
        String ts = str(c, "timestamp");
        if (ts == null || ts.isBlank()) {
            return null;
        }
        try {
            return EscauxClient.parseDate(ts);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("timestamp '" + ts + "' is not yyyy-MM-dd HH:mm:ss");
        }
    }

    private static Long seconds(JsonNode c, String field) {
        String s = str(c, field);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " '" + s + "' is not a number of seconds");
        }
    }

    /** {@code a=b,c=d} (or with another separator) to a map; a part without {@code =} maps to "". */
    static Map<String, String> pairs(String s, String separator) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String part : s.split(java.util.regex.Pattern.quote(separator))) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            out.put(eq < 0 ? part.trim() : part.substring(0, eq).trim(), eq < 0 ? "" : part.substring(eq + 1).trim());
        }
        return out;
    }

    /** {@code "John" [0027884390]} -> John; null when there is no quoted name. */
    static String callerIdName(String callerId) {
        if (callerId == null) {
            return null;
        }
        int a = callerId.indexOf('"');
        int b = a < 0 ? -1 : callerId.indexOf('"', a + 1);
        return b > a ? callerId.substring(a + 1, b) : null;
    }

    /** {@code "John" [0027884390]} -> 0027884390; the whole value when there are no brackets. */
    static String callerIdNumber(String callerId) {
        if (callerId == null) {
            return null;
        }
        int a = callerId.lastIndexOf('[');
        int b = callerId.lastIndexOf(']');
        if (a >= 0 && b > a) {
            return callerId.substring(a + 1, b).trim();
        }
        int lt = callerId.lastIndexOf('<');
        int gt = callerId.lastIndexOf('>');
        return lt >= 0 && gt > lt ? callerId.substring(lt + 1, gt).trim() : callerId.trim();
    }

    /**
     * Checks ccOriginate variables ({@code name1=value1|name2=|name3=value3}) as the spec restricts them: names free
     * (but not empty, without {@code =} or {@code |}), values at most 59 characters of [0-9A-Za-z]. Returns the
     * wire form.
     */
    static String originateVars(Object vars) {
        if (vars == null) {
            return null;
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        if (vars instanceof Map<?, ?> m) {
            m.forEach((k, v) -> pairs.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            String s = vars.toString();
            if (s.isEmpty()) {
                return null;
            }
            for (String part : s.split("\\|", -1)) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    throw new EscauxValidationException("ccOriginate", "variable '" + part
                            + "' has no '=': write var as name1=value1|name2=|name3=value3");
                }
                String name = part.substring(0, eq);
                if (pairs.containsKey(name)) {
                    throw new EscauxValidationException("ccOriginate", "variable '" + name + "' is set twice");
                }
                pairs.put(name, part.substring(eq + 1));
            }
        }
        StringBuilder wire = new StringBuilder();
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('|') >= 0) {
                throw new EscauxValidationException("ccOriginate", "variable name '" + name
                        + "' must be non-empty and contain neither '=' nor '|'");
            }
            if (value.length() > MAX_VAR_VALUE) {
                throw new EscauxValidationException("ccOriginate", "value of variable '" + name + "' is "
                        + value.length() + " characters long; the SOP accepts at most " + MAX_VAR_VALUE);
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                    throw new EscauxValidationException("ccOriginate", "value of variable '" + name + "' has '"
                            + (c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c))
                            + "' at position " + (i + 1) + "; the SOP accepts only [0-9], [A-Z] and [a-z]");
                }
            }
            wire.append(wire.length() == 0 ? "" : "|").append(name).append('=').append(value);
        }
        return wire.length() == 0 ? null : wire.toString();
    }

    /** Small JSON helpers. */
    static final class Json1 {
        private Json1() {
        }

        static JsonNode array(JsonNode single) {
            com.fasterxml.jackson.databind.node.ArrayNode a = io.pbxbridge.support.Json.MAPPER.createArrayNode();
            if (single != null && !single.isMissingNode() && !single.isNull()) {
                a.add(single);
            }
            return a;
        }
    }
}
