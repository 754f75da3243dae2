package io.pbxbridge.escaux;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.OperationSpec;
import io.pbxbridge.vendor.operation.Repeat;
import io.pbxbridge.vendor.operation.VendorOperation;

import static io.pbxbridge.vendor.operation.OperationInput.optional;
import static io.pbxbridge.vendor.operation.OperationInput.required;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * The operations of the Escaux Fusion SOP XML/JSON API, one entry each: the format the component uses ({@code .json}
 * where the spec offers JSON, {@code .php} XML otherwise), whether Escaux deprecated it, the root elements an XML
 * reply may have, whether the request may be sent twice, the call and its inputs. {@link #events} is the TCP event
 * stream and {@link #cdr} the call-record harvest (both consumer only).
 */
public enum EscauxOperation implements VendorOperation<EscauxEndpoint> {

    // ---- DB access
    dbGetDirectoryInfo(Format.JSON, false, replyRoots(), op(SAFE,
            (e, in) -> e.getClient().dbGetDirectoryInfo(Filters.of(in, Filters.DIRECTORY),
                    in.get("wildcards", Wildcards.class), in.flag("showInvisible"), in.flag("showProfileParameters")),
            Filters.inputs(Filters.DIRECTORY, optional("wildcards"), optional("showInvisible"),
                    optional("showProfileParameters")))),
    dbGetCallflow(Format.JSON, false, replyRoots(), op(SAFE,
            (e, in) -> e.getClient().dbGetCallflow(in.string("ext"), in.string("lang")), required("ext"),
            optional("lang"))),
    dbGetNextStatus(Format.XML, true, replyRoots("dbGetNextStatusResult"), op(SAFE,
            (e, in) -> e.getClient().dbGetNextStatus(in.string("ext")), required("ext"))),
    dbSetProfile(Format.JSON, false, replyRoots(), op(SAFE, (e, in) -> {
        String profileName = in.string("profileName");
        String status = in.string("status");
        if (blank(profileName) && blank(status)) {
            throw in.invalid("needs profileName or status (the " + in.headerName("profileName") + " or "
                    + in.headerName("status") + " header)");
        }
        return e.getClient().dbSetProfile(in.string("ext"), profileName, status);
    }, required("ext"), optional("profileName"), optional("status"))),
    dbGetProfileParameters(Format.JSON, false, replyRoots(), op(SAFE,
            (e, in) -> e.getClient().dbGetProfileParameters(in.string("ext"), in.flag("showAdmin"), in.string("lang")),
            required("ext"), optional("showAdmin"), optional("lang"))),
    dbSetProfileParameters(Format.JSON, false, replyRoots(), op(SAFE,
            (e, in) -> e.getClient().dbSetProfileParameters(in.string("ext"), profileParameters(in)),
            required("ext"), optional("profileParameters"))),
    dbGetPhoneState(Format.JSON, true, replyRoots(), op(SAFE,
            (e, in) -> e.getClient().dbGetPhoneState(Filters.of(in, Filters.PHONE)), Filters.inputs(Filters.PHONE))),
    dbCheckPincode(Format.XML, true, replyRoots("dbCheckPincode", "dbCheckPincodeResult"), op(SAFE,
            (e, in) -> e.getClient().dbCheckPincode(in.string("ext"), in.string("pincode")),
            required("ext"), required("pincode"))),
    dbGetCallHistory(Format.JSON, false, replyRoots(), op(SAFE, (e, in) -> {
        Integer limit = in.get("limit", Integer.class);
        if (limit == null || limit < 1) {
            throw in.invalid("needs limit > 0 (the limit option or the " + in.headerName("limit") + " header)");
        }
        return e.getClient().dbGetCallHistory(in.string("ext"), limit, startDate(in, e.timeZone()));
    }, required("ext"), optional("limit"), optional("startDate"))),
    dbGetParkedChannels(Format.XML, false, replyRoots("Channels"), op(SAFE,
            (e, in) -> e.getClient().dbGetParkedChannels(in.string("channelId")), optional("channelId"))),
    dbGetQueueInfo(Format.XML, false, replyRoots("Queues"), op(SAFE, (e, in) -> e.getClient().dbGetQueueInfo())),
    // check reads, set writes the same password again when repeated
    dbAuthenticate(Format.XML, false, replyRoots("Authenticate"), op(SAFE, (e, in) -> {
        AuthenticateCommand command = in.get("command", AuthenticateCommand.class);
        if (command == null) {
            throw in.invalid("needs command check or set");
        }
        return e.getClient().dbAuthenticate(in.string("ext"), command, in.string("password"),
                in.string("newPassword"), in.string("parameter"));
    }, required("ext"), optional("command"), optional("password"), optional("newPassword"), optional("parameter"))),
    dbGetRegistration(Format.XML, false, replyRoots("dbGetRegistrationResult"), op(SAFE,
            (e, in) -> e.getClient().dbGetRegistration())),
    // ---- Call control
    ccOriginate(Format.XML, false, replyRoots("ccOriginateResult"), op(ONCE, (e, in) -> {
        Technology technology = in.get("technology", Technology.class);
        String ext = in.string("ext");
        if (technology == Technology.Local && blank(ext)) {
            throw in.invalid("ext is mandatory with technology Local");
        }
        return e.getClient().ccOriginate(in.string("phoneId"), in.string("to"), ext, technology,
                in.get("async", Boolean.class), in.get("localOptimization", Boolean.class),
                EscauxMapping.originateVars(in.value("var")));
    }, required("phoneId"), required("to"), optional("technology"), optional("ext"), optional("async"),
            optional("localOptimization"), optional("var"))),
    ccHangup(Format.XML, false, replyRoots("ccHangupResult"), op(ONCE,
            (e, in) -> e.getClient().ccHangup(in.string("channelId")), required("channelId"))),
    ccRedirect(Format.XML, false, replyRoots("ccRedirectResult"), op(ONCE,
            (e, in) -> e.getClient().ccRedirect(in.string("channelId"), in.string("to"), in.string("ext")),
            required("channelId"), required("to"), optional("ext"))),
    ccHold(Format.XML, true, replyRoots("ccHoldResult", "ccHold"), op(ONCE,
            (e, in) -> e.getClient().ccHold(in.string("channelId")), required("channelId"))),
    ccPark(Format.XML, false, replyRoots("ccParkResult"), op(ONCE,
            (e, in) -> e.getClient().ccPark(in.string("channelId"), in.string("channelId2")),
            required("channelId"), optional("channelId2"))),
    ccJoinPark(Format.XML, false, replyRoots("ccJoinParkResult"), op(ONCE,
            (e, in) -> e.getClient().ccJoinPark(in.string("channelId"), in.string("to")),
            required("channelId"), required("to"))),
    ccPing(Format.XML, false, replyRoots("ccPingResult"), op(SAFE, (e, in) -> e.getClient().ccPing())),
    ccGetChannels(Format.XML, false, replyRoots("Channels"), op(SAFE,
            (e, in) -> e.getClient().ccGetChannels(in.flag("parkedOnly"), in.flag("holdOnly"), in.string("showVars")),
            optional("parkedOnly"), optional("holdOnly"), optional("showVars"))),
    ccGetQueueMembers(Format.XML, false, replyRoots("Members"), op(SAFE,
            (e, in) -> e.getClient().ccGetQueueMembers(in.string("queue"), in.string("phone")),
            optional("queue"), optional("phone"))),
    ccQueueAdd(Format.XML, false, replyRoots("ccQueueAdd", "ccQueueAddResult"), op(SAFE,
            (e, in) -> e.getClient().ccQueueAdd(in.string("queue"), in.string("phone")), required("queue"),
            required("phone"))),
    fusionQueuesSet(Format.JSON, false, replyRoots(), op(SAFE,
            (e, in) -> e.getClient().fusionQueuesSet(in.string("queue"), in.string("phone")), required("queue"),
            required("phone"))),
    ccQueueRemove(Format.XML, false, replyRoots("ccQueueRemove", "ccQueueRemoveResult"), op(SAFE,
            (e, in) -> e.getClient().ccQueueRemove(in.string("queue"), in.string("phone")), required("queue"),
            required("phone"))),
    fusionQueuesRemove(Format.JSON, false, replyRoots(), op(SAFE,
            (e, in) -> e.getClient().fusionQueuesRemove(in.string("queue"), in.string("phone")), required("queue"),
            required("phone"))),
    ccGetQueueStatus(Format.XML, false, replyRoots("Queues"), op(SAFE,
            (e, in) -> e.getClient().ccGetQueueStatus(in.string("queue")), required("queue"))),
    ccQueuePause(Format.XML, false, replyRoots("ccQueuePauseResult"), op(SAFE,
            (e, in) -> e.getClient().ccQueuePause(in.string("queue"), in.string("phone"), paused(in)),
            required("queue"), required("phone"), optional("paused"))),
    ccQueuePauseAll(Format.XML, false, replyRoots("PauseAll"), op(SAFE,
            (e, in) -> e.getClient().ccQueuePauseAll(in.string("phone"), paused(in)), required("phone"),
            optional("paused"))),
    ccRecord(Format.XML, false, replyRoots("ccRecord", "ccRecordResult"), op(ONCE, (e, in) -> {
        String mailbox = in.string("mailbox");
        String filename = in.string("filename");
        if (blank(mailbox) == blank(filename)) {
            throw in.invalid("needs exactly one of mailbox or filename");
        }
        RecordAction action = in.get("action", RecordAction.class);
        if (action == null) {
            throw in.invalid("needs action start or stop");
        }
        return e.getClient().ccRecord(in.string("channelId"), mailbox, filename, action, in.string("callerId"));
    }, required("channelId"), optional("mailbox"), optional("filename"), optional("action"), optional("callerId"))),
    ccSetVar(Format.XML, false, replyRoots("ccSetVarResult", "ccSetVar"), op(SAFE,
            (e, in) -> e.getClient().ccSetVar(in.string("channelId"), in.string("variable"), in.string("value")),
            required("channelId"), required("variable"), optional("value"))),
    ccGetVar(Format.XML, false, replyRoots("ccGetVarResult", "ccGetVar"), op(SAFE,
            (e, in) -> e.getClient().ccGetVar(in.string("channelId"), in.string("variable")),
            required("channelId"), required("variable"))),
    // ---- PUM: the SOP refuses two calls for one extension within 90 s, so they are never repeated
    pumLogin(Format.XML, false, replyRoots("pumLoginResult"), op(ONCE, EscauxOperation::pum, required("ext"),
            required("phone"))),
    pumLogout(Format.XML, false, replyRoots("pumLogoutResult"), op(ONCE, EscauxOperation::pum, required("ext"))),
    // ---- event stream (TCP 5050, op()), consumer only
    events(null, false, replyRoots(), op(SAFE, (e, in) -> {
        throw new UnsupportedOperationException("escaux:events is consumer only");
    })),
    // ---- call-record harvest (dbGetCallHistory of the watched extensions), consumer only
    cdr(null, false, replyRoots(), op(SAFE, (e, in) -> {
        throw new UnsupportedOperationException("escaux:cdr is consumer only");
    }));

    /** How the operation is requested and answered. */
    public enum Format {
        /** {@code /xml/<name>.json}, a JSON reply. */
        JSON("json"),
        /** {@code /xml/<name>.php}, an XML reply. */
        XML("php");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    private final Format format;
    private final boolean deprecated;
    private final List<String> roots;
    private final OperationSpec<EscauxEndpoint> spec;

    EscauxOperation(Format format, boolean deprecated, List<String> roots, OperationSpec<EscauxEndpoint> spec) {
        this.format = format;
        this.deprecated = deprecated;
        this.roots = roots;
        this.spec = spec;
    }

    public Format format() {
        return format;
    }

    /** Deprecated by Escaux: still works, the component logs a warning the first time it is used. */
    public boolean deprecated() {
        return deprecated;
    }

    /** Root element names an XML reply of this operation may have (first = the documented one). */
    public List<String> roots() {
        return roots;
    }

    /** The request path, e.g. {@code /xml/ccHangup.php}. */
    public String path() {
        return "/xml/" + name() + "." + format.extension();
    }

    @Override
    public String wireName() {
        return name();
    }

    @Override
    public OperationSpec<EscauxEndpoint> spec() {
        return spec;
    }

    @Override
    public boolean producer() {
        return this != events && this != cdr;
    }

    private static OperationSpec<EscauxEndpoint> op(Repeat repeat, OperationSpec.Call<EscauxEndpoint> call,
                                                    OperationInput... inputs) {
        return OperationSpec.of(repeat, call, inputs);
    }

    private static List<String> replyRoots(String... names) {
        return List.of(names);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Name=value pairs from the header, a Map body or the option ({@code a=1|b=2}). */
    private static Map<String, String> profileParameters(OperationInputs in) {
        Object v = in.header("profileParameters");
        if (v == null && in.message().getBody() instanceof Map<?, ?> body) {
            v = body;
        }
        if (v == null) {
            v = in.option("profileParameters");
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, val) -> out.put(String.valueOf(k), val == null ? "" : String.valueOf(val)));
        } else if (v != null) {
            out.putAll(EscauxMapping.pairs(v.toString(), "|"));
        }
        out.remove("ext");
        if (out.isEmpty()) {
            throw in.invalid("needs at least one name=value pair (the profileParameters option, the "
                    + in.headerName("profileParameters") + " header or a Map body)");
        }
        return out;
    }

    /** The SOP's local time: as given, or an instant seen from the SOP's zone. */
    private static LocalDateTime startDate(OperationInputs in, ZoneId zone) {
        Object v = in.value("startDate");
        if (v instanceof LocalDateTime d) {
            return d;
        }
        if (v instanceof java.time.temporal.TemporalAccessor t && t.isSupported(ChronoField.INSTANT_SECONDS)) {
            return LocalDateTime.ofInstant(Instant.from(t), zone);
        }
        String s = v != null ? v.toString() : null;
        if (blank(s)) {
            throw in.invalid("needs startDate (yyyy-MM-dd HH:mm:ss)");
        }
        try {
            return EscauxClient.parseDate(s);
        } catch (RuntimeException e) {
            throw in.invalid("startDate '" + s + "' is not yyyy-MM-dd HH:mm:ss");
        }
    }

    private static boolean paused(OperationInputs in) {
        Boolean p = in.get("paused", Boolean.class);
        if (p == null) {
            throw in.invalid("needs paused true or false");
        }
        return p;
    }

    /** PUM calls for one extension are kept 90 s apart (the SOP refuses closer ones) across all endpoints. */
    private static PumResult pum(EscauxEndpoint e, OperationInputs in) {
        EscauxOperation op = (EscauxOperation) e.getOperation();
        String ext = in.string("ext");
        String phone = op == pumLogin ? in.string("phone") : null;
        EscauxClient client = e.getClient();
        EscauxComponent component = e.getComponent();
        Long previous = component.reservePumCall(op.name(), client.address(), ext,
                Duration.ofMillis(e.getConfiguration().getPumMinInterval()));
        try {
            return op == pumLogin ? client.pumLogin(ext, phone) : client.pumLogout(ext);
        } catch (EscauxException x) {
            if (x.getKind() == VendorException.Kind.UNREACHABLE) {
                component.releasePumCall(client.address(), ext, previous); // never reached the SOP
            }
            throw x;
        }
    }

    /** Filter inputs sent under their wire names when given: the directory's and the phone state's. */
    private static final class Filters {
        static final Map<String, String> DIRECTORY = ordered("admin", "admin", "company", "company", "contextId",
                "context_id", "contextName", "context_name", "dp", "dp", "login", "login", "fn", "fn", "ln", "ln",
                "ext", "ext", "grp", "grp", "mobile", "mobile", "home", "home", "fax", "fax", "email", "email",
                "profile", "profile", "office", "office", "outgoingNumber", "outgoing_number", "site", "site",
                "sop1", "sop1", "sop1Ip", "sop1_ip", "sop2", "sop2", "sop2Ip", "sop2_ip", "sourceSystem", "source",
                "sp", "sp", "status", "status");
        static final Map<String, String> PHONE = ordered("phoneId", "phone_id", "phoneState", "phone_state",
                "phoneMac", "phone_mac", "localChannel", "localchannel", "remoteChannel", "remotechannel");

        static OperationInput[] inputs(Map<String, String> filters, OperationInput... more) {
            List<OperationInput> all = new java.util.ArrayList<>();
            filters.keySet().forEach(name -> all.add(optional(name)));
            all.addAll(List.of(more));
            return all.toArray(OperationInput[]::new);
        }

        static Map<String, String> of(OperationInputs in, Map<String, String> filters) {
            Map<String, String> out = new LinkedHashMap<>();
            filters.forEach((input, wire) -> {
                String v = in.string(input);
                if (!blank(v)) {
                    out.put(wire, v);
                }
            });
            return out;
        }

        private static Map<String, String> ordered(String... inputAndWire) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < inputAndWire.length; i += 2) {
                m.put(inputAndWire[i], inputAndWire[i + 1]);
            }
            return m;
        }
    }
}
