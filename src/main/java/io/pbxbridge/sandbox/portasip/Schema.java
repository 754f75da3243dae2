package io.pbxbridge.sandbox.portasip;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fields of one of the spec's structures (VMSettings, MenuInfo, ...) and their rules, as its tables give them:
 * the type (string or int), a list of values, a maximum length, a range. {@link #check} turns a request's object into
 * a normalized one (ints as numbers, strings as text, {@code null} kept: the spec's nil clears a field) or names the
 * first thing wrong. Ints are also taken as numeric strings and strings as numbers, as a Perl server would; unknown
 * fields are refused, so that a client's misspelling is a fault rather than silently ignored.
 */
final class Schema {

    enum Kind { STRING, INT }

    record Field(String name, Kind kind, List<String> values, boolean ignoreCase, int maxLength, long min, long max,
                 Function<String, String> extra) {
    }

    final String structure;
    final Map<String, Field> fields = new LinkedHashMap<>();

    Schema(String structure) {
        this.structure = structure;
    }

    Schema str(String name) {
        return add(new Field(name, Kind.STRING, null, false, 0, 0, 0, null));
    }

    Schema str(String name, int maxLength) {
        return add(new Field(name, Kind.STRING, null, false, maxLength, 0, 0, null));
    }

    /** A string whose value must be one of {@code values}, exactly. */
    Schema oneOf(String name, String... values) {
        return add(new Field(name, Kind.STRING, List.of(values), false, 0, 0, 0, null));
    }

    /** A string whose value must be one of {@code values}, in any case. */
    Schema oneOfIgnoreCase(String name, String... values) {
        return add(new Field(name, Kind.STRING, List.of(values), true, 0, 0, 0, null));
    }

    /** A string checked by {@code rule} (null = fine, else what is wrong). */
    Schema str(String name, int maxLength, Function<String, String> rule) {
        return add(new Field(name, Kind.STRING, null, false, maxLength, 0, 0, rule));
    }

    Schema integer(String name) {
        return add(new Field(name, Kind.INT, null, false, 0, Long.MIN_VALUE, Long.MAX_VALUE, null));
    }

    Schema integer(String name, long min, long max) {
        return add(new Field(name, Kind.INT, null, false, 0, min, max, null));
    }

    private Schema add(Field f) {
        fields.put(f.name(), f);
        return this;
    }

    /**
     * {@code in} (an object, else a fault) checked and normalized; {@code where} names it in a fault
     * ({@code "vm_settings"}), {@code fault} makes the fault from a description.
     */
    ObjectNode check(JsonNode in, String where, Function<String, ApiFault> fault) {
        if (in == null || !in.isObject()) {
            throw fault.apply(where + " must be a " + structure + " object");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Field f = fields.get(e.getKey());
            if (f == null) {
                throw fault.apply(where + "." + e.getKey() + ": no such field in " + structure);
            }
            JsonNode v = e.getValue();
            String at = where + "." + f.name();
            if (v == null || v.isNull()) {
                out.putNull(f.name());
            } else if (f.kind() == Kind.INT) {
                out.put(f.name(), integer(v, at, f, fault));
            } else {
                out.put(f.name(), string(v, at, f, fault));
            }
        }
        return out;
    }

    private static long integer(JsonNode v, String at, Field f, Function<String, ApiFault> fault) {
        long n;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.asLong();
        } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,18}")) {
            n = Long.parseLong(v.asText().trim());
        } else {
            throw fault.apply(at + " must be an int, not " + v);
        }
        if (n < f.min() || n > f.max()) {
            throw fault.apply(at + " must be " + (f.max() == Long.MAX_VALUE ? "at least " + f.min()
                    : "from " + f.min() + " to " + f.max()) + ", not " + n);
        }
        return n;
    }

    private static String string(JsonNode v, String at, Field f, Function<String, ApiFault> fault) {
        if (!v.isValueNode()) {
            throw fault.apply(at + " must be a string, not " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String s = v.asText();
        if (f.maxLength() > 0 && s.length() > f.maxLength()) {
            throw fault.apply(at + " must be at most " + f.maxLength() + " characters, not " + s.length());
        }
        if (f.values() != null) {
            boolean ok = f.ignoreCase() ? f.values().stream().anyMatch(s::equalsIgnoreCase) : f.values().contains(s);
            if (!ok) {
                throw fault.apply(at + " must be one of " + String.join(", ", f.values()) + ", not \"" + s + "\"");
            }
        }
        if (f.extra() != null) {
            String wrong = f.extra().apply(s);
            if (wrong != null) {
                throw fault.apply(at + ": " + wrong);
            }
        }
        return s;
    }

    /** Copies {@code changes} over {@code target} (both normalized). */
    static void merge(ObjectNode target, ObjectNode changes) {
        changes.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue()));
    }

    /** The top-level parameters of a method: only {@code allowed} (plus {@code aux_info}, taken away before). */
    static void onlyParams(JsonNode params, Set<String> allowed, Function<String, ApiFault> fault) {
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw fault.apply("unknown parameter " + k + (allowed.isEmpty() ? " (the method has none)"
                        : " (expected " + String.join(", ", allowed) + ")"));
            }
        }
    }
}
