package io.pbxbridge.mor;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpFailures;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpSettings;
import io.pbxbridge.vendor.http.VendorHttpStream;
import io.pbxbridge.vendor.session.SessionExpiry;
import io.pbxbridge.vendor.session.SessionKey;
import io.pbxbridge.vendor.session.SessionLogout;
import io.pbxbridge.vendor.session.SessionManager;
import io.pbxbridge.vendor.session.SessionToken;

/**
 * Typed calls to MOR's "API by pages", one method per operation ({@link MorOperation}), over the vendor HTTP
 * transport (each request sent once). Synchronous and thread-safe; one per server and account, shared by the
 * endpoints.
 * <p>
 * <b>Both of MOR's authentications</b>, on every page but the login form and the login itself:
 * <ul>
 * <li>the session: {@code POST <base>/api/login?u=<username>&p=<password>} (the credentials in the query, as the
 * spec says; the password is masked wherever the request is written) answers an {@code <action>} and sets a cookie,
 * sent with every page. The {@link SessionManager} logs in on first use, once for all the calls waiting for it. A page
 * MOR answers with its login page ({@code <pagename>Login page</pagename>}, or a redirect to it) was not carried out:
 * the session is renewed once for all the calls that met it and the request sent again once
 * ({@link MorLoggedOutException});</li>
 * <li>{@code user_id} and {@code hash} ({@link MorHash}) with the page's parameters, when the userId and
 * apiSecretKey options are set.</li>
 * </ul>
 * Pages are read as they arrive by the tolerant reader ({@link MorXmlReader}), which repairs the known faults of
 * MOR's XML and reports them: in the result's {@link MorReply#repairs()}, at DEBUG for each page, and at INFO the first
 * time each kind of fault is met on each page. MOR's refusals ({@code <status>failed</status>}, {@code <error_msg>},
 * {@code <error>}) are {@link MorFaultException}s with MOR's text. Large lists (calls, missed calls) can be read into a
 * consumer as they come ({@link #callsPeriod(CallQuery, Consumer)}), and exports are streams ({@link MorExport}).
 */
public class MorClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MorClient.class);

    /** Parameters whose values are masked wherever the transport writes a request. */
    static final Set<String> SECRET_PARAMS = Set.of("p", "hash", "password");
    /** The login page's {@code <pagename>}: MOR's answer to a page asked for without a valid session. */
    static final String LOGIN_PAGE = "Login page";

    private final String address;
    private final String basePath;
    private final String username;
    private final String password;
    private final String userId;
    private final String apiSecretKey;
    private final ZoneId zone;
    private final VendorHttpClient http;
    private final SessionManager<SessionToken> sessions;
    private final SessionKey key;
    /** Masked in the samples of repairs: the password and the API key. */
    private final List<String> secrets;
    /** operation + kind of the repairs already said at INFO. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param http the transport ({@link #transport}), shared with other endpoints and closed by its owner
     */
    public MorClient(MorConfiguration configuration, VendorHttpClient http) {
        String a = configuration.getAddress();
        if (a == null || a.isBlank()) {
            throw new IllegalArgumentException("mor: the address of MOR is not configured (http(s)://host:port)");
        }
        if (configuration.getUsername() == null || configuration.getUsername().isBlank()) {
            throw new IllegalArgumentException("mor: the username of MOR's login is not configured");
        }
        this.address = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        String b = configuration.getBasePath() == null ? "" : configuration.getBasePath().strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.basePath = b.isEmpty() || b.startsWith("/") ? b : "/" + b;
        this.username = configuration.getUsername();
        this.password = configuration.getPassword() == null ? "" : configuration.getPassword();
        this.userId = blank(configuration.getUserId()) ? null : configuration.getUserId().strip();
        this.apiSecretKey = blank(configuration.getApiSecretKey()) ? null : configuration.getApiSecretKey();
        String tz = configuration.getTimeZone();
        this.zone = blank(tz) ? ZoneId.of("UTC") : ZoneId.of(tz.strip());
        this.http = http;
        this.sessions = new SessionManager<>(MorComponent.SCHEME, MorClient::expiry, SessionLogout.none());
        this.key = new SessionKey(address + basePath, username);
        List<String> s = new ArrayList<>();
        for (String secret : new String[] { password, apiSecretKey }) {
            if (secret != null && secret.length() >= io.pbxbridge.support.SecretMasking.MIN_LENGTH) {
                s.add(secret);
            }
        }
        this.secrets = List.copyOf(s);
    }

    /** The HTTP transport of MOR: its exceptions and its secret parameters. */
    static VendorHttpClient transport(VendorHttpSettings settings) {
        return VendorHttpClient.builder(MorComponent.SCHEME).settings(settings).failures(MorHttpFailures.INSTANCE)
                .secretParameters(SECRET_PARAMS).build();
    }

    /** A login page instead of the page asked for proves the request was not carried out. */
    static SessionExpiry expiry(VendorException failure) {
        return failure instanceof MorLoggedOutException ? SessionExpiry.EXPIRED_NOT_EXECUTED
                : SessionExpiry.NOT_EXPIRED;
    }

    public String address() {
        return address;
    }

    /** MOR's time zone, in which its pages' dates are read. */
    public ZoneId zone() {
        return zone;
    }

    /** Forgets the session (MOR has no logout in the spec: it expires on the server). */
    @Override
    public void close() {
        sessions.close();
    }

    // ---- 1. Login page ---------------------------------------------------------------------------------------

    /** The login form: needs no session. */
    public LoginForm loginForm() {
        MorOperation op = MorOperation.loginForm;
        return read(op, new Params(op), null, null, null, doc -> MorPages.loginForm(doc, values(op)));
    }

    /**
     * Logs in with the configured account and returns MOR's answer: a check of the credentials (the component's
     * pages use their own session, logged in when first needed). A refused login is a
     * {@link MorAuthenticationException}.
     */
    public MorAction login() {
        return loginAction().action();
    }

    // ---- 2. Main page, 3. Details, 4. Devices ---------------------------------------------------------------

    public MainPage mainPage() {
        MorOperation op = MorOperation.mainPage;
        return page(op, new Params(op), doc -> MorPages.mainPage(doc, values(op)));
    }

    public PersonalDetails personalDetails() {
        MorOperation op = MorOperation.personalDetails;
        return page(op, new Params(op), doc -> MorPages.personalDetails(doc, values(op)));
    }

    /**
     * Changes personal details: {@code fields} under MOR's names (those of the personal details page), sent and
     * hashed in the page's order ({@link PersonalDetails#editable()} gives the current ones).
     */
    public MorAction updatePersonalDetails(Map<String, String> fields) {
        MorOperation op = MorOperation.updatePersonalDetails;
        Params p = new Params(op);
        for (String name : MorOperation.PERSONAL_DETAILS_FIELDS) {
            p.param(name, fields.get(name));
        }
        for (String name : fields.keySet()) {
            if (!MorOperation.PERSONAL_DETAILS_FIELDS.contains(name)) {
                throw new MorValidationException(op.name(), "'" + name + "' is not a field of the personal details "
                        + "page");
            }
        }
        return page(op, p, MorPages::action);
    }

    /** The devices, SIP passwords included ({@link Devices.Device#toString()} masks them). */
    public Devices devices() {
        MorOperation op = MorOperation.devices;
        return page(op, new Params(op), doc -> MorPages.devices(doc, values(op)));
    }

    // ---- 5. Call flow --------------------------------------------------------------------------------------

    public Callflow callflow(String deviceId) {
        MorOperation op = MorOperation.callflow;
        return page(op, new Params(op).path("device_id", deviceId), doc -> MorPages.callflow(doc, values(op)));
    }

    public CallflowEdit callflowEdit(String deviceId, MorCallflowType type) {
        MorOperation op = MorOperation.callflowEdit;
        Params p = new Params(op).path("device_id", deviceId).link("cft", type.name());
        return page(op, p, doc -> MorPages.callflowEdit(doc, values(op)));
    }

    /**
     * Sets what a call state of a device does: {@code empty} ({@code whattodo=change_action}); {@code forward} to
     * {@code targetDeviceId} ({@code change_local_device}) or to {@code extNumber} ({@code change_external_device});
     * {@code voicemail}; {@code faxdetect} to the fax device {@code targetDeviceId} ({@code cf_action=forward},
     * {@code whattodo=change_fax_device}, as the spec writes it). MOR's answer is unspecified: an action, or a page
     * (then read as {@code ok} with the page's name as the message).
     */
    public MorAction updateCallflow(String deviceId, MorCallflowType type, MorCallflowAction action,
                                    String targetDeviceId, String extNumber) {
        MorOperation op = MorOperation.updateCallflow;
        Params p = new Params(op).path("device_id", deviceId).link("cft", type.name());
        switch (action) {
            case empty -> p.param("whattodo", "change_action");
            case forward -> {
                if (blank(targetDeviceId) == blank(extNumber)) {
                    throw new MorValidationException(op.name(), "a forward needs targetDeviceId (a device) or "
                            + "extNumber (an outside number), one of them");
                }
                p.param("cf_action", "forward");
                if (!blank(targetDeviceId)) {
                    p.param("whattodo", "change_local_device").param("deviceid", targetDeviceId);
                } else {
                    p.param("whattodo", "change_external_device").param("ext_number", extNumber);
                }
            }
            case voicemail -> p.param("cf_action", "voicemail");
            case faxdetect -> {
                if (blank(targetDeviceId)) {
                    throw new MorValidationException(op.name(), "faxdetect needs targetDeviceId (the fax device)");
                }
                p.param("cf_action", "forward").param("whattodo", "change_fax_device").param("deviceid",
                        targetDeviceId);
            }
            default -> throw new IllegalArgumentException(String.valueOf(action));
        }
        return page(op, p, doc -> "action".equals(doc.root().name()) ? MorPages.action(doc)
                : new MorAction("callflow_update", "ok", doc.root().field("pagename"), doc.repairs()));
    }

    // ---- 6. Rates ------------------------------------------------------------------------------------------

    public Rates rates() {
        MorOperation op = MorOperation.rates;
        return page(op, new Params(op), doc -> MorPages.rates(doc, values(op)));
    }

    public Destinations destinations(String destId) {
        MorOperation op = MorOperation.destinations;
        return page(op, new Params(op).path("dest_id", destId), doc -> MorPages.destinations(doc, values(op)));
    }

    /** The rates as a PDF, streamed: close it. */
    public MorExport exportRatesPdf() {
        return export(MorOperation.exportRatesPdf, new Params(MorOperation.exportRatesPdf), "rates.pdf");
    }

    /** The rates as CSV ({@code ratename,ratetype,ratecost,rate_vat_cost}), streamed: close it. */
    public MorExport exportRatesCsv() {
        return export(MorOperation.exportRatesCsv, new Params(MorOperation.exportRatesCsv), "rates.csv");
    }

    /** The rates in another currency. */
    public Rates changeCurrency(String currency) {
        MorOperation op = MorOperation.changeCurrency;
        return page(op, new Params(op).link("currency", currency), doc -> MorPages.rates(doc, values(op)));
    }

    // ---- 7. Payments, 8. Invoices, 9. Subscriptions ---------------------------------------------------------

    public Payments payments() {
        MorOperation op = MorOperation.payments;
        return page(op, new Params(op), doc -> MorPages.payments(doc, values(op)));
    }

    public Invoices invoices() {
        MorOperation op = MorOperation.invoices;
        return page(op, new Params(op), doc -> MorPages.invoices(doc, values(op)));
    }

    public Subscriptions subscriptions() {
        MorOperation op = MorOperation.subscriptions;
        return page(op, new Params(op), doc -> MorPages.subscriptions(doc, values(op)));
    }

    // ---- 10. Calls -----------------------------------------------------------------------------------------

    /** Today's calls, oldest first. */
    public CallList calls() {
        MorOperation op = MorOperation.calls;
        List<MorCall> calls = new ArrayList<>();
        MorValues v = values(op);
        return stream(op, new Params(op), c -> calls.add(MorPages.call(c, v)),
                doc -> MorPages.callList(doc, v, calls, calls.size()));
    }

    /** The calls of a period, oldest first, in {@link CallList#calls()}. */
    public CallList callsPeriod(CallQuery query) {
        List<MorCall> calls = new ArrayList<>();
        CallList page = callsPeriod(query, calls::add);
        return new CallList(page.userId(), page.username(), page.showDevice(), page.status(), page.direction(),
                page.totalCalls(), page.currency(), page.periodStart(), page.periodEnd(), List.copyOf(calls),
                page.callCount(), page.repairs());
    }

    /**
     * The calls of a period, handed to {@code each} as they are read (oldest first; never all in memory): the call
     * record harvest's read. The result has the page's fields and {@link CallList#callCount()}, no calls. When the
     * page turns out to be unreadable part way, {@code each} has had the calls before the fault and the
     * {@link MorUnreadablePageException} follows.
     */
    public CallList callsPeriod(CallQuery query, Consumer<MorCall> each) {
        MorOperation op = MorOperation.callsPeriod;
        MorValues v = values(op);
        int[] count = new int[1];
        return stream(op, callsPeriodParams(query), c -> {
            MorCall call = MorPages.call(c, v);
            count[0]++;
            each.accept(call);
        }, doc -> MorPages.callList(doc, v, List.of(), count[0]));
    }

    /**
     * The harvest's read of a period's calls: each {@code <call>} element as it is read, not yet typed (a call that
     * cannot be read is the harvest's dead letter, not the page's failure), with the page's root so far (its
     * {@code currency}, which MOR writes before the calls). The result has the page's fields and the count.
     */
    CallList callRows(CallQuery query, MorXmlReader.ItemSink each) {
        MorOperation op = MorOperation.callsPeriod;
        MorValues v = values(op);
        int[] count = new int[1];
        return streamWithRoot(op, callsPeriodParams(query), (c, root) -> {
            count[0]++;
            each.accept(c, root);
        }, doc -> MorPages.callList(doc, v, List.of(), count[0]));
    }

    private Params callsPeriodParams(CallQuery query) {
        return new Params(MorOperation.callsPeriod).param("search_on", "1")
                .param("period_start", epoch(query.periodStart())).param("period_end", epoch(query.periodEnd()))
                .param("direction", query.direction()).param("calltype", query.callType())
                .param("device", query.device());
    }

    /** The calls as a PDF, streamed: close it. */
    public MorExport exportCallsPdf(String callType, Instant periodStart, Instant periodEnd) {
        MorOperation op = MorOperation.exportCallsPdf;
        return export(op, exportCallsParams(op, callType, periodStart, periodEnd), "calls.pdf");
    }

    /**
     * The calls as CSV ({@code date,called_from,called_to,destination,duration,hangup_cause,price}), streamed: close
     * it.
     */
    public MorExport exportCallsCsv(String callType, Instant periodStart, Instant periodEnd) {
        MorOperation op = MorOperation.exportCallsCsv;
        return export(op, exportCallsParams(op, callType, periodStart, periodEnd), "calls.csv");
    }

    private Params exportCallsParams(MorOperation op, String callType, Instant start, Instant end) {
        return new Params(op).link("call_type", callType).link("date_from", epoch(start))
                .link("date_till", epoch(end));
    }

    // ---- 11. New calls, 12. Missed calls -------------------------------------------------------------------

    public NewCalls newCalls() {
        MorOperation op = MorOperation.newCalls;
        List<MorCall> calls = new ArrayList<>();
        MorValues v = values(op);
        return stream(op, new Params(op), c -> calls.add(MorPages.call(c, v)),
                doc -> MorPages.newCalls(doc, v, calls));
    }

    /** The missed calls of MOR's default period, with their ids and processed flags. */
    public MissedCalls missedCalls() {
        List<MissedCall> calls = new ArrayList<>();
        MissedCalls page = missedCalls(calls::add);
        return withCalls(page, calls);
    }

    /** {@link #missedCalls()}, each call handed to {@code each} as it is read; the result has none. */
    public MissedCalls missedCalls(Consumer<MissedCall> each) {
        MorOperation op = MorOperation.missedCalls;
        return missed(op, new Params(op), each);
    }

    public MissedCalls missedCallsPeriod(Instant periodStart, Instant periodEnd) {
        List<MissedCall> calls = new ArrayList<>();
        return withCalls(missedCallsPeriod(periodStart, periodEnd, calls::add), calls);
    }

    /**
     * The missed calls of a period, each handed to {@code each} as it is read (the missed-call poller's read); the
     * result has the page's fields and count, no calls.
     */
    public MissedCalls missedCallsPeriod(Instant periodStart, Instant periodEnd, Consumer<MissedCall> each) {
        MorOperation op = MorOperation.missedCallsPeriod;
        Params p = new Params(op).param("search_on", "1").param("period_start", epoch(periodStart))
                .param("period_end", epoch(periodEnd));
        return missed(op, p, each);
    }

    /**
     * Marks a missed call processed ({@code call_id}, {@code processed=1}); MOR answers the missed calls page. Safe
     * to repeat: a processed call stays processed.
     */
    public MissedCalls processMissedCall(String callId) {
        MorOperation op = MorOperation.processMissedCall;
        List<MissedCall> calls = new ArrayList<>();
        Params p = new Params(op).param("call_id", callId).param("processed", "1");
        return withCalls(missed(op, p, calls::add), calls);
    }

    private MissedCalls missed(MorOperation op, Params p, Consumer<MissedCall> each) {
        MorValues v = values(op);
        int[] count = new int[1];
        return stream(op, p, c -> {
            MissedCall call = MorPages.missedCall(c, v);
            count[0]++;
            each.accept(call);
        }, doc -> MorPages.missedCalls(doc, v, List.of(), count[0]));
    }

    private static MissedCalls withCalls(MissedCalls page, List<MissedCall> calls) {
        return new MissedCalls(page.userId(), page.username(), page.missedTotal(), page.periodStart(),
                page.periodEnd(), List.copyOf(calls), page.callCount(), page.repairs());
    }

    // ---- 13. Statistics, 14. CLIs, 15. Phonebook, 16. Faxes, 17. Callback ----------------------------------

    public Statistics statistics() {
        MorOperation op = MorOperation.statistics;
        return page(op, new Params(op), doc -> MorPages.statistics(doc, values(op)));
    }

    public Statistics statisticsPeriod(Instant periodStart, Instant periodEnd) {
        MorOperation op = MorOperation.statisticsPeriod;
        Params p = new Params(op).param("period_start", epoch(periodStart)).param("period_end", epoch(periodEnd));
        return page(op, p, doc -> MorPages.statistics(doc, values(op)));
    }

    public Clis clis() {
        MorOperation op = MorOperation.clis;
        return page(op, new Params(op), doc -> MorPages.clis(doc, values(op)));
    }

    public MorAction addCli(String deviceId, String cli, String description) {
        MorOperation op = MorOperation.addCli;
        Params p = new Params(op).param("device_id", deviceId).param("cli", cli).param("description", description);
        return page(op, p, MorPages::action);
    }

    public Phonebook phonebook() {
        MorOperation op = MorOperation.phonebook;
        return page(op, new Params(op), doc -> MorPages.phonebook(doc, values(op)));
    }

    public MorAction addPhonebookEntry(String number, String name) {
        MorOperation op = MorOperation.addPhonebookEntry;
        return page(op, new Params(op).param("number", number).param("name", name), MorPages::action);
    }

    public MorAction deletePhonebookEntry(String entryId) {
        MorOperation op = MorOperation.deletePhonebookEntry;
        return page(op, new Params(op).path("entryid", entryId), MorPages::action);
    }

    public Faxes faxes() {
        MorOperation op = MorOperation.faxes;
        return page(op, new Params(op), doc -> MorPages.faxes(doc, values(op)));
    }

    public Faxes faxesPeriod(Instant periodStart, Instant periodEnd, String faxStatus, String deviceId) {
        MorOperation op = MorOperation.faxesPeriod;
        Params p = new Params(op).param("search_on", "1").param("period_start", epoch(periodStart))
                .param("period_end", epoch(periodEnd)).param("fax_status", faxStatus).param("device_id", deviceId);
        return page(op, p, doc -> MorPages.faxes(doc, values(op)));
    }

    /** Calls {@code src}, then connects it to {@code dst}, for the device {@code deviceId} ({@code acc}). */
    public MorAction callback(String src, String dst, String deviceId) {
        MorOperation op = MorOperation.callback;
        Params p = new Params(op).link("src", src).link("dst", dst).link("acc", deviceId);
        return page(op, p, MorPages::action);
    }

    // ---- login -----------------------------------------------------------------------------------------------

    /** A login's answer and the session cookie it set. */
    private record Login(MorAction action, SessionToken session) {
    }

    /** The session's login: the cookie of a successful {@link #loginAction()}. */
    private SessionToken loginSession(SessionKey key) {
        return loginAction().session();
    }

    private Login loginAction() {
        MorOperation op = MorOperation.login;
        VendorHttpRequest request = VendorHttpRequest.post(address, basePath + op.path()).operation(op.name())
                .query("u", username).query("p", password).secret(SECRET_PARAMS.toArray(String[]::new)).build();
        String[] cookie = new String[1];
        MorAction action;
        VendorHttpStream s = http.sendStreaming(request);
        boolean read = false;
        try {
            MorDocument doc = parse(op, s, null, null);
            read = true;
            MorElement root = doc.root();
            if (!"action".equals(root.name())) {
                throw unexpectedRoot(op, root);
            }
            action = MorPages.action(doc);
            if (!"ok".equalsIgnoreCase(action.status())) {
                String why = blank(action.statusMessage()) ? "status " + action.status() : action.statusMessage();
                throw new MorAuthenticationException(op.name(), MorAuthenticationException.LOGIN_FAILED,
                        action.statusMessage(), "mor:login: MOR refused the login of '" + username + "' at "
                                + address + basePath + ": " + why);
            }
            report(op, doc.repairs());
            cookie[0] = cookies(s.headers("Set-Cookie"));
        } catch (IOException e) {
            throw cutOff(op, e);
        } finally {
            release(s, read);
        }
        if (cookie[0] == null) {
            throw new MorResponseException(op.name(), "mor:login: MOR answered ok but set no session cookie");
        }
        LOG.debug("mor: logged in as {} at {}{}", username, address, basePath);
        return new Login(action, new SessionToken(cookie[0]));
    }

    /** {@code name=value} of each {@code Set-Cookie}, joined as a {@code Cookie} header; null when none. */
    static String cookies(List<String> setCookies) {
        StringBuilder b = new StringBuilder();
        for (String c : setCookies) {
            int semi = c.indexOf(';');
            String pair = (semi < 0 ? c : c.substring(0, semi)).strip();
            if (pair.indexOf('=') > 0) {
                if (b.length() > 0) {
                    b.append("; ");
                }
                b.append(pair);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    // ---- pages -----------------------------------------------------------------------------------------------

    private <T> T page(MorOperation op, Params params, Function<MorDocument, T> map) {
        return stream(op, params, null, map);
    }

    /** A page with the session; the elements at {@link MorPages#CALLS_PATH} go to {@code calls} when given. */
    private <T> T stream(MorOperation op, Params params, Consumer<MorElement> calls, Function<MorDocument, T> map) {
        return streamWithRoot(op, params, calls == null ? null : (call, root) -> calls.accept(call), map);
    }

    private <T> T streamWithRoot(MorOperation op, Params params, MorXmlReader.ItemSink calls,
                                 Function<MorDocument, T> map) {
        return sessions.call(key, this::loginSession, op.safeToRepeat(),
                session -> read(op, params, session, calls == null ? null : MorPages.CALLS_PATH, calls, map));
    }

    private <T> T read(MorOperation op, Params params, SessionToken session, String streamPath,
                       MorXmlReader.ItemSink sink, Function<MorDocument, T> map) {
        VendorHttpRequest request = request(op, params, session);
        VendorHttpStream s = http.sendStreaming(request);
        boolean read = false;
        try {
            MorDocument doc = parse(op, s, streamPath, sink);
            read = true;
            check(op, params.page(), doc);
            T result = map.apply(doc);
            report(op, result instanceof MorReply r ? r.repairs() : doc.repairs());
            return result;
        } catch (IOException e) {
            throw cutOff(op, e);
        } finally {
            release(s, read);
        }
    }

    /**
     * Gives the connection back: closed (its end read, kept for the next request) when the page was read, dropped
     * when not (a page that failed part way or whose consumer failed: the rest of a large list is not waited for).
     */
    private static void release(VendorHttpStream s, boolean read) {
        try {
            if (read) {
                s.close();
            } else {
                s.abort();
            }
        } catch (IOException ignored) {
            // the request's outcome is what counts
        }
    }

    private MorDocument parse(MorOperation op, VendorHttpStream s, String streamPath, MorXmlReader.ItemSink sink)
            throws IOException {
        MorDocument doc = MorXmlReader.readStreaming(s.body(), charset(s.contentType()), op.name(), op.path(),
                streamPath, sink);
        doc.mask(secrets);
        return doc;
    }

    /** The charset {@code Content-Type} names, or null (the page's declaration's, else UTF-8). */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            java.nio.charset.Charset c = org.apache.hc.core5.http.ContentType.parseLenient(contentType).getCharset();
            return c == null ? null : c.name();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * MOR's errors and refusals in a page: {@code <error>} (the user_id and hash checks), the login page (not logged
     * in), {@code <error_msg>}, a failed {@code <action>}; and a root the operation does not answer.
     */
    private void check(MorOperation op, String page, MorDocument doc) {
        MorElement root = doc.root();
        String name = root.name();
        if ("error".equals(name)) {
            throw error(op, root.text());
        }
        if (!"page".equals(name) && !"action".equals(name)) {
            throw unexpectedRoot(op, root);
        }
        String error = root.field("error");
        if (!blank(error)) {
            throw error(op, error);
        }
        if ("page".equals(name)) {
            if (op != MorOperation.loginForm && LOGIN_PAGE.equalsIgnoreCase(root.field("pagename"))) {
                throw new MorLoggedOutException(op.name(), "mor:" + op + ": MOR answered " + page
                        + " with its login page: not logged in (the session is missing or expired, or MOR did not "
                        + "accept its cookie)");
            }
            String message = root.field("error_msg");
            if (!blank(message)) {
                throw new MorFaultException(op.name(), "ERROR_MSG", message, "mor:" + op + ": MOR refused " + page
                        + ": " + message);
            }
            if (op.reply() == MorOperation.Reply.ACTION) {
                throw new MorResponseException(op.name(), "mor:" + op + ": MOR answered " + page + " with a page ("
                        + root.field("pagename") + "), not an action");
            }
        } else {
            String status = root.field("status");
            if (!"ok".equalsIgnoreCase(status)) {
                String message = root.field("status_message");
                throw new MorFaultException(op.name(), "FAILED", message, "mor:" + op + ": MOR refused " + page
                        + " (" + root.field("name") + " " + status + ")" + (blank(message) ? "" : ": " + message));
            }
            if (op.reply() == MorOperation.Reply.PAGE) {
                throw new MorResponseException(op.name(), "mor:" + op + ": MOR answered " + page + " with an action ("
                        + root.field("name") + "), not a page");
            }
        }
    }

    private MorFaultException error(MorOperation op, String error) {
        String message = "mor:" + op + ": MOR refused the request: " + error;
        if ("User was not found".equalsIgnoreCase(error)) {
            return new MorAuthenticationException(op.name(), MorAuthenticationException.USER_NOT_FOUND, error,
                    message + " (user_id " + userId + ": check the userId option)");
        }
        if ("Incorrect hash".equalsIgnoreCase(error)) {
            return new MorAuthenticationException(op.name(), MorAuthenticationException.INCORRECT_HASH, error,
                    message + " (check the apiSecretKey and userId options)");
        }
        return new MorFaultException(op.name(), "ERROR", error, message);
    }

    private static MorResponseException unexpectedRoot(MorOperation op, MorElement root) {
        return new MorResponseException(op.name(), "mor:" + op + ": MOR answered " + op.path() + " with <"
                + root.name() + ">, not <page> or <action>");
    }

    private MorConnectionException cutOff(MorOperation op, IOException e) {
        return new MorConnectionException(op.name(), VendorHttpFailures.ioCode(e), "mor:" + op + ": the reply to "
                + op.path() + " was cut off: " + VendorFailures.rootMessage(e), e);
    }

    /** Repairs: each page's at DEBUG, each kind on each page the first time at INFO. */
    private void report(MorOperation op, List<MorRepair> repairs) {
        if (repairs.isEmpty()) {
            return;
        }
        List<MorRepair> first = new ArrayList<>();
        for (MorRepair r : repairs) {
            if (reported.add(op.name() + "|" + r.kind())) {
                first.add(r);
            }
        }
        if (!first.isEmpty()) {
            LOG.info("mor:{}: MOR's page {} is not well-formed XML; read after repairing: {} (said once per page and "
                    + "fault; each result lists its repairs, also in the CamelMorRepairs header)", op, op.path(),
                    first);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("mor:{}: read {} after repairing: {}", op, op.path(), repairs);
        }
    }

    // ---- exports ---------------------------------------------------------------------------------------------

    /**
     * A file, streamed. A reply that is XML (or HTML) rather than the file is read as a page: MOR's login page, an
     * error, a refusal become their exceptions (and the login page a re-login); a page without one is a
     * {@link MorResponseException}.
     */
    private MorExport export(MorOperation op, Params params, String defaultName) {
        return sessions.call(key, this::loginSession, op.safeToRepeat(), session -> {
            VendorHttpRequest request = request(op, params, session);
            VendorHttpStream s = http.sendStreaming(request);
            boolean handedOver = false;
            boolean read = false;
            try {
                BufferedInputStream body = new BufferedInputStream(s.body(), 8192);
                String type = s.contentType();
                if (isPage(type, body)) {
                    MorDocument doc = MorXmlReader.read(body, charset(type), op.name(), op.path(), null, null);
                    read = true;
                    doc.mask(secrets);
                    check(op, params.page(), doc);
                    throw new MorResponseException(op.name(), "mor:" + op + ": MOR answered " + op.path()
                            + " with a page (" + doc.root().field("pagename") + "), not a file");
                }
                MorExport export = new MorExport(body, fileName(s.header("Content-Disposition"), defaultName),
                        type == null ? null : type.split(";")[0].strip(), s.contentLength(), s);
                handedOver = true;
                return export;
            } catch (IOException e) {
                throw cutOff(op, e);
            } finally {
                if (!handedOver) {
                    release(s, read);
                }
            }
        });
    }

    /** XML or HTML by its type, or, without a type, by its first characters. */
    private static boolean isPage(String contentType, BufferedInputStream body) throws IOException {
        String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (t.contains("xml") || t.contains("html")) {
            return true;
        }
        if (!t.isEmpty()) {
            return false;
        }
        body.mark(64);
        byte[] head = body.readNBytes(64);
        body.reset();
        String start = new String(head, StandardCharsets.ISO_8859_1).stripLeading();
        return start.startsWith("<?xml") || start.startsWith("<page") || start.startsWith("<action");
    }

    /** The {@code filename} of {@code attachment; filename="x.csv"}, without a path; else the default. */
    static String fileName(String disposition, String defaultName) {
        if (disposition == null) {
            return defaultName;
        }
        for (String part : disposition.split(";")) {
            String p = part.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("filename=")) {
                String name = p.substring("filename=".length()).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
                if (!name.isBlank() && !name.equals("..") && !name.equals(".")) {
                    return name;
                }
            }
        }
        return defaultName;
    }

    // ---- requests --------------------------------------------------------------------------------------------

    /**
     * The request: the spec's method and path (segments filled), the link's parameters in the query, then
     * {@code user_id}, the page's parameters and {@code hash} (query for GET, form for POST), and the session cookie.
     */
    private VendorHttpRequest request(MorOperation op, Params params, SessionToken session) {
        boolean authenticated = op.authenticated();
        if (authenticated && apiSecretKey != null && userId == null) {
            throw new MorValidationException(op.name(), "needs the userId option: the hash is made with user_id");
        }
        String path = basePath + params.path();
        VendorHttpRequest.Builder b = op.method() == VendorHttpRequest.Method.GET
                ? VendorHttpRequest.get(address, path) : VendorHttpRequest.post(address, path);
        b.operation(op.name()).secret(SECRET_PARAMS.toArray(String[]::new));
        if (session != null) {
            b.header("Cookie", session.value());
        }
        boolean form = op.method() == VendorHttpRequest.Method.POST;
        for (String[] p : params.values) {
            if (p[2] != null) {
                b.query(p[0], p[1]);
            }
        }
        if (authenticated && userId != null) {
            List<String> hashed = new ArrayList<>();
            hashed.add(userId);
            add(b, form, "user_id", userId);
            for (String[] p : params.values) {
                hashed.add(p[1]);
                if (p[2] == null) {
                    add(b, form, p[0], p[1]);
                }
            }
            if (apiSecretKey != null) {
                add(b, form, "hash", MorHash.of(hashed, apiSecretKey));
            }
        } else {
            for (String[] p : params.values) {
                if (p[2] == null) {
                    add(b, form, p[0], p[1]);
                }
            }
        }
        return b.build();
    }

    private static void add(VendorHttpRequest.Builder b, boolean form, String name, String value) {
        if (form) {
            b.form(name, value);
        } else {
            b.query(name, value);
        }
    }

    /**
     * A page's parameters in the spec's order (the hash's), absent and empty ones left out, each in the link's
     * query or not; and its path with its segments.
     */
    private final class Params {

        private final MorOperation op;
        /** name, value, "link" when in the link's query (else null). */
        final List<String[]> values = new ArrayList<>();
        private String path;

        Params(MorOperation op) {
            this.op = op;
            this.path = op.path();
            if (path.contains("%userid%")) {
                if (userId == null) {
                    throw new MorValidationException(op.name(), "needs the userId option: the page's path is "
                            + op.path());
                }
                path = path.replace("%userid%", segment(userId));
            }
        }

        /** A parameter of the page, hashed in this order. */
        Params param(String name, String value) {
            if (value != null && !value.isEmpty()) {
                values.add(new String[] { name, value, null });
            }
            return this;
        }

        /** A parameter of the link's query ({@code ?cft=}), hashed in this order. */
        Params link(String name, String value) {
            if (value != null && !value.isEmpty()) {
                values.add(new String[] { name, value, "link" });
            }
            return this;
        }

        /** Fills the path segment {@code %name%}; not a parameter, not hashed. */
        Params path(String name, String value) {
            if (blank(value)) {
                throw new MorValidationException(op.name(), "needs " + name + " (the path is " + op.path() + ")");
            }
            path = path.replace("%" + name + "%", segment(value.strip()));
            return this;
        }

        String path() {
            return path;
        }

        /** The page for messages: the spec's path. */
        String page() {
            return op.path();
        }

        private String segment(String value) {
            if (value.contains("/") || value.equals("..") || value.equals(".")) {
                throw new MorValidationException(op.name(), "'" + value + "' cannot be a path segment of "
                        + op.path());
            }
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    private MorValues values(MorOperation op) {
        return new MorValues(op.name(), op.path());
    }

    private static String epoch(Instant i) {
        return i == null ? null : Long.toString(i.getEpochSecond());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
