package io.pbxbridge.monema;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of one decoded SOAP struct (or of a response wrapper), by lower-cased local name, with conversions that
 * fail with a message naming the field and the value found.
 */
final class SoapStruct {

    private final String operation;
    private final String what;
    private final Map<String, String> fields;

    SoapStruct(String operation, String what, Map<String, String> fields) {
        this.operation = operation;
        this.what = what;
        this.fields = fields;
    }

    boolean has(String name) {
        return fields.containsKey(name.toLowerCase(Locale.ROOT));
    }

    String string(String name) {
        return fields.get(name.toLowerCase(Locale.ROOT));
    }

    String required(String name) {
        String v = string(name);
        if (v == null) {
            throw malformed(name, null, "is missing");
        }
        return v;
    }

    long longValue(String name) {
        String v = required(name).trim();
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v); // the usual form, without a BigDecimal per field of every harvested call
        } catch (NumberFormatException e) {
            // "12.0", "1e3": read below
        }
        try {
            return new BigDecimal(v).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw malformed(name, v, "is not an integer");
        }
    }

    BigDecimal decimal(String name) {
        String v = required(name).trim();
        try {
            return v.isEmpty() ? BigDecimal.ZERO : new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw malformed(name, v, "is not a number");
        }
    }

    boolean bool(String name) {
        String v = required(name).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw malformed(name, v, "is not a boolean");
        };
    }

    private MonemaResponseException malformed(String name, String value, String problem) {
        return new MonemaResponseException(operation, operation + " response: " + what + " field '" + name + "' "
                + problem + (value != null ? " (found '" + abbreviate(value) + "')" : ""));
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
