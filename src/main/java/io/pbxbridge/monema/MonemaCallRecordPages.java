package io.pbxbridge.monema;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cdr.CallRecordPage;
import io.pbxbridge.cdr.CallRecordPages;
import io.pbxbridge.cdr.HarvestEntry;
import io.pbxbridge.cdr.HarvestWindow;
import io.pbxbridge.support.LogSafe;

/**
 * Monema's call records for the harvest ({@code monema:cdr}): C_getCalls for the window's dates, paged by
 * {@code fromId}, the cursor: the first page without it, each next one from the last id read, until an answer lists
 * no call. The spec gives C_getCalls no page size: a server may answer with every call at once (which then costs one
 * more request) or cap its answers silently (which then loses nothing). Each answer is read as it arrives
 * ({@link CallsAnswer}); a call that cannot be read is a dead letter with the XML the server sent.
 */
public final class MonemaCallRecordPages implements CallRecordPages {

    private static final Logger LOG = LoggerFactory.getLogger(MonemaCallRecordPages.class);
    private static final DateTimeFormatter PBX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Supplier<MonemaClient> client;
    private final ZoneId zone;
    private final String source;

    /**
     * @param client the account's client (resolved at each fetch: the endpoint makes it when it starts)
     * @param zone   the PBX's time zone, in which it reads dateStart and dateEnd
     * @param source {@code host/login}, as the records name their source
     */
    MonemaCallRecordPages(Supplier<MonemaClient> client, ZoneId zone, String source) {
        this.client = client;
        this.zone = zone;
        this.source = source;
    }

    @Override
    public CallRecordPage fetch(HarvestWindow window, String cursor) {
        return new Page(client.get().getCallsAnswer(pbxTime(window.from(), true), pbxTime(window.to(), false), cursor,
                null), cursor == null ? Long.MIN_VALUE : Long.parseLong(cursor));
    }

    /**
     * A bound of the window as the PBX's local time, which it reads to the second, widened so that nothing in the
     * window is missed whether the server reads it inclusively or not: the start floored to its second (a call at
     * that second is not in the window anyway), the end one second after its second. When the clock went back at
     * that time, the local time names two instants: it moves out by the shift so that both are on the safe side.
     * The harvest drops what the wider range brings that is outside the window.
     */
    static String pbxTime(Instant bound, ZoneId zone, boolean start) {
        Instant second = bound.truncatedTo(ChronoUnit.SECONDS);
        Instant t = start ? second : second.plusSeconds(1);
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        ZoneOffsetTransition shift = zone.getRules().getTransition(local);
        if (shift != null && shift.isOverlap()) {
            Duration d = shift.getDuration().abs();
            local = start ? local.minus(d) : local.plus(d);
        }
        return PBX_TIME.format(local);
    }

    private String pbxTime(Instant bound, boolean start) {
        return pbxTime(bound, zone, start);
    }

    /** The record of one call of an answer, or why it cannot be one. */
    static HarvestEntry entry(CallsAnswer.Call call, String source, ZoneId zone) {
        Map<String, String> fields = call.fields();
        String problem = emptyField(fields, "id", "duration", "calldate");
        if (problem != null) {
            return HarvestEntry.rejected(call.xml(), problem);
        }
        String calldate = fields.get("calldate").trim();
        if (!digits(calldate)) {
            try {
                // the spec says UNIX seconds; a date is read as the PBX's local time
                fields = new HashMap<>(fields);
                fields.put("calldate", Long.toString(LocalDateTime.parse(calldate.replace('T', ' '), PBX_TIME)
                        .atZone(zone).toEpochSecond()));
            } catch (DateTimeParseException e) {
                return HarvestEntry.rejected(call.xml(), "C_getCalls response: Calls field 'calldate' is neither "
                        + "UNIX seconds nor a date (found '" + LogSafe.truncate(calldate, 80) + "')");
            }
        }
        try {
            return HarvestEntry.of(MonemaCallRecords.toCallRecord(
                    Calls.from(new SoapStruct("C_getCalls", "Calls", fields)), source));
        } catch (MonemaResponseException e) {
            return HarvestEntry.rejected(call.xml(), e.getMessage());
        }
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Which of {@code names} is missing or blank (read as 0 elsewhere, but no call has id, duration or date 0). */
    private static String emptyField(Map<String, String> fields, String... names) {
        for (String name : names) {
            String v = fields.get(name);
            if (v == null || v.isBlank()) {
                return "C_getCalls response: Calls field '" + name + "' is " + (v == null ? "missing" : "empty");
            }
        }
        return null;
    }

    /** The call's id, Long.MIN_VALUE when it cannot be read. */
    private static long id(CallsAnswer.Call call) {
        String id = call.fields().get("id");
        try {
            return id == null ? Long.MIN_VALUE : Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** One C_getCalls answer; its cursor is the greatest id it listed. */
    private final class Page implements CallRecordPage {

        private final CallsAnswer answer;
        private final long after;
        private long lastId;
        private boolean sawCall;

        Page(CallsAnswer answer, long after) {
            this.answer = answer;
            this.after = after;
            this.lastId = after;
        }

        @Override
        public HarvestEntry next() {
            // a call whose id cannot be read and that ends a capped answer comes again on the next page: the
            // harvest dead-letters it once
            CallsAnswer.Call call = answer.next();
            if (call == null) {
                return null;
            }
            sawCall = true;
            lastId = Math.max(lastId, id(call));
            return entry(call, source, zone);
        }

        @Override
        public String nextCursor() {
            if (!sawCall) {
                return null; // the window's last page
            }
            if (lastId <= after) {
                // only calls whose id cannot be read: asking again from the same id would list them again
                LOG.warn("monema:cdr {}: C_getCalls answered {} calls after id {}, none with a readable id: the window "
                        + "ends there", source, answer.callsRead(), after == Long.MIN_VALUE ? "(none)" : after);
                return null;
            }
            return Long.toString(lastId);
        }

        @Override
        public void close() {
            answer.close();
        }
    }
}
