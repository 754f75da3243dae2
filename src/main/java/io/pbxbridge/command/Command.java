package io.pbxbridge.command;

import java.time.Instant;
import java.util.Map;

/**
 * A command from the queue, read from its CloudEvents structured form ({@link CommandParser}).
 *
 * @param id       the idempotency key: a command is executed at most once per id
 * @param source   who sent it (the CloudEvents {@code source})
 * @param target   which configured PBX executes it, {@code <vendor>/<connection>}, e.g. {@code escaux/main}
 * @param verb     what to do: a vendor-neutral verb ({@code dial}, {@code hangup}...) or {@code operation}
 * @param params   the verb's parameters (JSON values: strings, numbers, booleans, lists, objects)
 * @param callId   the call a live-call verb acts on, as pbx-bridge's events name it (their {@code subject}); or null
 * @param notAfter past this time the command is not executed (answered {@code expired}); or null
 * @param time     when the sender made it (the CloudEvents {@code time}), or null
 */
public record Command(String id, String source, String target, String verb, Map<String, Object> params,
                      String callId, Instant notAfter, Instant time) {

    /** The verb that names any operation of the target's component in {@code params.operation}. */
    public static final String OPERATION = "operation";

    /** The CloudEvents type of a command: {@code pbx.command.<verb>}. */
    public static final String TYPE_PREFIX = "pbx.command.";

    public Command {
        params = params == null ? Map.of() : params;
    }

    /** The vendor part of the target ({@code escaux} of {@code escaux/main}). */
    public String vendor() {
        int slash = target.indexOf('/');
        return slash < 0 ? target : target.substring(0, slash);
    }

    /** The connection part of the target ({@code main} of {@code escaux/main}; {@code main} when not given). */
    public String connection() {
        int slash = target.indexOf('/');
        return slash < 0 ? CommandTargets.MAIN : target.substring(slash + 1);
    }
}
