package io.pbxbridge.escaux;

import java.time.ZoneId;

import org.apache.camel.Converter;
import org.apache.camel.Exchange;

import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;

/** Maps {@code dbGetCallHistory} entries to the vendor-neutral {@link CallRecord}. */
@Converter(generateLoader = true)
public final class EscauxCallRecords {

    public static final String VENDOR = "escaux";

    private EscauxCallRecords() {
    }

    /**
     * The record of one CDR. {@code source} is the SOP's host (the {@code CamelEscauxSource} header); with the
     * {@code uniqueid} (or, without one, timestamp and numbers) it forms the stable key. Timestamps are read in
     * {@code zone}, the SOP's time zone.
     */
    public static CallRecord toCallRecord(CallHistoryEntry c, String source, ZoneId zone) {
        return toCallRecord(c, source, zone, c);
    }

    /**
     * As {@link #toCallRecord(CallHistoryEntry, String, ZoneId)}, with {@code raw} as the record's {@code raw}: the
     * harvest keeps the CDR's JSON as the SOP sent it. One call listed under several extensions has one key: the
     * extension is not part of it.
     */
    public static CallRecord toCallRecord(CallHistoryEntry c, String source, ZoneId zone, Object raw) {
        String id = c.uniqueid() != null && !c.uniqueid().isBlank() ? c.uniqueid()
                : c.timestamp() + "/" + c.callerNumber() + "/" + c.calledNumber();
        var start = c.timestamp() == null ? null : c.timestamp().atZone(zone).toInstant();
        Long duration = c.duration();
        Long billsec = c.billsec();
        var answer = start != null && duration != null && billsec != null && billsec > 0
                ? start.plusSeconds(Math.max(0, duration - billsec)) : null;
        return new CallRecord(CallRecord.key(VENDOR, source, id), VENDOR, source, c.uniqueid(), start, answer,
                start != null && duration != null ? start.plusSeconds(duration) : null, duration, billsec,
                c.callerNumber(), c.calledNumber(), direction(c),
                c.disposition() == null ? io.pbxbridge.model.Disposition.UNKNOWN : c.disposition().toDisposition(billsec),
                null, null, null, raw);
    }

    static Direction direction(CallHistoryEntry c) {
        if (c.disposition() == null) {
            return Direction.UNKNOWN;
        }
        boolean other = Direction.isExtension(c.disposition().placed() ? c.calledNumber() : c.callerNumber());
        if (other) {
            return Direction.INTERNAL;
        }
        return c.disposition().placed() ? Direction.OUTBOUND : Direction.INBOUND;
    }


    /**
     * Lets routes write {@code convertBodyTo: io.pbxbridge.model.CallRecord} on a split {@link CallHistoryEntry}:
     * the source and the SOP's zone come from the result's headers.
     */
    @Converter
    public static CallRecord toCallRecord(CallHistoryEntry entry, Exchange exchange) {
        String source = exchange != null ? exchange.getMessage().getHeader(EscauxConstants.SOURCE, String.class) : null;
        String zone = exchange != null ? exchange.getMessage().getHeader(EscauxConstants.TIME_ZONE, String.class) : null;
        return toCallRecord(entry, source != null ? source : "unknown",
                zone != null ? ZoneId.of(zone) : ZoneId.systemDefault());
    }
}
