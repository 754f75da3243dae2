package io.pbxbridge.sandbox.metasec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The state and the actions of the simulated Metasec Zphone Framework (an Asterisk underneath): extensions, channels
 * (calls ring, then are answered and bridged), recordings, queues with agents and waiting callers, conferences,
 * cameras, relays. Every method is synchronized on this object; time moves on at each request ({@link #advance}).
 * <p>
 * Answers follow the WebTAPI's one rule, {@code 1} for success and {@code 0} for any error, and the spec's list
 * formats where it has them; where it has none, the choices are documented in {@link MetasecSimulator}.
 */
final class MetasecBackend {

    /** How channel lines are written. */
    enum ChannelFormat {
        /**
         * As the spec's q_call_list sample: 13 fields, no priority, the caller id name after the number:
         * {@code channel!context!exten!state!application!data!cidnum!cidname!accountcode!amaflags!duration!bridged!uniqueid}.
         */
        SPEC,
        /**
         * As Asterisk's {@code core show channels concise}: 14 fields
         * {@code channel!context!exten!priority!state!application!data!cidnum!accountcode!peeraccount!amaflags!duration!bridged!uniqueid}.
         */
        ASTERISK
    }

    /** What an action answers. */
    sealed interface Answer permits Text, Lines, Wav, Jpeg, Mjpeg {
    }

    /** A plain answer ({@code 1}, {@code 0}, a file name, a status), sent after {@code delay}. */
    record Text(String body, Duration delay) implements Answer {
        Text(String body) {
            this(body, Duration.ZERO);
        }
    }

    /** A list, one line each; {@code channels}: channel lines (for the malformed-line fault). */
    record Lines(List<String> lines, boolean channels) implements Answer {
    }

    /** A recording, written as it is sent. */
    record Wav(String name, long samples, int seed) implements Answer {
    }

    record Jpeg(byte[] bytes) implements Answer {
    }

    /** A camera's stream of pictures. */
    record Mjpeg(int camera) implements Answer {
    }

    static final Text OK = new Text("1");
    static final Text ERROR = new Text("0");

    private static final Pattern DTMF = Pattern.compile("[0-9*#A-Da-d]{1,64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final long MAX_RECORDING_MS = 5_000;

    static final class Ext {
        final String number;
        final String name;
        boolean unavailable;
        boolean busy;

        Ext(String number, String name) {
            this.number = number;
            this.name = name;
        }
    }

    static final class Chan {
        String name;
        String device;
        String context;
        String exten;
        int priority = 1;
        String state;
        String app;
        String data;
        String cidNum;
        String cidName;
        String accountcode;
        long created;
        String uniqueid;
        Chan bridged;
        /** The other leg of a call not answered yet (the caller's for a ringing leg and the other way round). */
        Chan peer;
        long answerAt = Long.MAX_VALUE;
        Queue queue;
        long joinedQueue;
        String recording;
        final StringBuilder dtmf = new StringBuilder();
        boolean held;

        SimChannel snapshot() {
            return new SimChannel(name, device, context, exten, state, app, data, cidNum, cidName,
                    bridged == null ? null : bridged.name, uniqueid, queue == null ? null : queue.name, recording,
                    dtmf.toString());
        }
    }

    static final class Queue {
        final String name;
        final String exten;
        final String strategy;
        final List<String> members = new ArrayList<>();
        final List<Chan> waiting = new ArrayList<>();
        final Map<String, Integer> callsTaken = new LinkedHashMap<>();
        final Map<String, Long> lastCall = new LinkedHashMap<>();

        Queue(String name, String exten, String strategy) {
            this.name = name;
            this.exten = exten;
            this.strategy = strategy;
        }
    }

    static final class Recording {
        final String name;
        final String channel;
        final long start;
        long end = -1;
        final long length;

        Recording(String name, String channel, long start, long length) {
            this.name = name;
            this.channel = channel;
            this.start = start;
            this.length = length;
        }
    }

    static final class Camera {
        final int id;
        final String name;
        boolean online = true;
        int frame;
        int savedPictures;
        final List<Integer> streamRecordings = new ArrayList<>();

        Camera(int id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    static final class Relay {
        final String id;
        final String name;
        int status;
        int switches;

        Relay(String id, String name, int status) {
            this.id = id;
            this.name = name;
            this.status = status;
        }
    }

    final Map<String, Ext> extensions = new TreeMap<>();
    final Map<String, Chan> channels = new LinkedHashMap<>();
    final Map<String, Queue> queues = new LinkedHashMap<>();
    final Map<String, Recording> recordings = new LinkedHashMap<>();
    final Map<Integer, Camera> cameras = new LinkedHashMap<>();
    final Map<String, Relay> relays = new LinkedHashMap<>();
    final Map<String, List<String>> conferences = new LinkedHashMap<>();
    final List<String> monitors = new ArrayList<>();

    private final LongSupplier clock;
    private final Long ringMillis;
    private final Duration prioCloseTime;
    private final ChannelFormat format;
    private final Random random;
    private int channelSeq = 0x10;
    private long uniqueSeq = 90;
    private int conferenceSeq;

    /** @param ringTime how long a leg rings before it is answered; null: until {@link #answer} */
    MetasecBackend(LongSupplier clock, Duration ringTime, Duration prioCloseTime, ChannelFormat format, long seed) {
        this.clock = clock;
        this.ringMillis = ringTime == null ? null : ringTime.toMillis();
        this.prioCloseTime = prioCloseTime;
        this.format = format;
        this.random = new Random(seed);
        for (String[] e : new String[][] { { "1001", "Empfang" }, { "1002", "Vertrieb" }, { "1003", "Lager" },
                { "1004", "Lukas" }, { "1005", "Technik" }, { "1006", "Pforte" } }) {
            extensions.put(e[0], new Ext(e[0], e[1]));
        }
        Queue vmx = new Queue("VMX", "7777", "ringall");
        vmx.members.add("1001");
        queues.put(vmx.name, vmx);
        queues.put("HOTLINE", new Queue("HOTLINE", "7778", "leastrecent"));
        cameras.put(44, new Camera(44, "Eingang"));
        cameras.put(45, new Camera(45, "Parkplatz"));
        cameras.put(46, new Camera(46, "Lager"));
        relays.put("17", new Relay("17", "Tuer", 0));
        relays.put("18", new Relay("18", "Tor", 0));
        relays.put("19", new Relay("19", "Licht", 1));
    }

    // ---- time ---------------------------------------------------------------------------------------------------

    /** Answers the legs whose ring time is over and hands waiting queue callers to free agents. */
    synchronized void advance() {
        long now = clock.getAsLong();
        for (Chan c : List.copyOf(channels.values())) {
            if (channels.containsKey(c.name) && c.answerAt <= now) {
                answerLeg(c);
            }
        }
        if (ringMillis != null) {
            for (Queue q : queues.values()) {
                for (Chan caller : List.copyOf(q.waiting)) {
                    if (now - caller.joinedQueue >= ringMillis) {
                        connectToAgent(q, caller);
                    }
                }
            }
        }
    }

    /** Answers a ringing leg, or hands a waiting queue caller to a free agent. False when neither applies. */
    synchronized boolean answer(String channelOrUniqueId) {
        Chan c = find(channelOrUniqueId);
        if (c == null) {
            return false;
        }
        if (c.queue != null && c.queue.waiting.contains(c)) {
            return connectToAgent(c.queue, c);
        }
        if (c.answerAt == Long.MAX_VALUE && !"Ringing".equals(c.state)) {
            return false;
        }
        answerLeg(c);
        return true;
    }

    private void answerLeg(Chan c) {
        c.answerAt = Long.MAX_VALUE;
        c.state = "Up";
        if ("AppDial".equals(c.app) && c.peer != null && channels.containsKey(c.peer.name)) {
            Chan a = c.peer;
            a.state = "Up";
            a.bridged = c;
            c.bridged = a;
            a.peer = null;
            c.peer = null;
        }
    }

    private boolean connectToAgent(Queue q, Chan caller) {
        for (String member : q.members) {
            Ext e = extensions.get(member);
            if (e != null && !e.unavailable && !e.busy && channelsOf(member).isEmpty()) {
                Chan agent = newChan(member, "from-queue", q.exten, "Up", "AppQueue", "(Outgoing Line)",
                        caller.cidNum, caller.cidName);
                agent.bridged = caller;
                caller.bridged = agent;
                q.waiting.remove(caller);
                q.callsTaken.merge(member, 1, Integer::sum);
                q.lastCall.put(member, clock.getAsLong() / 1000);
                return true;
            }
        }
        return false;
    }

    // ---- calls --------------------------------------------------------------------------------------------------

    synchronized Answer call(String src, String dst) {
        Ext from = extensions.get(src);
        if (from == null || from.unavailable || dst == null || dst.equals(src)) {
            return ERROR;
        }
        if (!extensions.containsKey(dst) && queueAt(dst) == null) {
            return ERROR;
        }
        dial(src, from.name, "Callme", src, dst);
        return OK;
    }

    /** A call from {@code device} to {@code dst} (an extension or a queue's extension): the caller's channel. */
    private Chan dial(String device, String cidName, String context, String cidNum, String dst) {
        Queue q = queueAt(dst);
        if (q != null) {
            Chan a = newChan(device, context, dst, "Up", "Queue", q.name + ",i", cidNum, cidName);
            a.queue = q;
            a.joinedQueue = clock.getAsLong();
            q.waiting.add(a);
            return a;
        }
        Chan a = newChan(device, context, dst, "Ring", "Dial", "SIP/" + dst + ",30,tT", cidNum, cidName);
        ringLeg(a, dst);
        return a;
    }

    private void ringLeg(Chan caller, String dst) {
        Chan b = newChan(dst, "from-internal", dst, "Ringing", "AppDial", "(Outgoing Line)", caller.cidNum,
                caller.cidName);
        caller.peer = b;
        b.peer = caller;
        b.answerAt = ringMillis == null ? Long.MAX_VALUE : clock.getAsLong() + ringMillis;
    }

    /** An outside call on the trunk {@code sps2} from {@code number} to {@code dst}: the caller's channel. */
    synchronized SimChannel incomingCall(String number, String dst) {
        if (!extensions.containsKey(dst) && queueAt(dst) == null) {
            throw new IllegalArgumentException("no extension or queue " + dst);
        }
        return dial("sps2", "", "from-trunk", number, dst).snapshot();
    }

    synchronized Answer pick(String chan, String dst) {
        Chan c = channels.get(chan);
        if (c == null || dst == null || !extensions.containsKey(dst) || dst.equals(c.device)) {
            return ERROR;
        }
        if ("AppDial".equals(c.app) && "Ringing".equals(c.state) && c.peer != null) {
            // a leg still ringing is picked: its caller rings dst instead
            Chan a = c.peer;
            remove(c);
            a.exten = dst;
            a.data = "SIP/" + dst + ",30,tT";
            ringLeg(a, dst);
            return OK;
        }
        Chan other = c.bridged != null ? c.bridged : c.peer;
        if (other != null) {
            other.bridged = null;
            other.peer = null;
            c.bridged = null;
            c.peer = null;
            hangup(other);
        }
        if (c.queue != null) {
            c.queue.waiting.remove(c);
            c.queue = null;
        }
        c.context = "from-internal";
        c.exten = dst;
        c.app = "Dial";
        c.data = "SIP/" + dst + ",30,tT";
        ringLeg(c, dst);
        return OK;
    }

    synchronized Answer hangup(String chan) {
        Chan c = channels.get(chan);
        if (c == null) {
            return ERROR;
        }
        hangup(c);
        return OK;
    }

    /** Hangs up {@code c} and the leg it talks to or rings. */
    private void hangup(Chan c) {
        Chan other = c.bridged != null ? c.bridged : c.peer;
        remove(c);
        if (other != null && channels.containsKey(other.name)) {
            remove(other);
        }
    }

    private void remove(Chan c) {
        channels.remove(c.name);
        if (c.queue != null) {
            c.queue.waiting.remove(c);
        }
        if (c.recording != null) {
            Recording r = recordings.get(c.recording);
            if (r != null && r.end < 0) {
                r.end = clock.getAsLong();
            }
        }
        if (c.bridged != null && c.bridged.bridged == c) {
            c.bridged.bridged = null;
        }
        if (c.peer != null && c.peer.peer == c) {
            c.peer.peer = null;
        }
        conferences.values().forEach(l -> l.remove(c.name));
    }

    /** Closes every channel of {@code dst} (and their other legs), then {@code user} calls it. */
    synchronized Answer prio(String user, String dst) {
        Ext from = extensions.get(user);
        if (from == null || from.unavailable || dst == null || dst.equals(user) || !extensions.containsKey(dst)) {
            return ERROR;
        }
        List<Chan> closing = channelsOf(dst);
        closing.forEach(c -> {
            if (channels.containsKey(c.name)) {
                hangup(c);
            }
        });
        dial(user, from.name, "Callme", user, dst);
        return new Text("1", closing.isEmpty() ? Duration.ZERO : prioCloseTime);
    }

    /** The calls of {@code ext}: its channels and the legs they talk to or ring. */
    synchronized Answer callList(String ext) {
        Set<Chan> mine = new LinkedHashSet<>();
        for (Chan c : channels.values()) {
            if (c.device.equals(ext)) {
                mine.add(c);
                if (c.bridged != null) {
                    mine.add(c.bridged);
                }
                if (c.peer != null) {
                    mine.add(c.peer);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (Chan c : channels.values()) {
            if (mine.contains(c)) {
                lines.add(line(c));
            }
        }
        return new Lines(lines, true);
    }

    synchronized Answer callListAll() {
        List<String> lines = new ArrayList<>(channels.size());
        channels.values().forEach(c -> lines.add(line(c)));
        return new Lines(lines, true);
    }

    synchronized Answer recordStart(String chan, String monitorFile) {
        Chan c = channels.get(chan);
        if (c == null || c.recording != null && recordings.get(c.recording) != null
                && recordings.get(c.recording).end < 0) {
            return ERROR;
        }
        String name;
        if (monitorFile != null && !monitorFile.isEmpty()) {
            if (!FILE_NAME.matcher(monitorFile).matches() || monitorFile.startsWith(".")) {
                return ERROR;
            }
            name = monitorFile.contains(".") ? monitorFile : monitorFile + ".wav";
        } else {
            name = md5(c.uniqueid) + "_" + clock.getAsLong() / 1000 + ".wav";
        }
        if (recordings.containsKey(name)) {
            return ERROR;
        }
        recordings.put(name, new Recording(name, c.name, clock.getAsLong(), -1));
        c.recording = name;
        return new Text(name);
    }

    synchronized Answer recordStop(String chan) {
        Chan c = channels.get(chan);
        Recording r = c == null || c.recording == null ? null : recordings.get(c.recording);
        if (r == null || r.end >= 0) {
            return ERROR;
        }
        r.end = clock.getAsLong();
        return OK;
    }

    synchronized Answer recordList() {
        return new Lines(new ArrayList<>(recordings.keySet()), false);
    }

    synchronized Answer recordGet(String name) {
        Recording r = name == null ? null : recordings.get(name);
        if (r == null) {
            return ERROR;
        }
        long ms = r.length >= 0 ? r.length
                : Math.min(MAX_RECORDING_MS, Math.max(200, (r.end >= 0 ? r.end : clock.getAsLong()) - r.start));
        return new Wav(name, ms * Media.SAMPLE_RATE / 1000, name.hashCode());
    }

    /** A finished recording of {@code length}, e.g. a long one to stream. */
    synchronized void addRecording(String name, Duration length) {
        recordings.put(name, new Recording(name, "SIP/1004-00000000", clock.getAsLong(), length.toMillis()));
    }

    /** {@code ext!state} for each extension of {@code filter} (every one when null), -1 for those not found. */
    synchronized Answer status(String filter) {
        List<String> lines = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            extensions.keySet().forEach(e -> lines.add(e + "!" + state(e)));
        } else {
            for (String e : filter.split(",")) {
                String ext = e.trim();
                if (!ext.isEmpty()) {
                    lines.add(ext + "!" + state(ext));
                }
            }
        }
        return new Lines(lines, false);
    }

    /** Asterisk's extension state of {@code ext}. */
    synchronized int state(String ext) {
        Ext e = extensions.get(ext);
        if (e == null) {
            return -1;
        }
        if (e.unavailable) {
            return 4;
        }
        if (e.busy) {
            return 2;
        }
        boolean up = false;
        boolean ringing = false;
        boolean held = false;
        for (Chan c : channels.values()) {
            if (c.device.equals(ext)) {
                held |= c.held;
                ringing |= "Ringing".equals(c.state);
                up |= !"Ringing".equals(c.state);
            }
        }
        if (held) {
            return 16;
        }
        return (up ? 1 : 0) | (ringing ? 8 : 0);
    }

    synchronized Answer conference(String stations, String breakCalls) {
        if (stations == null) {
            return ERROR;
        }
        Set<String> list = new LinkedHashSet<>();
        for (String s : stations.split(",")) {
            String st = s.trim();
            Ext e = extensions.get(st);
            if (e == null || e.unavailable) {
                return ERROR;
            }
            list.add(st);
        }
        if (list.size() < 2) {
            return ERROR;
        }
        boolean brk = "true".equalsIgnoreCase(breakCalls) || "1".equals(breakCalls);
        List<Chan> busy = new ArrayList<>();
        list.forEach(st -> busy.addAll(channelsOf(st)));
        if (!busy.isEmpty() && !brk) {
            return ERROR;
        }
        busy.forEach(c -> {
            if (channels.containsKey(c.name)) {
                hangup(c);
            }
        });
        String room = Integer.toString(9100 + conferenceSeq++);
        List<String> members = new ArrayList<>();
        for (String st : list) {
            Chan c = newChan(st, "Callme", room, "Ringing", "ConfBridge", room, room, "Konferenz");
            c.answerAt = ringMillis == null ? Long.MAX_VALUE : clock.getAsLong() + ringMillis;
            members.add(c.name);
        }
        conferences.put(room, members);
        return OK;
    }

    // ---- queues -------------------------------------------------------------------------------------------------

    synchronized Answer queueList() {
        List<String> lines = new ArrayList<>();
        queues.values().forEach(q -> lines.add(q.name + "!" + q.exten + "!" + q.strategy + "!" + q.waiting.size()
                + "!" + q.members.size()));
        return new Lines(lines, false);
    }

    synchronized Answer agentList(String queue) {
        Queue q = queue == null ? null : queues.get(queue);
        if (q == null) {
            return ERROR;
        }
        List<String> lines = new ArrayList<>();
        for (String m : q.members) {
            Ext e = extensions.get(m);
            lines.add("SIP/" + m + "!" + (e == null ? m : e.name) + "!" + state(m) + "!0!"
                    + q.callsTaken.getOrDefault(m, 0) + "!" + q.lastCall.getOrDefault(m, 0L));
        }
        return new Lines(lines, false);
    }

    synchronized Answer agentLogin(String user, String queue) {
        Queue q = queue == null ? null : queues.get(queue);
        if (q == null || q.members.contains(user)) {
            return ERROR;
        }
        q.members.add(user);
        return OK;
    }

    synchronized Answer agentLogout(String user, String queue) {
        Queue q = queue == null ? null : queues.get(queue);
        if (q == null || !q.members.remove(user)) {
            return ERROR;
        }
        return OK;
    }

    synchronized Answer queueCalls(String queue) {
        Queue q = queue == null ? null : queues.get(queue);
        if (q == null) {
            return ERROR;
        }
        List<String> lines = new ArrayList<>();
        channels.values().stream().filter(c -> c.queue == q).forEach(c -> lines.add(line(c)));
        return new Lines(lines, true);
    }

    synchronized Answer queueWaiting(String queue) {
        Queue q = queue == null ? null : queues.get(queue);
        if (q == null) {
            return ERROR;
        }
        List<String> lines = new ArrayList<>();
        long now = clock.getAsLong();
        int pos = 1;
        for (Chan c : q.waiting) {
            lines.add(pos++ + "!" + c.name + "!" + c.cidNum + "!" + c.cidName + "!" + (now - c.joinedQueue) / 1000
                    + "!" + c.uniqueid);
        }
        return new Lines(lines, false);
    }

    synchronized Answer shiftCaller(String queue, String chan, String position) {
        Queue q = queue == null ? null : queues.get(queue);
        Chan c = chan == null ? null : channels.get(chan);
        if (q == null || c == null || !q.waiting.contains(c)) {
            return ERROR;
        }
        int pos;
        try {
            pos = Integer.parseInt(position == null ? "" : position.trim());
        } catch (NumberFormatException e) {
            return ERROR;
        }
        if (pos < 1 || pos > q.waiting.size()) {
            return ERROR;
        }
        q.waiting.remove(c);
        q.waiting.add(pos - 1, c);
        return OK;
    }

    synchronized Answer deleteCaller(String queue, String chan) {
        Queue q = queue == null ? null : queues.get(queue);
        Chan c = chan == null ? null : channels.get(chan);
        if (q == null || c == null || !q.waiting.contains(c)) {
            return ERROR;
        }
        hangup(c);
        return OK;
    }

    // ---- cameras ------------------------------------------------------------------------------------------------

    synchronized Answer cameraList() {
        List<String> lines = new ArrayList<>();
        cameras.values().forEach(c -> lines.add(c.id + "!" + c.name + "!" + (c.online ? "online" : "offline")));
        return new Lines(lines, false);
    }

    synchronized Answer picture(String camId) {
        Camera c = camera(camId);
        return c == null ? ERROR : new Jpeg(Media.jpeg(c.id, c.frame++));
    }

    synchronized Answer stream(String camId) {
        Camera c = camera(camId);
        return c == null ? ERROR : new Mjpeg(c.id);
    }

    synchronized byte[] frame(int camera) {
        Camera c = cameras.get(camera);
        return Media.jpeg(camera, c == null ? 0 : c.frame++);
    }

    synchronized Answer recordStream(String camId, String duration) {
        Camera c = camera(camId);
        if (c == null) {
            return ERROR;
        }
        int seconds = 30;
        if (duration != null && !duration.isBlank()) {
            try {
                seconds = Integer.parseInt(duration.trim());
            } catch (NumberFormatException e) {
                return ERROR;
            }
            if (seconds < 1 || seconds > 3600) {
                return ERROR;
            }
        }
        c.streamRecordings.add(seconds);
        return OK;
    }

    synchronized Answer savePicture(String camId) {
        Camera c = camera(camId);
        if (c == null) {
            return ERROR;
        }
        c.savedPictures++;
        return OK;
    }

    private Camera camera(String camId) {
        try {
            Camera c = camId == null ? null : cameras.get(Integer.parseInt(camId.trim()));
            return c != null && c.online ? c : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- channels -----------------------------------------------------------------------------------------------

    synchronized Answer dtmf(String chan, String tone) {
        Chan c = chan == null ? null : channels.get(chan);
        if (c == null || !"Up".equals(c.state) || tone == null || !DTMF.matcher(tone).matches()) {
            return ERROR;
        }
        c.dtmf.append(tone);
        return OK;
    }

    synchronized Answer monitor(String chan, String dst) {
        Chan c = chan == null ? null : channels.get(chan);
        Ext e = dst == null ? null : extensions.get(dst);
        if (c == null || !"Up".equals(c.state) || e == null || e.unavailable || dst.equals(c.device)) {
            return ERROR;
        }
        Chan spy = newChan(dst, "Callme", dst, "Ringing", "ChanSpy", c.name + ",q", dst, e.name);
        spy.answerAt = ringMillis == null ? Long.MAX_VALUE : clock.getAsLong() + ringMillis;
        monitors.add(dst + " -> " + c.name);
        return OK;
    }

    // ---- relays -------------------------------------------------------------------------------------------------

    synchronized Answer relayList() {
        List<String> lines = new ArrayList<>();
        relays.values().forEach(r -> lines.add(r.id + "!" + r.name + "!" + r.status));
        return new Lines(lines, false);
    }

    synchronized Answer relayGet(String id) {
        Relay r = id == null ? null : relays.get(id.trim());
        return r == null ? ERROR : new Text(Integer.toString(r.status));
    }

    synchronized Answer relaySet(String id, String status) {
        Relay r = id == null ? null : relays.get(id.trim());
        if (r == null || !("0".equals(status) || "1".equals(status))) {
            return ERROR;
        }
        r.status = Integer.parseInt(status);
        r.switches++;
        return OK;
    }

    // ---- the sandbox's trickle ------------------------------------------------------------------------------------

    /** Ends an older call now and then and places a new one from outside (to an extension or a queue). */
    synchronized void trickle(long intervalMillis) {
        advance();
        long now = clock.getAsLong();
        for (Chan c : List.copyOf(channels.values())) {
            if (channels.containsKey(c.name) && "sps2".equals(c.device)
                    && now - c.created > intervalMillis * (3 + random.nextInt(5))) {
                hangup(c);
                break;
            }
        }
        if (channels.size() < 40 && random.nextInt(10) < 7) {
            List<String> targets = new ArrayList<>(extensions.keySet());
            targets.add("7777");
            String dst = targets.get(random.nextInt(targets.size()));
            if (!extensions.containsKey(dst) || !extensions.get(dst).unavailable) {
                dial("sps2", "", "from-trunk", "+4930" + (1_000_000 + random.nextInt(9_000_000)), dst);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Chan newChan(String device, String context, String exten, String state, String app, String data,
                         String cidNum, String cidName) {
        Chan c = new Chan();
        c.name = String.format("SIP/%s-%08x", device, channelSeq++);
        c.device = device;
        c.context = context;
        c.exten = exten;
        c.state = state;
        c.app = app;
        c.data = data;
        c.cidNum = cidNum;
        c.cidName = cidName;
        c.accountcode = device;
        c.created = clock.getAsLong();
        c.uniqueid = c.created / 1000 + "." + uniqueSeq++;
        channels.put(c.name, c);
        return c;
    }

    private List<Chan> channelsOf(String device) {
        return channels.values().stream().filter(c -> c.device.equals(device)).toList();
    }

    private Queue queueAt(String exten) {
        return queues.values().stream().filter(q -> q.exten.equals(exten)).findFirst().orElse(null);
    }

    Chan find(String channelOrUniqueId) {
        Chan c = channels.get(channelOrUniqueId);
        if (c == null) {
            c = channels.values().stream().filter(x -> x.uniqueid.equals(channelOrUniqueId)).findFirst()
                    .orElse(null);
        }
        return c;
    }

    /** A channel line in the configured format. */
    String line(Chan c) {
        long duration = (clock.getAsLong() - c.created) / 1000;
        String bridged = c.bridged == null ? "(None)" : c.bridged.name;
        String cidName = c.cidName == null || c.cidName.isEmpty() ? c.cidNum : c.cidName;
        return switch (format) {
            case SPEC -> String.join("!", c.name, c.context, c.exten, c.state, c.app, c.data, c.cidNum, cidName,
                    c.accountcode, "3", Long.toString(duration), bridged, c.uniqueid);
            case ASTERISK -> String.join("!", c.name, c.context, c.exten, Integer.toString(c.priority), c.state, c.app,
                    c.data, c.cidNum, c.accountcode, "", "3", Long.toString(duration), bridged, c.uniqueid);
        };
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
