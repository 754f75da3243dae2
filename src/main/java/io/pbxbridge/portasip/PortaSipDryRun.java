package io.pbxbridge.portasip;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of a dry run ({@code aux_info.dry_run}): PortaSIP validated the request and did nothing, so the reply
 * has none of the method's result ({@code {"success": 1, "dry_run": 1}}). Thrown past the method's result mapping
 * and caught by {@link PortaSipOperation#invoke}, which returns {@link #result()}.
 */
final class PortaSipDryRun extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient PortaSipSuccess result;

    private PortaSipDryRun(PortaSipSuccess result) {
        super("dry run", null, false, false);
        this.result = result;
    }

    PortaSipSuccess result() {
        return result;
    }

    /** Throws when {@code params} asked for a dry run and {@code reply} is its answer. */
    static void check(JsonNode params, JsonNode reply) {
        JsonNode dry = params.path("aux_info").path("dry_run");
        boolean asked = dry.asBoolean(false) || dry.asInt(0) != 0 || "true".equalsIgnoreCase(dry.asText());
        if (asked) {
            throw new PortaSipDryRun(new PortaSipSuccess(reply.path("success").asInt(1)));
        }
    }
}
