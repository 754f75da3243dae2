package io.pbxbridge.sandbox.portasip;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * One leg (dialog) of a call: {@code call {id, tag}}, {@code transport_id}, the two parties, {@code type} (outgoing:
 * its UA initiated it; incoming: its UA receives it) and the state with its state-specific fields. {@code peer} is
 * the leg it is bridged with (null for an IVR call). Guarded by the engine's lock.
 */
final class SimLeg {

    static final String TRYING = "trying";
    static final String RINGING = "ringing";
    static final String EARLY = "early";
    static final String CONNECTED = "connected";
    static final String HELD = "held";
    static final String HOLDING = "holding";
    static final String TERMINATED = "terminated";
    static final String QUEUED = "queued";
    static final String DEQUEUED = "dequeued";

    final String id;
    final String tag;
    final String transportId;
    final String type;
    final SimParty caller;
    final SimParty callee;
    final long seq;
    String state;
    LocalDateTime startTime;
    LocalDateTime connectTime;
    LocalDateTime endTime;
    String reason;
    Integer reasonCode;
    long iCQueue;
    int queuePosition;
    int queueOperators;
    SimLeg peer;
    boolean dtmfDetect;
    /** Runs once when the leg is answered (an originated call's leg A places leg B). */
    Runnable onAnswer;
    /** order -> token of the prompt playing there. */
    final Map<Integer, Long> prompts = new HashMap<>();

    SimLeg(String id, String tag, String transportId, String type, SimParty caller, SimParty callee, long seq) {
        this.id = id;
        this.tag = tag;
        this.transportId = transportId;
        this.type = type;
        this.caller = caller;
        this.callee = callee;
        this.seq = seq;
    }

    String key() {
        return id + "\n" + tag;
    }

    /** The call id without its {@code ~N} leg suffix. */
    String callId() {
        int tilde = id.indexOf('~');
        return tilde < 0 ? id : id.substring(0, tilde);
    }

    boolean live() {
        return !TERMINATED.equals(state);
    }

    boolean answered() {
        return CONNECTED.equals(state) || HELD.equals(state) || HOLDING.equals(state);
    }

    boolean beforeAnswer() {
        return TRYING.equals(state) || RINGING.equals(state) || EARLY.equals(state) || QUEUED.equals(state)
                || DEQUEUED.equals(state);
    }

    /** The party whose UA this leg is: the callee of an incoming dialog, the caller of an outgoing one. */
    SimParty ua() {
        return "incoming".equals(type) ? callee : caller;
    }
}
