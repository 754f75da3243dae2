package io.pbxbridge.portasip;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.pbxbridge.model.CallEvent;

/**
 * Hand-made {@code portasip} call events of {@link PortaSipEvents}' contract, for the tests of the records and the
 * journal that need exact times without a simulator (the tests with one read the events {@code portasip:events}
 * makes): vendor {@code portasip}, {@code legId} {@code <leg id>;tag=<tag>} ({@code ~10} for leg B), {@code details}
 * leg, tag, transportId and {@code more} as given (a duration may be a number or its text, as JSON read elsewhere
 * gives it).
 */
final class PortaSipTestEvents {

    private PortaSipTestEvents() {
    }

    static CallEvent event(String source, String type, String callId, String leg, String tag, Instant at, String from,
                           String to, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("leg", leg);
        details.put("tag", tag);
        details.put("transportId", "192.168.243.133:5070");
        details.putAll(more);
        String legId = (leg.equals("A") ? callId : callId + "~10") + ";tag=" + tag;
        return new CallEvent(UUID.randomUUID().toString(), PortaSipCallRecords.VENDOR, source, type, callId, legId,
                from, to, PortaSipCallRecords.direction(from, to), null, at, details, null);
    }
}
