package io.pbxbridge.portasip;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;

/**
 * PortaSIP's call records, derived from its call events: the spec has no CDR operation (PortaBilling's xDRs are
 * another API, outside PortaSIP's), so a record is built from what the {@code portasip} events said of a call, both
 * legs together (pbx-bridge's {@code callId} is the PortaSIP call id without its {@code ~N} leg suffix).
 *
 * <ul>
 * <li>{@code start}: the earliest {@code details.startTime} (trying, ringing, early; the server's local time, read in
 * its zone), else the first event's time;</li>
 * <li>{@code answer}: the earliest {@code details.connectTime}, else the first {@code call.answered}'s time; none when
 * no leg connected;</li>
 * <li>{@code end}: the time of the last {@code call.ended} (the call is over once every leg seen has ended); none
 * when that end is unknown ({@code details.endUnknown}: a leg no notification confirmed after a reconnect, ended
 * when its hold ran out, not when it ended);</li>
 * <li>{@code billsec}: the longest {@code details.duration} of the ended legs (PortaSIP counts from connect_time), else
 * end - answer; 0 when unanswered; none when unknown (nor 0 for a call unanswered before its end unknown: it may
 * have been answered in the gap); {@code duration}: end - start, and never less than billsec;</li>
 * <li>{@code from}, {@code to}, {@code direction}: leg A's (the leg whose id has no {@code ~N} suffix), else the
 * first leg's;</li>
 * <li>{@code disposition}: ANSWERED when a leg connected; otherwise from the ending leg's reason: 486, 600, 603 or
 * "busy" BUSY, 487 or "cancel..." CANCELLED, another code from 400 up FAILED, else NO_ANSWER; UNKNOWN when the end
 * was never seen (the call expired in the journal) or is unknown;</li>
 * <li>{@code raw}: says the record is derived ({@code derivedFrom: "portasip call events"}), how its end was known
 * ({@code ended}: notification, reconciled, unknown, or not seen) and each leg's fields (for a leg whose end is
 * unknown: {@code endUnknown}, {@code unconfirmedSince} and {@code endedBy}, the end came between its last event and
 * that time).</li>
 * </ul>
 */
public final class PortaSipCallRecords {

    /** The vendor of the records and events. */
    public static final String VENDOR = "portasip";
    /** {@code raw.derivedFrom} of every derived record. */
    public static final String DERIVED_FROM = "portasip call events";

    static final String ENDED = "call.ended";
    static final String ANSWERED = "call.answered";

    private PortaSipCallRecords() {
    }

    /**
     * What the journal keeps of one event: only what a record needs, so a replay builds the same record.
     *
     * @param at the event's time
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Observation(String source, String callId, String legId, String leg, String type, Instant at,
                              String from, String to, Direction direction, String startTime, String connectTime,
                              Long duration, String reason, Integer reasonCode, Boolean reconciled,
                              Boolean endUnknown, String unconfirmedSince) {

        /** The observation of {@code e}, or null when it is no call event of a call (no call id). */
        public static Observation of(CallEvent e) {
            if (e == null || e.callId() == null || e.callId().isBlank() || e.type() == null) {
                return null;
            }
            Map<String, Object> d = e.details() == null ? Map.of() : e.details();
            return new Observation(e.source(), e.callId(), e.legId(), text(d.get("leg")), e.type(), e.timestamp(),
                    e.from(), e.to(), e.direction(), text(d.get("startTime")), text(d.get("connectTime")),
                    number(d.get("duration")), text(d.get("reason")), integer(d.get("reasonCode")),
                    flag(d.get("reconciled")) ? Boolean.TRUE : null, flag(d.get("endUnknown")) ? Boolean.TRUE : null,
                    text(d.get("unconfirmedSince")));
        }

        boolean ended() {
            return ENDED.equals(type);
        }

        /** An end whose time nobody reported (this event's time is when its hold ran out). */
        boolean unknownEnd() {
            return ended() && Boolean.TRUE.equals(endUnknown);
        }

        /** The leg: its id ({@code <leg call id>;tag=<tag>}), else A or B. */
        String legKey() {
            return legId != null && !legId.isBlank() ? legId : leg != null ? leg : "A";
        }

        /** Leg A: so named, else a leg id without the {@code ~N} suffix. */
        boolean legA() {
            if (leg != null) {
                return "A".equalsIgnoreCase(leg);
            }
            if (legId == null) {
                return true;
            }
            int semi = legId.indexOf(';');
            String id = semi < 0 ? legId : legId.substring(0, semi);
            return new SipCallIdentifier(id, null).callKey().equals(id);
        }
    }

    /** How the end of a call was known. */
    enum End {
        NOTIFICATION("notification"),
        RECONCILED("reconciled"),
        UNKNOWN("unknown"),
        NOT_SEEN("not seen");

        final String wire;

        End(String wire) {
            this.wire = wire;
        }
    }

    /** Whether the events seen end the call: some leg ended, and every leg seen has ended. */
    static boolean complete(List<Observation> seen) {
        Set<String> legs = new LinkedHashSet<>();
        Set<String> ended = new LinkedHashSet<>();
        for (Observation o : seen) {
            legs.add(o.legKey());
            if (o.ended()) {
                ended.add(o.legKey());
            }
        }
        return !ended.isEmpty() && ended.containsAll(legs);
    }

    /** When the call started: its earliest start time (in {@code zone}), else its first event's time. */
    static Instant start(List<Observation> seen, ZoneId zone) {
        Instant start = null;
        for (Observation o : seen) {
            start = min(start, time(o.startTime(), zone));
        }
        if (start == null) {
            for (Observation o : seen) {
                start = min(start, o.at());
            }
        }
        return start;
    }

    /**
     * The record of a call from its events, in the order they came.
     *
     * @param complete whether its end was seen (else it expired in the journal)
     */
    public static CallRecord record(String source, String callId, List<Observation> seen, ZoneId zone,
                                    boolean complete) {
        Instant start = start(seen, zone);
        Instant answer = null;
        for (Observation o : seen) {
            answer = min(answer, time(o.connectTime(), zone));
        }
        if (answer == null) {
            for (Observation o : seen) {
                if (ANSWERED.equals(o.type())) {
                    answer = min(answer, o.at());
                }
            }
        }
        if (answer != null && start != null && answer.isBefore(start)) {
            start = answer;
        }
        Instant end = null;
        Observation ending = null;
        Long longest = null;
        boolean reconciled = false;
        for (Observation o : seen) {
            if (o.ended()) {
                if (o.at() != null && (end == null || !o.at().isBefore(end))) {
                    end = o.at();
                    ending = o;
                }
                if (ending == null) {
                    ending = o;
                }
                if (o.duration() != null && o.duration() >= 0) {
                    longest = longest == null ? o.duration() : Math.max(longest, o.duration());
                }
                reconciled |= Boolean.TRUE.equals(o.reconciled());
            }
        }
        boolean endUnknown = ending != null && ending.unknownEnd();
        if (!complete || endUnknown) {
            end = null; // no time invented
        }
        Long billsec;
        if (answer == null) {
            billsec = complete && !endUnknown ? 0L : null; // an answer may have come in the gap
        } else if (longest != null) {
            billsec = longest;
        } else {
            billsec = end == null ? null : Math.max(0, Duration.between(answer, end).getSeconds());
        }
        Long duration = null;
        if (end != null && start != null) {
            duration = Math.max(0, Duration.between(start, end).getSeconds());
            if (billsec != null && billsec > duration) {
                duration = billsec;
            }
        }
        String from = null;
        String to = null;
        Direction direction = null;
        for (boolean legA : new boolean[] { true, false }) {
            for (Observation o : seen) {
                if (o.legA() != legA) {
                    continue;
                }
                from = from != null ? from : blankToNull(o.from());
                to = to != null ? to : blankToNull(o.to());
                if (direction == null && o.direction() != null && o.direction() != Direction.UNKNOWN) {
                    direction = o.direction();
                }
            }
        }
        if (direction == null) {
            direction = direction(from, to);
        }
        Disposition disposition = answer != null ? Disposition.ANSWERED
                : !complete || endUnknown ? Disposition.UNKNOWN : unanswered(ending);
        End how = !complete ? End.NOT_SEEN : endUnknown ? End.UNKNOWN : reconciled && ending != null
                && Boolean.TRUE.equals(ending.reconciled()) ? End.RECONCILED : End.NOTIFICATION;
        return new CallRecord(CallRecord.key(VENDOR, source, callId), VENDOR, source, callId, start, answer, end,
                duration, billsec, from, to, direction, disposition, null, null, null, raw(seen, how));
    }

    /** What the record says of its origin and of each leg. */
    private static Map<String, Object> raw(List<Observation> seen, End how) {
        Map<String, Map<String, Object>> legs = new LinkedHashMap<>();
        for (Observation o : seen) {
            Map<String, Object> leg = legs.computeIfAbsent(o.legKey(), k -> new LinkedHashMap<>());
            put(leg, "legId", o.legId());
            put(leg, "leg", o.leg());
            put(leg, "startTime", o.startTime());
            put(leg, "connectTime", o.connectTime());
            if (o.unknownEnd()) {
                leg.put("endUnknown", true);
                put(leg, "unconfirmedSince", o.unconfirmedSince());
                put(leg, "endedBy", o.at() == null ? null : o.at().toString());
            } else if (o.ended()) {
                put(leg, "endedAt", o.at() == null ? null : o.at().toString());
            }
            if (o.ended()) {
                put(leg, "duration", o.duration());
                put(leg, "reason", o.reason());
                put(leg, "reasonCode", o.reasonCode());
                if (Boolean.TRUE.equals(o.reconciled())) {
                    leg.put("reconciled", true);
                }
            }
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("derivedFrom", DERIVED_FROM);
        raw.put("ended", how.wire);
        raw.put("events", seen.size());
        raw.put("legs", new ArrayList<>(legs.values()));
        return raw;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** How an unanswered call ended, from the reason of its ending leg. */
    static Disposition unanswered(Observation ending) {
        Integer code = ending == null ? null : ending.reasonCode();
        String reason = ending == null || ending.reason() == null ? "" : ending.reason().toLowerCase(Locale.ROOT);
        if (code != null && (code == 486 || code == 600 || code == 603) || reason.contains("busy")) {
            return Disposition.BUSY;
        }
        if (code != null && code == 487 || reason.contains("cancel")) {
            return Disposition.CANCELLED;
        }
        if (code != null && code >= 400 && code != 408 && code != 480) {
            return Disposition.FAILED;
        }
        return Disposition.NO_ANSWER;
    }

    /** The direction the numbers tell: extensions are 2 to 6 digits. */
    static Direction direction(String from, String to) {
        boolean a = Direction.isExtension(from);
        boolean b = Direction.isExtension(to);
        return a && b ? Direction.INTERNAL : a ? Direction.OUTBOUND : b ? Direction.INBOUND : Direction.UNKNOWN;
    }

    /** A server time ({@code yyyy-MM-dd HH:mm:ss}, no zone) read in {@code zone}; null when absent or unreadable. */
    static Instant time(String text, ZoneId zone) {
        LocalDateTime t = SipCallInfo.parse(text);
        return t == null ? null : t.atZone(zone).toInstant();
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : b.isBefore(a) ? b : a;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        String s = v.toString();
        return s.isBlank() ? null : s;
    }

    private static Long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = text(v);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(Object v) {
        Long n = number(v);
        return n == null || n > Integer.MAX_VALUE || n < Integer.MIN_VALUE ? null : n.intValue();
    }

    private static boolean flag(Object v) {
        return v instanceof Boolean b ? b : v != null && ("true".equalsIgnoreCase(v.toString().trim())
                || "1".equals(v.toString().trim()));
    }
}
