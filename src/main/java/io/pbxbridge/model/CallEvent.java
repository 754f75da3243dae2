package io.pbxbridge.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A live call event, vendor neutral.
 *
 * @param id        unique id of this event
 * @param vendor    vendor scheme, e.g. {@code escaux}
 * @param source    which server/account emitted it
 * @param type      event type: {@code call.ringing}, {@code call.answered}, {@code call.held}, {@code call.parked},
 *                  {@code call.transferred}, {@code call.ended}, {@code queue.joined}, ...
 * @param callId    stable id of the call across its legs
 * @param legId     id of this leg/channel
 * @param from      calling number
 * @param to        called number
 * @param direction direction as seen from the PBX
 * @param state     vendor call state after the event, when known
 * @param timestamp when the event happened
 * @param details   further vendor fields worth keeping in structured form
 * @param raw       the vendor payload as received
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "vendor", "source", "type", "callId", "legId", "from", "to", "direction", "state",
        "timestamp", "details", "raw" })
public record CallEvent(
        String id,
        String vendor,
        String source,
        String type,
        String callId,
        String legId,
        String from,
        String to,
        Direction direction,
        String state,
        Instant timestamp,
        Map<String, Object> details,
        String raw) implements PbxEvent {

    /** The call, or the leg when the vendor gave no call id. */
    @Override
    public String subject() {
        return callId != null ? callId : legId;
    }

    /** The server or account the event came from. */
    @Override
    public String origin() {
        return source;
    }

    @Override
    public List<String> callers() {
        return from == null ? List.of() : List.of(from);
    }

    @Override
    public List<String> called() {
        return to == null ? List.of() : List.of(to);
    }
}
