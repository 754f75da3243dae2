package io.pbxbridge.portasip;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.Direction;

/**
 * A leg's SIPCallInfo as a {@link CallEvent} of vendor {@value #VENDOR}, the contract the other jobs read:
 * <ul>
 * <li>{@code id} a new UUID; {@code source} {@code <host>/<login>}; {@code callId} the call id without its {@code ~N}
 * leg suffix (both legs of a call are one call, one Kafka key); {@code legId} {@code <leg call id>;tag=<tag>};</li>
 * <li>{@code type} from the state ({@link PortaSipCallTable} decides: trying/ringing/early {@code call.ringing},
 * connected {@code call.answered} the first time and {@code call.resumed} after held/holding, held/holding
 * {@code call.held}, terminated {@code call.ended}, queued {@code queue.joined}, dequeued {@code queue.left}, the IVR
 * events {@code ivr.prompt_completed} and {@code ivr.dtmf});</li>
 * <li>{@code from} the caller's {@code id}, {@code to} the callee's; {@code direction} as PortaSIP sees the call:
 * INTERNAL when both parties are accounts of one IP Centrex, OUTBOUND from one of its accounts to another party,
 * INBOUND from an outside party to an account or an IVR access number, else from the leg's {@code type} (incoming
 * INBOUND, outgoing OUTBOUND);
 * {@code state} PortaSIP's; {@code timestamp} when the frame was read;</li>
 * <li>{@code details}: {@code leg} (A, or B for an id with a {@code ~N} suffix), {@code tag}, {@code transportId},
 * {@code legType}, {@code startTime} and {@code connectTime} as the frame writes them ({@code yyyy-MM-dd HH:mm:ss},
 * the server's zone, the {@code timeZone} option), {@code duration} (s), {@code reason}, {@code reasonCode},
 * {@code queue} ({@code i_c_queue}, {@code position}, {@code operators}), {@code dtmfDigit}, {@code dtmfDuration},
 * {@code order}, {@code reconciled} (true on an event a reconciliation made), {@code endUnknown} and
 * {@code unconfirmedSince} (on the end of a leg no notification confirmed after a reconnect: it ended at a time nobody
 * reported, after its last event and before this one), {@code repairs} (what the frame reader repaired); only the
 * fields present;</li>
 * <li>{@code raw} the frame (a calls-list entry for a reconciled change, none for a reconciled end).</li>
 * </ul>
 */
public final class PortaSipEvents {

    public static final String VENDOR = "portasip";

    private PortaSipEvents() {
    }

    /** The event {@code type} of leg {@code info}, read at {@code at}. */
    public static CallEvent toCallEvent(String type, SipCallInfo info, String raw, String source, Instant at,
                                        boolean reconciled, List<String> repairs) {
        return toCallEvent(type, info, raw, source, at, reconciled, null, repairs);
    }

    /** The event of a change a reconciliation found at {@code at}. */
    public static CallEvent toCallEvent(PortaSipCallTable.Reconciled change, String source, Instant at,
                                        List<String> repairs) {
        return toCallEvent(change.type(), change.info(), change.raw(), source, at, true, change.unconfirmedSince(),
                repairs);
    }

    private static CallEvent toCallEvent(String type, SipCallInfo info, String raw, String source, Instant at,
                                         boolean reconciled, Instant unconfirmedSince, List<String> repairs) {
        SipCallIdentifier call = info.call();
        String callKey = call.callKey();
        Map<String, Object> d = new LinkedHashMap<>(16);
        d.put("leg", callKey.equals(call.id()) ? "A" : "B");
        put(d, "tag", call.tag());
        put(d, "transportId", info.transportId());
        put(d, "legType", info.type());
        put(d, "startTime", info.startTime());
        put(d, "connectTime", info.connectTime());
        put(d, "duration", info.duration());
        put(d, "reason", info.reason());
        put(d, "reasonCode", info.reasonCode());
        SipCallQueueStateInfo q = info.queueInfo();
        if (q != null) {
            Map<String, Object> queue = new LinkedHashMap<>(4);
            put(queue, "i_c_queue", q.iCQueue());
            put(queue, "position", q.position());
            put(queue, "operators", q.operators());
            d.put("queue", queue);
        }
        put(d, "dtmfDigit", info.dtmfDigit());
        put(d, "dtmfDuration", info.dtmfDuration());
        put(d, "order", info.order());
        if (reconciled) {
            d.put("reconciled", Boolean.TRUE);
        }
        if (unconfirmedSince != null) {
            d.put("endUnknown", Boolean.TRUE);
            d.put("unconfirmedSince", unconfirmedSince.toString());
        }
        if (repairs != null && !repairs.isEmpty()) {
            d.put("repairs", repairs);
        }
        String legId = call.id() + ";tag=" + (call.tag() == null ? "" : call.tag());
        return new CallEvent(newId(), VENDOR, source, type, callKey, legId,
                info.caller() == null ? null : info.caller().id(), info.callee() == null ? null : info.callee().id(),
                direction(info), info.state(), at, d, raw);
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: unique enough for event ids (122 random bits), without
     * {@code UUID.randomUUID()}'s SecureRandom, whose lock and system calls cost as much as reading the frame's keys.
     */
    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /**
     * INTERNAL when caller and callee are both accounts (or extensions) of the same IP Centrex; OUTBOUND when only the
     * caller is an account, INBOUND when only the callee is one (or an IVR access number); else from the leg's type:
     * incoming INBOUND, outgoing OUTBOUND; UNKNOWN without one. Not from the type first: it is the leg's UA's side
     * (leg A of a call from outside is the caller's dialog, outgoing), not the call's.
     */
    static Direction direction(SipCallInfo info) {
        SipCallerInfo a = info.caller();
        SipCallerInfo b = info.callee();
        if (a != null && b != null && a.centrexId() != null && !a.centrexId().isBlank()
                && a.centrexId().equals(b.centrexId()) && isMember(a) && isMember(b)) {
            return Direction.INTERNAL;
        }
        boolean fromOurs = a != null && isMember(a);
        boolean toOurs = b != null && (isMember(b) || b.accessNumber() != null && !b.accessNumber().isBlank());
        if (fromOurs != toOurs) {
            return fromOurs ? Direction.OUTBOUND : Direction.INBOUND;
        }
        String type = info.type();
        if ("incoming".equalsIgnoreCase(type)) {
            return Direction.INBOUND;
        }
        if ("outgoing".equalsIgnoreCase(type)) {
            return Direction.OUTBOUND;
        }
        return Direction.UNKNOWN;
    }

    private static boolean isMember(SipCallerInfo p) {
        return p.accountId() != null && !p.accountId().isBlank() || p.extensionId() != null
                && !p.extensionId().isBlank();
    }

    private static void put(Map<String, Object> d, String key, Object value) {
        if (value != null) {
            d.put(key, value);
        }
    }
}
