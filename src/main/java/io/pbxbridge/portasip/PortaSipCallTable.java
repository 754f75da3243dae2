package io.pbxbridge.portasip;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The live call table of one PortaSIP connection (server and login): every leg the notifications and the
 * reconciliations told of, by call ({@link SipCallIdentifier#callKey()}, the call id without its {@code ~N} suffix)
 * and leg ({@code id} and {@code tag}). The {@code portasip:events} consumer keeps it; commands read it through
 * {@link PortaSipCallLookup#find} to get a live call's {@code call {id, tag}} and {@code transport_id}.
 * <p>
 * It also decides which event a leg's new state is, since that depends on the leg's past: connected is
 * {@code call.answered} the first time, {@code call.resumed} after held or holding; a state repeated (the same frame
 * twice) is no event. Ended legs are remembered for a while (the last {@value #ENDED_KEPT}), so a calls list that
 * still shows one, or a second terminated frame, does not bring it back.
 * <p>
 * <b>Unconfirmed legs.</b> PortaSIP lists a call only from its first change after the subscription on, so the first
 * calls list of a fresh subscription (a new socket, or a subscription made again) does not show the calls that were in
 * progress before it and have not changed since: a leg missing from such a list may have ended in the gap or may
 * still run. It is held <i>unconfirmed</i> ({@link Missing#HOLD}), no event; any notification or later list that
 * shows it confirms it (it goes on as before, a {@code terminated} ends it with its real duration), and one that
 * stays unconfirmed for the consumer's hold is ended with its end unknown ({@link #expireUnconfirmed}).
 * <p>
 * Thread-safe (one monitor): the consumer applies notifications on the socket's event loop and reconciliations on
 * its own thread, and emits their events while holding this monitor, so a call's events keep the order of the
 * changes.
 */
public final class PortaSipCallTable implements PortaSipCallLookup {

    /** Ended legs remembered. */
    static final int ENDED_KEPT = 10_000;

    public static final String RINGING = "call.ringing";
    public static final String ANSWERED = "call.answered";
    public static final String RESUMED = "call.resumed";
    public static final String HELD = "call.held";
    public static final String ENDED = "call.ended";
    public static final String QUEUE_JOINED = "queue.joined";
    public static final String QUEUE_LEFT = "queue.left";
    public static final String IVR_PROMPT_COMPLETED = "ivr.prompt_completed";
    public static final String IVR_DTMF = "ivr.dtmf";

    /** One leg as known. */
    private static final class LegState {
        final String key;
        final String callKey;
        final boolean legB;
        SipCallInfo last;
        String state;
        boolean answered;
        long seq;
        /** When a fresh subscription's list did not show it, until a notification or a list does; else null. */
        Instant unconfirmedSince;

        LegState(String key, String callKey, boolean legB) {
            this.key = key;
            this.callKey = callKey;
            this.legB = legB;
        }
    }

    /**
     * A change a reconciliation found: the event type, the leg's call info (for an end, its last one with state
     * terminated) and the calls-list entry it was read from (null for an end: nobody reported it).
     * {@code unconfirmedSince} is set on the end of a leg no notification confirmed after a reconnect: its end is
     * unknown (it came between the leg's last sign of life and now).
     */
    public record Reconciled(String type, SipCallInfo info, String raw, Instant unconfirmedSince) {

        public boolean endUnknown() {
            return unconfirmedSince != null;
        }
    }

    /** What a reconciliation does with the legs the table has and the calls lists do not show. */
    public enum Missing {
        /** Nothing: a list could not be read, its legs cannot be told from ended ones. */
        KEEP,
        /**
         * They ended ({@code call.ended}, reconciled, at once): the lists come from the subscriptions that have been
         * telling of them (a liveness check on the same socket). Unconfirmed legs are not ended: no list shows them.
         */
        END,
        /**
         * They are held unconfirmed: the lists come from a fresh subscription, which shows none of the calls that have
         * not changed since it was made.
         */
        HOLD
    }

    private final Map<String, LegState> legs = new HashMap<>();
    private final Map<String, Map<String, LegState>> calls = new HashMap<>();
    private final LinkedHashMap<String, Long> ended = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > ENDED_KEPT;
        }
    };
    private long sequence;

    /** The key of a leg: its call id and tag. */
    static String legKey(SipCallIdentifier call) {
        return call.id() + "\n" + (call.tag() == null ? "" : call.tag());
    }

    /** How many changes were applied so far: a reconciliation compares with what came after it asked. */
    public synchronized long sequence() {
        return sequence;
    }

    /** Live legs. */
    public synchronized int legCount() {
        return legs.size();
    }

    /** Live calls. */
    public synchronized int callCount() {
        return calls.size();
    }

    /** Legs held unconfirmed (see {@link Missing#HOLD}). */
    public synchronized int unconfirmedLegCount() {
        int n = 0;
        for (LegState l : legs.values()) {
            if (l.unconfirmedSince != null) {
                n++;
            }
        }
        return n;
    }

    /** Calls with a leg held unconfirmed. */
    public synchronized int unconfirmedCallCount() {
        Set<String> out = new HashSet<>();
        for (LegState l : legs.values()) {
            if (l.unconfirmedSince != null) {
                out.add(l.callKey);
            }
        }
        return out.size();
    }

    /**
     * Applies a notification: returns the event type, or null when it is no event (a state repeated, a second end).
     */
    public synchronized String apply(SipCallInfo info) {
        return change(info, false);
    }

    private String change(SipCallInfo info, boolean reconciling) {
        String key = legKey(info.call());
        String state = info.state().trim().toLowerCase(Locale.ROOT);
        LegState leg = legs.get(key);
        sequence++;
        if ("terminated".equals(state)) {
            if (leg == null && ended.containsKey(key)) {
                return null;
            }
            if (leg != null) {
                remove(leg);
            }
            ended.put(key, sequence);
            return ENDED;
        }
        if (leg == null) {
            String callKey = info.call().callKey();
            leg = new LegState(key, callKey, !callKey.equals(info.call().id()));
            legs.put(key, leg);
            calls.computeIfAbsent(callKey, k -> new LinkedHashMap<>(4)).put(key, leg);
            ended.remove(key);
        }
        String previous = leg.state;
        boolean answeredBefore = leg.answered;
        leg.unconfirmedSince = null; // it still runs: told of now
        leg.last = info;
        leg.state = state;
        leg.seq = sequence;
        String ivr = info.ivrEvent();
        if (ivr != null && !ivr.isBlank() && !reconciling) {
            leg.answered |= isAnswered(state);
            return switch (ivr.trim()) {
                case "play_prompt_completed", "play_prompt_complete d" -> IVR_PROMPT_COMPLETED;
                case "dtmf_digit_detected" -> IVR_DTMF;
                default -> "ivr." + ivr.trim().replace(' ', '_');
            };
        }
        switch (state) {
            case "trying", "ringing", "early":
                return state.equals(previous) ? null : RINGING;
            case "connected":
                if (!answeredBefore) {
                    leg.answered = true;
                    return ANSWERED;
                }
                return "held".equals(previous) || "holding".equals(previous) ? RESUMED : null;
            case "held", "holding":
                leg.answered = true;
                return state.equals(previous) ? null : HELD;
            case "queued":
                return QUEUE_JOINED;
            case "dequeued":
                return state.equals(previous) ? null : QUEUE_LEFT;
            default:
                return state.equals(previous) ? null : "portasip." + state;
        }
    }

    private static boolean isAnswered(String state) {
        return "connected".equals(state) || "held".equals(state) || "holding".equals(state);
    }

    private void remove(LegState leg) {
        legs.remove(leg.key);
        Map<String, LegState> call = calls.get(leg.callKey);
        if (call != null) {
            call.remove(leg.key);
            if (call.isEmpty()) {
                calls.remove(leg.callKey);
            }
        }
    }

    /**
     * Compares the table with {@code listed} (the legs {@code get_sip_calls_list} answered, by {@link #legKey},
     * asked when the table was at {@code asked} = {@link #sequence()}) and brings it up to date. A leg changed by a
     * notification since then is left as the notification said (it is newer); an ended leg is not brought back.
     * Listed legs the table does not have, or has in another state, become their state's event; a listed leg held
     * unconfirmed is confirmed. Legs the table has and the list does not are treated as {@code missing} says.
     *
     * @param now when the list was read (the start of the hold of the legs it holds unconfirmed)
     * @return the changes, in order: the listed legs' first, then the ends
     */
    public synchronized List<Reconciled> reconcile(Map<String, PortaSipNotifications.Read> listed,
                                                   Map<String, String> rawByKey, long asked, Missing missing,
                                                   Instant now) {
        List<Reconciled> out = new ArrayList<>();
        for (Map.Entry<String, PortaSipNotifications.Read> e : listed.entrySet()) {
            SipCallInfo info = e.getValue().info();
            LegState leg = legs.get(e.getKey());
            if (leg != null && leg.seq > asked) {
                continue; // a notification after the question: newer than the list
            }
            if (leg == null && ended.containsKey(e.getKey())) {
                continue;
            }
            String state = info.state().trim().toLowerCase(Locale.ROOT);
            if (leg != null && state.equals(leg.state)) {
                leg.unconfirmedSince = null;
                continue;
            }
            String type = change(info, true);
            if (type != null) {
                out.add(new Reconciled(type, info, rawByKey.get(e.getKey()), null));
            }
        }
        if (missing == Missing.KEEP) {
            return out;
        }
        List<LegState> gone = new ArrayList<>();
        for (LegState leg : legs.values()) {
            if (leg.seq > asked || listed.containsKey(leg.key)) {
                continue;
            }
            if (missing == Missing.HOLD) {
                if (leg.unconfirmedSince == null) {
                    leg.unconfirmedSince = now; // held since the first list that missed it, not the last
                }
            } else if (leg.unconfirmedSince == null) {
                gone.add(leg);
            }
        }
        end(gone, null, out);
        return out;
    }

    /**
     * Ends the legs held unconfirmed for {@code hold} or longer: nothing told of them since a fresh subscription, so
     * they ended at a time nobody reported ({@code call.ended}, reconciled, no duration, the reason saying so).
     */
    public synchronized List<Reconciled> expireUnconfirmed(Instant now, Duration hold) {
        List<LegState> gone = new ArrayList<>();
        for (LegState leg : legs.values()) {
            if (leg.unconfirmedSince != null && !leg.unconfirmedSince.plus(hold).isAfter(now)) {
                gone.add(leg);
            }
        }
        List<Reconciled> out = new ArrayList<>();
        end(gone, "end not seen: no notification within " + hold.toString().substring(2).toLowerCase(Locale.ROOT)
                + " of the reconnect", out);
        return out;
    }

    /** Ends {@code gone} (in the order of their last change), as nobody reported; {@code reason}: an end unknown. */
    private void end(List<LegState> gone, String reason, List<Reconciled> out) {
        gone.sort((a, b) -> Long.compare(a.seq, b.seq));
        for (LegState leg : gone) {
            sequence++;
            remove(leg);
            ended.put(leg.key, sequence);
            SipCallInfo l = leg.last;
            SipCallInfo end = new SipCallInfo(l.call(), l.callee(), l.caller(), "terminated", l.transportId(),
                    l.type(), l.connectTime(), null, reason, null, l.startTime(), null, null, null, null, null);
            out.add(new Reconciled(ENDED, end, null, leg.unconfirmedSince));
        }
    }

    /** Forgets every leg (the consumer stopped: nothing keeps the table up to date any more). */
    public synchronized void clear() {
        legs.clear();
        calls.clear();
        ended.clear();
    }

    @Override
    public synchronized Optional<List<Leg>> find(String callId) {
        if (callId == null || callId.isBlank()) {
            return Optional.empty();
        }
        String key = new SipCallIdentifier(callId.trim(), null).callKey();
        Map<String, LegState> call = calls.get(key);
        if (call == null || call.isEmpty()) {
            return Optional.empty();
        }
        List<Leg> a = new ArrayList<>(call.size());
        List<Leg> b = new ArrayList<>(call.size());
        for (Iterator<LegState> it = call.values().iterator(); it.hasNext();) {
            LegState l = it.next();
            Leg leg = new Leg(l.last.call(), l.last.transportId(), l.state, l.last.type(), l.last);
            (l.legB ? b : a).add(leg);
        }
        a.addAll(b);
        return Optional.of(List.copyOf(a));
    }

    @Override
    public String toString() {
        return "PortaSipCallTable[" + legCount() + " legs]";
    }
}
