package io.pbxbridge.portasip;

import java.util.List;
import java.util.Optional;

/**
 * The live calls of one PortaSIP connection, by pbx-bridge's call id (the PortaSIP call id without its {@code ~N} leg
 * suffix, the {@code callId} and CloudEvents subject of pbx-bridge's {@code portasip} events). The events consumer
 * keeps this table from the notifications and the reconciliations; commands acting on a live call look up the
 * {@code call {id, tag}} and {@code transport_id} the Call Control methods need here. Bound per connection by the
 * component ({@link PortaSipComponent}).
 */
public interface PortaSipCallLookup {

    /** One leg of a live call, as its last notification described it. */
    record Leg(SipCallIdentifier call, String transportId, String state, String type, SipCallInfo last) {
    }

    /** The legs of a live call (leg A first), or empty when the call is not known or has ended. */
    Optional<List<Leg>> find(String callId);
}
