package io.pbxbridge.events;

import java.time.Duration;
import java.time.Instant;
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

    private Duration maxAge = Duration.ofHours(1);

    /**
     * Whether {@code r} is a missed call to announce: not answered, not outbound, and not older than the maximum
     * age (a first harvest reads a day back, a backfill any range: their old missed calls are history, not news).
     */
    public boolean isMissed(CallRecord r) {
        return r.disposition() == Disposition.NO_ANSWER && r.direction() != Direction.OUTBOUND
                && r.start() != null && r.start().isAfter(Instant.now().minus(maxAge));
    }

    /** How old a missed call may be and still be announced, e.g. {@code 1h}. */
    public void setMaxAge(String maxAge) {
        this.maxAge = io.pbxbridge.support.Durations.parse(maxAge);
    }

    public CallEvent toEvent(CallRecord r) {
        return new CallEvent(r.key(), r.vendor(), r.source(), TYPE, r.callId(), r.callId(), r.from(), r.to(),
                r.direction(), "missed", r.start(), Map.of("recordKey", r.key()), null);
    }
}
