package io.pbxbridge.sandbox.portasip;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The calls of the simulated PortaSIP and how their legs move, each change reported to the {@link Listener} (the
 * Call Control sockets). Everything runs under this object's monitor; delayed steps go through the {@link Scheduler}
 * and take the monitor again.
 *
 * <ul>
 * <li>{@link #originate}: leg A (id {@code <28 chars>@192.168.243.133}) to {@code caller_id}, trying -> ringing ->
 * connected (one step each); then leg B ({@code id~10}, its own tag) to {@code callee_id}, trying -> ringing ->
 * connected, or trying -> connected at once with {@code callee_auto_pickup}. Both legs' type is incoming (each UA
 * receives a call), as the spec's samples show. Without auto-answer the legs wait in ringing for answer_call.</li>
 * <li>{@link #incoming}: leg A (the caller's dialog, outgoing) trying, then leg B ({@code ~10}, incoming) trying ->
 * ringing (A ringing too) -> connected (A connected too); through a call queue, A goes queued -> dequeued first
 * ({@code queue_info}, i_c_queue 5, 2 operators) and B's callee shows huntgroup_id "500".</li>
 * <li>{@link #ivrCall}: one leg to an IVR access number (outgoing: the caller's dialog), trying -> ringing; it waits
 * for answer_call (the IVR application answers it), whatever the auto-answer option.</li>
 * <li>hold: the leg named holding, its peer held (a leg without a peer: held); unhold: both connected.
 * Blind transfer: the leg named terminated ("blind transfer", reason_code null), then a new leg with the same call id
 * and a new tag (as the spec's sample) from the transferee to {@code cld}, trying -> ringing -> connected. Join: both
 * legs named terminated ("attended transfer", reason_code null), their peers bridged (connected). Terminate: the leg
 * and its peer terminated, "normal clearing" (16) after an answer, "cancelled" (487) before one; duration from
 * connect_time.</li>
 * </ul>
 * A terminated leg is forgotten at once: a later request naming it gets sip.call_not_found.
 */
final class CallEngine {

    /** Told of every change of a leg (and of the IVR events, with their fields in {@code extra}). */
    interface Listener {
        void changed(SimLeg leg, Map<String, Object> extra);
    }

    /** Runs {@code task} under the engine's monitor after {@code millis}. */
    interface Scheduler {
        void schedule(long millis, Runnable task);
    }

    static final String SIP_HOST = "192.168.243.133";
    static final String TRANSPORT = SIP_HOST + ":5070";
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!";
    private static final String TAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789+-";

    final Map<String, SimLeg> legs = new LinkedHashMap<>();
    private final Map<String, List<SimLeg>> byId = new HashMap<>();
    private final Random random;
    private final ZoneId zone;
    private final long stepMillis;
    private final long promptMillis;
    private final boolean autoAnswer;
    private final Scheduler scheduler;
    private Listener listener = (leg, extra) -> { };
    private long seq;
    private long promptTokens;

    CallEngine(long seed, ZoneId zone, long stepMillis, long promptMillis, boolean autoAnswer, Scheduler scheduler) {
        this.random = new Random(seed);
        this.zone = zone;
        this.stepMillis = stepMillis;
        this.promptMillis = promptMillis;
        this.autoAnswer = autoAnswer;
        this.scheduler = scheduler;
    }

    void listener(Listener l) {
        this.listener = l;
    }

    // ---- ids and time ----

    String newCallId() {
        StringBuilder b = new StringBuilder(44);
        for (int i = 0; i < 28; i++) {
            b.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return b.append('@').append(SIP_HOST).toString();
    }

    private String newTag() {
        StringBuilder b = new StringBuilder(18);
        for (int i = 0; i < 16; i++) {
            b.append(TAG_CHARS.charAt(random.nextInt(TAG_CHARS.length())));
        }
        return b.append(".o").toString();
    }

    private LocalDateTime now() {
        return LocalDateTime.now(zone).truncatedTo(ChronoUnit.SECONDS);
    }

    private void later(long millis, Runnable r) {
        if (millis <= 0) {
            r.run();
        } else {
            scheduler.schedule(millis, r);
        }
    }

    // ---- primitives ----

    private SimLeg newLeg(String id, String type, SimParty caller, SimParty callee) {
        SimLeg leg = new SimLeg(id, newTag(), TRANSPORT, type, caller, callee, ++seq);
        leg.state = SimLeg.TRYING;
        leg.startTime = now();
        legs.put(leg.key(), leg);
        byId.computeIfAbsent(id, k -> new ArrayList<>(2)).add(leg);
        emit(leg);
        return leg;
    }

    private void emit(SimLeg leg) {
        listener.changed(leg, null);
    }

    private void set(SimLeg leg, String state) {
        leg.state = state;
        emit(leg);
    }

    private static void link(SimLeg a, SimLeg b) {
        a.peer = b;
        b.peer = a;
    }

    /** Answers {@code leg} if it is not yet answered; its peer too if that one waits on it. */
    void connect(SimLeg leg) {
        if (!leg.beforeAnswer()) {
            return;
        }
        leg.connectTime = now();
        set(leg, SimLeg.CONNECTED);
        if (leg.peer != null && leg.peer.beforeAnswer()) {
            connect(leg.peer);
        }
        Runnable hook = leg.onAnswer;
        leg.onAnswer = null;
        if (hook != null) {
            hook.run();
        }
    }

    private void ring(SimLeg leg, boolean answer) {
        if (!SimLeg.TRYING.equals(leg.state)) {
            return;
        }
        set(leg, SimLeg.RINGING);
        if (answer) {
            later(stepMillis, () -> connect(leg));
        }
    }

    private void end(SimLeg leg, String reason, Integer code) {
        if (!leg.live()) {
            return;
        }
        leg.endTime = now();
        leg.reason = reason;
        leg.reasonCode = code;
        leg.prompts.clear();
        leg.dtmfDetect = false;
        leg.onAnswer = null;
        leg.state = SimLeg.TERMINATED;
        legs.remove(leg.key());
        List<SimLeg> same = byId.get(leg.id);
        if (same != null) {
            same.remove(leg);
            if (same.isEmpty()) {
                byId.remove(leg.id);
            }
        }
        emit(leg);
    }

    private void hangUp(SimLeg leg) {
        if (leg.answered()) {
            end(leg, "normal clearing", 16);
        } else {
            end(leg, "cancelled", 487);
        }
    }

    // ---- calls ----

    /** originate_advanced_call, as call {@code id} (from {@link #newCallId()}, the id the reply already gave). */
    void originate(String id, SimParty callerId, SimParty calleeId, boolean autoPickup) {
        SimLeg a = newLeg(id, "incoming", calleeId, callerId);
        a.onAnswer = () -> {
            SimLeg b = newLeg(id + "~10", "incoming", callerId, calleeId);
            link(a, b);
            if (autoPickup) {
                connect(b);
            } else {
                later(stepMillis, () -> ring(b, autoAnswer));
            }
        };
        later(stepMillis, () -> ring(a, autoAnswer));
    }

    /** A call from {@code from} to {@code to} (through call queue 5 if {@code queued}): returns the call id. */
    String incoming(SimParty from, SimParty to, boolean queued) {
        String id = newCallId();
        SimLeg a = newLeg(id, "outgoing", from, to);
        Runnable offer = () -> {
            if (!a.live()) {
                return;
            }
            SimLeg b = newLeg(id + "~10", "incoming", from, queued ? to.viaHuntgroup("500") : to);
            link(a, b);
            later(stepMillis, () -> {
                if (!SimLeg.TRYING.equals(b.state)) {
                    return;
                }
                set(b, SimLeg.RINGING);
                if (a.beforeAnswer()) {
                    set(a, SimLeg.RINGING);
                }
                if (autoAnswer) {
                    later(stepMillis, () -> connect(b));
                }
            });
        };
        if (queued) {
            later(stepMillis, () -> {
                if (!SimLeg.TRYING.equals(a.state)) {
                    return;
                }
                a.iCQueue = 5;
                a.queuePosition = 1;
                a.queueOperators = 2;
                set(a, SimLeg.QUEUED);
                later(stepMillis, () -> {
                    if (!SimLeg.QUEUED.equals(a.state)) {
                        return;
                    }
                    a.queuePosition = 0;
                    set(a, SimLeg.DEQUEUED);
                    offer.run();
                });
            });
        } else {
            later(stepMillis, offer);
        }
        return id;
    }

    /** A call from {@code from} to the IVR access number: one leg, ringing until answer_call. */
    String ivrCall(SimParty from, IvrAccessNumber an) {
        String id = newCallId();
        SimLeg a = newLeg(id, "outgoing", from, SimParty.ivr(an));
        later(stepMillis, () -> ring(a, false));
        return id;
    }

    /**
     * {@code calls} complete calls at once, no delay between steps: per call 8 notifications (A trying, B trying,
     * B ringing, A ringing, B connected, A connected, B terminated, A terminated). Returns the notifications made.
     */
    int flood(int calls, SimParty from, SimParty to) {
        for (int i = 0; i < calls; i++) {
            String id = newCallId();
            SimLeg a = newLeg(id, "outgoing", from, to);
            SimLeg b = newLeg(id + "~10", "incoming", from, to);
            link(a, b);
            set(b, SimLeg.RINGING);
            set(a, SimLeg.RINGING);
            connect(b);
            hangUp(b);
            hangUp(a);
        }
        return calls * 8;
    }

    SimLeg find(String id, String tag) {
        return legs.get(id + "\n" + tag);
    }

    /** The live legs of call {@code id} (a leg id; the base id also finds its {@code ~N} legs). */
    List<SimLeg> legsOf(String id) {
        List<SimLeg> out = new ArrayList<>();
        for (SimLeg l : legs.values()) {
            if (l.id.equals(id) || l.callId().equals(id)) {
                out.add(l);
            }
        }
        return out;
    }

    /** The far end hangs up call {@code id} (every live leg of it). */
    boolean hangUpCall(String id) {
        List<SimLeg> all = legsOf(id);
        all.forEach(this::hangUp);
        return !all.isEmpty();
    }

    // ---- what the methods do (checked by the caller: the leg exists and is live) ----

    /** answer_call; false if the leg is not waiting for an answer. */
    boolean answer(SimLeg leg) {
        if (!leg.beforeAnswer()) {
            return false;
        }
        connect(leg);
        return true;
    }

    void terminate(SimLeg leg) {
        SimLeg peer = leg.peer;
        hangUp(leg);
        if (peer != null) {
            hangUp(peer);
        }
    }

    /** hold_call; false if the leg is not connected. */
    boolean hold(SimLeg leg) {
        if (!SimLeg.CONNECTED.equals(leg.state)) {
            return false;
        }
        if (leg.peer != null && leg.peer.live()) {
            set(leg, SimLeg.HOLDING);
            set(leg.peer, SimLeg.HELD);
        } else {
            set(leg, SimLeg.HELD);
        }
        return true;
    }

    /** unhold_call; false if the leg is neither held nor holding. */
    boolean unhold(SimLeg leg) {
        if (!SimLeg.HELD.equals(leg.state) && !SimLeg.HOLDING.equals(leg.state)) {
            return false;
        }
        set(leg, SimLeg.CONNECTED);
        SimLeg peer = leg.peer;
        if (peer != null && (SimLeg.HELD.equals(peer.state) || SimLeg.HOLDING.equals(peer.state))) {
            set(peer, SimLeg.CONNECTED);
        }
        return true;
    }

    /** transfer_call (blind); false if the leg is not answered or has nobody to transfer. */
    boolean transfer(SimLeg leg, SimParty target) {
        SimLeg transferee = leg.peer;
        if (!leg.answered() || transferee == null || !transferee.live()) {
            return false;
        }
        end(leg, "blind transfer", null);
        SimLeg t = newLeg(leg.id, "incoming", transferee.ua(), target);
        link(transferee, t);
        t.onAnswer = () -> {
            if (SimLeg.HELD.equals(transferee.state) || SimLeg.HOLDING.equals(transferee.state)) {
                set(transferee, SimLeg.CONNECTED);
            }
        };
        later(stepMillis, () -> ring(t, autoAnswer));
        return true;
    }

    /** join_calls; null if fine, else what is wrong. */
    String join(SimLeg one, SimLeg two) {
        if (one == two) {
            return "call and to_call are the same call part";
        }
        if (!one.answered() || !two.answered()) {
            return "both call parts must be answered";
        }
        SimLeg p1 = one.peer;
        SimLeg p2 = two.peer;
        if (p1 == null || p2 == null || !p1.live() || !p2.live() || p1 == two || p2 == one || p1 == p2) {
            return "call and to_call must be two calls of the transferor, each with another party";
        }
        end(one, "attended transfer", null);
        end(two, "attended transfer", null);
        link(p1, p2);
        for (SimLeg p : List.of(p1, p2)) {
            if (SimLeg.HELD.equals(p.state) || SimLeg.HOLDING.equals(p.state)) {
                set(p, SimLeg.CONNECTED);
            } else if (p.beforeAnswer()) {
                connect(p);
            }
        }
        return null;
    }

    /** play_prompt: {@code play_prompt_completed} after repeat x the prompt's length (never with -1). */
    void playPrompt(SimLeg leg, int order, int repeat) {
        long token = ++promptTokens;
        leg.prompts.put(order, token);
        if (repeat == -1) {
            return;
        }
        later(Math.max(1, promptMillis * repeat), () -> {
            Long now = leg.prompts.get(order);
            if (leg.live() && now != null && now == token) {
                leg.prompts.remove(order);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("ivr_event", "play_prompt_completed");
                extra.put("order", order);
                listener.changed(leg, extra);
            }
        });
    }

    void stopPrompt(SimLeg leg, int order) {
        leg.prompts.remove(order);
    }

    /** A DTMF digit on the live legs of {@code id} that detect DTMF; how many got it. */
    int dtmf(String id, String digit, int durationMillis) {
        int n = 0;
        for (SimLeg leg : legsOf(id)) {
            if (leg.dtmfDetect) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("ivr_event", "dtmf_digit_detected");
                extra.put("dtmf_digit", digit);
                extra.put("dtmf_duration", durationMillis);
                listener.changed(leg, extra);
                n++;
            }
        }
        return n;
    }
}
