package io.pbxbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

    private Json() {
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
