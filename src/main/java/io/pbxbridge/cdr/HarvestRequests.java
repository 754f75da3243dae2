package io.pbxbridge.cdr;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Handler;

import io.pbxbridge.support.Json;

/**
 * A request to harvest outside the schedule, as dropped in {@code <cdr.folder>/requests}: {@code {"source":
 * "monema"}} harvests the live window now; with {@code "from"} and {@code "to"} (ISO-8601 instants, or dates meaning
 * their UTC midnight) it harvests that range again without moving the checkpoint. {@code source} is a vendor with
 * one source, or a full source name ({@code monema:host/login}). Answers the run's line.
 */
public class HarvestRequests {

    private static final Set<String> FIELDS = Set.of("source", "from", "to");

    @Handler
    public String handle(String json, CamelContext context) throws Exception {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            throw new IllegalArgumentException("expected a JSON object such as {\"source\": \"monema\"}");
        }
        request.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "': expected source, and from and to "
                        + "for a backfill");
            }
        });
        String source = request.path("source").asText("");
        CallRecordHarvests harvests = CallRecordHarvests.of(context);
        boolean hasFrom = request.hasNonNull("from");
        boolean hasTo = request.hasNonNull("to");
        HarvestRun run;
        if (!hasFrom && !hasTo) {
            run = harvests.now(source);
        } else if (hasFrom && hasTo) {
            Instant from = instant(request, "from");
            Instant to = instant(request, "to");
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("to (" + to + ") must be after from (" + from + ")");
            }
            run = harvests.backfill(source, from, to);
        } else {
            throw new IllegalArgumentException("a backfill needs both from and to");
        }
        return (run == null ? "nothing to harvest for " + source + ": its window is empty" : run.line()) + "\n";
    }

    private static Instant instant(JsonNode request, String field) {
        String v = request.get(field).asText().trim();
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + v + "' is not an ISO-8601 instant such as "
                    + "2026-12-01T00:00:00Z, nor a date such as 2026-12-01");
        }
    }
}
