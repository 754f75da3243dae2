package io.pbxbridge.mor;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Calendar;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;

import io.pbxbridge.vendor.http.VendorHttpRequest.Method;
import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.OperationSpec;
import io.pbxbridge.vendor.operation.Repeat;
import io.pbxbridge.vendor.operation.VendorOperation;

import static io.pbxbridge.vendor.http.VendorHttpRequest.Method.GET;
import static io.pbxbridge.vendor.http.VendorHttpRequest.Method.POST;
import static io.pbxbridge.vendor.operation.OperationInput.optional;
import static io.pbxbridge.vendor.operation.OperationInput.required;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * The 33 operations of MOR's "API by pages" ({@code mor-xml-api.txt}, 17 sections; 35 entries, the PDF and CSV
 * exports apart), one entry each: the method and path the spec names (below the {@code basePath}; {@code %...%}
 * segments filled from the inputs, {@code %userid%} from the userId option), what MOR answers, whether the request
 * may be sent twice, the call and its inputs. Request parameters are form fields (POST) or query parameters (GET)
 * named as in the spec; the parameters in a link's query ({@code ?cft=}, {@code ?src=&dst=&acc=}) stay in the query.
 * Every page but the login form and login also gets {@code user_id} and {@code hash} ({@link MorHash}): the hashed
 * parameters are {@code user_id}, then the operation's own parameters in the order the spec lists them (the link's
 * first), absent or empty ones skipped; path segments are not parameters.
 * <p>
 * Where the spec is silent (mor-common.md):
 * <ul>
 * <li>edit personal details ("Params: 17", list empty): the editable fields of the personal details page, under
 * their names, in the page's order ({@code other_details}, then {@code registration}), those given;</li>
 * <li>update call flow: {@code cft} (the link), then {@code cf_action}, {@code whattodo}, {@code deviceid},
 * {@code ext_number}; fax detect sends {@code cf_action=forward} with {@code whattodo=change_fax_device}, as the spec
 * writes it; MOR answers a page or an action (unspecified);</li>
 * <li>process call: {@code POST /stats/missed_calls} with {@code call_id}, {@code processed=1}, answering the missed
 * calls page; {@code search_on} of the period changes is always {@code 1};</li>
 * <li>periods are sent as epoch seconds (UTC), as Kolmisoft's API and its hash example do.</li>
 * </ul>
 * Repeat: reads are {@link Repeat#SAFE}; so are change currency (it only changes the rates' display) and process
 * call (marking a call processed twice leaves it processed: the poller that marks may repeat it after a failure).
 * The callback, adding and deleting (a second add makes a second entry, a second delete may delete another one
 * whose id was reused) and the updates (a form of values MOR applies to whatever state it is in) are
 * {@link Repeat#ONCE}. A request MOR answers with its login page was not carried out and is sent again after the
 * re-login whatever its repeat ({@link MorLoggedOutException}).
 * <p>
 * Besides the 33, {@link #cdr} is the call-record harvest (a consumer only), and {@link #missedCalls},
 * {@link #newCalls} and {@link #faxes} are also consumers: pollers of new items as events ({@link MorEventConsumer}).
 */
public enum MorOperation implements VendorOperation<MorEndpoint> {

    // 1. Login page
    loginForm(GET, "/callc/login", Reply.PAGE, op(SAFE, (e, in) -> e.client().loginForm())),
    // a fresh login with the configured account (the component keeps its own session): logging in twice is harmless
    login(POST, "/api/login", Reply.ACTION, op(SAFE, (e, in) -> e.client().login())),
    // 2. Main page
    mainPage(GET, "/callc/main", Reply.PAGE, op(SAFE, (e, in) -> e.client().mainPage())),
    // 3. Details
    personalDetails(GET, "/users/personal_details", Reply.PAGE, op(SAFE, (e, in) -> e.client().personalDetails())),
    updatePersonalDetails(POST, "/users/update_personal_details/%userid%", Reply.ACTION, op(ONCE,
            (e, in) -> e.client().updatePersonalDetails(details(in)), optional("details"))),
    // 4. Devices
    devices(GET, "/devices/user_devices", Reply.PAGE, op(SAFE, (e, in) -> e.client().devices())),
    // 5. Call flow
    callflow(GET, "/devices/callflow/%device_id%", Reply.PAGE, op(SAFE,
            (e, in) -> e.client().callflow(in.string("deviceId")), required("deviceId"))),
    callflowEdit(GET, "/devices/callflow_edit/%device_id%", Reply.PAGE, op(SAFE,
            (e, in) -> e.client().callflowEdit(in.string("deviceId"), cfType(in)), required("deviceId"),
            optional("cfType"))),
    updateCallflow(POST, "/devices/callflow_edit/%device_id%", Reply.EITHER, op(ONCE,
            (e, in) -> e.client().updateCallflow(in.string("deviceId"), cfType(in), cfAction(in),
                    in.string("targetDeviceId"), in.string("extNumber")),
            required("deviceId"), optional("cfType"), optional("cfAction"), optional("targetDeviceId"),
            optional("extNumber"))),
    // 6. Rates, destinations, external links, change currency
    rates(GET, "/tariffs/user_rates", Reply.PAGE, op(SAFE, (e, in) -> e.client().rates())),
    destinations(GET, "/directions/dg_list_user_destinations/%dest_id%", Reply.PAGE, op(SAFE,
            (e, in) -> e.client().destinations(in.string("destId")), required("destId"))),
    exportRatesPdf(GET, "/tariffs/generate_personal_rates_pdf/%userid%", Reply.FILE, op(SAFE,
            (e, in) -> e.client().exportRatesPdf())),
    exportRatesCsv(GET, "/tariffs/generate_personal_rates_csv/%userid%", Reply.FILE, op(SAFE,
            (e, in) -> e.client().exportRatesCsv())),
    changeCurrency(GET, "/tariffs/user_rates", Reply.PAGE, op(SAFE,
            (e, in) -> e.client().changeCurrency(in.string("currency")), required("currency"))),
    // 7. Payments, 8. Invoices, 9. Subscriptions
    payments(GET, "/payments/personal_payments", Reply.PAGE, op(SAFE, (e, in) -> e.client().payments())),
    invoices(GET, "/accounting/user_invoices", Reply.PAGE, op(SAFE, (e, in) -> e.client().invoices())),
    subscriptions(GET, "/services/user_subscriptions", Reply.PAGE, op(SAFE,
            (e, in) -> e.client().subscriptions())),
    // 10. Calls
    calls(GET, "/stats/call_list", Reply.PAGE, op(SAFE, (e, in) -> e.client().calls())),
    callsPeriod(POST, "/stats/call_list", Reply.PAGE, op(SAFE, (e, in) -> {
        Instant[] period = period(in, e.timeZone());
        return e.client().callsPeriod(new CallQuery(period[0], period[1], in.string("direction"),
                in.string("callType"), in.string("deviceId")));
    }, optional("periodStart"), optional("periodEnd"), optional("direction"), optional("callType"),
            optional("deviceId"))),
    exportCallsPdf(GET, "/stats/call_list_to_pdf/%userid%", Reply.FILE, op(SAFE, (e, in) -> {
        Instant[] period = period(in, e.timeZone());
        return e.client().exportCallsPdf(in.string("callType"), period[0], period[1]);
    }, optional("callType"), optional("periodStart"), optional("periodEnd"))),
    exportCallsCsv(GET, "/stats/call_list_to_csv/%userid%", Reply.FILE, op(SAFE, (e, in) -> {
        Instant[] period = period(in, e.timeZone());
        return e.client().exportCallsCsv(in.string("callType"), period[0], period[1]);
    }, optional("callType"), optional("periodStart"), optional("periodEnd"))),
    // 11. New calls
    newCalls(GET, "/stats/new_calls_list", Reply.PAGE, op(SAFE, (e, in) -> e.client().newCalls())),
    // 12. Missed calls
    missedCalls(GET, "/stats/missed_calls", Reply.PAGE, op(SAFE, (e, in) -> e.client().missedCalls())),
    missedCallsPeriod(POST, "/stats/missed_calls", Reply.PAGE, op(SAFE, (e, in) -> {
        Instant[] period = period(in, e.timeZone());
        return e.client().missedCallsPeriod(period[0], period[1]);
    }, optional("periodStart"), optional("periodEnd"))),
    processMissedCall(POST, "/stats/missed_calls", Reply.PAGE, op(SAFE,
            (e, in) -> e.client().processMissedCall(in.string("callId")), required("callId"))),
    // 13. Graphs (detailed statistics); the spec's "/billing/stats/user_stats" is this path under basePath /billing
    statistics(GET, "/stats/user_stats", Reply.PAGE, op(SAFE, (e, in) -> e.client().statistics())),
    statisticsPeriod(POST, "/stats/user_stats", Reply.PAGE, op(SAFE, (e, in) -> {
        Instant[] period = period(in, e.timeZone());
        return e.client().statisticsPeriod(period[0], period[1]);
    }, optional("periodStart"), optional("periodEnd"))),
    // 14. CLIs
    clis(GET, "/devices/user_device_clis", Reply.PAGE, op(SAFE, (e, in) -> e.client().clis())),
    addCli(POST, "/devices/cli_add", Reply.ACTION, op(ONCE,
            (e, in) -> e.client().addCli(in.string("deviceId"), in.string("cli"), in.string("description")),
            required("deviceId"), required("cli"), optional("description"))),
    // 15. Phonebook
    phonebook(GET, "/phonebooks/list/%userid%", Reply.PAGE, op(SAFE, (e, in) -> e.client().phonebook())),
    addPhonebookEntry(POST, "/phonebooks/add_new/%userid%", Reply.ACTION, op(ONCE,
            (e, in) -> e.client().addPhonebookEntry(in.string("number"), in.string("name")), required("number"),
            required("name"))),
    deletePhonebookEntry(POST, "/phonebooks/destroy/%entryid%", Reply.ACTION, op(ONCE,
            (e, in) -> e.client().deletePhonebookEntry(in.string("entryId")), required("entryId"))),
    // 16. Faxes
    faxes(GET, "/stats/faxes_list/%userid%", Reply.PAGE, op(SAFE, (e, in) -> e.client().faxes())),
    faxesPeriod(POST, "/stats/faxes_list/%userid%", Reply.PAGE, op(SAFE, (e, in) -> {
        Instant[] period = period(in, e.timeZone());
        return e.client().faxesPeriod(period[0], period[1], in.string("faxStatus"), in.string("deviceId"));
    }, optional("periodStart"), optional("periodEnd"), optional("faxStatus"), optional("deviceId"))),
    // 17. Callback: places two calls
    callback(POST, "/functions/activate_callback", Reply.ACTION, op(ONCE,
            (e, in) -> e.client().callback(in.string("src"), in.string("dst"), in.string("deviceId")),
            required("src"), required("dst"), required("deviceId"))),
    // The call-record harvest (consumer only): the call list of each window, as CallRecords (MorCallRecordPages)
    cdr(POST, "/stats/call_list", Reply.PAGE, op(SAFE, (e, in) -> {
        throw new UnsupportedOperationException("mor:cdr is consumer only; call callsPeriod to read calls");
    }));

    /** What MOR answers. */
    enum Reply {
        /** A {@code <page>}. */
        PAGE,
        /** An {@code <action>} with its status. */
        ACTION,
        /** Either (unspecified). */
        EITHER,
        /** A file (PDF or CSV), streamed. */
        FILE
    }

    /**
     * The editable fields of the personal details page, in its order: what {@link #updatePersonalDetails} sends and
     * hashes.
     */
    static final List<String> PERSONAL_DETAILS_FIELDS = List.of("username", "surname", "personalid",
            "agreement_number", "agreement_date", "taxation_country", "vat_reg_number", "vat_percent", "reg_address",
            "reg_postcode", "reg_city", "reg_country", "reg_state", "reg_direction", "reg_phone", "reg_mobile",
            "reg_fax", "reg_email");

    private final Method method;
    private final String path;
    private final Reply reply;
    private final OperationSpec<MorEndpoint> spec;

    MorOperation(Method method, String path, Reply reply, OperationSpec<MorEndpoint> spec) {
        this.method = method;
        this.path = path;
        this.reply = reply;
        this.spec = spec;
    }

    /** The method the spec names (MOR accepts both). */
    public Method method() {
        return method;
    }

    /** The spec's path below the base path, {@code %...%} segments included, e.g. {@code /devices/callflow/%device_id%}. */
    public String path() {
        return path;
    }

    Reply reply() {
        return reply;
    }

    /** Whether the page needs the session, {@code user_id} and {@code hash}: all but the login form and login. */
    public boolean authenticated() {
        return this != loginForm && this != login;
    }

    /** Every operation but the harvest ({@link #cdr}, a consumer) is called by a producer. */
    @Override
    public boolean producer() {
        return this != cdr;
    }

    /** The endpoint path: several operations share a wire path, which the method and the parameters tell apart. */
    @Override
    public String wireName() {
        return name();
    }

    @Override
    public OperationSpec<MorEndpoint> spec() {
        return spec;
    }

    /** The call, and the result's repairs (or an export's name and type) in headers. */
    private static OperationSpec<MorEndpoint> op(Repeat repeat, OperationSpec.Call<MorEndpoint> call,
                                                 OperationInput... inputs) {
        return OperationSpec.of(repeat, (e, in) -> {
            Object result = call.invoke(e, in);
            Message m = in.message();
            if (result instanceof MorReply reply) {
                m.setHeader(MorConstants.REPAIRS, reply.repairs());
            } else if (result instanceof MorExport export) {
                m.removeHeader(MorConstants.REPAIRS);
                m.setHeader(MorConstants.FILE_NAME, export.fileName());
                if (export.contentType() != null) {
                    m.setHeader(MorConstants.CONTENT_TYPE, export.contentType());
                }
            }
            return result;
        }, inputs);
    }

    private static MorCallflowType cfType(OperationInputs in) {
        MorCallflowType t = in.get("cfType", MorCallflowType.class);
        if (t == null) {
            throw in.invalid("needs cfType (before_call, call, hangup, noanswer, busy, failed): the option or the "
                    + in.headerName("cfType") + " header");
        }
        return t;
    }

    private static MorCallflowAction cfAction(OperationInputs in) {
        MorCallflowAction a = in.get("cfAction", MorCallflowAction.class);
        if (a == null) {
            throw in.invalid("needs cfAction (empty, forward, voicemail, faxdetect): the option or the "
                    + in.headerName("cfAction") + " header");
        }
        return a;
    }

    /** The fields to change: a Map header or body, or the option {@code name=value|name=value}. */
    private static Map<String, String> details(OperationInputs in) {
        Object v = in.header("details");
        if (v == null && in.message().getBody() instanceof Map<?, ?> body) {
            v = body;
        }
        if (v == null) {
            v = in.option("details");
        }
        Map<String, String> given = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, val) -> given.put(String.valueOf(k).trim(), val == null ? "" : String.valueOf(val)));
        } else if (v != null) {
            for (String pair : v.toString().split("\\|")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw in.invalid("details: '" + pair.strip() + "' is not name=value");
                }
                given.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            }
        }
        if (given.isEmpty()) {
            throw in.invalid("needs details: the fields to change, name=value|name=value (the details option, the "
                    + in.headerName("details") + " header or a Map body)");
        }
        for (String name : given.keySet()) {
            if (!PERSONAL_DETAILS_FIELDS.contains(name)) {
                throw in.invalid("details: '" + name + "' is not a field of the personal details page; one of "
                        + PERSONAL_DETAILS_FIELDS);
            }
        }
        return given;
    }

    /** periodStart and periodEnd, both required, the end not before the start. */
    private static Instant[] period(OperationInputs in, ZoneId zone) {
        Instant start = instant(in, "periodStart", zone);
        Instant end = instant(in, "periodEnd", zone);
        if (end.isBefore(start)) {
            throw in.invalid("periodEnd " + end + " is before periodStart " + start);
        }
        return new Instant[] { start, end };
    }

    /** An instant in any of the forms the period inputs take (see {@link MorConstants#PERIOD_START}). */
    static Instant instant(OperationInputs in, String name, ZoneId zone) {
        Object v = in.value(name);
        if (v == null || v instanceof String s && s.isBlank()) {
            throw in.invalid("needs " + name + ": the option or the " + in.headerName(name) + " header (an Instant, "
                    + "epoch seconds or yyyy-MM-dd HH:mm:ss in MOR's time zone)");
        }
        Instant i = toInstant(v, zone);
        if (i == null) {
            throw in.invalid(name + " '" + v + "' is not a date-time (an Instant, epoch seconds, an ISO-8601 instant, "
                    + "yyyy-MM-dd HH:mm:ss or yyyy-MM-dd in MOR's time zone)");
        }
        return i;
    }

    /** Null when {@code v} is none of the forms. */
    static Instant toInstant(Object v, ZoneId zone) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof LocalDateTime d) {
            return d.atZone(zone).toInstant();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay(zone).toInstant();
        }
        if (v instanceof TemporalAccessor t && t.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(t);
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Calendar c) {
            return c.toInstant();
        }
        if (v instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        String s = v.toString().strip();
        try {
            if (s.matches("-?\\d+")) {
                return Instant.ofEpochSecond(Long.parseLong(s));
            }
            LocalDateTime local = MorValues.fastDateTime(s);
            if (local != null) {
                return local.atZone(zone).toInstant();
            }
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant();
            }
            if (s.endsWith("Z") || s.endsWith("z")) {
                return Instant.parse(s);
            }
            if (s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s).toInstant();
            }
            if (s.contains("[")) {
                return ZonedDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }
}
