package io.pbxbridge.command;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.support.Json;

/**
 * Reads a command from its CloudEvents structured form (JSON):
 *
 * <pre>{@code
 * {"specversion": "1.0", "id": "crm-42", "source": "crm/click-to-dial", "type": "pbx.command.dial",
 *  "time": "2026-12-06T10:15:00Z",
 *  "data": {"target": "escaux/main", "params": {"from": "SIP/102", "to": "0032475123456"},
 *           "notAfter": "2026-12-06T10:16:00Z"}}
 * }</pre>
 *
 * The verb is the end of {@code type} ({@code pbx.command.<verb>}) or {@code data.verb}; {@code target},
 * {@code params}, {@code callId} and {@code notAfter} are read from {@code data}, else from the top level (as
 * CloudEvents extension attributes, where {@code callid} and {@code notafter} are lower case, or a flat document);
 * {@code subject} is the call id when {@code data} has none. What is wrong is said in words: a message without a
 * usable id is {@link Unreadable} (it goes to the dead letters, since no result can name it); anything else wrong is
 * a {@link CommandRejectedException} answered under its id.
 */
public final class CommandParser {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final int maxBytes;

    /** @param maxBytes the largest command read; a larger one is rejected unread */
    public CommandParser(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A message that cannot be answered: no id can be read from it. */
    public static final class Unreadable extends Exception {
        public Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A command that is rejected: its id (to answer under), what could be read of it, and why. */
    public static final class Rejected extends Exception {
        private final Command partial;

        Rejected(Command partial, String reason) {
            super(reason, null, false, false);
            this.partial = partial;
        }

        /** The id, and the source, target and verb when they could be read (else null). */
        public Command partial() {
            return partial;
        }
    }

    public Command parse(byte[] raw) throws Unreadable, Rejected {
        if (raw.length > maxBytes) {
            String id = topLevelId(raw);
            String reason = "the command is " + raw.length + " bytes, more than commands.max-bytes (" + maxBytes
                    + ")";
            if (id == null) {
                throw new Unreadable(reason + ", and no id was found in it");
            }
            throw new Rejected(new Command(id, null, null, null, null, null, null, null), reason);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new Unreadable("not JSON: " + Json.problem(e));
        } catch (IOException e) {
            throw new Unreadable("not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new Unreadable("not JSON: the document is empty");
        }
        if (!(root instanceof ObjectNode top)) {
            throw new Unreadable("not a command: a JSON object was expected, not " + kind(root));
        }
        JsonNode idNode = top.get("id");
        if (idNode == null || idNode.isNull()) {
            throw new Unreadable("the command has no id (its idempotency key)");
        }
        if (!idNode.isTextual() && !idNode.isIntegralNumber() || idNode.asText().isBlank()) {
            throw new Unreadable("the command's id must be a non-empty string, not " + kind(idNode));
        }
        String id = idNode.asText();
        String source = text(top, "source");
        JsonNode data = top.get("data");
        ObjectNode fields;
        if (data == null || data.isNull()) {
            fields = top;
        } else if (data instanceof ObjectNode d) {
            fields = d;
        } else {
            throw new Rejected(partial(id, source, null, null), "data must be a JSON object, not " + kind(data)
                    + (top.has("data_base64") ? "" : " (datacontenttype application/json)"));
        }
        String target = null;
        String verb = null;
        try {
            String spec = text(top, "specversion");
            if (spec != null && !spec.startsWith("1.")) {
                throw new IllegalArgumentException("specversion " + spec + " is not CloudEvents 1.x");
            }
            target = text(fields, "target", top, "target");
            String type = text(top, "type");
            String typeVerb = null;
            if (type != null) {
                if (!type.startsWith(Command.TYPE_PREFIX) || type.length() == Command.TYPE_PREFIX.length()) {
                    throw new IllegalArgumentException("type '" + type + "' is not " + Command.TYPE_PREFIX
                            + "<verb>");
                }
                typeVerb = type.substring(Command.TYPE_PREFIX.length());
            }
            String dataVerb = text(fields, "verb", top, "verb");
            if (typeVerb != null && dataVerb != null && !typeVerb.equals(dataVerb)) {
                throw new IllegalArgumentException("type says the verb is " + typeVerb + " but verb is " + dataVerb);
            }
            verb = typeVerb != null ? typeVerb : dataVerb;
            if (target == null || target.isBlank()) {
                throw new IllegalArgumentException("no target: set data.target to <vendor>/<connection>, e.g. "
                        + "escaux/main");
            }
            if (verb == null || verb.isBlank()) {
                throw new IllegalArgumentException("no verb: set type to pbx.command.<verb>, e.g. pbx.command.dial");
            }
            Map<String, Object> params = params(fields.has("params") ? fields.get("params") : top.get("params"));
            String callId = text(fields, "callId", top, "callid");
            if (callId == null && top.get("subject") != null) {
                callId = text(top, "subject");
            }
            Instant notAfter = instant(text(fields, "notAfter", top, "notafter"), "notAfter");
            Instant time = instant(text(top, "time"), "time");
            return new Command(id, source, target, verb, params, callId, notAfter, time);
        } catch (IllegalArgumentException e) {
            throw new Rejected(partial(id, source, target, verb), e.getMessage());
        }
    }

    private static Command partial(String id, String source, String target, String verb) {
        return new Command(id, source, target, verb, null, null, null, null);
    }

    private static Map<String, Object> params(JsonNode node) {
        if (node == null || node.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("params must be a JSON object, not " + kind(node));
        }
        return Json.MAPPER.convertValue(node, MAP);
    }

    /** A string field of {@code first}, else {@code otherName} of {@code second}; an error when not a string. */
    private static String text(ObjectNode first, String name, ObjectNode second, String otherName) {
        String v = text(first, name);
        return v != null || first == second && name.equals(otherName) ? v : text(second, otherName);
    }

    private static String text(ObjectNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(name + " must be a string, not " + kind(v));
        }
        return v.asText();
    }

    private static Instant instant(String s, String name) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " '" + s + "' is not an RFC 3339 time such as "
                    + "2026-12-06T10:15:00Z");
        }
    }

    static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            case NULL -> "null";
            case STRING -> "a string";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The top-level {@code id} of a document too large to read whole, streamed; null when there is none. */
    private static String topLevelId(byte[] raw) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("id".equals(name)) {
                    return t == JsonToken.VALUE_STRING && !p.getText().isBlank() ? p.getText() : null;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
