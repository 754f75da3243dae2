package io.pbxbridge.sandbox.mor;

import static io.pbxbridge.sandbox.mor.MorOperation.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.pbxbridge.support.SafeXml;

/**
 * Talks to the MOR simulator over its socket with a plain JDK HttpClient: login and cookie, the hash (the published
 * vector, a wrong one), every page's shape against the spec's own sample (src/test/resources/.../spec-samples),
 * state effects, period filters, the broken-XML switch and the faults.
 */
class MorSimulatorTest {

    /** The hashed parameters after user_id, written from the spec by hand (not read from MorOperation). */
    private static final Map<MorOperation, List<String>> HASHED = new EnumMap<>(MorOperation.class);

    static {
        for (MorOperation op : MorOperation.values()) {
            HASHED.put(op, List.of());
        }
        HASHED.put(UPDATE_PERSONAL_DETAILS, List.of("username", "surname", "personalid", "agreement_number",
                "agreement_date", "taxation_country", "vat_reg_number", "vat_percent", "reg_address", "reg_postcode",
                "reg_city", "reg_country", "reg_state", "reg_direction", "reg_phone", "reg_mobile", "reg_fax",
                "reg_email"));
        HASHED.put(CALLFLOW, List.of("device_id"));
        HASHED.put(CALLFLOW_EDIT, List.of("device_id", "cft"));
        HASHED.put(CALLFLOW_UPDATE, List.of("device_id", "cft", "cf_action", "whattodo", "deviceid", "ext_number"));
        HASHED.put(DESTINATIONS, List.of("dest_id"));
        HASHED.put(CHANGE_CURRENCY, List.of("currency"));
        HASHED.put(CALLS_PERIOD, List.of("search_on", "period_start", "period_end", "direction", "calltype", "device"));
        HASHED.put(CALLS_PDF, List.of("call_type", "date_from", "date_till"));
        HASHED.put(CALLS_CSV, List.of("call_type", "date_from", "date_till"));
        HASHED.put(MISSED_CALLS_PERIOD, List.of("search_on", "period_start", "period_end"));
        HASHED.put(PROCESS_CALL, List.of("call_id", "processed"));
        HASHED.put(USER_STATS_PERIOD, List.of("period_start", "period_end"));
        HASHED.put(ADD_CLI, List.of("device_id", "cli", "description"));
        HASHED.put(ADD_PHONEBOOK_ENTRY, List.of("number", "name"));
        HASHED.put(DELETE_PHONEBOOK_ENTRY, List.of("entryid"));
        HASHED.put(FAXES_PERIOD, List.of("search_on", "period_start", "period_end", "fax_status", "device_id"));
        HASHED.put(CALLBACK, List.of("src", "dst", "acc"));
    }

    /** Parameters the spec writes into a link's query (sent there, the rest as form fields of a POST). */
    private static final Set<String> LINK_QUERY = Set.of("u", "p", "cft", "currency", "call_type", "date_from",
            "date_till", "src", "dst", "acc");
    private static final Set<MorOperation> POSTS = Set.of(LOGIN, UPDATE_PERSONAL_DETAILS, CALLFLOW_UPDATE,
            CALLS_PERIOD, MISSED_CALLS_PERIOD, PROCESS_CALL, USER_STATS_PERIOD, ADD_CLI, ADD_PHONEBOOK_ENTRY,
            DELETE_PHONEBOOK_ENTRY, FAXES_PERIOD, CALLBACK);

    /** 2024-03-10 00:00:00 UTC: the day the test's own calls are made (sample calls are in the last 7 days). */
    private static final long DAY = 1_710_028_800L;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private MorSimulator sim;
    private String cookie;

    @BeforeEach
    void start() {
        sim = MorSimulator.builder().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    // ---- client -------------------------------------------------------------------------------------------------

    private HttpResponse<String> send(String method, String path, Map<String, String> query, Map<String, String> form)
            throws IOException, InterruptedException {
        String uri = sim.address() + path + (query.isEmpty() ? "" : "?" + encode(query));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if ("POST".equals(method)) {
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                    encode(form)));
        } else {
            b.GET();
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(Map<String, String> m) {
        return m.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private HttpResponse<String> login(String user, String password) throws Exception {
        HttpResponse<String> r = send("POST", "/api/login", Map.of("u", user, "p", password), Map.of());
        r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return r;
    }

    private static Map<String, String> kv(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The hash a client makes: user_id, then the operation's parameters in the spec's order, then the key. */
    private static String clientHash(String key, MorOperation op, Map<String, String> params) {
        List<String> values = new ArrayList<>();
        values.add(params.get("user_id"));
        for (String name : HASHED.get(op)) {
            String v = params.get(name);
            if (v != null && !v.isEmpty()) {
                values.add(v);
            }
        }
        return MorSimulator.hash(key, values.toArray(String[]::new));
    }

    /** A request of {@code op} (path segment {@code segment} or null) with user_id, hash and the parameters. */
    private HttpResponse<String> call(MorOperation op, String segment, String... params) throws Exception {
        Map<String, String> all = kv("user_id", Integer.toString(sim.user().id()));
        all.putAll(kv(params));
        all.put("hash", clientHash(sim.apiKey(), op, all));
        return raw(op, segment, all);
    }

    private HttpResponse<String> raw(MorOperation op, String segment, Map<String, String> all) throws Exception {
        String path = op.path() + (segment == null ? "" : "/" + segment);
        if (!POSTS.contains(op)) {
            return send("GET", path, all, Map.of());
        }
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> form = new LinkedHashMap<>();
        all.forEach((k, v) -> (LINK_QUERY.contains(k) ? query : form).put(k, v));
        return send("POST", path, query, form);
    }

    private Document page(MorOperation op, String segment, String... params) throws Exception {
        HttpResponse<String> r = call(op, segment, params);
        assertEquals(200, r.statusCode(), r.body());
        return SafeXml.parse(r.body());
    }

    private static String text(Document d, String name) {
        NodeList l = d.getElementsByTagName(name);
        assertTrue(l.getLength() > 0, "no <" + name + ">");
        return l.item(0).getTextContent();
    }

    private static List<String> texts(Document d, String name) {
        NodeList l = d.getElementsByTagName(name);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            out.add(l.item(i).getTextContent());
        }
        return out;
    }

    private static void assertAction(Document d, String name, String status, String message) {
        assertEquals("action", d.getDocumentElement().getTagName());
        assertEquals(name, text(d, "name"));
        assertEquals(status, text(d, "status"));
        assertEquals(message, text(d, "status_message"));
    }

    /** The spec's faults repaired, as a tolerant reader would: only to compare shapes here. */
    private static String repair(String xml) {
        return xml.replace("encoding=\"utf-8\">", "encoding=\"utf-8\"?>").replace("& ", "&").replace("<<", "<");
    }

    /** Each element's path with the names of its child elements (runs of one name as one) and attributes. */
    private static Set<String> shape(Document d) {
        Set<String> out = new TreeSet<>();
        walk(d.getDocumentElement(), "", out);
        return out;
    }

    private static void walk(Element e, String parent, Set<String> out) {
        String path = parent + "/" + e.getTagName();
        List<String> kids = new ArrayList<>();
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element c) {
                if (kids.isEmpty() || !kids.get(kids.size() - 1).equals(c.getTagName())) {
                    kids.add(c.getTagName());
                }
                walk(c, path, out);
            }
        }
        StringBuilder attrs = new StringBuilder();
        for (int i = 0; i < e.getAttributes().getLength(); i++) {
            attrs.append(" @").append(e.getAttributes().item(i).getNodeName());
        }
        out.add(path + " " + kids + attrs);
    }

    private static Document parse(String what, String xml) {
        try {
            return SafeXml.parse(xml);
        } catch (Exception e) {
            throw new AssertionError(what + ": " + e.getMessage() + "\n" + xml, e);
        }
    }

    private static String sample(String operation) throws IOException {
        try (InputStream in = MorSimulatorTest.class.getResourceAsStream("spec-samples/" + operation + ".xml")) {
            assertNotNull(in, operation);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- login, session ----------------------------------------------------------------------------------------

    @Test
    void loginFormLoginAndCookie() throws Exception {
        HttpResponse<String> form = send("GET", "/callc/login", Map.of(), Map.of());
        assertEquals("Login page", text(SafeXml.parse(form.body()), "pagename"));

        HttpResponse<String> bad = login("demo", "wrong");
        assertTrue(bad.headers().firstValue("Set-Cookie").isEmpty());
        assertAction(SafeXml.parse(bad.body()), "login", "failed", "Invalid username or password");
        assertEquals(0, sim.sessionCount());

        HttpResponse<String> ok = login("demo", "demo-secret");
        assertTrue(ok.body().startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), ok.body());
        assertAction(SafeXml.parse(ok.body()), "login", "ok", "Succesfully logged in");
        assertTrue(ok.headers().firstValue("Set-Cookie").orElseThrow()
                .matches("_mor_session=[0-9a-f]{32}; Path=/; HttpOnly"), ok.headers().map().toString());
        assertEquals(1, sim.sessionCount());
        assertEquals("Main page", text(page(MAIN, null), "pagename"));
        // the simulator answers GET too
        assertEquals(200, send("GET", "/api/login", Map.of("u", "demo", "p", "demo-secret"), Map.of()).statusCode());
    }

    @Test
    void withoutASessionEveryPageIsTheLoginPageAndNothingIsDone() throws Exception {
        int entries = sim.user().phonebook().size();
        Document d = page(ADD_PHONEBOOK_ENTRY, "2", "number", "37060000001", "name", "Nobody");
        assertEquals("Login page", text(d, "pagename"));
        assertEquals(entries, sim.user().phonebook().size());

        login("demo", "demo-secret");
        assertEquals("Main page", text(page(MAIN, null), "pagename"));
        sim.faults().expireSessions();
        assertEquals(0, sim.sessionCount());
        assertEquals("Login page", text(page(MAIN, null), "pagename"));
        cookie = "_mor_session=0123456789abcdef0123456789abcdef";
        assertEquals("Login page", text(page(MAIN, null), "pagename"));
        login("demo", "demo-secret");
        assertAction(page(ADD_PHONEBOOK_ENTRY, "2", "number", "37060000001", "name", "Somebody"),
                "add_phonebook_entry", "ok", "Record added");
        assertEquals(entries + 1, sim.user().phonebook().size());
    }

    // ---- hash ---------------------------------------------------------------------------------------------------

    @Test
    void theHashVectorOfKolmisoftHoldsOverTheWire() throws Exception {
        assertEquals("b93c35d5c6183288322122561a3da7e09abb63b7",
                MorSimulator.hash("Very Sercet Key", "123", "1252454580", "answered"));
        try (MorSimulator v = MorSimulator.builder().user(123, "vector", "pw").apiKey("Very Sercet Key")
                .initialCalls(0).start()) {
            MorSimulator keep = sim;
            sim = v;
            try {
                login("vector", "pw");
                v.user().addCall(Instant.ofEpochSecond(1_252_454_590L), "12125550100", "101", 60, "Answered");
                HttpResponse<String> r = raw(CALLS_PERIOD, null, kv("user_id", "123", "period_start", "1252454580",
                        "calltype", "answered", "hash", "b93c35d5c6183288322122561a3da7e09abb63b7"));
                Document d = SafeXml.parse(r.body());
                assertEquals("Calls", text(d, "pagename"), r.body());
                assertEquals("answered", text(d, "status"));
                assertEquals("1", text(d, "total_calls"));
                assertEquals("2009-09-09 00:03:00", text(d, "period_start"));
            } finally {
                sim = keep;
            }
        }
    }

    @Test
    void theHashOrderOfEachOperationIsTheSpecs() {
        for (MorOperation op : MorOperation.values()) {
            assertEquals(HASHED.get(op), op.hashedParameters(), op.name());
        }
        assertEquals(35, MorOperation.values().length);
    }

    @Test
    void aWrongHashOrUserIdIsRefusedAndNothingIsDone() throws Exception {
        login("demo", "demo-secret");
        int entries = sim.user().phonebook().size();
        Map<String, String> p = kv("user_id", "2", "number", "37060000002", "name", "X");
        p.put("hash", clientHash("not-the-key", ADD_PHONEBOOK_ENTRY, p));
        Document d = SafeXml.parse(raw(ADD_PHONEBOOK_ENTRY, "2", p).body());
        assertEquals("Incorrect hash", text(d, "error"));
        // the parameters in another order
        p.put("hash", MorSimulator.hash(sim.apiKey(), "2", "X", "37060000002"));
        assertEquals("Incorrect hash", text(SafeXml.parse(raw(ADD_PHONEBOOK_ENTRY, "2", p).body()), "error"));
        p.remove("hash");
        assertEquals("Incorrect hash", text(SafeXml.parse(raw(ADD_PHONEBOOK_ENTRY, "2", p).body()), "error"));
        assertEquals(entries, sim.user().phonebook().size());

        // no user_id, an unknown one, another user's
        assertEquals("User was not found", text(SafeXml.parse(raw(MAIN, null, kv("hash", "x")).body()), "error"));
        Map<String, String> other = kv("user_id", "7");
        other.put("hash", clientHash(sim.apiKey(), MAIN, other));
        assertEquals("User was not found", text(SafeXml.parse(raw(MAIN, null, other).body()), "error"));

        // a path segment sent as a parameter too is hashed
        Document ok = page(DELETE_PHONEBOOK_ENTRY, "1", "entryid", "1");
        assertAction(ok, "delete_phonebook_entry", "ok", "Record deleted");

        sim.requireHash(false);
        assertEquals("Main page", text(SafeXml.parse(raw(MAIN, null, Map.of()).body()), "pagename"));
    }

    // ---- shapes -------------------------------------------------------------------------------------------------

    /** Every page with rows, as its sample in the spec; {@code brokenXml} adds the spec's faults where it has them. */
    private Map<String, String> everyPage() throws Exception {
        sim.addCall(Instant.ofEpochSecond(DAY + 3600), "101", "12129989282", 36, "Answered");
        sim.addMissedCall(Instant.ofEpochSecond(DAY + 7200), "12129989282");
        sim.addFax(Instant.ofEpochSecond(DAY + 5400), "4930123456");
        sim.addCall(Instant.now().truncatedTo(ChronoUnit.SECONDS), "12125550199", "101", 12, "Answered");
        String s = Long.toString(DAY);
        String e = Long.toString(DAY + 86_399);
        Map<String, String> out = new LinkedHashMap<>();
        cookie = null;
        out.put("loginForm", send("GET", "/callc/login", Map.of(), Map.of()).body());
        out.put("login", login("demo", "demo-secret").body());
        out.put("main", call(MAIN, null).body());
        out.put("personalDetails", call(PERSONAL_DETAILS, null).body());
        out.put("updatePersonalDetails", call(UPDATE_PERSONAL_DETAILS, "2", "reg_city", "Kaunas").body());
        out.put("devices", call(DEVICES, null).body());
        out.put("callflow", call(CALLFLOW, "1").body());
        out.put("callflowEdit", call(CALLFLOW_EDIT, "1", "cft", "before_call").body());
        out.put("rates", call(RATES, null).body());
        out.put("destinations", call(DESTINATIONS, "2").body());
        out.put("payments", call(PAYMENTS, null).body());
        out.put("invoices", call(INVOICES, null).body());
        out.put("subscriptions", call(SUBSCRIPTIONS, null).body());
        out.put("calls", call(CALLS_PERIOD, null, "search_on", "1", "period_start", s, "period_end", e).body());
        out.put("newCalls", call(NEW_CALLS, null).body());
        out.put("missedCalls", call(MISSED_CALLS_PERIOD, null, "search_on", "1", "period_start", s, "period_end", e)
                .body());
        out.put("userStats", call(USER_STATS_PERIOD, null, "period_start", s, "period_end", e).body());
        out.put("clis", call(CLIS, null).body());
        out.put("addCli", call(ADD_CLI, null, "device_id", "1", "cli", "37052000" + out.size(), "description", "x")
                .body());
        out.put("phonebook", call(PHONEBOOK, "2").body());
        out.put("addPhonebookEntry", call(ADD_PHONEBOOK_ENTRY, "2", "number", "3706000000" + out.size(), "name", "y")
                .body());
        out.put("deletePhonebookEntry", call(DELETE_PHONEBOOK_ENTRY, "3706000000" + (out.size() - 1)).body());
        out.put("faxes", call(FAXES_PERIOD, "2", "search_on", "1", "period_start", s, "period_end", e).body());
        out.put("callback", call(CALLBACK, null, "src", "37061234567", "dst", "12125550123", "acc", "1").body());
        return out;
    }

    @Test
    void everyPageHasTheShapeOfTheSpecsSample() throws Exception {
        for (Map.Entry<String, String> p : everyPage().entrySet()) {
            Document mine = parse(p.getKey(), p.getValue());
            Document spec = parse(p.getKey() + " (spec)", repair(sample(p.getKey())));
            assertEquals(shape(spec), shape(mine), p.getKey() + ":\n" + p.getValue());
        }
    }

    @Test
    void brokenXmlHasTheSpecsLiteralFaultsAndTheSameShape() throws Exception {
        sim.faults().brokenXml(true);
        Map<String, String> pages = everyPage();
        for (Map.Entry<String, String> p : pages.entrySet()) {
            Document spec = parse(p.getKey() + " (spec)", repair(sample(p.getKey())));
            assertEquals(shape(spec), shape(parse(p.getKey(), repair(p.getValue()))), p.getKey());
        }
        String prolog = "<?xml version=\"1.0\" encoding=\"utf-8\">\n<action>";
        assertTrue(pages.get("login").startsWith(prolog), pages.get("login"));
        assertTrue(pages.get("callback").startsWith(prolog), pages.get("callback"));
        assertTrue(pages.get("devices").contains("<cid>& quot;101& quot; & lt;101& gt; </cid>"), pages.get("devices"));
        assertTrue(pages.get("missedCalls").contains("<<processed>0</processed>"), pages.get("missedCalls"));
        assertTrue(pages.get("callflowEdit").contains("++++++++++++++++++++++++++++++++++++++++++++++\n"
                + "+ Forward action\n++++++++++++++++++++++++++++++++++++++++++++++\n<action>"));
        assertTrue(pages.get("callflowEdit").contains("+ Voicemail\n") && pages.get("callflowEdit").contains(
                "+ Faxdetect\n"));
        assertTrue(pages.get("callflowEdit").contains("</device>\n.....\n</aval_devices>"));
        assertTrue(pages.get("rates").contains("</rate>\n.......\n</rates>"));
        assertTrue(pages.get("invoices").contains("</invoice>\n.....\n</invoices>"));
        assertTrue(pages.get("subscriptions").contains("</subscription>\n......\n</subscriptions>"));
        for (String list : List.of("calls", "missedCalls")) {
            assertTrue(pages.get(list).contains("</call>\n...........\n</calls>"), list);
        }
        assertTrue(pages.get("phonebook").contains("</entry>\n...........\n</entries>"));
        assertTrue(pages.get("faxes").contains("</fax>\n...........\n</faxes>"));
        assertTrue(pages.get("clis").contains("</cli>\n.....\n</clis>"));
        assertTrue(pages.get("clis").contains("<device id=\"1\">SIP/101</device>"));
        // not well-formed, as the spec's samples
        for (String broken : List.of("login", "callback", "devices", "missedCalls")) {
            assertThrows(Exception.class, () -> SafeXml.parse(pages.get(broken)), broken);
        }
        // and off again: every page well-formed, the attribute form stays (it is the page's shape)
        sim.faults().brokenXml(false);
        String devices = call(DEVICES, null).body();
        assertTrue(devices.contains("<cid>&quot;101&quot; &lt;101&gt;</cid>"), devices);
        assertTrue(call(CLIS, null).body().contains("<device id=\"2\">FAX/102</device>"));
    }

    // ---- state --------------------------------------------------------------------------------------------------

    @Test
    void mainPagePersonalDetailsAndTheirUpdate() throws Exception {
        login("demo", "demo-secret");
        Document main = page(MAIN, null);
        assertEquals("Demo User", text(main, "username"));
        assertEquals("2", text(main, "userid"));
        assertEquals("Postpaid", text(main, "account"));
        sim.user().setBalance(new BigDecimal("100"));
        sim.user().setCredit(null);
        main = page(MAIN, null);
        assertEquals("100 USD", text(main, "balance"));
        assertEquals("No Limit", text(main, "credit"));
        assertEquals(List.of("Month", "Day"), texts(main, "period"));

        assertAction(page(UPDATE_PERSONAL_DETAILS, "2", "surname", "Tester", "reg_email", "t@example.org"),
                "edit_personal", "ok", "Personal details changed");
        Document details = page(PERSONAL_DETAILS, null);
        assertEquals("Tester", text(details, "surname"));
        assertEquals("t@example.org", text(details, "reg_email"));
        assertEquals("Demo Tester", text(page(MAIN, null), "username"));
        assertAction(page(UPDATE_PERSONAL_DETAILS, "2", "reg_email", "not-an-email"), "edit_personal", "failed",
                "Email is not valid");
        assertAction(page(UPDATE_PERSONAL_DETAILS, "9", "surname", "X"), "edit_personal", "failed",
                "User was not found");
        assertEquals("t@example.org", sim.user().personalDetails().get("reg_email"));
    }

    @Test
    void devicesAndCallFlows() throws Exception {
        login("demo", "demo-secret");
        Document devices = page(DEVICES, null);
        assertEquals(List.of("1", "2", "3"), texts(devices, "acc"));
        assertEquals(List.of("SIP", "FAX", "IAX2"), texts(devices, "type"));
        assertEquals(sim.user().device(1).password(), texts(devices, "password").get(0));

        Document flow = page(CALLFLOW, "1");
        assertEquals(List.of("Before call", "Call", "Answered", "No answer", "Busy", "Failed"),
                texts(flow, "call_state"));
        assertEquals(List.of("-", "Dial(SIP/101)", "Hangup", "-", "Voicemail", "-"), texts(flow, "callflow_action"));

        Document edit = page(CALLFLOW_EDIT, "1", "cft", "noanswer");
        assertEquals("No answer", text(edit, "call_state"));
        assertEquals(List.of("2", "3", "4"), texts(edit, "action_id"));
        assertEquals(List.of("IAX2/103", "FAX/102"), texts(edit, "device_name"));

        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "noanswer", "cf_action", "forward", "whattodo",
                "change_local_device", "deviceid", "3"), "update_callflow", "ok", "Callflow updated");
        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "before_call", "cf_action", "forward", "whattodo",
                "change_external_device", "ext_number", "37060012345"), "update_callflow", "ok", "Callflow updated");
        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "busy", "cf_action", "forward", "whattodo",
                "change_fax_device", "deviceid", "2"), "update_callflow", "ok", "Callflow updated");
        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "failed", "cf_action", "voicemail"), "update_callflow", "ok",
                "Callflow updated");
        assertEquals(List.of("Forward(37060012345)", "Dial(SIP/101)", "Hangup", "Forward(IAX2/103)",
                "Fax detect(FAX/102)", "Voicemail"), texts(page(CALLFLOW, "1"), "callflow_action"));
        assertEquals(MorUser.FlowAction.FORWARD, sim.user().flow(1, "noanswer").action());
        assertEquals(3, sim.user().flow(1, "noanswer").targetDevice());

        // the empty action
        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "failed", "whattodo", "change_action", "cf_action", ""),
                "update_callflow", "ok", "Callflow updated");
        assertEquals("-", texts(page(CALLFLOW, "1"), "callflow_action").get(5));
        // refusals change nothing
        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "busy", "cf_action", "forward", "whattodo",
                "change_fax_device", "deviceid", "3"), "update_callflow", "failed", "Fax device was not found");
        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "nonsense", "cf_action", "voicemail"), "update_callflow",
                "failed", "Unknown call flow type");
        assertAction(page(CALLFLOW_UPDATE, "1", "cft", "busy", "cf_action", "forward", "whattodo",
                "change_external_device", "ext_number", "abc"), "update_callflow", "failed", "Invalid number");
        assertEquals("Fax detect(FAX/102)", sim.user().flowText(1, "busy"));
        assertEquals("Device was not found", text(page(CALLFLOW, "99"), "error_msg"));
    }

    @Test
    void ratesDestinationsAndCurrency() throws Exception {
        login("demo", "demo-secret");
        Document rates = page(RATES, null);
        assertEquals("USD", text(rates, "currency"));
        assertEquals("15", text(rates, "vat_percent"));
        assertEquals("Afghanistan", text(rates, "ratename"));
        assertEquals("0.2", text(rates, "ratecost"));
        assertEquals("0.23", text(rates, "rate_vat_cost"));

        Document eur = page(CHANGE_CURRENCY, null, "currency", "EUR");
        assertEquals("EUR", texts(eur, "currency").get(0));
        assertEquals("0.184", text(eur, "ratecost"));
        assertEquals("EUR", sim.user().currency());
        assertTrue(text(page(MAIN, null), "balance").endsWith(" EUR"));
        Document unknown = page(CHANGE_CURRENCY, null, "currency", "XYZ");
        assertEquals("Currency XYZ is not available", text(unknown, "error_msg"));
        assertEquals("EUR", sim.user().currency());
        sim.addCall(Instant.ofEpochSecond(DAY + 10), "101", "12125550100", 60, "Answered");
        Document calls = page(CALLS_PERIOD, null, "period_start", Long.toString(DAY), "period_end",
                Long.toString(DAY + 100));
        assertEquals("EUR", text(calls, "currency"));
        assertEquals("0.0451", text(calls, "price"));

        Document dest = page(DESTINATIONS, "2");
        assertEquals("Australia", text(dest, "groupname"));
        assertEquals(List.of("61261", "61262", "614"), texts(dest, "prefix"));
        assertEquals("Destination group was not found", text(page(DESTINATIONS, "77"), "error_msg"));
    }

    @Test
    void paymentsInvoicesSubscriptions() throws Exception {
        login("demo", "demo-secret");
        BigDecimal before = sim.balance();
        sim.user().addPayment(new BigDecimal("25"), "USD");
        assertEquals(0, before.add(new BigDecimal("25")).compareTo(sim.balance()));
        Document payments = page(PAYMENTS, null);
        assertEquals(List.of("10", "20", "25"), texts(payments, "amount"));
        assertEquals("28.75", texts(payments, "amount_vat").get(2));
        assertEquals("15.0", texts(payments, "vat").get(0));
        Document invoices = page(INVOICES, null);
        assertEquals(2, texts(invoices, "invoice").size());
        assertEquals(List.of("Yes", "No"), texts(invoices, "paid"));
        Document subscriptions = page(SUBSCRIPTIONS, null);
        assertEquals(List.of("5 USD", "10 USD"), texts(subscriptions, "price"));
    }

    @Test
    void callListPeriodFiltersLateAndIdenticalCalls() throws Exception {
        login("demo", "demo-secret");
        Instant t = Instant.ofEpochSecond(DAY + 3600);
        sim.addCall(t, "101", "12125550100", 61, "Answered");
        sim.addCall(t.plusSeconds(60), "37061111111", "101", 30, "Answered");
        sim.addCall(t.plusSeconds(120), "101", "4930111111", 0, "Busy");
        sim.addCall(t.plusSeconds(180), "103", "447700900000", 5, "Failed");
        // two identical calls in the same second, and a call written late with an older date
        sim.addCall(t.plusSeconds(240), "101", "12125550100", 10, "Answered");
        sim.addCall(t.plusSeconds(240), "101", "12125550100", 10, "Answered");
        sim.addCall(t.minusSeconds(30), "101", "61261000000", 20, "Answered");
        String s = Long.toString(DAY);
        String e = Long.toString(DAY + 86_399);

        Document all = page(CALLS_PERIOD, null, "search_on", "1", "period_start", s, "period_end", e, "direction",
                "all", "calltype", "all", "device", "all");
        assertEquals("7", text(all, "total_calls"));
        assertEquals(List.of("2024-03-10 00:59:30", "2024-03-10 01:00:00", "2024-03-10 01:01:00",
                "2024-03-10 01:02:00", "2024-03-10 01:03:00", "2024-03-10 01:04:00", "2024-03-10 01:04:00"),
                texts(all, "date"));
        assertEquals("United States FIX USA 212 New York", texts(all, "destination").get(1));
        assertEquals("00:01:01", texts(all, "duration").get(1));
        assertEquals("0.0498", texts(all, "price").get(1));
        assertEquals("2024-03-10 00:00:00", text(all, "period_start"));
        assertEquals("2024-03-10 23:59:59", text(all, "period_end"));

        // both ends included
        Document edge = page(CALLS_PERIOD, null, "period_start", Long.toString(t.getEpochSecond()), "period_end",
                Long.toString(t.getEpochSecond() + 60));
        assertEquals("2", text(edge, "total_calls"));
        assertEquals("1", text(page(CALLS_PERIOD, null, "period_start", s, "period_end", e, "direction", "incoming"),
                "total_calls"));
        Document answered = page(CALLS_PERIOD, null, "period_start", s, "period_end", e, "calltype", "answered");
        assertEquals("5", text(answered, "total_calls"));
        assertEquals("answered", text(answered, "status"));
        assertEquals("1", text(page(CALLS_PERIOD, null, "period_start", s, "period_end", e, "calltype", "busy"),
                "total_calls"));
        Document outgoing = page(CALLS_PERIOD, null, "period_start", s, "period_end", e, "calltype", "outgoing");
        assertEquals("6", text(outgoing, "total_calls"));
        assertEquals("outgoing", text(outgoing, "direction"));
        Document device3 = page(CALLS_PERIOD, null, "period_start", s, "period_end", e, "device", "3");
        assertEquals("1", text(device3, "total_calls"));
        assertEquals("3", text(device3, "show_device"));
        Document invalid = page(CALLS_PERIOD, null, "period_start", "2024-03-10", "period_end", e);
        assertEquals("Invalid period_start", text(invalid, "error_msg"));
        assertEquals("0", text(invalid, "total_calls"));

        // without a period: today's calls (the sample's and none of the 2024 ones)
        Document today = page(CALLS, null);
        assertTrue(texts(today, "date").stream().noneMatch(d -> d.startsWith("2024-")));
        assertEquals(2, sim.calls().stream().filter(c -> c.date().equals(t.plusSeconds(240))).count());
    }

    @Test
    void newCallsAreTheCallsThatArrivedLately() throws Exception {
        login("demo", "demo-secret");
        assertEquals("0", text(page(NEW_CALLS, null), "total_calls")); // the sample calls arrived when made
        sim.addCall(Instant.ofEpochSecond(DAY), "101", "12125550100", 61, "Answered"); // late: arrives now
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sim.addCall(now, "12125550111", "101", 9, "Answered");
        Document d = page(NEW_CALLS, null);
        assertEquals("2", text(d, "total_calls"));
        assertEquals(List.of("12125550100", "101"), texts(d, "called_to"));
        assertEquals("2", text(page(NEW_CALLS, null), "total_calls"));
        assertEquals("2", text(page(USER_STATS, null), "new_calls"));
    }

    @Test
    void missedCallsAndProcessCall() throws Exception {
        login("demo", "demo-secret");
        MorCall a = sim.addMissedCall(Instant.ofEpochSecond(DAY + 100), "12125550100");
        MorCall b = sim.addMissedCall(Instant.ofEpochSecond(DAY + 200), "4420700000");
        sim.addCall(Instant.ofEpochSecond(DAY + 300), "12125550100", "101", 30, "Answered"); // not missed
        String s = Long.toString(DAY);
        String e = Long.toString(DAY + 86_399);
        Document d = page(MISSED_CALLS_PERIOD, null, "search_on", "1", "period_start", s, "period_end", e);
        assertEquals("2", text(d, "missed_total"));
        assertEquals(List.of(Long.toString(a.id()), Long.toString(b.id())), texts(d, "call_id"));
        assertEquals(List.of("0", "0"), texts(d, "processed"));
        assertEquals(List.of("No Answer", "No Answer"), texts(d, "hangup_cause"));

        Document processed = page(PROCESS_CALL, null, "call_id", Long.toString(b.id()), "processed", "1",
                "period_start", s, "period_end", e);
        assertEquals("Missed calls", text(processed, "pagename"));
        assertEquals("", text(processed, "error_msg"));
        assertEquals(List.of("0", "1"), texts(processed, "processed"));
        assertTrue(sim.user().processed(b.id()));
        assertFalse(sim.user().processed(a.id()));
        assertEquals("Call was not found", text(page(PROCESS_CALL, null, "call_id", "999999", "processed", "1"),
                "error_msg"));
        page(PROCESS_CALL, null, "call_id", Long.toString(b.id()), "processed", "0");
        assertFalse(sim.user().processed(b.id()));
        // a call of today is on the page without a period
        MorCall now = sim.addMissedCall(Instant.now().truncatedTo(ChronoUnit.SECONDS), "37060000009");
        assertTrue(texts(page(MISSED_CALLS, null), "call_id").contains(Long.toString(now.id())));
    }

    @Test
    void detailedStatistics() throws Exception {
        login("demo", "demo-secret");
        sim.addCall(Instant.ofEpochSecond(DAY + 100), "101", "12125550100", 90, "Answered");
        sim.addMissedCall(Instant.ofEpochSecond(DAY + 86_400 + 100), "12125550100");
        Document d = page(USER_STATS_PERIOD, null, "period_start", Long.toString(DAY), "period_end",
                Long.toString(DAY + 2 * 86_400 - 1));
        assertEquals("2024-03-10", text(d, "start_date"));
        assertEquals("2024-03-11", text(d, "end_date"));
        assertEquals(List.of("2024-03-11", "2024-03-10"), texts(d, "date"));
        assertEquals(List.of("1", "1"), texts(d, "calls_count"));
        assertEquals("1.5", texts(d, "duration").get(1));
        assertEquals(List.of("0", "100"), texts(d, "calls_normative"));
        Element incoming = (Element) d.getElementsByTagName("incoming").item(0);
        assertEquals("1", incoming.getElementsByTagName("no_answer").item(0).getTextContent());
        Element outgoing = (Element) d.getElementsByTagName("outgoing").item(0);
        assertEquals("1", outgoing.getElementsByTagName("answered").item(0).getTextContent());
        // the spec's own link of Change dates
        sim.requireHash(false);
        HttpResponse<String> r = send("POST", "/billing/stats/user_stats", Map.of(), kv("period_start",
                Long.toString(DAY), "period_end", Long.toString(DAY + 86_399)));
        assertEquals("2024-03-10", text(SafeXml.parse(r.body()), "end_date"));
    }

    @Test
    void clisPhonebookFaxes() throws Exception {
        login("demo", "demo-secret");
        assertAction(page(ADD_CLI, null, "device_id", "3", "cli", "37052999999", "description", "Desk"), "add_cli",
                "ok", "CLI created");
        assertAction(page(ADD_CLI, null, "device_id", "3", "cli", "37052999999", "description", "Again"), "add_cli",
                "failed", "CLI not created");
        assertAction(page(ADD_CLI, null, "device_id", "42", "cli", "37052999998", "description", "x"), "add_cli",
                "failed", "CLI not created");
        Document clis = page(CLIS, null);
        assertEquals("37052999999", texts(clis, "cli_name").get(2));
        assertEquals("IAX2/103", ((Element) clis.getElementsByTagName("cli").item(2)).getElementsByTagName("device")
                .item(0).getTextContent());

        assertAction(page(ADD_PHONEBOOK_ENTRY, "2", "number", "37060000003", "name", "Jonas"), "add_phonebook_entry",
                "ok", "Record added");
        assertAction(page(ADD_PHONEBOOK_ENTRY, "2", "number", "", "name", "Jonas"), "add_phonebook_entry", "failed",
                "Please fill all fields");
        assertEquals(List.of("12125551234", "442071234567", "37061111111", "37060000003"),
                texts(page(PHONEBOOK, "2"), "entry_number"));
        assertAction(page(DELETE_PHONEBOOK_ENTRY, "2"), "delete_phonebook_entry", "ok", "Record deleted");
        assertAction(page(DELETE_PHONEBOOK_ENTRY, "37060000003"), "delete_phonebook_entry", "ok", "Record deleted");
        assertAction(page(DELETE_PHONEBOOK_ENTRY, "2"), "delete_phonebook_entry", "failed",
                "We're sorry, but something went wrong");
        assertEquals(List.of("12125551234", "37061111111"), texts(page(PHONEBOOK, "2"), "entry_number"));
        assertEquals("User was not found", text(page(PHONEBOOK, "5"), "error"));

        sim.addFax(Instant.ofEpochSecond(DAY + 10), "4930123456");
        String s = Long.toString(DAY);
        String e = Long.toString(DAY + 86_399);
        Document faxes = page(FAXES_PERIOD, "2", "search_on", "1", "period_start", s, "period_end", e);
        assertEquals(List.of("4930123456"), texts(faxes, "sender"));
        assertEquals("FAX/102", text(faxes, "device"));
        assertEquals("Received", text(faxes, "status"));
        assertEquals(0, texts(page(FAXES_PERIOD, "2", "period_start", s, "period_end", e, "fax_status", "failed"),
                "fax").size());
        assertEquals("2", text(page(FAXES_PERIOD, "2", "period_start", s, "period_end", e, "device_id", "2"),
                "show_device"));
        assertEquals("Device was not found", text(page(FAXES_PERIOD, "2", "device_id", "1"), "error_msg"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sim.addFax(now, "12125550000");
        assertTrue(texts(page(FAXES, "2"), "sender").contains("12125550000")); // without a period: today's
    }

    @Test
    void callbackMakesACall() throws Exception {
        login("demo", "demo-secret");
        int calls = sim.calls().size();
        BigDecimal balance = sim.balance();
        HttpResponse<String> r = call(CALLBACK, null, "src", "37061234567", "dst", "12125550123", "acc", "1");
        assertAction(SafeXml.parse(r.body()), "callback", "ok", "Callback activated");
        assertEquals(1, sim.callbacks().size());
        MorCallback cb = sim.callbacks().get(0);
        assertEquals("37061234567", cb.src());
        assertEquals(1, cb.acc());
        MorCall c = sim.user().call(cb.callId());
        assertEquals("12125550123", c.calledTo());
        assertEquals("Answered", c.hangupCause());
        assertEquals(calls + 1, sim.calls().size());
        assertEquals(0, balance.subtract(c.priceUsd()).compareTo(sim.balance()));
        assertEquals(1, sim.requestCount("callback"));

        assertAction(page(CALLBACK, null, "src", "37061234567", "dst", "12125550123", "acc", "2"), "callback",
                "failed", "Device was not found");
        sim.user().setBalance(new BigDecimal("-50"));
        sim.user().setCredit(new BigDecimal("50"));
        assertAction(page(CALLBACK, null, "src", "37061234567", "dst", "12125550123", "acc", "1"), "callback",
                "failed", "Insufficient balance");
        assertEquals(1, sim.callbacks().size());
    }

    @Test
    void exports() throws Exception {
        login("demo", "demo-secret");
        HttpResponse<byte[]> pdf = http.send(HttpRequest.newBuilder(URI.create(sim.address()
                + "/tariffs/generate_personal_rates_pdf/2?user_id=2&hash=" + MorSimulator.hash(sim.apiKey(), "2")))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        assertEquals("attachment; filename=personal_rates_2.pdf",
                pdf.headers().firstValue("Content-Disposition").orElse(""));
        String pdfText = new String(pdf.body(), StandardCharsets.ISO_8859_1);
        assertTrue(pdfText.startsWith("%PDF-1.4\n") && pdfText.endsWith("%%EOF\n"));
        int xref = Integer.parseInt(pdfText.replaceAll("(?s).*startxref\n(\\d+)\n%%EOF\n$", "$1"));
        assertTrue(pdfText.startsWith("xref", xref), "startxref points at the xref table");
        assertTrue(pdfText.contains("(Afghanistan  FIX  0.2  0.23 USD) Tj"));

        HttpResponse<String> csv = call(RATES_CSV, "2");
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.body().startsWith("ratename,ratetype,ratecost,rate_vat_cost\nAfghanistan,FIX,0.2,0.23\n"));

        sim.addCall(Instant.ofEpochSecond(DAY + 60), "101", "12125550100", 61, "Answered");
        sim.addCall(Instant.ofEpochSecond(DAY + 120), "12125550101", "101", 5, "No Answer");
        HttpResponse<String> calls = call(CALLS_CSV, "2", "call_type", "all", "date_from", Long.toString(DAY),
                "date_till", Long.toString(DAY + 86_399));
        assertEquals("attachment; filename=calls_2_2024-03-10_2024-03-10.csv",
                calls.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals("date,called_from,called_to,destination,duration,hangup_cause,price\n"
                + "2024-03-10 00:01:00,101,12125550100,United States FIX USA 212 New York,00:01:01,Answered,0.0498\n"
                + "2024-03-10 00:02:00,12125550101,101,United States FIX USA 212 New York,00:00:05,No Answer,0\n",
                calls.body());
        assertEquals(2, call(CALLS_CSV, "2", "call_type", "all", "date_from", Long.toString(DAY), "date_till",
                Long.toString(DAY + 86_399)).body().split("\n").length - 1);
        assertEquals(1, call(CALLS_CSV, "2", "call_type", "answered", "date_from", Long.toString(DAY), "date_till",
                Long.toString(DAY + 86_399)).body().split("\n").length - 1);
        HttpResponse<String> callsPdf = call(CALLS_PDF, "2", "call_type", "all", "date_from", Long.toString(DAY),
                "date_till", Long.toString(DAY + 86_399));
        assertTrue(callsPdf.body().startsWith("%PDF-1.4") && callsPdf.body().contains("12125550101 -> 101"));
        assertEquals("User was not found", text(SafeXml.parse(call(CALLS_CSV, "3").body()), "error"));
    }

    // ---- faults, counters, options ------------------------------------------------------------------------------

    @Test
    void faults() throws Exception {
        login("demo", "demo-secret");
        int entries = sim.user().phonebook().size();
        // an HTTP error instead of processing
        sim.faults().failNext("/phonebooks/add_new", 503);
        HttpResponse<String> r = call(ADD_PHONEBOOK_ENTRY, "2", "number", "37060000004", "name", "A");
        assertEquals(503, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(entries, sim.user().phonebook().size());
        sim.faults().failNext("main", 500);
        assertEquals(500, call(MAIN, null).statusCode());
        assertEquals(200, call(MAIN, null).statusCode());

        // dropped after processing
        sim.faults().dropNext("addPhonebookEntry");
        assertThrows(IOException.class, () -> call(ADD_PHONEBOOK_ENTRY, "2", "number", "37060000005", "name", "B"));
        assertEquals(entries + 1, sim.user().phonebook().size());

        // cut in the middle: a small page by bytes, a call list after half its calls
        sim.faults().truncateNext("/devices/user_devices");
        String cut = call(DEVICES, null).body();
        String whole = call(DEVICES, null).body();
        assertEquals(whole.length() / 2, cut.length());
        assertThrows(Exception.class, () -> SafeXml.parse(cut));
        sim.addCalls(10, Instant.ofEpochSecond(DAY), Instant.ofEpochSecond(DAY + 1000));
        sim.faults().truncateNext("callsPeriod");
        String half = call(CALLS_PERIOD, null, "period_start", Long.toString(DAY), "period_end",
                Long.toString(DAY + 1000)).body();
        assertEquals(5, half.split("<call>").length - 1);
        assertTrue(half.contains("<total_calls>10</total_calls>") && !half.contains("</page>"));
        assertThrows(Exception.class, () -> SafeXml.parse(half));

        // slow
        sim.faults().slowNext("/callc/main", Duration.ofMillis(300));
        long t0 = System.nanoTime();
        assertEquals(200, call(MAIN, null).statusCode());
        assertTrue(System.nanoTime() - t0 >= 290_000_000L);
        t0 = System.nanoTime();
        call(MAIN, null);
        assertTrue(System.nanoTime() - t0 < 290_000_000L);

        // the exact path of a page with a segment
        sim.faults().failNext("/devices/callflow/3", 500);
        assertEquals(200, call(CALLFLOW, "1").statusCode());
        assertEquals(500, call(CALLFLOW, "3").statusCode());

        // counters by operation, spec path and exact path
        assertEquals(2, sim.requestCount("callflow"));
        assertEquals(2, sim.requestCount("/devices/callflow"));
        assertEquals(1, sim.requestCount("/devices/callflow/3"));
        assertEquals(4, sim.requestCount("main"));
        assertEquals(1, sim.requestCount("login"));
        assertEquals(1, sim.requestCount("callsPeriod"));
        assertEquals(1, sim.requestCount("/stats/call_list"));
        assertEquals(0, sim.requestCount("calls"));

        sim.faults().failNext("main", 500);
        sim.faults().reset();
        assertEquals(200, call(MAIN, null).statusCode());
        assertEquals(404, send("GET", "/no/such/page", Map.of(), Map.of()).statusCode());
    }

    @Test
    void basePathAndASecondUser() throws Exception {
        try (MorSimulator b = MorSimulator.builder().basePath("/billing").user(2, "demo", "demo-secret")
                .user(3, "acme", "acme-secret").initialCalls(3).start()) {
            MorSimulator keep = sim;
            sim = b;
            try {
                assertTrue(b.address().endsWith("/billing"));
                assertEquals("Login page", text(SafeXml.parse(send("GET", "/callc/login", Map.of(), Map.of()).body()),
                        "pagename"));
                HttpResponse<String> outside = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + b.port() + "/callc/login")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, outside.statusCode());
                login("acme", "acme-secret");
                Map<String, String> p = kv("user_id", "3");
                p.put("hash", clientHash(b.apiKey(), MAIN, p));
                Document main = SafeXml.parse(raw(MAIN, null, p).body());
                assertEquals("Acme Sandbox", text(main, "username"));
                assertEquals("3", text(main, "userid"));
                Document devices = SafeXml.parse(raw(DEVICES, null, p).body());
                assertEquals(List.of("4", "5", "6"), texts(devices, "acc"));
                assertEquals(1, b.requestCount("/billing/callc/main"));
            } finally {
                sim = keep;
            }
        }
    }

    @Test
    void trickleGrowsTheCallList() throws Exception {
        try (MorSimulator t = MorSimulator.builder().initialCalls(0).callTrickle(Duration.ofMillis(20)).start()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (t.calls().size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(t.calls().size() >= 5);
        }
        // a sandbox that has called its balance away gets a payment
        sim.user().setBalance(new BigDecimal("-45"));
        sim.user().setCredit(new BigDecimal("50"));
        int payments = sim.user().payments().size();
        sim.user().trickle();
        assertEquals(payments + 1, sim.user().payments().size());
        assertTrue(sim.balance().compareTo(new BigDecimal("50")) > 0);
    }

    @Test
    void aCallListOf100000IsStreamed() throws Exception {
        login("demo", "demo-secret");
        sim.addCalls(100_000, Instant.ofEpochSecond(DAY), Instant.ofEpochSecond(DAY + 86_399));
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(sim.address()
                + "/stats/call_list")).header("Cookie", cookie).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("user_id=2&period_start="
                + DAY + "&period_end=" + (DAY + 86_399) + "&hash=" + MorSimulator.hash(sim.apiKey(), "2",
                Long.toString(DAY), Long.toString(DAY + 86_399)))).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(r.headers().firstValue("Content-Length").isEmpty(), "chunked");
        int calls = 0;
        try (InputStream in = r.body()) {
            javax.xml.stream.XMLStreamReader x = SafeXml.inputFactory().createXMLStreamReader(in);
            while (x.hasNext()) {
                if (x.next() == javax.xml.stream.XMLStreamConstants.START_ELEMENT && x.getLocalName().equals("call")) {
                    calls++;
                }
            }
        }
        assertEquals(100_000, calls);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void unknownPathSegmentsAndMethods() throws Exception {
        login("demo", "demo-secret");
        assertEquals(404, send("GET", "/callc/login/5", Map.of(), Map.of()).statusCode());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(sim.address() + "/callc/main"))
                .method("PUT", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, put.statusCode());
        assertNull(MorOperation.byName("nonsense"));
        assertEquals(CALLS_PERIOD, MorOperation.byName("callsPeriod"));
        assertEquals(Arrays.asList(MorOperation.values()).stream().map(MorOperation::operationName).distinct().count(),
                MorOperation.values().length);
    }
}
