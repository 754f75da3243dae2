package io.pbxbridge.metasec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;

/**
 * The last snapshot of one WebTAPI connection and the events of what changed since ({@link #apply}): METASEC pushes
 * nothing, so {@code metasec:events} polls the lists ({@link MetasecPoll}) and this class diffs each poll against
 * the snapshot before it. Pure state, no I/O: the consumer polls, routes the events, journals the ended calls and
 * saves the state ({@link #state()}, {@link #restore}).
 *
 * <h2>Calls</h2>
 * Every line of {@code call_list_all} is a channel (a leg); legs are grouped into calls. <b>The call's key
 * ({@code callId}, the CloudEvents subject) is the unique id of its A channel</b>, the first channel of the call
 * (the caller's, or the one {@code call} originated); each event's {@code legId} is the unique id of the channel it
 * is about. Asterisk gives both channels of a bridged call unique ids of their own and the WebTAPI does not list the
 * linkedid, so a new channel is joined to a call by what its line says: bridged to a channel of a known call (or to
 * an older new channel), or an outgoing leg ({@code AppDial}, {@code AppQueue}) that a {@code Dial} of that call rings
 * (its device in the dialling channel's data, the same caller id) or a {@code Queue} caller it serves (the same caller
 * id). Anything else is a call of its own. A channel keeps its call once joined.
 * <ul>
 * <li>a new call: {@code call.dialing} when its A channel is in the {@code originateContext} (the context of calls
 * placed by the WebTAPI's {@code call}, {@code Callme} in the spec's sample), else {@code call.ringing};</li>
 * <li>a new B channel: {@code call.ringing} (the called party rings: after a dialing, or a transfer's new
 * destination), except in the poll in which the call was first seen as ringing;</li>
 * <li>{@code call.answered}, once per call: the first time a channel of the call is {@code Up}, not counting a
 * dialling A channel (an originating phone that picked up) nor a caller held {@code Up} by a {@code Queue}
 * application until an agent takes it;</li>
 * <li>{@code call.connected}: each time two channels of the call are bridged that were not in the poll before;</li>
 * <li>{@code call.ended} once no channel of the call is listed, with its start (first seen), answer (first seen
 * answered), end (last seen), duration and billed seconds, and the derived call record ({@link Result#ended()}).</li>
 * </ul>
 * A list with unreadable lines is used for what it lists, but a channel it does not list is not taken as gone; a
 * list that was not read changes nothing: neither makes a false {@code call.ended}.
 *
 * <h2>The rest</h2>
 * {@code queue.joined} / {@code queue.left} (a caller in / out of {@code q_waiting_list}; {@code details.outcome}
 * {@code answered}, {@code ended} or {@code left}), {@code agent.logged_in} / {@code agent.logged_out}
 * ({@code agent_list}), {@code relay.changed} ({@code relay_list}), {@code extension.changed}
 * ({@code call_status_get}), {@code recording.available} (a new file in {@code call_record_list}; a recording of a
 * call that is still going on is announced when the call has ended, as its file is complete then).
 *
 * <h2>Baseline and reconciliation</h2>
 * The first list of each kind ever read (no saved state) is the baseline: taken as it is, no event. The first list
 * after its poll failed, and the first after a restart from saved state, is reconciled: what changed meanwhile is
 * announced once with {@code details.reconciled = true}, a call that started meanwhile as a single event of its
 * state now (ringing, answered or connected) rather than a replay; a call that ended meanwhile ends at its last
 * sight. Calls never seen start {@code now - the line's duration}.
 *
 * <p>Thread-safe (one lock).
 */
public final class MetasecTracker {

    public static final String VENDOR = "metasec";

    public static final String DIALING = "call.dialing";
    public static final String RINGING = "call.ringing";
    public static final String ANSWERED = "call.answered";
    public static final String CONNECTED = "call.connected";
    public static final String ENDED = "call.ended";
    public static final String QUEUE_JOINED = "queue.joined";
    public static final String QUEUE_LEFT = "queue.left";
    public static final String AGENT_LOGGED_IN = "agent.logged_in";
    public static final String AGENT_LOGGED_OUT = "agent.logged_out";
    public static final String RELAY_CHANGED = "relay.changed";
    public static final String RECORDING_AVAILABLE = "recording.available";
    public static final String EXTENSION_CHANGED = "extension.changed";

    /** The version of {@link State}. */
    static final int STATE_VERSION = 1;

    private enum Mode {
        BASELINE, RECONCILE, NORMAL
    }

    /** What a poll changed: its events in order, the records of the calls it saw end, whether the state changed. */
    public record Result(List<CallEvent> events, List<CallRecord> ended, boolean changed) {
    }

    /** A channel of a live call, for commands: its name, unique id, whether it is the A channel, its state. */
    public record LiveLeg(String channel, String uniqueId, boolean a, String state, String bridged) {
    }

    // ---- the state (public fields: it is saved as JSON) ------------------------------------------------------

    /** A channel as last listed. */
    public static final class Leg {
        public String uid;
        public String callId;
        public boolean a;
        public String channel;
        public String device;
        public String context;
        public String extension;
        public String state;
        public String application;
        public String data;
        public String cidNum;
        public String cidName;
        public String bridged;
        public long duration;
        public Instant firstSeen;
        public boolean announced;
        /** Its call (not saved: restored from callId). */
        transient Call call;
        /** The poll that last listed it (not saved). */
        transient long seen;

        boolean isUp() {
            return "Up".equalsIgnoreCase(state);
        }

        /** The line, rebuilt in the spec's 13-field layout (the event's {@code raw}). */
        String line() {
            return String.join("!", channel, nz(context), nz(extension), nz(state), nz(application), nz(data),
                    nz(cidNum), nz(cidName), "", "", Long.toString(duration), bridged == null ? "(None)" : bridged,
                    uid);
        }
    }

    /** A call: its legs are the {@link Leg}s with its id. */
    public static final class Call {
        public String callId;
        public Instant start;
        public Instant answer;
        public Instant lastSeen;
        public String from;
        public String to;
        public Direction direction;
        public boolean originated;
        public boolean reconciled;
        public boolean ringing;
        public long lastDuration;
        public int legs;
        public Set<String> bridges = new LinkedHashSet<>();
        public String recording;
        public List<String> channels = new ArrayList<>();
    }

    /** A caller waiting in a queue. */
    public static final class Waiting {
        public String uid;
        public String channel;
        public String cidNum;
        public String cidName;
        public int position;
    }

    /** An agent of a queue. */
    public static final class Agent {
        public String agent;
        public String name;
        public Boolean paused;
    }

    /** A relay. */
    public static final class RelayState {
        public String name;
        public Integer status;
    }

    /** Everything {@link #restore} needs, as saved. */
    public static final class State {
        public int version = STATE_VERSION;
        public String source;
        public Instant savedAt;
        public boolean callsBaseline;
        public List<Leg> legs = new ArrayList<>();
        public List<Call> calls = new ArrayList<>();
        public Map<String, Map<String, Waiting>> waiting = new TreeMap<>();
        public Map<String, Map<String, Agent>> agents = new TreeMap<>();
        public Map<String, RelayState> relays;
        public List<String> recordings;
        public Map<String, String> pendingRecordings = new LinkedHashMap<>();
        public Map<String, String> startedRecordings = new LinkedHashMap<>();
        public Map<String, String> extensions;
    }

    private final String source;
    private final String originateContext;
    private final long precisionSeconds;
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 13);
    private long eventSeq;

    private boolean callsBaseline;
    private boolean callsReconcile;
    private long pollSeq;
    private final Map<String, Leg> legs = new HashMap<>();
    private final Map<String, Leg> byChannel = new HashMap<>();
    private final Map<String, Call> calls = new LinkedHashMap<>();
    private final Map<String, Map<String, Waiting>> waiting = new TreeMap<>();
    private final Set<String> waitingReconcile = new LinkedHashSet<>();
    private final Map<String, Map<String, Agent>> agents = new TreeMap<>();
    private final Set<String> agentsReconcile = new LinkedHashSet<>();
    private Map<String, RelayState> relays;
    private boolean relaysReconcile;
    private Set<String> recordings;
    private boolean recordingsReconcile;
    /** Recordings of calls still going on: announced when the call has ended. File -> call. */
    private final Map<String, String> pendingRecordings = new LinkedHashMap<>();
    /** Recordings started by call_record_start through this component: file -> channel. */
    private final Map<String, String> startedRecordings = new LinkedHashMap<>();
    private Map<String, String> extensions;
    private boolean extensionsReconcile;

    /**
     * @param source           {@code <host>/<user>}, the events' source
     * @param originateContext the context of the A channel of calls the WebTAPI's {@code call} placed (call.dialing)
     * @param pollInterval     the poll interval: the precision of the times of the derived call records
     */
    public MetasecTracker(String source, String originateContext, Duration pollInterval) {
        this.source = source;
        this.originateContext = originateContext == null ? "" : originateContext;
        this.precisionSeconds = Math.max(1, (pollInterval.toMillis() + 999) / 1000);
    }

    public String source() {
        return source;
    }

    // ---- the poll ---------------------------------------------------------------------------------------------

    /** Diffs {@code poll} against the snapshot, which it then replaces (for what the poll read). */
    public synchronized Result apply(MetasecPoll poll) {
        Instant now = poll.at();
        Changes c = new Changes();
        Map<String, Leg> gone = new HashMap<>();
        List<Call> ended = new ArrayList<>();
        if (poll.channels() != null) {
            calls(poll.channels(), now, c, gone, ended);
        } else {
            callsReconcile = true;
        }
        queues(poll.waiting(), now, c, gone);
        List<CallEvent> recordingEvents = recordings(poll.recordings(), now, c, gone);
        List<CallRecord> records = new ArrayList<>(ended.size());
        for (Call call : ended) {
            records.add(end(call, now, c));
        }
        c.ends.addAll(recordingEvents);
        agents(poll.agents(), now, c);
        relays(poll.relays(), now, c);
        extensions(poll.extensions(), now, c);
        List<CallEvent> events = new ArrayList<>(c.starts.size() + c.queue.size() + c.transitions.size()
                + c.ends.size() + c.others.size());
        events.addAll(c.starts);
        events.addAll(c.queue);
        events.addAll(c.transitions);
        events.addAll(c.ends);
        events.addAll(c.others);
        return new Result(events, records, c.changed || !events.isEmpty());
    }

    /** The events of one poll, by phase: each call's start before its queue events, those before its answer... */
    private static final class Changes {
        final List<CallEvent> starts = new ArrayList<>();
        final List<CallEvent> queue = new ArrayList<>();
        final List<CallEvent> transitions = new ArrayList<>();
        final List<CallEvent> ends = new ArrayList<>();
        final List<CallEvent> others = new ArrayList<>();
        boolean changed;
    }

    // ---- calls ------------------------------------------------------------------------------------------------

    private void calls(MetasecList<ChannelLine> list, Instant now, Changes c, Map<String, Leg> gone,
                       List<Call> ended) {
        Mode mode = !callsBaseline ? Mode.BASELINE : callsReconcile ? Mode.RECONCILE : Mode.NORMAL;
        boolean reconciled = mode == Mode.RECONCILE;
        long stamp = ++pollSeq;
        List<ChannelLine> lines = list.rows();
        int n = lines.size();
        // each line's channel, by index (no map of the lines: a poller reads thousands every few seconds)
        Leg[] at = new Leg[n];
        List<Integer> fresh = null;
        for (int i = 0; i < n; i++) {
            Leg leg = legs.get(lines.get(i).uniqueId());
            if (leg != null) {
                at[i] = leg;
            } else {
                if (fresh == null) {
                    fresh = new ArrayList<>();
                }
                fresh.add(i);
            }
        }
        Map<Call, Boolean> newCalls = new LinkedHashMap<>();
        Map<Call, List<Leg>> newLegs = new LinkedHashMap<>();
        Map<String, ChannelLine> byName = null;
        if (fresh != null) {
            byName = byName(lines);
            // new channels join their calls in the order they were created: a caller before the legs it rings
            fresh.sort((x, y) -> compareUniqueIds(lines.get(x).uniqueId(), lines.get(y).uniqueId()));
            Dialers dialers = null;
            for (int i : fresh) {
                ChannelLine l = lines.get(i);
                Leg leg = legs.get(l.uniqueId()); // a unique id listed twice is one channel
                if (leg == null) {
                    String callId = joinedCall(l, byName);
                    if (callId == null && isOutgoingLeg(l)) {
                        if (dialers == null) {
                            dialers = new Dialers(lines);
                        }
                        callId = dialers.callerOf(l, this);
                    }
                    leg = new Leg();
                    leg.uid = l.uniqueId();
                    leg.firstSeen = now;
                    update(leg, l);
                    Call call = callId == null ? null : calls.get(callId);
                    if (call == null) {
                        leg.a = true;
                        call = newCall(leg, now, mode);
                        newCalls.put(call, Boolean.TRUE);
                    }
                    leg.callId = call.callId;
                    leg.call = call;
                    leg.seen = stamp;
                    call.legs++;
                    if (!call.channels.contains(leg.channel)) {
                        call.channels.add(leg.channel);
                    }
                    legs.put(leg.uid, leg);
                    byChannel.put(leg.channel, leg);
                    newLegs.computeIfAbsent(call, k -> new ArrayList<>()).add(leg);
                    c.changed = true;
                }
                at[i] = leg;
            }
        }
        // every call listed was seen now; only those with a new or changed channel are looked at further
        Set<Call> touched = new java.util.HashSet<>(newCalls.keySet());
        for (int i = 0; i < n; i++) {
            ChannelLine l = lines.get(i);
            Leg leg = at[i];
            Call call = leg.call;
            if (leg.seen != stamp && changed(leg, l)) {
                if (!leg.channel.equals(l.channel())) {
                    byChannel.remove(leg.channel);
                    byChannel.put(l.channel(), leg);
                }
                update(leg, l);
                c.changed = true;
                touched.add(call);
            } else {
                leg.duration = l.durationSeconds();
            }
            leg.seen = stamp;
            call.lastSeen = now;
            if (leg.a) {
                call.lastDuration = leg.duration;
            }
        }
        // the calls touched, in the order of their first line, with all their channels listed
        Map<Call, List<Leg>> present = new LinkedHashMap<>();
        if (!touched.isEmpty()) {
            for (int i = 0; i < n; i++) {
                Leg leg = at[i];
                if (touched.contains(leg.call)) {
                    List<Leg> p = present.computeIfAbsent(leg.call, k -> new ArrayList<>(2));
                    if (!p.contains(leg)) {
                        p.add(leg);
                    }
                }
            }
        }
        if (!list.complete() && byName == null && !present.isEmpty()) {
            byName = byName(lines);
        }
        for (Map.Entry<Call, List<Leg>> e : present.entrySet()) {
            Call call = e.getKey();
            List<Leg> now_ = e.getValue();
            boolean isNew = newCalls.containsKey(call);
            if (mode == Mode.BASELINE) {
                adopt(call, now_, now);
                continue;
            }
            String first = null;
            if (isNew) {
                first = reconciled ? stateType(call, now_) : call.originated ? DIALING : RINGING;
                Leg a = firstLeg(now_);
                if (reconciled) {
                    if (!RINGING.equals(first) && !DIALING.equals(first)) {
                        call.answer = now;
                    }
                    call.bridges = bridges(now_, call);
                    call.ringing = true;
                    now_.forEach(l -> l.announced = true);
                } else if (RINGING.equals(first)) {
                    call.ringing = true;
                    now_.forEach(l -> l.announced = true);
                }
                a.announced = true;
                c.starts.add(callEvent(first, call, a, now, reconciled));
                if (reconciled) {
                    continue;
                }
            }
            // new B legs ring (the called party, a transfer's new destination)
            List<Leg> added = newLegs.getOrDefault(call, List.of());
            for (Leg leg : added) {
                if (!leg.announced && (!leg.isUp() || !call.ringing)) {
                    leg.announced = true;
                    call.ringing = true;
                    c.starts.add(callEvent(RINGING, call, leg, now, reconciled));
                }
                leg.announced = true;
            }
            if (call.answer == null) {
                Leg answering = null;
                for (Leg leg : now_) {
                    if (answering(leg, call) && (answering == null || !leg.a)) {
                        answering = leg;
                    }
                }
                if (answering != null) {
                    call.answer = now;
                    c.transitions.add(callEvent(ANSWERED, call, answering, now, reconciled));
                    c.changed = true;
                }
            }
            Set<String> pairs = bridges(now_, call);
            if (!list.complete()) {
                // a bridge of channels the list did not show (unreadable lines) is still there
                for (String pair : call.bridges) {
                    int bar = pair.indexOf('|');
                    if (!byName.containsKey(pair.substring(0, bar)) && !byName.containsKey(pair.substring(bar + 1))) {
                        pairs.add(pair);
                    }
                }
            }
            for (String pair : pairs) {
                if (!call.bridges.contains(pair)) {
                    Leg leg = bridgedLeg(pair, now_);
                    c.transitions.add(callEvent(CONNECTED, call, leg, now, reconciled));
                    c.changed = true;
                }
            }
            call.bridges = pairs;
        }
        callsBaseline = true;
        if (!list.complete()) {
            return; // what it did not list may be a line it could not read: nothing is gone (nor reconciled yet)
        }
        callsReconcile = false;
        for (Iterator<Leg> it = legs.values().iterator(); it.hasNext();) {
            Leg leg = it.next();
            if (leg.seen == stamp) {
                continue;
            }
            it.remove();
            if (byChannel.get(leg.channel) == leg) {
                byChannel.remove(leg.channel);
            }
            gone.put(leg.uid, leg);
            c.changed = true;
            Call call = leg.call;
            if (call != null && --call.legs <= 0) {
                calls.remove(call.callId);
                call.reconciled |= reconciled;
                ended.add(call);
            }
        }
    }

    private static Map<String, ChannelLine> byName(List<ChannelLine> lines) {
        Map<String, ChannelLine> byName = new HashMap<>(lines.size() * 4 / 3 + 1);
        for (ChannelLine l : lines) {
            byName.put(l.channel(), l);
        }
        return byName;
    }

    private Call newCall(Leg a, Instant now, Mode mode) {
        Call call = new Call();
        call.callId = a.uid;
        call.originated = !originateContext.isEmpty() && originateContext.equalsIgnoreCase(a.context);
        call.from = a.cidNum != null ? a.cidNum : a.device;
        call.to = a.extension;
        call.direction = direction(a);
        call.lastSeen = now;
        if (mode == Mode.NORMAL) {
            call.start = now;
        } else {
            // first seen after it started: it started the line's duration ago
            call.start = now.minusSeconds(a.duration);
            call.reconciled = true;
        }
        calls.put(call.callId, call);
        return call;
    }

    /** A call taken as it is at the baseline: no event. */
    private void adopt(Call call, List<Leg> present, Instant now) {
        if (call.answer == null) {
            for (Leg leg : present) {
                if (answering(leg, call)) {
                    call.answer = now;
                }
            }
        }
        call.bridges = bridges(present, call);
        call.ringing = true;
        present.forEach(l -> l.announced = true);
    }

    /** The type of a call's state now, for a call first seen by a reconciliation. */
    private String stateType(Call call, List<Leg> present) {
        for (Leg leg : present) {
            if (leg.bridged != null) {
                return CONNECTED;
            }
        }
        for (Leg leg : present) {
            if (answering(leg, call)) {
                return ANSWERED;
            }
        }
        return call.originated ? DIALING : RINGING;
    }

    /** Whether {@code leg} being Up means the call was answered (see the class comment). */
    private static boolean answering(Leg leg, Call call) {
        if (!leg.isUp()) {
            return false;
        }
        if (leg.a && call.originated && leg.bridged == null) {
            return false; // the originating phone picked up; the called party has not yet
        }
        return !(leg.bridged == null && "Queue".equalsIgnoreCase(leg.application));
    }

    /** The bridged pairs among {@code present}, as {@code channel|channel} in order. */
    private static Set<String> bridges(List<Leg> present, Call call) {
        Set<String> pairs = new LinkedHashSet<>();
        for (Leg leg : present) {
            if (leg.bridged != null) {
                pairs.add(pair(leg.channel, leg.bridged));
            }
        }
        return pairs;
    }

    private static String pair(String x, String y) {
        return x.compareTo(y) <= 0 ? x + "|" + y : y + "|" + x;
    }

    /** The leg of {@code pair} an event is about: the later one (the B side of the bridge). */
    private Leg bridgedLeg(String pair, List<Leg> present) {
        int bar = pair.indexOf('|');
        Leg x = byChannel.get(pair.substring(0, bar));
        Leg y = byChannel.get(pair.substring(bar + 1));
        if (x == null) {
            return y != null ? y : present.get(0);
        }
        if (y == null) {
            return x;
        }
        return compareUniqueIds(x.uid, y.uid) >= 0 ? x : y;
    }

    private static Leg firstLeg(List<Leg> present) {
        for (Leg leg : present) {
            if (leg.a) {
                return leg;
            }
        }
        return present.get(0);
    }

    /** The call of the channel {@code l} is bridged to, if that is a known channel. */
    private String joinedCall(ChannelLine l, Map<String, ChannelLine> byName) {
        if (l.bridgedChannel() == null) {
            return null;
        }
        ChannelLine other = byName.get(l.bridgedChannel());
        Leg o = other == null ? byChannel.get(l.bridgedChannel()) : legs.get(other.uniqueId());
        return o == null ? null : o.callId;
    }

    /** A channel an application made to ring someone: Dial's outgoing leg, a queue's call to an agent. */
    private static boolean isOutgoingLeg(ChannelLine l) {
        String app = l.application();
        return "AppDial".equalsIgnoreCase(app) || "AppQueue".equalsIgnoreCase(app)
                || "(Outgoing Line)".equalsIgnoreCase(l.data());
    }

    /**
     * The channels that dial, indexed once per poll: by the device they dial and their caller id, and queue callers by
     * caller id.
     */
    private static final class Dialers {
        final Map<String, List<ChannelLine>> byDevice = new HashMap<>();
        final Map<String, List<ChannelLine>> queueCallers = new HashMap<>();

        Dialers(Collection<ChannelLine> rows) {
            for (ChannelLine l : rows) {
                String app = l.application();
                if ("Dial".equalsIgnoreCase(app) && l.data() != null) {
                    for (String device : dialled(l.data())) {
                        byDevice.computeIfAbsent(key(device, l.callerIdNumber()), k -> new ArrayList<>(1)).add(l);
                    }
                } else if ("Queue".equalsIgnoreCase(app)) {
                    queueCallers.computeIfAbsent(String.valueOf(l.callerIdNumber()), k -> new ArrayList<>(1)).add(l);
                }
            }
        }

        private static String key(String device, String cid) {
            return device + '\n' + cid;
        }

        /** The call of the latest channel created before {@code l} that dials its device with its caller id. */
        String callerOf(ChannelLine l, MetasecTracker t) {
            List<ChannelLine> candidates = "AppQueue".equalsIgnoreCase(l.application())
                    ? queueCallers.get(String.valueOf(l.callerIdNumber()))
                    : byDevice.get(key(l.device(), l.callerIdNumber()));
            if (candidates == null) {
                return null;
            }
            ChannelLine best = null;
            for (ChannelLine x : candidates) {
                if (compareUniqueIds(x.uniqueId(), l.uniqueId()) < 0
                        && (best == null || compareUniqueIds(x.uniqueId(), best.uniqueId()) > 0)) {
                    best = x;
                }
            }
            Leg leg = best == null ? null : t.legs.get(best.uniqueId());
            return leg == null ? null : leg.callId;
        }

        /** The devices of Dial's data: {@code SIP/1001&SIP/1002,30,tT} -> 1001, 1002. */
        static List<String> dialled(String data) {
            int comma = data.indexOf(',');
            String targets = comma >= 0 ? data.substring(0, comma) : data;
            List<String> out = new ArrayList<>(1);
            for (String t : targets.split("&")) {
                int slash = t.indexOf('/');
                String d = slash >= 0 ? t.substring(slash + 1) : t;
                int at = d.indexOf('@');
                out.add((at >= 0 ? d.substring(0, at) : d).trim());
            }
            return out;
        }
    }

    private static void update(Leg leg, ChannelLine l) {
        leg.channel = l.channel();
        leg.device = l.device();
        leg.context = l.context();
        leg.extension = l.extension();
        leg.state = l.state();
        leg.application = l.application();
        leg.data = l.data();
        leg.cidNum = l.callerIdNumber();
        leg.cidName = l.callerIdName();
        leg.bridged = l.bridgedChannel();
        leg.duration = l.durationSeconds();
    }

    /** Whether the line says something new of the channel (its duration aside). */
    private static boolean changed(Leg leg, ChannelLine l) {
        return !eq(leg.state, l.state()) || !eq(leg.bridged, l.bridgedChannel()) || !eq(leg.channel, l.channel())
                || !eq(leg.application, l.application()) || !eq(leg.extension, l.extension())
                || !eq(leg.data, l.data()) || !eq(leg.context, l.context());
    }

    private static boolean eq(String x, String y) {
        return x == null ? y == null : x.equals(y);
    }

    /** As seen from the PBX, from the A channel: from the trunk INBOUND; from an extension INTERNAL or OUTBOUND. */
    private static Direction direction(Leg a) {
        boolean fromExtension = Direction.isExtension(a.device);
        if (!fromExtension) {
            return Direction.INBOUND;
        }
        return a.extension == null || Direction.isExtension(a.extension) ? Direction.INTERNAL : Direction.OUTBOUND;
    }

    /** The call's end: its event (and the announcements of its recordings) and its record. */
    private CallRecord end(Call call, Instant now, Changes c) {
        Instant end = call.lastSeen;
        long duration = Math.max(0, Duration.between(call.start, end).toSeconds());
        Long billsec = call.answer == null ? 0L : Math.max(0, Duration.between(call.answer, end).toSeconds());
        Disposition disposition = call.answer != null ? Disposition.ANSWERED : Disposition.NO_ANSWER;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("start", call.start.toString());
        if (call.answer != null) {
            d.put("answer", call.answer.toString());
        }
        d.put("end", end.toString());
        d.put("duration", duration);
        d.put("billsec", billsec);
        d.put("disposition", disposition.name());
        d.put("channels", List.copyOf(call.channels));
        if (call.recording != null) {
            d.put("recording", call.recording);
        }
        if (call.reconciled) {
            d.put("reconciled", Boolean.TRUE);
        }
        c.ends.add(new CallEvent(nextId(), VENDOR, source, ENDED, call.callId, call.callId, call.from, call.to,
                call.direction, "Down", now, d, null));
        for (Iterator<Map.Entry<String, String>> it = pendingRecordings.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> p = it.next();
            if (p.getValue().equals(call.callId)) {
                it.remove();
                c.ends.add(recordingEvent(p.getKey(), call.callId, now, false));
            }
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("derived", Boolean.TRUE);
        raw.put("precisionSeconds", precisionSeconds);
        raw.put("firstSeen", call.start.toString());
        raw.put("lastSeen", end.toString());
        raw.put("endSeenGone", now.toString());
        raw.put("lastChannelDuration", call.lastDuration);
        raw.put("channels", List.copyOf(call.channels));
        if (call.reconciled) {
            raw.put("reconciled", Boolean.TRUE);
        }
        return new CallRecord(CallRecord.key(VENDOR, source, call.callId), VENDOR, source, call.callId, call.start,
                call.answer, end, duration, billsec, call.from, call.to, call.direction, disposition, null, null,
                call.recording, raw);
    }

    private CallEvent callEvent(String type, Call call, Leg leg, Instant now, boolean reconciled) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("leg", leg.a ? "A" : "B");
        d.put("channel", leg.channel);
        d.put("uniqueId", leg.uid);
        put(d, "context", leg.context);
        put(d, "extension", leg.extension);
        put(d, "application", leg.application);
        put(d, "data", leg.data);
        put(d, "callerIdName", leg.cidName);
        put(d, "bridgedChannel", leg.bridged);
        d.put("durationSeconds", leg.duration);
        if (reconciled) {
            d.put("reconciled", Boolean.TRUE);
        }
        return new CallEvent(nextId(), VENDOR, source, type, call.callId, leg.uid, call.from, call.to,
                call.direction, leg.state, now, d, leg.line());
    }

    // ---- queues and agents ------------------------------------------------------------------------------------

    private void queues(Map<String, MetasecList<WaitingCaller>> lists, Instant now, Changes c, Map<String, Leg> gone) {
        for (Map.Entry<String, MetasecList<WaitingCaller>> e : lists.entrySet()) {
            String queue = e.getKey();
            MetasecList<WaitingCaller> list = e.getValue();
            if (list == null) {
                waitingReconcile.add(queue);
                continue;
            }
            Map<String, Waiting> before = waiting.get(queue);
            Mode mode = before == null ? Mode.BASELINE : waitingReconcile.contains(queue) ? Mode.RECONCILE
                    : Mode.NORMAL;
            Map<String, Waiting> after = new LinkedHashMap<>();
            for (WaitingCaller w : list) {
                Waiting x = new Waiting();
                x.uid = w.uniqueId();
                x.channel = w.channel();
                x.cidNum = w.callerIdNumber();
                x.cidName = w.callerIdName();
                x.position = w.position();
                after.put(x.uid != null ? x.uid : x.channel, x);
            }
            if (mode != Mode.BASELINE) {
                for (Map.Entry<String, Waiting> w : after.entrySet()) {
                    if (!before.containsKey(w.getKey())) {
                        c.queue.add(queueEvent(QUEUE_JOINED, queue, w.getValue(), null, now, mode == Mode.RECONCILE,
                                gone));
                    }
                }
                for (Map.Entry<String, Waiting> w : before.entrySet()) {
                    if (after.containsKey(w.getKey())) {
                        continue;
                    }
                    if (!list.complete()) {
                        after.put(w.getKey(), w.getValue()); // perhaps an unreadable line: kept
                        continue;
                    }
                    Leg leg = leg(w.getValue(), gone);
                    String outcome = leg == null || gone.containsKey(leg.uid) ? "ended"
                            : leg.bridged != null ? "answered" : "left";
                    c.queue.add(queueEvent(QUEUE_LEFT, queue, w.getValue(), outcome, now, mode == Mode.RECONCILE,
                            gone));
                }
            }
            if (!after.keySet().equals(before == null ? null : before.keySet())) {
                c.changed = true;
            }
            waiting.put(queue, after);
            waitingReconcile.remove(queue);
        }
    }

    private Leg leg(Waiting w, Map<String, Leg> gone) {
        Leg leg = w.uid == null ? null : legs.get(w.uid);
        if (leg == null && w.uid != null) {
            leg = gone.get(w.uid);
        }
        if (leg == null && w.channel != null) {
            leg = byChannel.get(w.channel);
            if (leg == null) {
                for (Leg g : gone.values()) {
                    if (w.channel.equals(g.channel)) {
                        return g;
                    }
                }
            }
        }
        return leg;
    }

    private CallEvent queueEvent(String type, String queue, Waiting w, String outcome, Instant now, boolean reconciled,
                                 Map<String, Leg> gone) {
        Leg leg = leg(w, gone);
        Call call = leg == null ? null : calls.get(leg.callId);
        String callId = leg != null ? leg.callId : w.uid;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("queue", queue);
        put(d, "channel", w.channel);
        put(d, "uniqueId", w.uid);
        d.put("position", w.position);
        put(d, "callerIdName", w.cidName);
        put(d, "outcome", outcome);
        if (reconciled) {
            d.put("reconciled", Boolean.TRUE);
        }
        return new CallEvent(nextId(), VENDOR, source, type, callId, leg != null ? leg.uid : w.uid,
                w.cidNum != null ? w.cidNum : call != null ? call.from : null, queue,
                call != null ? call.direction : null, QUEUE_JOINED.equals(type) ? "waiting" : outcome, now, d, null);
    }

    private void agents(Map<String, MetasecList<AgentInfo>> lists, Instant now, Changes c) {
        for (Map.Entry<String, MetasecList<AgentInfo>> e : lists.entrySet()) {
            String queue = e.getKey();
            MetasecList<AgentInfo> list = e.getValue();
            if (list == null) {
                agentsReconcile.add(queue);
                continue;
            }
            Map<String, Agent> before = agents.get(queue);
            Mode mode = before == null ? Mode.BASELINE : agentsReconcile.contains(queue) ? Mode.RECONCILE
                    : Mode.NORMAL;
            Map<String, Agent> after = new LinkedHashMap<>();
            for (AgentInfo a : list) {
                Agent x = new Agent();
                x.agent = a.agent();
                x.name = a.name();
                x.paused = a.paused();
                after.put(x.agent, x);
            }
            if (mode != Mode.BASELINE) {
                for (Agent a : after.values()) {
                    if (!before.containsKey(a.agent)) {
                        c.others.add(agentEvent(AGENT_LOGGED_IN, queue, a, now, mode == Mode.RECONCILE));
                    }
                }
                for (Agent a : before.values()) {
                    if (after.containsKey(a.agent)) {
                        continue;
                    }
                    if (!list.complete()) {
                        after.put(a.agent, a);
                        continue;
                    }
                    c.others.add(agentEvent(AGENT_LOGGED_OUT, queue, a, now, mode == Mode.RECONCILE));
                }
            }
            if (!after.keySet().equals(before == null ? null : before.keySet())) {
                c.changed = true;
            }
            agents.put(queue, after);
            agentsReconcile.remove(queue);
        }
    }

    private CallEvent agentEvent(String type, String queue, Agent a, Instant now, boolean reconciled) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("queue", queue);
        d.put("agent", a.agent);
        put(d, "name", a.name);
        if (a.paused != null) {
            d.put("paused", a.paused);
        }
        if (reconciled) {
            d.put("reconciled", Boolean.TRUE);
        }
        int slash = a.agent.indexOf('/');
        return new CallEvent(nextId(), VENDOR, source, type, null, "agent:" + a.agent,
                slash >= 0 ? a.agent.substring(slash + 1) : a.agent, queue, null,
                AGENT_LOGGED_IN.equals(type) ? "logged_in" : "logged_out", now, d, null);
    }

    // ---- relays, extensions, recordings -----------------------------------------------------------------------

    private void relays(MetasecList<Relay> list, Instant now, Changes c) {
        if (list == null) {
            relaysReconcile = true;
            return;
        }
        Map<String, RelayState> after = new LinkedHashMap<>();
        for (Relay r : list) {
            RelayState s = new RelayState();
            s.name = r.name();
            s.status = r.status();
            after.put(r.id(), s);
        }
        if (relays != null) {
            for (Map.Entry<String, RelayState> e : after.entrySet()) {
                RelayState was = relays.get(e.getKey());
                Integer before = was == null ? null : was.status;
                Integer status = e.getValue().status;
                if (status != null && !status.equals(before)) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("relay", e.getKey());
                    put(d, "name", e.getValue().name);
                    d.put("status", status);
                    if (before != null) {
                        d.put("previous", before);
                    }
                    if (relaysReconcile) {
                        d.put("reconciled", Boolean.TRUE);
                    }
                    c.others.add(new CallEvent(nextId(), VENDOR, source, RELAY_CHANGED, null, "relay:" + e.getKey(),
                            null, null, null, status.toString(), now, d, null));
                }
            }
            if (!list.complete()) {
                relays.forEach(after::putIfAbsent);
            }
        }
        if (relays == null || !sameRelays(relays, after)) {
            c.changed = true;
        }
        relays = after;
        relaysReconcile = false;
    }

    private static boolean sameRelays(Map<String, RelayState> x, Map<String, RelayState> y) {
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Map.Entry<String, RelayState> e : x.entrySet()) {
            if (!java.util.Objects.equals(e.getValue().status, y.get(e.getKey()).status)) {
                return false;
            }
        }
        return true;
    }

    private void extensions(MetasecList<ExtensionStatus> list, Instant now, Changes c) {
        if (list == null) {
            extensionsReconcile = true;
            return;
        }
        Map<String, String> after = new LinkedHashMap<>();
        for (ExtensionStatus s : list) {
            after.put(s.extension(), s.state().name());
        }
        if (extensions != null) {
            for (Map.Entry<String, String> e : after.entrySet()) {
                String before = extensions.get(e.getKey());
                if (!e.getValue().equals(before)) {
                    ExtensionState state = ExtensionState.valueOf(e.getValue());
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("extension", e.getKey());
                    d.put("state", e.getValue());
                    d.put("code", state.code());
                    if (before != null) {
                        d.put("previous", before);
                    }
                    if (extensionsReconcile) {
                        d.put("reconciled", Boolean.TRUE);
                    }
                    c.others.add(new CallEvent(nextId(), VENDOR, source, EXTENSION_CHANGED, null,
                            "extension:" + e.getKey(), null, e.getKey(), null, e.getValue(), now, d, null));
                }
            }
            if (!list.complete()) {
                extensions.forEach(after::putIfAbsent);
            }
        }
        if (!after.equals(extensions)) {
            c.changed = true;
        }
        extensions = after;
        extensionsReconcile = false;
    }

    /**
     * New recordings: announced at once, or, when one is of a call that is still going on, once it has ended (its
     * file is complete then). A recording is a call's when it was started through this component for one of the
     * call's channels, or when its name starts with the MD5 of one of the call's unique ids (the spec's sample name
     * {@code <md5>_<epoch>.wav}).
     */
    private List<CallEvent> recordings(MetasecList<RecordingFile> list, Instant now, Changes c,
                                       Map<String, Leg> gone) {
        if (list == null) {
            recordingsReconcile = true;
            return List.of();
        }
        List<CallEvent> out = new ArrayList<>();
        Set<String> after = new LinkedHashSet<>();
        for (RecordingFile f : list) {
            after.add(f.name());
        }
        if (recordings != null) {
            Map<String, String> md5 = null;
            for (String name : after) {
                if (recordings.contains(name)) {
                    continue;
                }
                c.changed = true;
                Leg leg = null;
                String channel = startedRecordings.remove(name);
                if (channel != null) {
                    leg = byChannel.get(channel);
                    if (leg == null) {
                        for (Leg g : gone.values()) {
                            if (channel.equals(g.channel)) {
                                leg = g;
                            }
                        }
                    }
                }
                int us = name.indexOf('_');
                if (leg == null && us == 32) {
                    if (md5 == null) {
                        md5 = md5s(gone);
                    }
                    String uid = md5.get(name.substring(0, 32).toLowerCase());
                    leg = uid == null ? null : legs.containsKey(uid) ? legs.get(uid) : gone.get(uid);
                }
                Call call = leg == null ? null : calls.get(leg.callId);
                if (call != null) {
                    call.recording = name;
                    pendingRecordings.put(name, call.callId);
                } else {
                    out.add(recordingEvent(name, leg == null ? null : leg.callId, now, recordingsReconcile));
                }
            }
            if (!list.complete()) {
                after.addAll(recordings);
            }
            if (!after.containsAll(recordings)) {
                c.changed = true;
            }
        } else {
            c.changed = true;
        }
        recordings = after;
        recordingsReconcile = false;
        return out;
    }

    /** The MD5 of every unique id known (the live channels and those gone in this poll) -> the unique id. */
    private Map<String, String> md5s(Map<String, Leg> gone) {
        Map<String, String> out = new HashMap<>();
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            return out;
        }
        for (String uid : legs.keySet()) {
            out.put(HexFormat.of().formatHex(md.digest(uid.getBytes(StandardCharsets.US_ASCII))), uid);
        }
        for (String uid : gone.keySet()) {
            out.put(HexFormat.of().formatHex(md.digest(uid.getBytes(StandardCharsets.US_ASCII))), uid);
        }
        return out;
    }

    private CallEvent recordingEvent(String name, String callId, Instant now, boolean reconciled) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", name);
        RecordingFile f = MetasecLines.recordingFile(name);
        if (f != null && f.time() != null) {
            d.put("time", f.time().toString());
        }
        if (reconciled) {
            d.put("reconciled", Boolean.TRUE);
        }
        return new CallEvent(nextId(), VENDOR, source, RECORDING_AVAILABLE, callId,
                callId == null ? "recording:" + name : null, null, null, null, null, now, d, null);
    }

    /**
     * A recording started through the component ({@code call_record_start}) of {@code channel}: when its file is
     * listed, it is that channel's call's.
     */
    public synchronized void recordingStarted(String fileName, String channel) {
        if (fileName != null && channel != null) {
            startedRecordings.put(fileName, channel);
            while (startedRecordings.size() > 10_000) {
                startedRecordings.remove(startedRecordings.keySet().iterator().next());
            }
        }
    }

    // ---- what commands and the harvest read -------------------------------------------------------------------

    /** The channels of the live call {@code callId} (its A channel first), or empty when it is not known. */
    public synchronized Optional<List<LiveLeg>> find(String callId) {
        Call call = calls.get(callId);
        if (call == null) {
            Leg leg = legs.get(callId); // a leg's id
            call = leg == null ? null : calls.get(leg.callId);
            if (call == null) {
                return Optional.empty();
            }
        }
        List<LiveLeg> out = new ArrayList<>(2);
        for (String channel : call.channels) {
            Leg leg = byChannel.get(channel);
            if (leg != null && leg.callId.equals(call.callId)) {
                LiveLeg l = new LiveLeg(leg.channel, leg.uid, leg.a, leg.state, leg.bridged);
                if (leg.a) {
                    out.add(0, l);
                } else {
                    out.add(l);
                }
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    /**
     * The first sight of the earliest call still going on, or null: its record is written when it ends, with that
     * start, so the harvest's window must not pass it yet.
     */
    public synchronized Instant pendingSince() {
        Instant min = null;
        for (Call call : calls.values()) {
            if (min == null || call.start.isBefore(min)) {
                min = call.start;
            }
        }
        return min;
    }

    /** Channels and calls in the snapshot. */
    public synchronized int channelCount() {
        return legs.size();
    }

    public synchronized int callCount() {
        return calls.size();
    }

    // ---- saved state ------------------------------------------------------------------------------------------

    /** The state to save (copies: the tracker goes on). */
    public synchronized State state() {
        State s = new State();
        s.source = source;
        s.savedAt = Instant.now();
        s.callsBaseline = callsBaseline;
        s.legs = new ArrayList<>(legs.values());
        s.calls = new ArrayList<>(calls.values());
        s.waiting = new TreeMap<>(waiting);
        s.agents = new TreeMap<>(agents);
        s.relays = relays;
        s.recordings = recordings == null ? null : new ArrayList<>(recordings);
        s.pendingRecordings = new LinkedHashMap<>(pendingRecordings);
        s.startedRecordings = new LinkedHashMap<>(startedRecordings);
        s.extensions = extensions;
        return s;
    }

    /**
     * Takes over a saved state: every kind it holds is then reconciled by its next list (what changed while nothing
     * polled is announced once, marked reconciled), not taken as a new baseline.
     */
    public synchronized void restore(State s) {
        legs.clear();
        byChannel.clear();
        calls.clear();
        for (Call call : s.calls) {
            call.legs = 0;
            calls.put(call.callId, call);
        }
        for (Leg leg : s.legs) {
            Call call = calls.get(leg.callId);
            if (call == null) {
                continue;
            }
            call.legs++;
            leg.call = call;
            legs.put(leg.uid, leg);
            byChannel.put(leg.channel, leg);
        }
        calls.values().removeIf(call -> call.legs == 0);
        callsBaseline = s.callsBaseline;
        callsReconcile = true;
        waiting.clear();
        waiting.putAll(s.waiting);
        waitingReconcile.addAll(waiting.keySet());
        agents.clear();
        agents.putAll(s.agents);
        agentsReconcile.addAll(agents.keySet());
        relays = s.relays;
        relaysReconcile = true;
        recordings = s.recordings == null ? null : new LinkedHashSet<>(s.recordings);
        recordingsReconcile = true;
        pendingRecordings.clear();
        pendingRecordings.putAll(s.pendingRecordings);
        startedRecordings.clear();
        startedRecordings.putAll(s.startedRecordings);
        extensions = s.extensions;
        extensionsReconcile = true;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private String nextId() {
        return idPrefix + "-" + (++eventSeq);
    }

    private static void put(Map<String, Object> d, String key, Object value) {
        if (value != null) {
            d.put(key, value);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * Orders Asterisk unique ids ({@code <epoch>.<sequence>}) as they were handed out: by epoch, then sequence;
     * anything else after them, as text.
     */
    static int compareUniqueIds(String x, String y) {
        int dx = x.indexOf('.');
        int dy = y.indexOf('.');
        if (dx > 0 && dy > 0) {
            int c = compareDigits(x, 0, dx, y, 0, dy);
            if (c != 0) {
                return c;
            }
            c = compareDigits(x, dx + 1, x.length(), y, dy + 1, y.length());
            if (c != 0) {
                return c;
            }
        }
        return x.compareTo(y);
    }

    /** Compares two runs of digits as numbers (without parsing: ids may be long). */
    private static int compareDigits(String x, int xs, int xe, String y, int ys, int ye) {
        while (xs < xe - 1 && x.charAt(xs) == '0') {
            xs++;
        }
        while (ys < ye - 1 && y.charAt(ys) == '0') {
            ys++;
        }
        int lx = xe - xs;
        int ly = ye - ys;
        if (lx != ly) {
            return Integer.compare(lx, ly);
        }
        for (int i = 0; i < lx; i++) {
            int c = Character.compare(x.charAt(xs + i), y.charAt(ys + i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
