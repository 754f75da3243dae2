package io.pbxbridge.events;

import java.time.Instant;
import java.util.Map;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;

/**
 * Missed calls as events, for vendors whose live stream has none: an inbound (or internal) call record that was not
 * answered becomes a {@code call.missed} {@link CallEvent}, with the record's key as its id (so a call is announced
 * once, however often the history is polled).
 */
public class MissedCalls {

    public static final String TYPE = "call.missed";

    private int lookbackMinutes = 60;

    public boolean isMissed(CallRecord r) {
        return r.disposition() == Disposition.NO_ANSWER && r.direction() != Direction.OUTBOUND;
    }

    public CallEvent toEvent(CallRecord r) {
        return new CallEvent(r.key(), r.vendor(), r.source(), TYPE, r.callId(), r.callId(), r.from(), r.to(),
                r.direction(), "missed", r.start(), Map.of("recordKey", r.key()), null);
    }

    /** Start of the history window to poll; the vendor's component turns it into its own local time. */
    public Instant since() {
        return Instant.now().minusSeconds(lookbackMinutes * 60L);
    }

    public void setLookbackMinutes(int lookbackMinutes) {
        this.lookbackMinutes = lookbackMinutes;
    }
}
