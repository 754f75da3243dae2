package io.pbxbridge.events;

import java.util.Map;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;

/**
 * Missed calls as events, for vendors whose live stream has none: an inbound (or internal) call record that was not
 * answered, as the CDR harvest reads it, becomes a {@code call.missed} {@link CallEvent}, with the record's key as
 * its id (so a call is announced once, however often its record is read).
 */
public class MissedCalls {

    public static final String TYPE = "call.missed";

    public boolean isMissed(CallRecord r) {
        return r.disposition() == Disposition.NO_ANSWER && r.direction() != Direction.OUTBOUND;
    }

    public CallEvent toEvent(CallRecord r) {
        return new CallEvent(r.key(), r.vendor(), r.source(), TYPE, r.callId(), r.callId(), r.from(), r.to(),
                r.direction(), "missed", r.start(), Map.of("recordKey", r.key()), null);
    }
}
