package io.pbxbridge.metasec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the lines of the WebTAPI's lists. Each reader returns the row, or null for a line it cannot read (the
 * list then reports it as malformed). Lines are split on {@code !} by hand (no regular expression per line: a poller
 * reads thousands of them every few seconds); a trailing {@code !}, surrounding blanks and a {@code \r} are ignored.
 * Nothing that looks like HTML ({@code <}) is a row: PHP writes its notices and warnings into the answer.
 */
public final class MetasecLines {

    private MetasecLines() {
    }

    /**
     * A channel line, in either layout: the spec's (13 fields: no priority, the caller id name after the number) or
     * Asterisk's {@code core show channels concise} (14: the priority after the extension, no caller id name); fields
     * after the unique id are kept as {@code extra}. The layout is told by the fourth field: a number is a priority,
     * anything else a state. The unique id ({@code <epoch>.<sequence>}) is looked for from the end, the bridged
     * channel and the duration (seconds, or {@code h:mm:ss}) are the two fields before it. The spec's sample writes a
     * {@code !} after the bridged channel that makes an empty field before the unique id: it is skipped. Needs a
     * channel with a {@code /}, a state, a duration and a unique id.
     */
    public static ChannelLine channel(String line) {
        List<String> f = split(line);
        if (f == null || f.size() < 9 || f.get(0).indexOf('/') < 0) {
            return null;
        }
        // where the layout puts it; else the last field that looks like one (extra fields may follow it)
        int expected = integer(f.get(3)) != null ? 13 : 12;
        int u = f.size() > expected && isUniqueId(f.get(expected)) ? expected : -1;
        for (int i = f.size() - 1; u < 0 && i >= 6; i--) {
            if (isUniqueId(f.get(i))) {
                u = i;
                break;
            }
        }
        if (u < 0) {
            return null;
        }
        List<String> extra = new ArrayList<>();
        for (int i = u + 1; i < f.size(); i++) {
            if (!f.get(i).isEmpty()) {
                extra.add(f.get(i));
            }
        }
        List<String> fields = new ArrayList<>(f.subList(0, u + 1));
        // "...!534!SIP/1001-0000003b!!1358704647.94": the sample's doubled separator before the unique id
        if (fields.get(u - 1).isEmpty() && fields.get(u - 2).indexOf('/') > 0 && u - 3 >= 0
                && seconds(fields.get(u - 3)) != null) {
            fields.remove(u - 1);
            u--;
        }
        Integer priority = integer(fields.get(3));
        int s = priority != null ? 4 : 3;
        if (u - 2 < s + 3) {
            return null;
        }
        String state = fields.get(s);
        Long duration = seconds(fields.get(u - 2));
        if (state.isEmpty() || duration == null) {
            return null;
        }
        List<String> middle = fields.subList(s + 3, u - 2); // caller id number ... amaflags
        String cidNum = middle.size() > 0 ? blankToNull(middle.get(0)) : null;
        String cidName = null;
        String account = null;
        if (priority == null && middle.size() >= 4) {
            cidName = blankToNull(middle.get(1));
            account = blankToNull(middle.get(2));
        } else if (middle.size() >= 2) {
            account = blankToNull(middle.get(1));
        }
        String bridged = fields.get(u - 1);
        if (bridged.isEmpty() || "(None)".equalsIgnoreCase(bridged) || "<none>".equalsIgnoreCase(bridged)) {
            bridged = null;
        }
        return new ChannelLine(fields.get(0), fields.get(1), fields.get(2), priority, state, fields.get(s + 1),
                fields.get(s + 2), cidNum, cidName, account, duration, bridged, fields.get(u), extra);
    }

    /**
     * A {@code call_status_get} line: the extension and its state separated by {@code !} (the component's reading),
     * or by {@code :}, {@code =}, {@code ;}, a tab or blanks; the state a number or Asterisk's text.
     */
    public static ExtensionStatus extensionStatus(String line) {
        String l = clean(line);
        if (l == null) {
            return null;
        }
        int sep = -1;
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == '!' || c == ':' || c == '=' || c == ';' || c == '\t' || c == ' ') {
                sep = i;
                break;
            }
        }
        if (sep <= 0) {
            return null;
        }
        String ext = l.substring(0, sep).trim();
        String rest = l.substring(sep + 1).trim();
        while (!rest.isEmpty() && "!:=;".indexOf(rest.charAt(0)) >= 0) {
            rest = rest.substring(1).trim();
        }
        if (rest.endsWith("!")) {
            rest = rest.substring(0, rest.length() - 1).trim();
        }
        ExtensionState state = ExtensionState.parse(rest);
        return state == null || ext.isEmpty() ? null : new ExtensionStatus(ext, state);
    }

    /** A {@code q_list} line: {@code name!extension!strategy!waiting!members}, only the name needed. */
    public static QueueInfo queue(String line) {
        List<String> f = split(line);
        if (f == null || f.isEmpty() || f.get(0).isEmpty()) {
            return null;
        }
        return new QueueInfo(f.get(0), field(f, 1), field(f, 2), integer(field(f, 3)), integer(field(f, 4)),
                f.size() > 5 ? f.subList(5, f.size()) : List.of());
    }

    /** An {@code agent_list} line: {@code interface!name!state!paused!calls_taken!last_call}, the interface needed. */
    public static AgentInfo agent(String line) {
        List<String> f = split(line);
        if (f == null || f.isEmpty() || f.get(0).isEmpty()) {
            return null;
        }
        String state = field(f, 2);
        ExtensionState s = state == null ? null : ExtensionState.parse(state);
        if (state != null && s == null) {
            return null;
        }
        String paused = field(f, 3);
        Integer taken = integer(field(f, 4));
        Long last = seconds(field(f, 5));
        return new AgentInfo(f.get(0), field(f, 1), s,
                paused == null ? null : "1".equals(paused) || "true".equalsIgnoreCase(paused)
                        || "yes".equalsIgnoreCase(paused), taken,
                last == null || last == 0 ? null : Instant.ofEpochSecond(last));
    }

    /** A {@code q_waiting_list} line: {@code position!channel!cid_num!cid_name!wait_seconds!uniqueid}. */
    public static WaitingCaller waitingCaller(String line) {
        List<String> f = split(line);
        if (f == null || f.size() < 2) {
            return null;
        }
        Integer pos = integer(f.get(0));
        if (pos == null || pos < 1 || f.get(1).indexOf('/') < 0) {
            return null;
        }
        return new WaitingCaller(pos, f.get(1), field(f, 2), field(f, 3), seconds(field(f, 4)), field(f, 5));
    }

    /** A {@code vmx_cam_list} line: {@code CAMID!name!status} ({@code online}/{@code offline}, 1/0). */
    public static Camera camera(String line) {
        List<String> f = split(line);
        if (f == null || f.isEmpty() || !isId(f.get(0))) {
            return null;
        }
        String status = field(f, 2);
        Boolean online = null;
        if (status != null) {
            String s = status.toLowerCase(Locale.ROOT);
            online = s.equals("online") || s.equals("on") || s.equals("1") || s.equals("ok") || s.equals("true");
        }
        return new Camera(f.get(0), field(f, 1), online, f.size() > 3 ? f.subList(3, f.size()) : List.of());
    }

    /** A {@code relay_list} line: {@code relay_id!name!status}. */
    public static Relay relay(String line) {
        List<String> f = split(line);
        if (f == null || f.isEmpty() || !isId(f.get(0))) {
            return null;
        }
        String status = field(f, 2);
        Integer s = integer(status);
        if (status != null && s == null) {
            return null;
        }
        return new Relay(f.get(0), field(f, 1), s);
    }

    /**
     * A {@code call_record_list} line: a file name (no blanks, no {@code /}, no {@code <}); its time from the
     * {@code <md5>_<epoch>.<ext>} shape of the spec's sample.
     */
    public static RecordingFile recordingFile(String line) {
        String l = clean(line);
        if (l == null || l.indexOf('/') >= 0 || l.indexOf('\\') >= 0 || l.indexOf(' ') >= 0 || l.indexOf('\t') >= 0
                || l.startsWith(".")) {
            return null;
        }
        Instant time = null;
        int us = l.lastIndexOf('_');
        int dot = l.indexOf('.', us + 1);
        if (us > 0 && dot > us + 1) {
            Long epoch = integerLong(l.substring(us + 1, dot));
            if (epoch != null && epoch > 946_684_800L && epoch < 4_102_444_800L) { // 2000..2100
                time = Instant.ofEpochSecond(epoch);
            }
        }
        return new RecordingFile(l, time);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The line without {@code \r} and blanks around it; null for HTML or an empty line. */
    static String clean(String line) {
        if (line == null) {
            return null;
        }
        String l = line.strip();
        return l.isEmpty() || l.indexOf('<') >= 0 ? null : l;
    }

    /** The {@code !}-separated fields, trimmed, one trailing {@code !} ignored; null for HTML or an empty line. */
    static List<String> split(String line) {
        String l = clean(line);
        if (l == null) {
            return null;
        }
        if (l.endsWith("!")) {
            l = l.substring(0, l.length() - 1);
        }
        List<String> out = new ArrayList<>(16);
        int start = 0;
        for (int i = 0; i <= l.length(); i++) {
            if (i == l.length() || l.charAt(i) == '!') {
                out.add(l.substring(start, i).strip());
                start = i + 1;
            }
        }
        return out;
    }

    private static String field(List<String> f, int i) {
        return i < f.size() ? blankToNull(f.get(i)) : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static boolean isId(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** {@code <digits>.<digits>}. */
    static boolean isUniqueId(String s) {
        int dot = s.indexOf('.');
        if (dot <= 0 || dot == s.length() - 1 || s.indexOf('.', dot + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (i != dot && !Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static Integer integer(String s) {
        Long l = integerLong(s);
        return l == null || l > Integer.MAX_VALUE || l < Integer.MIN_VALUE ? null : l.intValue();
    }

    private static Long integerLong(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return null;
        }
        int start = s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length()) {
            return null;
        }
        for (int i = start; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return null;
            }
        }
        return Long.parseLong(s);
    }

    /** Seconds written as a number or as {@code [h:]mm:ss}; null otherwise. */
    static Long seconds(String s) {
        if (s == null) {
            return null;
        }
        Long plain = integerLong(s);
        if (plain != null) {
            return plain >= 0 ? plain : null;
        }
        String[] parts = s.split(":");
        if (parts.length < 2 || parts.length > 3) {
            return null;
        }
        long total = 0;
        for (String p : parts) {
            Long v = integerLong(p);
            if (v == null || v < 0) {
                return null;
            }
            total = total * 60 + v;
        }
        return total;
    }
}
