package io.pbxbridge.support.spool;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;

/**
 * An event waiting in a spool as {@link SpoolInspector} shows it: its CloudEvents attributes and what the spool keeps
 * with it, never its data.
 *
 * @param id        the event id (the record's id: sinks spool an event under its CloudEvents {@code id})
 * @param type      the CloudEvents {@code type}, e.g. {@code pbx.call.ringing}; null if the payload has none
 * @param subject   the record's key: the CloudEvents {@code subject} (the call or fax job)
 * @param time      the CloudEvents {@code time}; null if the payload has none
 * @param attempts  delivery attempts made before it was spooled
 * @param reason    why it was spooled (the last delivery failure), may be null
 * @param spooledAt when it was written to the spool
 */
public record SpooledEvent(String id, String type, String subject, Instant time, int attempts, String reason,
        Instant spooledAt) {

    /** The event of a record: the envelope attributes of its payload (the structured CloudEvents JSON) if it has them. */
    static SpooledEvent of(SpoolRecord r) {
        String type = null;
        Instant time = null;
        try {
            JsonNode event = Json.MAPPER.readTree(r.payload());
            if (event != null) {
                type = event.path("type").textValue();
                String text = event.path("time").textValue();
                time = text == null ? null : Instant.parse(text);
            }
        } catch (IOException | DateTimeParseException e) {
            // not a CloudEvent's JSON: what the spool itself keeps is still worth showing
        }
        return new SpooledEvent(r.id(), type, r.key(), time, r.attempts(), r.reason(), r.spooledAt());
    }
}
