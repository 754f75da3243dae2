package io.pbxbridge.escaux;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.w3c.dom.Element;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpSettings;

/**
 * Typed calls to an Escaux Fusion SOP, one method per operation, over the vendor HTTP transport: {@code GET
 * <address>/xml/<operation>.json} where the spec offers JSON, {@code .php} (XML) otherwise, each sent once (a GET
 * such as {@code ccOriginate} places a call). Result codes become {@link EscauxFaultException}s naming the code's
 * meaning, replies that do not fit the operation {@link EscauxResponseException}s, unreachable servers, timeouts and
 * HTTP 5xx {@link EscauxConnectionException}s ({@link EscauxHttpFailures}). Synchronous and thread-safe.
 */
public class EscauxClient {

    static final DateTimeFormatter SOP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Parameters whose values are masked wherever the transport writes a request. */
    static final Set<String> SECRET_PARAMS = Set.of("pincode", "password", "newpassword");

    private final String address;
    private final VendorHttpClient http;
    private final Consumer<EscauxOperation> onDeprecated;

    /**
     * @param http         the transport ({@link #transport}), shared with other endpoints and closed by its owner
     * @param onDeprecated told each time a deprecated operation is about to be called
     */
    public EscauxClient(EscauxConfiguration configuration, VendorHttpClient http,
                        Consumer<EscauxOperation> onDeprecated) {
        String a = configuration.getAddress();
        if (a == null || a.isBlank()) {
            throw new IllegalArgumentException("escaux: the address of the SOP is not configured");
        }
        this.address = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        this.http = http;
        this.onDeprecated = onDeprecated;
    }

    /** The HTTP transport of Escaux: its exceptions and its secret parameters. */
    static VendorHttpClient transport(VendorHttpSettings settings) {
        return VendorHttpClient.builder(EscauxComponent.SCHEME).settings(settings)
                .failures(EscauxHttpFailures.INSTANCE).secretParameters(SECRET_PARAMS).build();
    }

    public String address() {
        return address;
    }

    // ---- DB access ------------------------------------------------------------------------------------------

    /**
     * @param filters wire name ({@code ext}, {@code context_id}, ...) to filter value; {@code %} and {@code _} are
     *                wildcards, {@code *} too with {@link Wildcards#translate}
     */
    public List<DirectoryEntry> dbGetDirectoryInfo(Map<String, String> filters, Wildcards wildcards,
                                                   boolean showInvisible, boolean showProfileParameters) {
        Params p = new Params();
        filters.forEach(p::add);
        if (wildcards != null && wildcards != Wildcards.none) {
            p.add("wildcards", wildcards.name());
        }
        p.flag("show_invisible", showInvisible).flag("show_profile_parameters", showProfileParameters);
        JsonNode body = json(EscauxOperation.dbGetDirectoryInfo, p);
        EscauxOperation op = EscauxOperation.dbGetDirectoryInfo;
        List<DirectoryEntry> out = new ArrayList<>();
        for (JsonNode n : list(op, body, "DirectoryInfo", "DirectoryEntry")) {
            out.add(EscauxMapping.directoryEntry(op, n, showProfileParameters));
        }
        return out;
    }

    public Callflow dbGetCallflow(String ext, String lang) {
        EscauxOperation op = EscauxOperation.dbGetCallflow;
        JsonNode n = json(op, new Params().add("ext", ext).add("lang", lang));
        return EscauxMapping.callflow(op, object(op, n));
    }

    /** Deprecated by Escaux: use {@link #dbGetCallflow}. */
    public NextStatus dbGetNextStatus(String ext) {
        EscauxOperation op = EscauxOperation.dbGetNextStatus;
        Element r = xml(op, new Params().add("ext", ext));
        return new NextStatus(EscauxXml.text(r, "Profile"), EscauxXml.text(r, "Status"),
                EscauxXml.text(r, "Next_Status"));
    }

    /** Sets the callflow ({@code profileName}) or the status of an extension; one of both is needed. */
    public EscauxResult dbSetProfile(String ext, String profileName, String status) {
        EscauxOperation op = EscauxOperation.dbSetProfile;
        JsonNode n = json(op, new Params().add("ext", ext).add("profile_name", profileName).add("status", status));
        return jsonResult(op, n);
    }

    public List<ProfileParameter> dbGetProfileParameters(String ext, boolean showAdmin, String lang) {
        EscauxOperation op = EscauxOperation.dbGetProfileParameters;
        JsonNode n = json(op, new Params().add("ext", ext).flag("show_admin", showAdmin).add("lang", lang));
        return EscauxMapping.profileParameters(op, n);
    }

    /** Sets several profile parameters ({@code CFU.Number} = {@code 526}, ...) of the extension's profile. */
    public EscauxResult dbSetProfileParameters(String ext, Map<String, String> parameters) {
        EscauxOperation op = EscauxOperation.dbSetProfileParameters;
        Params p = new Params().add("ext", ext);
        parameters.forEach((k, v) -> p.add(k, v == null ? "" : v));
        return jsonResult(op, json(op, p));
    }

    /** Deprecated by Escaux. Filters: {@code phone_id}, {@code phone_state}, {@code phone_mac}, ... */
    public List<PhoneState> dbGetPhoneState(Map<String, String> filters) {
        EscauxOperation op = EscauxOperation.dbGetPhoneState;
        Params p = new Params();
        filters.forEach(p::add);
        JsonNode n = json(op, p);
        List<PhoneState> out = new ArrayList<>();
        JsonNode inner = n.isObject() && n.has("PhoneState") ? n.get("PhoneState") : n;
        for (JsonNode ph : list(op, inner, "Phone")) {
            out.add(new PhoneState(EscauxMapping.str(ph, "name"), EscauxMapping.str(ph, "mac"),
                    EscauxMapping.str(ph, "state"), EscauxMapping.str(ph, "ip"), EscauxMapping.str(ph, "lastcall"),
                    EscauxMapping.str(ph, "localchannel"), EscauxMapping.str(ph, "remotechannel")));
        }
        return out;
    }

    /** Deprecated by Escaux. Result 0: the pincode matches; 1 is an {@link EscauxFaultException}. */
    public EscauxResult dbCheckPincode(String ext, String pincode) {
        EscauxOperation op = EscauxOperation.dbCheckPincode;
        return xmlResult(op, xml(op, new Params().add("ext", ext).add("pincode", pincode)));
    }

    /** The CDRs of {@code ext} after {@code startDate} (the SOP's local time), {@code limit} at most. */
    public List<CallHistoryEntry> dbGetCallHistory(String ext, int limit, LocalDateTime startDate) {
        EscauxOperation op = EscauxOperation.dbGetCallHistory;
        JsonNode n = json(op, callHistoryParams(ext, limit, startDate));
        List<CallHistoryEntry> out = new ArrayList<>();
        for (JsonNode c : list(op, n, "CallHistory", "Call")) {
            out.add(EscauxMapping.callHistory(op, c));
        }
        return out;
    }

    /**
     * {@link #dbGetCallHistory}'s reply read as it comes, one CDR's JSON at a time, for the cdr harvest (which
     * judges each CDR on its own); the caller closes it.
     */
    EscauxCallHistoryReader openCallHistory(String ext, int limit, LocalDateTime startDate) {
        EscauxOperation op = EscauxOperation.dbGetCallHistory;
        return new EscauxCallHistoryReader(http.sendStreaming(request(op, callHistoryParams(ext, limit, startDate))));
    }

    private static Params callHistoryParams(String ext, int limit, LocalDateTime startDate) {
        return new Params().add("ext", ext).add("limit", Integer.toString(limit))
                .add("start_date", SOP_DATE.format(startDate));
    }

    /** XML only. {@code channelId} null: every parked channel. */
    public ParkedChannels dbGetParkedChannels(String channelId) {
        EscauxOperation op = EscauxOperation.dbGetParkedChannels;
        Element r = xml(op, new Params().add("channel_id", channelId));
        List<ParkedChannels.ParkedChannel> channels = new ArrayList<>();
        for (Element c : EscauxXml.children(r, "Channel")) {
            channels.add(new ParkedChannels.ParkedChannel(EscauxXml.text(c, "ID"), EscauxXml.text(c, "CallerId"),
                    EscauxXml.text(c, "ParkSlot"), EscauxMapping.pairs(EscauxXml.text(c, "Variables"), ",")));
        }
        return new ParkedChannels(EscauxXml.text(r, "hash"), channels);
    }

    public List<QueueInfo> dbGetQueueInfo() {
        EscauxOperation op = EscauxOperation.dbGetQueueInfo;
        Element r = xml(op, new Params());
        return EscauxXml.children(r, "Queue").stream()
                .map(q -> new QueueInfo(EscauxXml.text(q, "Id"), EscauxXml.text(q, "Name"))).toList();
    }

    /** OK / NOK / UNDEFINED; an {@code Error} element (bad command) is an {@link EscauxFaultException}. */
    public AuthenticateResult dbAuthenticate(String ext, AuthenticateCommand command, String password,
                                             String newPassword, String parameter) {
        EscauxOperation op = EscauxOperation.dbAuthenticate;
        Element r = xml(op, new Params().add("ext", ext).add("password", password)
                .add("command", command == null ? null : command.name()).add("newpassword", newPassword)
                .add("parameter", parameter));
        String error = EscauxXml.text(r, "Error");
        if (error != null) {
            throw new EscauxFaultException(op.name(), "Error", error, false);
        }
        String result = EscauxXml.text(r, "Result");
        if (result == null) {
            throw new EscauxResponseException(op.name(), "<Authenticate> has neither <Result> nor <Error>");
        }
        try {
            return AuthenticateResult.valueOf(result.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EscauxResponseException(op.name(), "<Result> '" + result + "' is not OK, NOK or UNDEFINED");
        }
    }

    public List<Registration> dbGetRegistration() {
        EscauxOperation op = EscauxOperation.dbGetRegistration;
        Element r = xml(op, new Params());
        List<Registration> out = new ArrayList<>();
        for (Element ph : EscauxXml.children(r, "Phones")) {
            out.add(new Registration(EscauxXml.text(ph, "ID"), EscauxXml.text(ph, "IPaddress"),
                    (int) number(op, ph, "IPport", 0), number(op, ph, "Registered", 0) != 0));
        }
        return out;
    }

    // ---- Call control ---------------------------------------------------------------------------------------

    /**
     * @param var channel variables, already validated ({@link EscauxMapping#originateVars}), or null
     */
    public EscauxResult ccOriginate(String phoneId, String to, String ext, Technology technology, Boolean async,
                                    Boolean localOptimization, String var) {
        EscauxOperation op = EscauxOperation.ccOriginate;
        return xmlResult(op, xml(op, new Params().add("phone_id", phoneId).add("to", to).add("ext", ext)
                .add("technology", technology == null ? null : technology.name()).bool("async", async)
                .bool("local_optimization", localOptimization).add("var", var)));
    }

    public EscauxResult ccHangup(String channelId) {
        EscauxOperation op = EscauxOperation.ccHangup;
        return xmlResult(op, xml(op, new Params().add("channel_id", channelId)));
    }

    /** @param ext the extension whose caller id is shown, or null */
    public EscauxResult ccRedirect(String channelId, String to, String ext) {
        EscauxOperation op = EscauxOperation.ccRedirect;
        return xmlResult(op, xml(op, new Params().add("channel_id", channelId).add("to", to).add("ext", ext)));
    }

    /** Deprecated by Escaux. */
    public EscauxResult ccHold(String channelId) {
        EscauxOperation op = EscauxOperation.ccHold;
        return xmlResult(op, xml(op, new Params().add("channel_id", channelId)));
    }

    public EscauxResult ccPark(String channelId, String channelId2) {
        EscauxOperation op = EscauxOperation.ccPark;
        return xmlResult(op, xml(op, new Params().add("channel_id", channelId).add("channel_id2", channelId2)));
    }

    public EscauxResult ccJoinPark(String channelId, String parkSlot) {
        EscauxOperation op = EscauxOperation.ccJoinPark;
        return xmlResult(op, xml(op, new Params().add("channel_id", channelId).add("to", parkSlot)));
    }

    /** Checks the HTTP API; the SOP also sends {@code evPong} on the event socket. */
    public EscauxResult ccPing() {
        EscauxOperation op = EscauxOperation.ccPing;
        return xmlResult(op, xml(op, new Params()));
    }

    /** @param showVars variable names separated by {@code |}, or null */
    public List<ChannelInfo> ccGetChannels(boolean parkedOnly, boolean holdOnly, String showVars) {
        EscauxOperation op = EscauxOperation.ccGetChannels;
        Element r = xml(op, new Params().flag("parked_only", parkedOnly).flag("hold_only", holdOnly)
                .add("show_vars", showVars));
        List<ChannelInfo> out = new ArrayList<>();
        for (Element c : EscauxXml.children(r, "Channel")) {
            String callerId = EscauxXml.text(c, "CallerId");
            String seconds = EscauxXml.text(c, "Seconds");
            Element vars = EscauxXml.child(c, "Vars");
            Long secs = null;
            if (seconds != null && !seconds.isEmpty()) {
                secs = number(op, c, "Seconds", 0);
            }
            out.add(new ChannelInfo(EscauxXml.text(c, "ID"), callerId, EscauxMapping.callerIdName(callerId),
                    EscauxMapping.callerIdNumber(callerId), secs, EscauxXml.text(c, "State"),
                    EscauxXml.text(c, "Link"), vars == null ? Map.of() : EscauxXml.texts(vars)));
        }
        return out;
    }

    /** @param queue null: every queue; @param phone null: every member */
    public List<QueueMember> ccGetQueueMembers(String queue, String phone) {
        EscauxOperation op = EscauxOperation.ccGetQueueMembers;
        Element r = xml(op, new Params().add("queue", queue).add("phone", phone));
        List<QueueMember> out = new ArrayList<>();
        for (Element m : EscauxXml.children(r, "Member")) {
            QueueMemberStatus status;
            try {
                status = QueueMemberStatus.of((int) number(op, m, "Status", 0));
            } catch (IllegalArgumentException e) {
                throw new EscauxResponseException(op.name(), e.getMessage());
            }
            String membership = EscauxXml.text(m, "Membership");
            QueueMember.Membership ms;
            if ("static".equalsIgnoreCase(membership)) {
                ms = QueueMember.Membership.STATIC;
            } else if ("dynamic".equalsIgnoreCase(membership)) {
                ms = QueueMember.Membership.DYNAMIC;
            } else {
                throw new EscauxResponseException(op.name(), "<Membership> '" + membership + "' is not static or dynamic");
            }
            out.add(new QueueMember(EscauxXml.text(m, "Name"), EscauxXml.text(m, "Ext"), EscauxXml.text(m, "Phone"),
                    EscauxXml.text(m, "Queue"), status, ms, number(op, m, "Paused", 0) != 0));
        }
        return out;
    }

    public EscauxResult ccQueueAdd(String queue, String phone) {
        EscauxOperation op = EscauxOperation.ccQueueAdd;
        return xmlResult(op, xml(op, new Params().add("queue", queue).add("phone", phone)));
    }

    /** JSON variant of {@link #ccQueueAdd} (API module 5.16 and up). */
    public EscauxResult fusionQueuesSet(String queues, String phone) {
        EscauxOperation op = EscauxOperation.fusionQueuesSet;
        return jsonResult(op, json(op, new Params().add("queues", queues).add("phone", phone)));
    }

    public EscauxResult ccQueueRemove(String queue, String phone) {
        EscauxOperation op = EscauxOperation.ccQueueRemove;
        return xmlResult(op, xml(op, new Params().add("queue", queue).add("phone", phone)));
    }

    /** JSON variant of {@link #ccQueueRemove} (API module 5.16 and up). */
    public EscauxResult fusionQueuesRemove(String queues, String phone) {
        EscauxOperation op = EscauxOperation.fusionQueuesRemove;
        return jsonResult(op, json(op, new Params().add("queues", queues).add("phone", phone)));
    }

    public List<QueueStatus> ccGetQueueStatus(String queue) {
        EscauxOperation op = EscauxOperation.ccGetQueueStatus;
        Element r = xml(op, new Params().add("queue", queue));
        List<QueueStatus> out = new ArrayList<>();
        for (Element q : EscauxXml.children(r, "Queue")) {
            out.add(new QueueStatus(EscauxXml.text(q, "Name"), (int) number(op, q, "Calls", 0)));
        }
        return out;
    }

    public QueuePauseResult ccQueuePause(String queue, String phone, boolean paused) {
        EscauxOperation op = EscauxOperation.ccQueuePause;
        Element r = xml(op, new Params().add("queue", queue).add("phone", phone).bool("paused", paused));
        if (EscauxXml.child(r, "Paused") == null) {
            xmlResult(op, r); // a failure answers a Result code instead
            throw new EscauxResponseException(op.name(), "<ccQueuePauseResult> has no <Paused>");
        }
        return new QueuePauseResult(EscauxXml.text(r, "Queue"), number(op, r, "Paused", 0) != 0);
    }

    /** Result 1 (pause succeeded) or 3 (unpause succeeded); 0 and 2 are {@link EscauxFaultException}s. */
    public EscauxResult ccQueuePauseAll(String phone, boolean paused) {
        EscauxOperation op = EscauxOperation.ccQueuePauseAll;
        return xmlResult(op, xml(op, new Params().add("phone", phone).bool("paused", paused)));
    }

    /** Records into {@code mailbox} or to the file {@code filename}.wav (one of both). */
    public EscauxResult ccRecord(String channelId, String mailbox, String filename, RecordAction action,
                                 String callerId) {
        EscauxOperation op = EscauxOperation.ccRecord;
        return xmlResult(op, xml(op, new Params().add("channel_id", channelId).add("mailbox", mailbox)
                .add("filename", filename).add("action", action == null ? null : action.name())
                .add("caller_id", callerId)));
    }

    public EscauxResult ccSetVar(String channelId, String variable, String value) {
        EscauxOperation op = EscauxOperation.ccSetVar;
        return xmlResult(op, xml(op, new Params().add("channel_id", channelId).add("variable", variable)
                .add("value", value == null ? "" : value)));
    }

    /** The variable's value ("" when set empty); an unknown channel is {@code Result} 1. */
    public String ccGetVar(String channelId, String variable) {
        EscauxOperation op = EscauxOperation.ccGetVar;
        Element r = xml(op, new Params().add("channel_id", channelId).add("variable", variable));
        String value = EscauxXml.text(r, "Value");
        if (value == null) {
            value = EscauxXml.text(r, variable);
        }
        if (value == null) {
            if (EscauxXml.child(r, "Result") != null) {
                xmlResult(op, r);
                throw new EscauxResponseException(op.name(), "Result 0 without <Value>");
            }
            if (EscauxXml.children(r, null).isEmpty()) {
                value = r.getTextContent().strip();
            } else {
                throw new EscauxResponseException(op.name(), "no <Value> in <" + EscauxXml.name(r) + ">");
            }
        }
        return value;
    }

    // ---- PUM ------------------------------------------------------------------------------------------------

    public PumResult pumLogin(String ext, String phone) {
        EscauxOperation op = EscauxOperation.pumLogin;
        Element r = xml(op, new Params().add("ext", ext).add("phone", phone));
        xmlResult(op, r);
        return new PumResult(EscauxXml.text(r, "Extension"), EscauxXml.text(r, "Phone"), EscauxXml.text(r, "Status"),
                EscauxXml.text(r, "StatusText"), EscauxXml.text(r, "Virtual"));
    }

    public PumResult pumLogout(String ext) {
        EscauxOperation op = EscauxOperation.pumLogout;
        Element r = xml(op, new Params().add("ext", ext));
        xmlResult(op, r);
        return new PumResult(EscauxXml.text(r, "Extension"), null, EscauxXml.text(r, "Status"),
                EscauxXml.text(r, "StatusText"), null);
    }

    // ---- result codes ---------------------------------------------------------------------------------------

    private EscauxResult xmlResult(EscauxOperation op, Element r) {
        String error = EscauxXml.text(r, "Error");
        String result = EscauxXml.text(r, "Result");
        if (result == null) {
            if (error != null) {
                throw new EscauxFaultException(op.name(), "Error", error, false);
            }
            throw new EscauxResponseException(op.name(), "<" + EscauxXml.name(r) + "> has no <Result>");
        }
        int code;
        try {
            code = Integer.parseInt(result);
        } catch (NumberFormatException e) {
            throw new EscauxResponseException(op.name(), "<Result> '" + result + "' is not a number");
        }
        String detail = error != null ? error : EscauxXml.text(r, "ResultText");
        return EscauxResultCodes.check(op, code, detail);
    }

    private EscauxResult jsonResult(EscauxOperation op, JsonNode n) {
        JsonNode r = n.isObject() ? n.get("Result") : n;
        if (r == null || r.isNull() || r.isContainerNode()) {
            throw new EscauxResponseException(op.name(), "expected {\"Result\": code}, got " + abbreviate(n));
        }
        if (r.isBoolean()) {
            return EscauxResultCodes.check(op, r.asBoolean() ? 0 : 1, null);
        }
        int code;
        try {
            code = Integer.parseInt(r.asText().trim());
        } catch (NumberFormatException e) {
            throw new EscauxResponseException(op.name(), "Result '" + r.asText() + "' is not a number");
        }
        JsonNode text = n.isObject() ? (n.has("ResultText") ? n.get("ResultText") : n.get("Error")) : null;
        return EscauxResultCodes.check(op, code, text == null || text.isNull() ? null : text.asText());
    }

    // ---- transport ------------------------------------------------------------------------------------------

    private Element xml(EscauxOperation op, Params params) {
        return EscauxXml.root(op, get(op, params));
    }

    private JsonNode json(EscauxOperation op, Params params) {
        String body = get(op, params);
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw new EscauxResponseException(op.name(), "empty reply, expected JSON");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new EscauxResponseException(op.name(), "not JSON (" + e.getOriginalMessage() + "); the reply starts with '"
                    + EscauxXml.abbreviate(body) + "'", e);
        }
    }

    private String get(EscauxOperation op, Params params) {
        return http.sendForSuccess(request(op, params)).bodyAsString();
    }

    private VendorHttpRequest request(EscauxOperation op, Params params) {
        if (op.deprecated()) {
            onDeprecated.accept(op);
        }
        VendorHttpRequest.Builder request = VendorHttpRequest.get(address, op.path()).operation(op.name());
        params.values.forEach(request::query);
        return request.build();
    }

    private static Iterable<JsonNode> list(EscauxOperation op, JsonNode n, String... wrappers) {
        JsonNode cur = n;
        for (String w : wrappers) {
            if (cur != null && cur.isObject() && cur.has(w)) {
                cur = cur.get(w);
            }
        }
        if (cur == null || cur.isNull()) {
            return List.of();
        }
        if (cur.isArray()) {
            return cur;
        }
        if (cur.isObject() && !cur.has("Result")) {
            return List.of(cur);
        }
        if (cur.isObject()) {
            JsonNode r = cur.get("Result");
            int code = r.asInt(1);
            EscauxResultCodes.check(op, code == 0 ? 1 : code, cur.has("Error") ? cur.get("Error").asText() : null);
        }
        throw new EscauxResponseException(op.name(), "expected a JSON array, got " + abbreviate(n));
    }

    private static JsonNode object(EscauxOperation op, JsonNode n) {
        if (!n.isObject()) {
            throw new EscauxResponseException(op.name(), "expected a JSON object, got " + abbreviate(n));
        }
        if (n.has("Result") && !n.has("CurrentProfile")) {
            EscauxResultCodes.check(op, n.get("Result").asInt(1), n.has("Error") ? n.get("Error").asText() : null);
        }
        return n;
    }

    private static long number(EscauxOperation op, Element parent, String name, long dflt) {
        String t = EscauxXml.text(parent, name);
        if (t == null || t.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new EscauxResponseException(op.name(), "<" + name + "> '" + t + "' is not a number");
        }
    }

    static String abbreviate(JsonNode n) {
        return EscauxXml.abbreviate(n.toString());
    }

    static LocalDateTime parseDate(String s) {
        try {
            return LocalDateTime.parse(s.trim(), SOP_DATE);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(s.trim().replace(' ', 'T'));
        }
    }

    /** Query parameters in order; null values are left out. */
    static final class Params {
        private final Map<String, String> values = new LinkedHashMap<>();

        Params add(String name, String value) {
            if (value != null) {
                values.put(name, value);
            }
            return this;
        }

        Params flag(String name, boolean on) {
            return on ? add(name, "1") : this;
        }

        Params bool(String name, Boolean value) {
            return value == null ? this : add(name, value.toString());
        }
    }
}
