package io.pbxbridge.command;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.model.PbxEvent;

/**
 * The answer to one command, published on the result topic (key = command id) or as
 * {@code <commands.folder>/results/<id>.json}, recorded in the {@link CommandLedger} for redeliveries, and put on the
 * event stream as a CloudEvent of type {@code pbx.command.result.<status>}.
 *
 * @param id            the command id
 * @param status        what became of it
 * @param source        who sent it
 * @param target        the PBX it was for, {@code <vendor>/<connection>}
 * @param verb          the verb
 * @param operation     the vendor operation it was executed as (e.g. {@code ccOriginate}), when it got that far
 * @param callId        the call it acted on, when it named one
 * @param result        the vendor's typed result as JSON ({@code ok})
 * @param code          the vendor's code of a failure (a fault code, a result code, {@code HTTP 503}...)
 * @param vendorMessage what the vendor said about the failure
 * @param message       what happened, in words (why it was rejected, failed, expired, unsupported, unknown)
 * @param retryable     whether sending the same request again (as a new command) may succeed: published as
 *                      {@code transient}
 * @param attempts      requests made to the vendor (more than one only for a command that is safe to repeat)
 * @param receivedAt    when pbx-bridge read the command
 * @param startedAt     when the first vendor request was made
 * @param finishedAt    when the result was known
 * @param durationMillis finishedAt - receivedAt
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "status", "source", "target", "verb", "operation", "callId", "result", "code",
        "vendorMessage", "message", "transient", "attempts", "receivedAt", "startedAt", "finishedAt",
        "durationMillis" })
public record CommandResult(String id, CommandStatus status, String source, String target, String verb,
                            String operation, String callId, JsonNode result, String code, String vendorMessage,
                            String message, @JsonProperty("transient") boolean retryable, int attempts,
                            Instant receivedAt, Instant startedAt, Instant finishedAt, Long durationMillis)
        implements PbxEvent {

    /** The event type prefix: results are {@code command.result.ok}, {@code command.result.failed}... */
    public static final String EVENT_TYPE = "command.result.";

    @Override
    public String vendor() {
        if (target == null) {
            return "pbx-bridge";
        }
        int slash = target.indexOf('/');
        return slash < 0 ? target : target.substring(0, slash);
    }

    @Override
    public String type() {
        return EVENT_TYPE + status.wire();
    }

    @Override
    public Instant timestamp() {
        return finishedAt;
    }

    /** The call it acted on, else the command: events about one call keep their order. */
    @Override
    public String subject() {
        return callId != null ? callId : id;
    }

    /** The target's connection name: the CloudEvents source is {@code /<vendor>/<connection>}. */
    @Override
    public String origin() {
        if (target == null) {
            return "commands";
        }
        int slash = target.indexOf('/');
        return slash < 0 ? CommandTargets.MAIN : target.substring(slash + 1);
    }
}
