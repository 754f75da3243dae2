package io.pbxbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallEventSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson mapper of pbx-bridge: ISO-8601 times, unknown fields tolerated. Blackbird replaces reflective
 * accessor calls with generated lambdas; instants are written by {@link IsoInstant} and call events by
 * {@link CallEventSerializer}: all are on the path of every event.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("pbx-bridge-hot-path")
                    .addSerializer(Instant.class, new IsoInstant.Serializer())
                    .addSerializer(CallEvent.class, new CallEventSerializer()))
            .registerModule(new BlackbirdModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Jackson's description of a place in the input, e.g. {@code [Source: REDACTED (...); line: 1, column: 18]}. */
    private static final Pattern SOURCE_LOCATION = Pattern.compile(
            "\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
    private static final Pattern START_MARKER = Pattern.compile("start marker at line");

    private Json() {
    }

    /**
     * What is wrong with a JSON document and where, in words: {@code "destinations" must be a list, not a string, at
     * line 1, column 18}, or {@code unexpected end of the document: expected close marker for Array (opened at line
     * 1, column 18), at line 1, column 25}. Without Jackson's internals (its source descriptions, Java types, token
     * names), which mean nothing to whoever wrote the document.
     */
    public static String problem(JsonProcessingException e) {
        String what;
        if (e instanceof MismatchedInputException && e.getProcessor() instanceof JsonParser p
                && p.currentToken() == null) {
            return "the document is empty"; // Jackson: "No content to map due to end-of-input"
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String found = e.getProcessor() instanceof JsonParser p ? kind(p.currentToken()) : null;
            what = place(m) + " must be " + expected(m.getTargetType()) + (found != null ? ", not " + found : "");
        } else {
            what = String.valueOf(e.getOriginalMessage());
            what = SOURCE_LOCATION.matcher(what).replaceAll("line $1, column $2");
            what = START_MARKER.matcher(what).replaceAll("opened at line");
            what = what.replace("Unexpected end-of-input", "unexpected end of the document")
                    .replace("VALUE_STRING", "a string").replace("VALUE_NUMBER_INT", "a number")
                    .replace("VALUE_NUMBER_FLOAT", "a number");
        }
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1) {
            return what;
        }
        return what + ", at line " + at.getLineNr() + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "");
    }

    /** {@code "destinations"[1]}, {@code "cover"."name"}, or {@code the document} at the top. */
    private static String place(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append('"').append(r.getFieldName()).append('"');
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? "the document" : b.toString();
    }

    private static String expected(Class<?> type) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object"; // records, maps, beans
    }

    private static String kind(JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    /** One-line JSON, as written to NDJSON sinks. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
