package io.pbxbridge.sandbox.escaux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.support.Json;

/**
 * The state and the operations of the simulated SOP: directory, profiles and statuses, profile parameters and
 * pincodes, phones and registrations, channels, park slots, queues, CDRs and PUM logins. Every operation is
 * synchronized on this object. Replies follow the spec's samples (well-formed where the samples are not).
 */
final class EscauxBackend {

    static final DateTimeFormatter SOP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A reply body and whether it is JSON. */
    record Reply(int status, boolean json, String body) {
        static Reply xml(Object body) {
            return new Reply(200, false, body.toString());
        }

        static Reply json(Object node) {
            return new Reply(200, true, node.toString());
        }
    }

    /** A profile: its class and the statuses it allows. */
    record Profile(String name, String profileClass, List<String> statuses, List<String> parameters) {
    }

    /** A profile parameter definition. */
    record ParamDef(String name, String friendlyName, String type, String ownerType) {
    }

    /**
     * A CDR of dbGetCallHistory, at {@code timestamp} (the SOP's local time, whole seconds). {@code fields}, when not
     * null, replaces fields of its reply as they are (a null value leaves the field out): a row with absurd values.
     */
    record Cdr(LocalDateTime timestamp, String callerName, String callerNumber, String calledNumber,
               String disposition, String origChannel, String dstChannel, long duration, long billsec,
               String uniqueid, Map<String, String> fields) {

        Cdr(LocalDateTime timestamp, String callerName, String callerNumber, String calledNumber, String disposition,
            String origChannel, String dstChannel, long duration, long billsec, String uniqueid) {
            this(timestamp, callerName, callerNumber, calledNumber, disposition, origChannel, dstChannel, duration,
                    billsec, uniqueid, null);
        }
    }

    private static final Comparator<Cdr> BY_TIMESTAMP = Comparator.comparing(Cdr::timestamp);

    static final class Queue {
        final String id;
        final String name;
        final Map<String, Boolean> members = new LinkedHashMap<>(); // phone -> static
        final Map<String, Boolean> paused = new LinkedHashMap<>();

        Queue(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private static final Map<String, String> FRENCH = Map.of("Office", "Bureau", "OutOfOffice", "Absent",
            "Busy", "Occupé", "Holiday", "Congé", "Telework", "Télétravail", "Mobile", "Mobile");

    private final Map<String, Profile> profiles = new LinkedHashMap<>();
    private final Map<String, ParamDef> paramDefs = new LinkedHashMap<>();
    final Map<String, SimUser> users = new LinkedHashMap<>();
    final Map<String, Boolean> phones = new LinkedHashMap<>(); // phone -> registered
    final Map<String, SimChannel> channels = new LinkedHashMap<>();
    final Map<String, Queue> queues = new LinkedHashMap<>();
    /** Extension -> its CDRs in timestamp order (the CDR table, as dbGetCallHistory's SQL reads it). */
    final Map<String, List<Cdr>> cdrs = new TreeMap<>();
    final Map<String, String> pumLogins = new LinkedHashMap<>(); // ext -> physical phone
    private final Map<String, Long> lastPumCall = new LinkedHashMap<>();
    private final long pumMinIntervalNanos;
    private final Random random;
    private final Consumer<String> events;
    private final EscauxFaults faults;
    private final ZoneId zone;
    private int channelSeq = 0x1000;
    private int nextParkSlot = 701;
    private int uniqueSeq = 1;

    /** @param zone the SOP's time zone: its CDR timestamps are local times in it */
    EscauxBackend(long seed, long pumMinIntervalMillis, Consumer<String> events, EscauxFaults faults, ZoneId zone) {
        this.random = new Random(seed);
        this.zone = zone;
        this.pumMinIntervalNanos = pumMinIntervalMillis * 1_000_000L;
        this.events = events;
        this.faults = faults;
        paramDef("ForwardNumber", "Number to forward to", "EXTENSION", "UserVar");
        paramDef("CFU.Number", "Forward all calls to", "EXTENSION", "UserVar");
        paramDef("UserPincode", "Pincode", "PINCODE", "UserVar");
        paramDef("Pincode.Pincode", "Pincode (legacy)", "PINCODE", "UserVar");
        paramDef("SecretaryDevice", "Téléphone de votre assistante : SVE...", "DEVICE", "AdminVar");
        paramDef("NightNumber", "Night service number", "EXTENSION", "UserVar");
        List<String> userParams = List.of("ForwardNumber", "CFU.Number", "UserPincode", "Pincode.Pincode",
                "SecretaryDevice");
        profiles.put("Template-User", new Profile("Template-User", "User",
                List.of("Office", "OutOfOffice", "Busy", "Holiday", "Telework"), userParams));
        profiles.put("Template-User-Mobile", new Profile("Template-User-Mobile", "User",
                List.of("Office", "Mobile"), userParams));
        profiles.put("Template-Operator", new Profile("Template-Operator", "Operator",
                List.of("Office", "Closed", "Night"), List.of("NightNumber", "UserPincode")));

        user("067", "alice@example.com", "Alice", "Martin", "SDPA0067", null, "Template-User", "Office", false, "1111");
        user("102", "tim.schmit@example.com", "Tim", "Schmit", "SDB20001", "SDX60001", "Template-User", "Office", false,
                "1234");
        user("104", "jane.doe@example.com", "Jane", "Doe", "SDC30015", null, "Template-User", "Office", false, "");
        user("189", "sergey@google.com", "Sergey", "Brin", "SDC20102", "SDX10001", "Template-User", "Telework", false,
                "4321");
        user("555", "reception@example.com", "Rita", "Reception", "SDO30001", null, "Template-Operator", "Office",
                false, "0000");
        user("599", "dominique@example.com", "Dominique", "Bogaerts", "SDPJ0003", "SDX60002", "Template-User",
                "Telework", false, "5990");
        user("671", "bob@example.com", "Bob", "Peeters", "SDP40001", null, "Template-User", "Office", false, "6710");
        user("672", "carla@example.com", "Carla", "Janssens", "SDP40002", null, "Template-User", "Busy", false, "6720");
        user("699", "hidden@example.com", "Hidden", "Line", "SDP40099", null, "Template-User", "Office", true, "");
        user("2001", "pum.one@example.com", "Pum", "One", "SVE20001", null, "Template-User", "Office", false, "2001");
        user("2002", "pum.two@example.com", "Pum", "Two", "SVE20002", null, "Template-User", "Office", false, "2002");
        for (String p : List.of("SDP80002", "SDP80003")) {
            phones.put(p, true);
        }
        phones.put("SDPH0100", false);
        phones.put("SVE20001", false);
        phones.put("SVE20002", false);
        phones.put("SDP40099", false);
        Queue general = queue("AQA00001", "GeneralQueue");
        general.members.put("SDO30001", true);
        general.members.put("SDP40001", false);
        queue("AQA00002", "PersonalQ1").members.put("SDB20001", false);
        queue("AQA00003", "GeneralQ2");
        for (SimUser u : users.values()) {
            initialCdrs(u);
        }
    }

    private void paramDef(String name, String friendly, String type, String owner) {
        paramDefs.put(name, new ParamDef(name, friendly, type, owner));
    }

    private void user(String ext, String login, String fn, String ln, String dp, String sp, String profile,
                      String status, boolean hidden, String pincode) {
        SimUser u = new SimUser(ext, login, fn, ln, dp, sp, profile, status, hidden);
        for (String p : profiles.get(profile).parameters()) {
            u.params.put(p, "");
        }
        u.params.put("UserPincode", pincode);
        if (u.params.containsKey("Pincode.Pincode")) {
            u.params.put("Pincode.Pincode", pincode);
        }
        users.put(ext, u);
        if (dp != null && !phones.containsKey(dp)) {
            phones.put(dp, true);
        }
        if (sp != null && !phones.containsKey(sp)) {
            phones.put(sp, true);
        }
    }

    private Queue queue(String id, String name) {
        Queue q = new Queue(id, name);
        queues.put(name, q);
        return q;
    }

    private void initialCdrs(SimUser u) {
        List<Cdr> list = new ArrayList<>();
        LocalDateTime t = LocalDateTime.now(zone).withNano(0).minusDays(7);
        String[] codes = { "000", "001", "100", "101", "200", "201", "202", "300", "002", "203" };
        for (int i = 0; i < 10; i++) {
            t = t.plusMinutes(30 + random.nextInt(600));
            String code = codes[(i + u.ext.length()) % codes.length];
            boolean placed = code.startsWith("0");
            String other = random.nextBoolean() ? "+3223" + (100000 + random.nextInt(899999)) : pickOtherExt(u.ext);
            long duration = 5 + random.nextInt(300);
            long billsec = code.startsWith("2") || (placed && i % 2 == 0) ? Math.max(1, duration - 5) : 0;
            list.add(new Cdr(t, placed ? u.name() : "Caller " + i, placed ? u.ext : other, placed ? other : u.ext, code,
                    "SIP/" + (u.dp == null ? "SVE" : u.dp) + "-" + Integer.toHexString(0x100 + i),
                    "IAX2/escaux@81.83.50.216:4569/" + i, duration, billsec,
                    "1700000000." + (uniqueSeq++)));
        }
        cdrs.put(u.ext, list);
    }

    private String pickOtherExt(String not) {
        List<String> exts = users.keySet().stream().filter(e -> !e.equals(not)).toList();
        return exts.isEmpty() ? "102" : exts.get(random.nextInt(exts.size()));
    }

    // ---- DB access ------------------------------------------------------------------------------------------

    synchronized Reply dbGetDirectoryInfo(Map<String, String> p, boolean json) {
        String wildcards = p.getOrDefault("wildcards", "");
        boolean showInvisible = "1".equals(p.get("show_invisible"));
        boolean showParams = "1".equals(p.get("show_profile_parameters"));
        ArrayNode arr = Json.MAPPER.createArrayNode();
        Xml x = new Xml().open("DirectoryInfo");
        for (SimUser u : users.values()) {
            if (u.hidden && !showInvisible) {
                continue;
            }
            Map<String, String> f = directoryFields(u);
            boolean match = true;
            for (Map.Entry<String, String> e : p.entrySet()) {
                if (!f.containsKey(e.getKey())) {
                    continue; // wildcards, show_*: not filters
                }
                if (!matches(f.get(e.getKey()), e.getValue(), wildcards)) {
                    match = false;
                    break;
                }
            }
            if (!match) {
                continue;
            }
            ObjectNode o = arr.addObject();
            x.open("DirectoryEntry");
            for (Map.Entry<String, String> e : f.entrySet()) {
                o.put(e.getKey(), e.getValue());
                x.el(e.getKey(), e.getValue());
            }
            if (showParams) {
                synchronized (u.params) {
                    u.params.forEach((k, v) -> {
                        o.put("P_" + k, v);
                        x.el("P_" + k.replace('.', '_'), v);
                    });
                }
            }
            x.close("DirectoryEntry");
        }
        return json ? Reply.json(arr) : Reply.xml(x.close("DirectoryInfo"));
    }

    private Map<String, String> directoryFields(SimUser u) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("admin", "admin@fuzer.net");
        f.put("company", "Destiny");
        f.put("context_id", "1");
        f.put("context_name", "internal");
        f.put("dp", u.dp);
        f.put("email", u.login);
        f.put("ext", u.ext);
        f.put("fax", "");
        f.put("fn", u.fn);
        f.put("grp", "");
        f.put("home", "");
        f.put("ln", u.ln);
        f.put("login", u.login);
        f.put("mobile", "+3247" + u.ext);
        f.put("office", "");
        f.put("outgoing_number", null);
        f.put("profile", u.profile);
        f.put("site", null);
        f.put("sop1", "00034533");
        f.put("sop1_ip", "100.64.134.4");
        f.put("sop2", "00035533");
        f.put("sop2_ip", "100.64.134.8");
        f.put("source", "net.PBX");
        f.put("sp", u.sp);
        f.put("status", u.status);
        return f;
    }

    /** The spec's three modes: contains (default), strict SQL LIKE, translate (strict with * for %). */
    static boolean matches(String value, String pattern, String wildcards) {
        if (value == null) {
            return pattern.isEmpty();
        }
        String like = switch (wildcards) {
            case "strict" -> pattern;
            case "translate" -> pattern.replace('*', '%');
            default -> "%" + pattern + "%";
        };
        StringBuilder re = new StringBuilder();
        for (char c : like.toCharArray()) {
            re.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(value).matches();
    }

    synchronized Reply dbGetCallflow(Map<String, String> p, boolean json) {
        SimUser u = users.get(p.get("ext"));
        if (u == null) {
            return json ? Reply.json(Json.MAPPER.createObjectNode().put("Result", 1).put("Error", "Unknown extension"))
                    : Reply.xml(new Xml().open("dbGetCallflowResult").el("Result", 1).el("Error", "Unknown extension")
                            .close("dbGetCallflowResult"));
        }
        Profile prof = profiles.get(u.profile);
        boolean fr = "fr".equals(p.get("lang"));
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            ArrayNode perm = o.putArray("PermissionStatus");
            ArrayNode st = o.putArray("Status");
            ArrayNode tr = o.putArray("TranslatedStatus");
            for (String s : prof.statuses()) {
                perm.add(30);
                st.add(s);
                tr.add(fr ? FRENCH.getOrDefault(s, s) : s);
            }
            o.put("CurrentProfile", u.profile);
            o.put("CurrentStatus", u.status);
            return Reply.json(o);
        }
        Xml x = new Xml().open("dbGetCallflowResult").el("CurrentProfile", u.profile).el("CurrentStatus", u.status);
        prof.statuses().forEach(s -> x.el("Status", s));
        x.open("Translations");
        prof.statuses().forEach(s -> x.open("Translation").el("Name", s).el("TranslatedName",
                fr ? FRENCH.getOrDefault(s, s) : s).close("Translation"));
        return Reply.xml(x.close("Translations").close("dbGetCallflowResult"));
    }

    synchronized Reply dbGetNextStatus(Map<String, String> p) {
        SimUser u = users.get(p.get("ext"));
        if (u == null) {
            return Reply.xml(new Xml().open("dbGetNextStatusResult").el("Result", 1).close("dbGetNextStatusResult"));
        }
        List<String> st = profiles.get(u.profile).statuses();
        String next = st.get((st.indexOf(u.status) + 1) % st.size());
        return Reply.xml(new Xml().open("dbGetNextStatusResult").el("Profile", u.profile).el("Status", u.status)
                .el("Next_Status", next).close("dbGetNextStatusResult"));
    }

    synchronized Reply dbSetProfile(Map<String, String> p, boolean json) {
        int code = setProfile(p);
        return result("dbSetProfileResult", code, json, null);
    }

    private int setProfile(Map<String, String> p) {
        String ext = p.get("ext");
        if (ext == null || !ext.matches("[0-9]{1,8}") || !users.containsKey(ext)) {
            return 1;
        }
        SimUser u = users.get(ext);
        String profileName = p.get("profile_name");
        String status = p.get("status");
        if (profileName == null && status == null) {
            return 1;
        }
        Profile target = profiles.get(u.profile);
        if (profileName != null) {
            String name = profileName;
            int dot = name.lastIndexOf('.');
            if (!profiles.containsKey(name) && dot > 0) {
                status = name.substring(dot + 1);
                name = name.substring(0, dot);
            }
            target = profiles.get(name);
            if (target == null) {
                return 3;
            }
            if (!target.profileClass().equals(profiles.get(u.profile).profileClass())) {
                return 2;
            }
        }
        if (status != null && !target.statuses().contains(status)) {
            return 3;
        }
        if (faults.smpSyncFails()) {
            return 5;
        }
        u.profile = target.name();
        u.status = status != null ? status : target.statuses().contains(u.status) ? u.status : target.statuses().get(0);
        return 0;
    }

    synchronized Reply dbGetProfileParameters(Map<String, String> p, boolean json) {
        SimUser u = users.get(p.get("ext"));
        if (u == null) {
            return json ? Reply.json(Json.MAPPER.createObjectNode().put("Result", 1).put("Error", "Unknown extension"))
                    : result("ProfileParameters", 1, false, "Unknown extension");
        }
        boolean admin = "1".equals(p.get("show_admin"));
        ObjectNode o = Json.MAPPER.createObjectNode();
        Xml x = new Xml().open("ProfileParameters");
        synchronized (u.params) {
            for (Map.Entry<String, String> e : u.params.entrySet()) {
                ParamDef d = paramDefs.get(e.getKey());
                if (d.ownerType().equals("AdminVar") && !admin) {
                    continue;
                }
                String friendly = "fr".equals(p.get("lang")) ? "(fr) " + d.friendlyName() : d.friendlyName();
                ObjectNode po = o.putObject(d.name());
                po.put("name", d.name()).put("friendly_name", friendly).put("descr", "").put("value", e.getValue())
                        .put("type", d.type()).put("owner_type", d.ownerType());
                String tag = d.name().replace('.', '_');
                x.open(tag).el("name", d.name()).el("friendly_name", friendly).el("descr", null)
                        .el("value", e.getValue()).el("type", d.type()).el("owner_type", d.ownerType()).close(tag);
            }
        }
        return json ? Reply.json(o) : Reply.xml(x.close("ProfileParameters"));
    }

    synchronized Reply dbSetProfileParameters(Map<String, String> p, boolean json) {
        String ext = p.get("ext");
        SimUser u = ext == null ? null : users.get(ext);
        int code;
        String text;
        Map<String, String> set = new LinkedHashMap<>(p);
        set.remove("ext");
        if (u == null || set.isEmpty()) {
            code = 1;
            text = "Missing or syntactically invalid parameter";
        } else {
            code = 0;
            text = "OK";
            for (String name : set.keySet()) {
                if (!paramDefs.containsKey(name)) {
                    code = 2;
                    text = "Unknown global parameter " + name;
                    break;
                }
                if (!u.params.containsKey(name)) {
                    code = 3;
                    text = "Global parameter " + name + " not applicable to profile " + u.profile;
                    break;
                }
            }
            if (code == 0 && faults.smpSyncFails()) {
                code = 5;
                text = "Sync to SMP failed";
            }
            if (code == 0) {
                u.params.putAll(set);
            }
        }
        if (json) {
            return Reply.json(Json.MAPPER.createObjectNode().put("Result", code));
        }
        return Reply.xml(new Xml().open("dbSetProfileParametersResult").el("Result", code).el("ResultText", text)
                .el("Debug", null).close("dbSetProfileParametersResult"));
    }

    synchronized Reply dbGetPhoneState(Map<String, String> p, boolean json) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        Xml x = new Xml().open("PhoneState");
        for (Map.Entry<String, Boolean> ph : phones.entrySet()) {
            SimChannel ch = channels.values().stream().filter(c -> ph.getKey().equals(c.phone)).findFirst().orElse(null);
            String state = !ph.getValue() ? "Down" : ch == null ? "Idle"
                    : "Ring".equals(ch.state) ? "Ringing"
                    : ch.link != null && ch.link.startsWith("SIP/") ? "Internal Conversation" : "External Conversation";
            Map<String, String> f = new LinkedHashMap<>();
            f.put("name", ph.getKey());
            f.put("mac", "000B82" + HexFormat.of().withUpperCase().toHexDigits(ph.getKey().hashCode()).substring(2));
            f.put("state", state);
            f.put("ip", ph.getValue() ? "172.16.0." + (Math.abs(ph.getKey().hashCode()) % 250 + 2) : "");
            f.put("lastcall", "7-25 17:34:9");
            f.put("localchannel", ch == null ? "" : ch.id);
            f.put("remotechannel", ch == null || ch.link == null ? "" : ch.link);
            if (!filter(p.get("phone_id"), f.get("name")) || !filter(p.get("phone_state"), state)
                    || !filter(p.get("phone_mac"), f.get("mac")) || !filter(p.get("localchannel"), f.get("localchannel"))
                    || !filter(p.get("remotechannel"), f.get("remotechannel"))) {
                continue;
            }
            ObjectNode o = arr.addObject();
            x.open("Phone");
            f.forEach((k, v) -> {
                o.put(k, v);
                x.el(k, v);
            });
            x.close("Phone");
        }
        return json ? Reply.json(arr) : Reply.xml(x.close("PhoneState"));
    }

    private static boolean filter(String wanted, String value) {
        return wanted == null || wanted.equalsIgnoreCase(value);
    }

    synchronized Reply dbCheckPincode(Map<String, String> p) {
        SimUser u = users.get(p.get("ext"));
        boolean ok = u != null && p.get("pincode") != null && !u.params.getOrDefault("UserPincode", "").isEmpty()
                && u.params.get("UserPincode").equals(p.get("pincode"));
        return Reply.xml(new Xml().open("dbCheckPincode").el("Result", ok ? 0 : 1).el("ResultText", ok ? "OK" : "NOK")
                .close("dbCheckPincode"));
    }

    /**
     * As the SOP's SQL: {@code WHERE timestamp > start_date ORDER BY timestamp LIMIT limit} (rows of one second in
     * the order they were written).
     */
    synchronized Reply dbGetCallHistory(Map<String, String> p, boolean json) {
        List<Cdr> list = cdrs.getOrDefault(p.get("ext"), List.of());
        LocalDateTime start;
        int limit;
        try {
            start = LocalDateTime.parse(p.get("start_date"), SOP_DATE);
            limit = Integer.parseInt(p.get("limit"));
        } catch (RuntimeException e) {
            return json ? Reply.json(Json.MAPPER.createObjectNode().put("Result", 1)
                    .put("Error", "ext, limit and start_date are mandatory"))
                    : result("CallHistory", 1, false, "ext, limit and start_date are mandatory");
        }
        ArrayNode arr = Json.MAPPER.createArrayNode();
        Xml x = new Xml().open("CallHistory");
        for (int i = firstAfter(list, start), n = 0; i < list.size() && n < limit; i++, n++) {
            Cdr c = list.get(i);
            ObjectNode o = arr.addObject();
            o.put("timestamp", SOP_DATE.format(c.timestamp())).put("caller_name", c.callerName())
                    .put("caller_number", c.callerNumber()).put("called_number", c.calledNumber())
                    .put("disposition", c.disposition()).put("last_action", "Dial").put("last_application", "Dial")
                    .put("context", "internal").put("origchannel", c.origChannel()).put("dstchannel", c.dstChannel())
                    .put("duration", Long.toString(c.duration())).put("billsec", Long.toString(c.billsec()))
                    .put("uniqueid", c.uniqueid());
            if (c.fields() != null) {
                c.fields().forEach((k, v) -> {
                    if (v == null) {
                        o.remove(k);
                    } else {
                        o.put(k, v);
                    }
                });
            }
            x.open("Call");
            o.fields().forEachRemaining(e -> x.el(e.getKey(), e.getValue().asText()));
            x.close("Call");
        }
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.set("CallHistory", arr);
            return Reply.json(o);
        }
        return Reply.xml(x.close("CallHistory"));
    }

    /** The index of the first CDR of {@code list} (in timestamp order) after {@code t}. */
    private static int firstAfter(List<Cdr> list, LocalDateTime t) {
        int lo = 0;
        int hi = list.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (list.get(mid).timestamp().isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Writes {@code c} into the history of {@code ext}, in timestamp order after the rows of its second. */
    private void addCdr(String ext, Cdr c) {
        List<Cdr> list = cdrs.computeIfAbsent(ext, k -> new ArrayList<>());
        list.add(firstAfter(list, c.timestamp()), c);
    }

    // ---- CDRs written by tests ------------------------------------------------------------------------------

    /**
     * One call that touched {@code extensions}: a row with one uniqueid in the history of each, seen from it
     * (placed by the caller's extension, answered or missed on the others). Returns the uniqueid.
     */
    synchronized String callRecord(Instant start, String callerNumber, String calledNumber, Duration duration,
                                   Duration billed, List<String> extensions) {
        LocalDateTime ts = LocalDateTime.ofInstant(start, zone).withNano(0);
        String uid = start.getEpochSecond() + "." + (uniqueSeq++);
        SimUser caller = users.get(callerNumber);
        for (String ext : extensions) {
            boolean placed = ext.equals(callerNumber);
            String disposition = placed ? "001" : billed.isZero() ? "101" : "201";
            SimUser u = users.get(ext);
            addCdr(ext, new Cdr(ts, caller != null ? caller.name() : "Caller " + callerNumber, callerNumber,
                    calledNumber, disposition, "SIP/" + (u == null || u.dp == null ? "SVE" + ext : u.dp) + "-"
                    + Integer.toHexString(channelSeq++), "", duration.toSeconds(), billed.toSeconds(), uid));
        }
        return uid;
    }

    /** {@code count} incoming calls of {@code ext}, {@code spacing} apart from {@code first}; their uniqueids. */
    synchronized List<String> callRecords(String ext, Instant first, Duration spacing, int count) {
        List<Cdr> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant start = first.plus(spacing.multipliedBy(i));
            boolean answered = i % 3 != 0;
            long duration = 5 + i % 300;
            added.add(new Cdr(LocalDateTime.ofInstant(start, zone).withNano(0), "Caller " + i,
                    "+3223" + (100000 + i % 899999), ext, answered ? "201" : "101", "SIP/SVE" + ext + "-"
                    + Integer.toHexString(channelSeq++), "", duration, answered ? duration : 0,
                    start.getEpochSecond() + "." + (uniqueSeq++)));
        }
        List<Cdr> list = cdrs.computeIfAbsent(ext, k -> new ArrayList<>());
        list.addAll(added);
        list.sort(BY_TIMESTAMP); // stable: a second's rows stay in the order written
        return added.stream().map(Cdr::uniqueid).toList();
    }

    /** An incoming call of {@code ext} at {@code at} whose reply shows {@code fields} instead; its uniqueid. */
    synchronized String brokenCallRecord(String ext, Instant at, Map<String, String> fields) {
        String uid = at.getEpochSecond() + "." + (uniqueSeq++);
        addCdr(ext, new Cdr(LocalDateTime.ofInstant(at, zone).withNano(0), "Caller", "+3223100000", ext, "201",
                "SIP/SVE" + ext + "-" + Integer.toHexString(channelSeq++), "", 10, 10, uid,
                Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
        return uid;
    }

    synchronized Reply dbGetParkedChannels(Map<String, String> p) {
        String only = p.get("channel_id");
        Xml x = new Xml().open("Channels");
        StringBuilder hashInput = new StringBuilder();
        List<SimChannel> parked = channels.values().stream().filter(c -> c.parkSlot != null)
                .filter(c -> only == null || only.equals(c.id)).toList();
        parked.forEach(c -> hashInput.append(c.id).append(c.parkSlot));
        x.el("hash", md5(hashInput.toString()));
        for (SimChannel c : parked) {
            StringBuilder vars = new StringBuilder();
            synchronized (c.vars) {
                c.vars.forEach((k, v) -> vars.append(vars.length() == 0 ? "" : ",").append(k).append('=').append(v));
            }
            x.open("Channel").el("ID", c.id).el("CallerId", c.callerId).el("ParkSlot", c.parkSlot)
                    .el("Variables", vars).close("Channel");
        }
        return Reply.xml(x.close("Channels"));
    }

    synchronized Reply dbGetQueueInfo() {
        Xml x = new Xml().open("Queues");
        queues.values().forEach(q -> x.open("Queue").el("Id", q.id).el("Name", q.name).close("Queue"));
        return Reply.xml(x.close("Queues"));
    }

    synchronized Reply dbAuthenticate(Map<String, String> p) {
        String command = p.getOrDefault("command", "");
        if (!command.equals("check") && !command.equals("set")) {
            return Reply.xml(new Xml().open("Authenticate").el("Error", "Bad command " + command).close("Authenticate"));
        }
        SimUser u = users.get(p.get("ext"));
        String param = p.getOrDefault("parameter", "UserPincode");
        String stored = u == null ? null : u.params.get(param);
        String result;
        if (stored == null) {
            result = "NOK";
        } else if (command.equals("check")) {
            result = stored.isEmpty() ? "UNDEFINED" : stored.equals(p.get("password")) ? "OK" : "NOK";
        } else if (stored.isEmpty() || stored.equals(p.get("password"))) {
            u.params.put(param, p.getOrDefault("newpassword", ""));
            result = "OK";
        } else {
            result = "NOK";
        }
        return Reply.xml(new Xml().open("Authenticate").el("Result", result).close("Authenticate"));
    }

    synchronized Reply dbGetRegistration() {
        Xml x = new Xml().open("dbGetRegistrationResult");
        phones.forEach((ph, reg) -> x.open("Phones").el("ID", ph)
                .el("IPaddress", reg ? "172.16.0." + (Math.abs(ph.hashCode()) % 250 + 2) : "-none-")
                .el("IPport", reg ? 5060 + Math.abs(ph.hashCode()) % 400 : 0).el("Registered", reg ? 1 : 0)
                .close("Phones"));
        return Reply.xml(x.close("dbGetRegistrationResult"));
    }

    // ---- Call control ---------------------------------------------------------------------------------------

    private static final Pattern VAR_VALUE = Pattern.compile("[0-9A-Za-z]{0,59}");

    synchronized Reply ccOriginate(Map<String, String> p) {
        String phoneId = p.get("phone_id");
        String to = p.get("to");
        String tech = p.get("technology");
        String ext = p.get("ext");
        boolean ok = phoneId != null && to != null && !to.isBlank();
        if (ok && tech == null) {
            ok = Boolean.TRUE.equals(phones.get(phoneId));
        } else if (ok && "Local".equals(tech)) {
            ok = ext != null && users.containsKey(ext);
        } else if (ok) {
            ok = "IAX".equals(tech);
        }
        if (ok && ext != null && !users.containsKey(ext)) {
            ok = false;
        }
        Map<String, String> vars = new LinkedHashMap<>();
        if (ok && p.get("var") != null) {
            for (String part : p.get("var").split("\\|")) {
                int eq = part.indexOf('=');
                if (eq <= 0 || !VAR_VALUE.matcher(part.substring(eq + 1)).matches()) {
                    ok = false;
                    break;
                }
                vars.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        if (!ok) {
            return result("ccOriginateResult", 1, false, null);
        }
        String callerExt = ext != null ? ext : users.values().stream()
                .filter(u -> phoneId.equals(u.dp) || phoneId.equals(u.sp)).map(u -> u.ext).findFirst().orElse(phoneId);
        String prefix = tech == null ? "SIP/" + phoneId : ("Local".equals(tech) ? "Local/" : "IAX2/") + phoneId;
        SimChannel a = newChannel(prefix, callerExt, to, tech == null ? phoneId : null, "Up");
        a.vars.putAll(vars);
        SimUser callee = users.get(to);
        if (callee != null) {
            SimChannel b = newChannel("SIP/" + (callee.dp != null ? callee.dp : "SVE" + to), callerExt, to, callee.dp,
                    "Ring");
            a.link = b.id;
            b.link = a.id;
            emitNewOrigChannel(a);
        } else {
            SimChannel b = newChannel("IAX2/escaux@81.83.50.216:4569", callerExt, to, null, "Up");
            a.link = b.id;
            b.link = a.id;
        }
        return result("ccOriginateResult", 0, false, null);
    }

    /** An incoming call from {@code callerId} to {@code ext}: a new channel and evNewOrigChannel. */
    synchronized SimChannel incomingCall(String callerId, String ext) {
        SimUser u = users.get(ext);
        boolean internal = users.containsKey(callerId);
        String prefix = internal ? "SIP/" + users.get(callerId).dp : "IAX2/escaux@81.83.50.216:4569";
        SimChannel c = newChannel(prefix, callerId, ext, internal ? users.get(callerId).dp : null, "Ring");
        if (u != null && u.dp != null) {
            SimChannel b = newChannel("SIP/" + u.dp, callerId, ext, u.dp, "Ring");
            c.link = b.id;
            b.link = c.id;
        }
        emitNewOrigChannel(c);
        return c;
    }

    private void emitNewOrigChannel(SimChannel c) {
        events.accept(new Xml().open("evNewOrigChannel").nl().el("Channel", c.id).nl().el("CallerId", c.callerId).nl()
                .el("Extension", c.extension).nl().close("evNewOrigChannel").nl().toString());
    }

    private SimChannel newChannel(String prefix, String callerId, String extension, String phone, String state) {
        String id = prefix + "-" + Integer.toHexString(channelSeq++);
        SimChannel c = new SimChannel(id, callerId, extension, phone, state);
        channels.put(id, c);
        return c;
    }

    synchronized Reply ccHangup(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        if (c == null) {
            return result("ccHangupResult", 1, false, null);
        }
        hangup(c);
        return result("ccHangupResult", 0, false, null);
    }

    /** Ends the call of {@code c} (both legs) and writes its CDR for the extensions involved. */
    synchronized void hangup(SimChannel c) {
        channels.remove(c.id);
        SimChannel other = c.link == null ? null : channels.remove(c.link);
        long duration = Math.max(1, (System.nanoTime() - c.createdNanos) / 1_000_000_000L);
        boolean answered = other != null && "Up".equals(other.state) || "Up".equals(c.state) && other != null;
        LocalDateTime ts = LocalDateTime.now(zone).withNano(0).minusSeconds(duration);
        String uid = (c.createdMillis / 1000) + "." + (uniqueSeq++);
        SimUser callee = users.get(c.extension);
        if (callee != null) {
            addCdr(callee.ext, new Cdr(ts, "Caller " + c.callerId,
                    c.callerId, callee.ext, answered ? "201" : "101", c.id, other == null ? "" : other.id, duration,
                    answered ? duration : 0, uid));
        }
        SimUser caller = users.get(c.callerId);
        if (caller != null) {
            addCdr(caller.ext, new Cdr(ts, caller.name(), caller.ext,
                    c.extension, "001", c.id, other == null ? "" : other.id, duration, answered ? duration : 0, uid));
        }
    }

    synchronized Reply ccRedirect(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        String to = p.get("to");
        if (c == null || to == null || to.isBlank()) {
            return result("ccRedirectResult", 1, false, null);
        }
        if (c.link != null) {
            channels.remove(c.link);
        }
        c.link = null;
        c.parkSlot = null;
        c.onHold = false;
        c.extension = to;
        c.state = "Ring";
        SimUser u = users.get(to);
        if (u != null && u.dp != null) {
            SimChannel b = newChannel("SIP/" + u.dp, c.callerId, to, u.dp, "Ring");
            c.link = b.id;
            b.link = c.id;
        }
        return result("ccRedirectResult", 0, false, null);
    }

    synchronized Reply ccHold(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        if (c == null) {
            return result("ccHoldResult", 1, false, null);
        }
        c.onHold = true;
        return result("ccHoldResult", 0, false, null);
    }

    synchronized Reply ccPark(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        String id2 = p.get("channel_id2");
        SimChannel c2 = id2 == null ? null : channels.get(id2);
        if (c == null || c.parkSlot != null || id2 != null && c2 == null) {
            return result("ccParkResult", 1, false, null);
        }
        String slot = Integer.toString(nextParkSlot++);
        for (SimChannel ch : c2 == null ? List.of(c) : List.of(c, c2)) {
            if (ch.link != null && channels.containsKey(ch.link) && (c2 == null || !ch.link.equals(c2.id))) {
                channels.remove(ch.link); // the parked party's peer leaves the call
            }
            ch.link = null;
            ch.parkSlot = slot;
            ch.state = "Up";
            events.accept(new Xml().open("evParked").nl().el("ParkSlot", slot).nl().el("Channel", ch.id).nl()
                    .close("evParked").nl().toString());
        }
        return result("ccParkResult", 0, false, null);
    }

    synchronized Reply ccJoinPark(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        String slot = p.get("to");
        SimChannel parked = channels.values().stream().filter(ch -> slot != null && slot.equals(ch.parkSlot))
                .findFirst().orElse(null);
        if (c == null || parked == null || parked == c) {
            return result("ccJoinParkResult", 1, false, null);
        }
        for (SimChannel ch : channels.values()) {
            if (slot.equals(ch.parkSlot)) {
                ch.parkSlot = null;
            }
        }
        parked.link = c.id;
        c.link = parked.id;
        c.state = "Up";
        return result("ccJoinParkResult", 0, false, null);
    }

    synchronized Reply ccGetChannels(Map<String, String> p) {
        boolean parkedOnly = "1".equals(p.get("parked_only"));
        boolean holdOnly = "1".equals(p.get("hold_only"));
        String showVars = p.get("show_vars");
        Xml x = new Xml().open("Channels");
        for (SimChannel c : channels.values()) {
            if (parkedOnly && c.parkSlot == null || holdOnly && !c.onHold) {
                continue;
            }
            long secs = (System.nanoTime() - c.createdNanos) / 1_000_000_000L;
            String cid = users.containsKey(c.callerId) ? "\"" + users.get(c.callerId).name() + "\" [" + c.callerId + "]"
                    : "\"" + c.callerId + "\" [" + c.callerId + "]";
            x.open("Channel").el("ID", c.id).el("CallerId", cid).el("Seconds", "Up".equals(c.state) ? secs : null)
                    .el("State", c.state).el("Link", c.link);
            if (showVars != null) {
                x.open("Vars");
                for (String v : showVars.split("\\|")) {
                    if (!v.isBlank() && v.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                        x.el(v, c.vars.get(v));
                    }
                }
                x.close("Vars");
            }
            x.close("Channel");
        }
        return Reply.xml(x.close("Channels"));
    }

    synchronized Reply ccGetQueueMembers(Map<String, String> p) {
        Xml x = new Xml().open("Members");
        for (Queue q : queues.values()) {
            if (p.get("queue") != null && !p.get("queue").equals(q.name)) {
                continue;
            }
            for (Map.Entry<String, Boolean> m : q.members.entrySet()) {
                if (p.get("phone") != null && !p.get("phone").equals(m.getKey())) {
                    continue;
                }
                SimUser u = users.values().stream().filter(us -> m.getKey().equals(us.dp) || m.getKey().equals(us.sp))
                        .findFirst().orElse(null);
                x.open("Member").el("Name", u == null ? null : u.name()).el("Ext", u == null ? null : u.ext)
                        .el("Phone", m.getKey()).el("Queue", q.name).el("Status", memberStatus(m.getKey()))
                        .el("Membership", m.getValue() ? "static" : "dynamic")
                        .el("Paused", q.paused.getOrDefault(m.getKey(), false) ? 1 : 0).close("Member");
            }
        }
        return Reply.xml(x.close("Members"));
    }

    private int memberStatus(String phone) {
        Boolean reg = phones.get(phone);
        if (reg == null) {
            return 4;
        }
        if (!reg) {
            return 5;
        }
        SimChannel c = channels.values().stream().filter(ch -> phone.equals(ch.phone)).findFirst().orElse(null);
        return c == null ? 1 : "Ring".equals(c.state) ? 6 : 2;
    }

    synchronized Reply queueAdd(String root, Map<String, String> p, String queueParam, boolean json) {
        Queue q = queues.get(p.get(queueParam));
        String phone = p.get("phone");
        int code = q == null || phone == null || !phones.containsKey(phone) || q.members.containsKey(phone) ? 1 : 0;
        if (code == 0) {
            q.members.put(phone, false);
        }
        return result(root, code, json, code == 0 ? null : "cannot add " + phone + " to " + p.get(queueParam));
    }

    synchronized Reply queueRemove(String root, Map<String, String> p, String queueParam, boolean json) {
        Queue q = queues.get(p.get(queueParam));
        String phone = p.get("phone");
        int code = q == null || phone == null || !Boolean.FALSE.equals(q.members.get(phone)) ? 1 : 0;
        if (code == 0) {
            q.members.remove(phone);
            q.paused.remove(phone);
        }
        return result(root, code, json, code == 0 ? null : "cannot remove " + phone + " from " + p.get(queueParam));
    }

    synchronized Reply ccGetQueueStatus(Map<String, String> p) {
        Xml x = new Xml().open("Queues");
        for (Queue q : queues.values()) {
            if (p.get("queue") != null && !p.get("queue").equals(q.name)) {
                continue;
            }
            long calls = channels.values().stream().filter(c -> q.name.equals(c.extension) && c.link == null).count();
            x.open("Queue").el("Name", q.name).el("Calls", calls).close("Queue");
        }
        return Reply.xml(x.close("Queues"));
    }

    synchronized Reply ccQueuePause(Map<String, String> p) {
        Queue q = queues.get(p.get("queue"));
        String phone = p.get("phone");
        String paused = p.get("paused");
        if (q == null || phone == null || !q.members.containsKey(phone)
                || !("true".equals(paused) || "false".equals(paused))) {
            return result("ccQueuePauseResult", 1, false, null);
        }
        q.paused.put(phone, "true".equals(paused));
        return Reply.xml(new Xml().open("ccQueuePauseResult").el("Paused", "true".equals(paused) ? 1 : 0)
                .el("Queue", q.name).close("ccQueuePauseResult"));
    }

    synchronized Reply ccQueuePauseAll(Map<String, String> p) {
        String phone = p.get("phone");
        boolean pause = "true".equals(p.get("paused"));
        boolean any = false;
        for (Queue q : queues.values()) {
            if (phone != null && q.members.containsKey(phone)) {
                q.paused.put(phone, pause);
                any = true;
            }
        }
        int code = pause ? (any ? 1 : 0) : (any ? 3 : 2);
        return Reply.xml(new Xml().open("PauseAll").el("Result", code).close("PauseAll"));
    }

    synchronized Reply ccRecord(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        String target = p.get("mailbox") != null ? "mailbox:" + p.get("mailbox")
                : p.get("filename") != null ? "file:RecordedCalls/" + p.get("filename") + ".wav" : null;
        String action = p.get("action");
        int code = 1;
        if (c != null && target != null && "start".equals(action) && c.recording == null) {
            c.recording = target;
            code = 0;
        } else if (c != null && "stop".equals(action) && c.recording != null) {
            c.recording = null;
            code = 0;
        }
        return result("ccRecord", code, false, null);
    }

    synchronized Reply ccSetVar(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        String name = p.get("variable");
        if (c == null || name == null || name.isBlank()) {
            return result("ccSetVarResult", 1, false, null);
        }
        c.vars.put(name, p.getOrDefault("value", ""));
        return result("ccSetVarResult", 0, false, null);
    }

    synchronized Reply ccGetVar(Map<String, String> p) {
        SimChannel c = channels.get(p.get("channel_id"));
        String name = p.get("variable");
        if (c == null || name == null) {
            return result("ccGetVarResult", 1, false, null);
        }
        return Reply.xml(new Xml().open("ccGetVarResult").el("Value", c.vars.getOrDefault(name, ""))
                .close("ccGetVarResult"));
    }

    // ---- PUM ------------------------------------------------------------------------------------------------

    synchronized Reply pumLogin(Map<String, String> p) {
        String ext = p.get("ext");
        String phone = p.get("phone");
        String error = pumCheck(ext);
        if (error == null && (phone == null || !Boolean.TRUE.equals(phones.get(phone)))) {
            error = "Unknown or unregistered phone " + phone;
        }
        if (error == null && pumLogins.containsValue(phone)) {
            error = "Phone " + phone + " is already in use";
        }
        if (error != null) {
            return Reply.xml(new Xml().open("pumLoginResult").el("Result", 1).el("Error", error).close("pumLoginResult"));
        }
        lastPumCall.put(ext, System.nanoTime());
        pumLogins.put(ext, phone);
        return Reply.xml(new Xml().open("pumLoginResult").el("Extension", ext).el("Phone", phone).el("Status", "OK")
                .el("StatusText", "Connexion successfully done.").el("Virtual", users.get(ext).dp).el("Result", 0)
                .close("pumLoginResult"));
    }

    synchronized Reply pumLogout(Map<String, String> p) {
        String ext = p.get("ext");
        String error = pumCheck(ext);
        if (error == null && !pumLogins.containsKey(ext)) {
            error = "Extension " + ext + " is not logged in";
        }
        if (error != null) {
            return Reply.xml(new Xml().open("pumLogoutResult").el("Result", 1).el("Error", error).close("pumLogoutResult"));
        }
        lastPumCall.put(ext, System.nanoTime());
        pumLogins.remove(ext);
        return Reply.xml(new Xml().open("pumLogoutResult").el("Extension", ext).el("Result", 0).el("Status", "OK")
                .el("StatusText", "Logout successfully done.").close("pumLogoutResult"));
    }

    private String pumCheck(String ext) {
        if (ext == null || !users.containsKey(ext)) {
            return "Unknown extension " + ext;
        }
        Long last = lastPumCall.get(ext);
        if (last != null && System.nanoTime() - last < pumMinIntervalNanos) {
            lastPumCall.put(ext, System.nanoTime()); // the SOP counts refused calls too
            return "Too many requests: wait 90 seconds between PUM calls for extension " + ext;
        }
        return null;
    }

    // ---- trickle --------------------------------------------------------------------------------------------

    /** One step of the sandbox's life: a new incoming call, and calls older than 3 steps end. */
    synchronized void trickle(long stepNanos) {
        List<SimUser> visible = users.values().stream().filter(u -> !u.hidden && u.dp != null && !u.dp.startsWith("SVE"))
                .toList();
        SimUser callee = visible.get(random.nextInt(visible.size()));
        String caller = random.nextInt(3) == 0 ? pickOtherExt(callee.ext) : "+3223" + (100000 + random.nextInt(899999));
        SimChannel c = incomingCall(caller, callee.ext);
        if (random.nextInt(4) == 0) {
            SimChannel peer = c.link == null ? null : channels.get(c.link);
            if (peer != null) {
                peer.state = "Up";
                c.state = "Up";
            }
        }
        long now = System.nanoTime();
        for (SimChannel old : new ArrayList<>(channels.values())) {
            if (channels.containsKey(old.id) && old.parkSlot == null && now - old.createdNanos > 3 * stepNanos
                    && !old.id.startsWith("SIP/SD") && old.link != null) {
                hangup(old);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A Result reply: XML {@code <root><Result>code</Result></root>} or JSON {@code {"Result": code}}. */
    private static Reply result(String root, int code, boolean json, String error) {
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode().put("Result", code);
            if (error != null) {
                o.put("Error", error);
            }
            return Reply.json(o);
        }
        Xml x = new Xml().open(root).el("Result", code);
        if (error != null) {
            x.el("Error", error);
        }
        return Reply.xml(x.close(root));
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
