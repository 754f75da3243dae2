package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.testsupport.DebugLog;
import io.pbxbridge.testsupport.LogCapture;
import io.pbxbridge.vendor.VendorException;

/** Every JSON API method of the portasip component against the simulator: results, state, audio, faults, sessions. */
class PortaSipHttpTest {

    static PortaSipSimulator sim;
    static CamelContext camel;
    static ProducerTemplate template;

    @BeforeAll
    static void start() {
        sim = PortaSipSimulator.builder().start();
        camel = new DefaultCamelContext();
        PortaSipComponent component = new PortaSipComponent();
        PortaSipConfiguration c = component.getConfiguration();
        c.setAddress(sim.address());
        c.setLogin("123001");
        c.setDomain("sip.example.com");
        c.setPassword("secret001");
        c.setRequestTimeout(5000);
        camel.addComponent("portasip", component);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        sim.close();
    }

    @BeforeEach
    void resetFaults() {
        sim.faults().reset();
    }

    static <T> T call(String uri, Object body, Map<String, Object> headers, Class<T> type) {
        return template.requestBodyAndHeaders("portasip:" + uri, body, headers, type);
    }

    static <T> T call(String uri, Class<T> type) {
        return call(uri, null, Map.of(), type);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(String uri, Class<T> item) {
        List<?> l = call(uri, List.class);
        l.forEach(x -> assertInstanceOf(item, x));
        return (List<T>) l;
    }

    static PortaSipException failure(String uri, Object body, Map<String, Object> headers) {
        Exchange ex = template.request("portasip:" + uri, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeaders(new HashMap<>(headers));
        });
        assertNotNull(ex.getException(), "expected " + uri + " to fail");
        return assertInstanceOf(PortaSipException.class, ex.getException());
    }

    static PortaSipFaultException fault(String uri, Map<String, Object> headers, String code) {
        PortaSipFaultException f = assertInstanceOf(PortaSipFaultException.class, failure(uri, null, headers));
        assertEquals(code, f.getCode(), f.getMessage());
        return f;
    }

    /** The endpoint options of another sample account. */
    static String as(String login, String password) {
        return "login=" + login + "&password=RAW(" + password + ")";
    }

    static byte[] audio(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        // the multipart boundary's first bytes inside the content must not end it
        if (size > 10) {
            b[5] = '\r';
            b[6] = '\n';
            b[7] = '-';
            b[8] = '-';
        }
        return b;
    }

    // ---- Session ----------------------------------------------------------------------------------------------

    @Test
    void loginAndLogoutOfAnOwnSessionAndOfTheManagedOne() {
        int created = sim.sessionsCreated();
        PortaSipSession own = call("login", PortaSipSession.class);
        assertTrue(own.sessionId().value().matches("[0-9a-f]{32}"));
        assertFalse(own.toString().contains(own.sessionId().value()), "the session id is masked when printed");
        assertEquals(created + 1, sim.sessionsCreated());
        PortaSipSuccess out = call("logout", null, Map.of(PortaSipConstants.SESSION_ID, own.sessionId().value()),
                PortaSipSuccess.class);
        assertTrue(out.isSuccess());

        // the managed session: logged out, the next call logs in again
        call("getVmSettings", VMSettings.class);
        int logins = sim.requestCount("Session", "login");
        int logouts = sim.requestCount("Session", "logout");
        assertTrue(call("logout", PortaSipSuccess.class).isSuccess());
        assertEquals(logouts + 1, sim.requestCount("Session", "logout"));
        call("getVmSettings", VMSettings.class);
        assertEquals(logins + 1, sim.requestCount("Session", "login"));
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        PortaSipFaultException f = fault("getVmSettings?" + as("123002", "wrong-password-9"), Map.of(),
                "Server.Session.login.auth_failed");
        assertEquals(VendorException.Kind.REFUSED, f.getKind());
        assertFalse(f.getMessage().contains("wrong-password-9"), f.getMessage());
        assertEquals("login", f.getOperation());
    }

    // ---- Voicemail ----------------------------------------------------------------------------------------------

    @Test
    void voicemailSettingsRoundTripWithAnyInputShape() {
        String me = as("123002", "secret002");
        VMSettings before = call("getVmSettings?" + me, VMSettings.class);
        assertEquals("standard", before.promptLevels());
        assertFalse(before.toString().contains(String.valueOf(before.password())) && before.password() != null,
                "passwords are not printed");

        // a record body with one field changed
        VMSettings change = new VMSettings(null, null, "rapid", null, "no", null, null, null, null, null, null, null);
        PortaSipIds saved = call("setVmSettings?" + me, change, Map.of(), PortaSipIds.class);
        assertEquals(1, saved.vmSettingsSaved());
        VMSettings after = call("get_vm_settings?" + me, VMSettings.class);
        assertEquals("rapid", after.promptLevels());
        assertEquals("no", after.autoPlay());
        assertEquals(before.greetings(), after.greetings(), "fields not given are left");

        // a Map in the header, then JSON in the option
        call("setVmSettings?" + me, null, Map.of(PortaSipConstants.VM_SETTINGS, Map.of("ext_email", "a@example.com")),
                PortaSipIds.class);
        call("setVmSettings?" + me + "&vmSettings=RAW({\"fax_file\":\"pdf\"})", PortaSipIds.class);
        VMSettings last = call("getVmSettings?" + me, VMSettings.class);
        assertEquals("a@example.com", last.extEmail());
        assertEquals("pdf", last.faxFile());

        // a value outside the spec's list
        fault("setVmSettings?" + me, Map.of(PortaSipConstants.VM_SETTINGS, Map.of("prompt_levels", "loud")),
                "Client.Voicemail.set_vm_settings.validation_error");
        // nothing to set: refused before sending
        assertEquals(VendorException.Kind.INVALID_REQUEST, failure("setVmSettings?" + me, null, Map.of()).getKind());
    }

    @Test
    void greetingsUploadAndDownloadAsMultipart() throws Exception {
        String me = as("123002", "secret002");
        byte[] personal = audio(3000, 7);
        PortaSipIds up = call("setVmGreeting?" + me + "&greetingType=personal", personal, Map.of(), PortaSipIds.class);
        assertNotNull(up.iAudioFile());
        try (PortaSipAudio got = call("getVmGreeting?" + me, null, Map.of(PortaSipConstants.GREETING_TYPE, "personal"),
                PortaSipAudio.class)) {
            assertArrayEquals(personal, got.bytes());
            assertEquals("personal.au", got.filename());
            assertEquals("audio/basic", got.contentType());
            assertFalse(got.isSpooled());
        }
        // the system's standard greeting is always there
        assertTrue(call("getVmGreeting?" + me + "&greetingType=standard", PortaSipAudio.class).size() > 0);
        // a greeting never stored
        fault("getVmGreeting?" + me + "&greetingType=extended", Map.of(), "Server.Voicemail.get_vm_greeting.not_found");
        // no audio: refused before sending
        assertEquals(VendorException.Kind.INVALID_REQUEST,
                failure("setVmGreeting?" + me + "&greetingType=name", null, Map.of()).getKind());

        // a large stream with a file name: spooled on the way in and on the way out
        byte[] large = audio(PortaSipAudio.IN_MEMORY_LIMIT + 300_000, 3);
        PortaSipIds big = call("setVmGreeting?" + me, new ByteArrayInputStream(large),
                Map.of(PortaSipConstants.GREETING_INFO, new GreetingInfo("name", "my-name.wav")), PortaSipIds.class);
        assertNotNull(big.iAudioFile());
        PortaSipAudio name = call("getVmGreeting?" + me + "&greetingType=name", PortaSipAudio.class);
        try (name; InputStream in = name.openStream()) {
            assertTrue(name.isSpooled());
            assertEquals(large.length, name.size());
            assertEquals("my-name.wav", name.filename());
            assertEquals("audio/wav", name.contentType());
            assertArrayEquals(large, in.readAllBytes());
        }
    }

    // ---- SMPreferences ------------------------------------------------------------------------------------------

    @Test
    void folderAndDisplayPreferences() {
        String me = as("123003", "secret003");
        FolderPreferences folders = call("getFolderPreferences?" + me, FolderPreferences.class);
        assertNotNull(folders.trashFolder());
        FolderPreferences change = new FolderPreferences("Bin", null, null, 2, null, null, 5);
        assertTrue(call("setFolderPreferences?" + me, change, Map.of(), PortaSipSuccess.class).isSuccess());
        FolderPreferences after = call("getFolderPreferences?" + me, FolderPreferences.class);
        assertEquals("Bin", after.trashFolder());
        assertEquals(5, after.searchMemory());
        assertEquals(folders.sentFolder(), after.sentFolder());

        DisplayPreferences display = call("getDisplayPreferences?" + me, DisplayPreferences.class);
        assertEquals("Nickname", display.addrsrchFullname());
        assertTrue(call("setDisplayPreferences?" + me, null,
                Map.of(PortaSipConstants.DISPLAY_PREFS, "{\"show_num\": 40, \"addrsrch_fullname\": \"Fullaname\"}"),
                PortaSipSuccess.class).isSuccess());
        DisplayPreferences d2 = call("get_display_preferences?" + me, DisplayPreferences.class);
        assertEquals(40, d2.showNum());
        assertEquals("Fullaname", d2.addrsrchFullname());
        fault("setFolderPreferences?" + me, Map.of(PortaSipConstants.FOLDER_PREFS, Map.of("search_memory", 12)),
                "Client.SMPreferences.set_folder_preferences.validation_error");
    }

    // ---- AutoAttendant ------------------------------------------------------------------------------------------

    @Test
    void menusTransitionsAndPromptsWithBothSpellingsOfTheTypo() {
        String me = as("123003", "secret003");
        List<MenuInfo> menus = list("getMenuList?" + me, MenuInfo.class);
        assertTrue(menus.stream().anyMatch(m -> "ROOT".equals(m.name())), menus.toString());
        MenuInfo root = menus.stream().filter(m -> "ROOT".equals(m.name())).findFirst().orElseThrow();
        assertNotNull(root.iMenu());

        PortaSipIds created = call("createMenu?" + me, MenuInfo.named("Sales"), Map.of(), PortaSipIds.class);
        long sales = created.iMenu();
        call("updateMenu?" + me, null, Map.of(PortaSipConstants.I_MENU, sales, PortaSipConstants.MENU_INFO,
                Map.of("period_desc", "Office hours", "next_digit_timeout", 3)), PortaSipIds.class);
        MenuInfo updated = list("getMenuList?" + me, MenuInfo.class).stream().filter(m -> m.iMenu() == sales)
                .findFirst().orElseThrow();
        assertEquals("Office hours", updated.periodDesc());
        assertEquals(3, updated.nextDigitTimeout());
        assertEquals("Sales", updated.name());
        fault("createMenu?" + me, Map.of(PortaSipConstants.MENU_INFO, Map.of("name", "ROOT")),
                "Client.AutoAttendant.create_menu.validation_error");

        // prompts
        byte[] intro = audio(1200, 1);
        PortaSipIds prompt = call("setMenuPrompt?" + me + "&iMenu=" + sales + "&promptType=intro", intro,
                Map.of(Exchange.FILE_NAME, "dir/intro-sales.au"), PortaSipIds.class);
        assertEquals(sales, prompt.iMenu());
        assertNotNull(prompt.iAudioFile());
        PortaSipAudio back = call("getMenuPrompt?" + me + "&iMenu=" + sales + "&promptType=intro", PortaSipAudio.class);
        assertArrayEquals(intro, back.bytes());
        assertEquals("intro-sales.au", back.filename());

        // transitions: one with a prompt, then its prompt replaced through both spellings of the typo
        byte[] first = audio(900, 2);
        PortaSipIds t = call("setMenuTransition?" + me + "&iMenu=" + sales, first,
                Map.of(PortaSipConstants.TRANSITION_INFO, new TransitionInfo("Transfer", "N", "123002", "5", null, null,
                        "Y", "press5.au", null, null, null)), PortaSipIds.class);
        long tr = t.iMenuTransition();
        assertNotNull(t.iAudioFile());
        List<TransitionInfo> transitions = list("getMenuTransitionList?" + me + "&iMenu=" + sales, TransitionInfo.class);
        TransitionInfo five = transitions.stream().filter(x -> "5".equals(x.event())).findFirst().orElseThrow();
        assertEquals(tr, five.iMenuTransition());
        assertEquals("123002", five.destination());
        assertEquals(1, five.promptSet());
        assertArrayEquals(first, call("getMenuTransitionPrompt?" + me + "&iMenu=" + sales + "&event=5&iMenuTransition=" + tr,
                PortaSipAudio.class).bytes());

        int typo = sim.requestCount("AutoAttendant", "set_menu_transition_promt");
        byte[] second = audio(700, 4);
        call("set_menu_transition_prompt?" + me + "&iMenuTransition=" + tr + "&prompt=second.au", second, Map.of(),
                PortaSipIds.class);
        assertArrayEquals(second, call("getMenuTransitionPrompt?" + me + "&iMenu=" + sales + "&event=5",
                PortaSipAudio.class).bytes());
        byte[] third = audio(650, 5);
        PortaSipIds p3 = call("setMenuTransitionPrompt?" + me, third, Map.of(PortaSipConstants.I_MENU_TRANSITION, tr),
                PortaSipIds.class);
        assertEquals(tr, p3.iMenuTransition());
        call("set_menu_transition_promt?" + me + "&iMenuTransition=" + tr, third, Map.of(), PortaSipIds.class);
        assertEquals(typo + 3, sim.requestCount("AutoAttendant", "set_menu_transition_promt"), "the wire name is the typo");
        assertEquals(0, sim.requestCount("AutoAttendant", "set_menu_transition_prompt"));

        // delete
        assertEquals(sales, call("delMenu?" + me + "&iMenu=" + sales, PortaSipIds.class).iMenu());
        assertTrue(list("getMenuList?" + me, MenuInfo.class).stream().noneMatch(m -> m.iMenu() == sales));
        fault("delMenu?" + me + "&iMenu=" + sales, Map.of(), "Server.AutoAttendant.del_menu.not_found");
        assertEquals(VendorException.Kind.INVALID_REQUEST, failure("delMenu?" + me, null, Map.of()).getKind());
    }

    // ---- Conference ---------------------------------------------------------------------------------------------

    @Test
    void conferences() {
        String me = as("123007", "secret007");
        List<ConfInfo> confs = list("getConfList?" + me, ConfInfo.class);
        ConfInfo weekly = confs.stream().filter(c -> "Weekly sync".equals(c.name())).findFirst().orElseThrow();
        assertFalse(weekly.toString().contains(weekly.pinHost()), "PINs are not printed");
        assertEquals(weekly, call("getConfInfo?" + me + "&iConf=" + weekly.iConf(), ConfInfo.class));
        assertEquals(weekly.iConf(), call("getConfInfo?" + me + "&confName=Weekly sync", ConfInfo.class).iConf());

        ConfInfo board = new ConfInfo(null, "Board", "9999", "1111", 7200, null, 5, "Y", "N", "N", null, null, null, "N");
        long id = call("createConf?" + me, board, Map.of(), PortaSipIds.class).iConf();
        call("updateConf?" + me + "&iConf=" + id, null, Map.of(PortaSipConstants.CONF_INFO,
                Map.of("max_participants", 12)), PortaSipIds.class);
        ConfInfo got = call("getConfInfo?" + me, null, Map.of(PortaSipConstants.I_CONF, id), ConfInfo.class);
        assertEquals(12, got.maxParticipants());
        assertEquals("Board", got.name());

        byte[] moh = audio(2000, 9);
        PortaSipIds p = call("setConfPrompt?" + me + "&iConf=" + id + "&promptType=moh", moh, Map.of(),
                PortaSipIds.class);
        assertEquals(id, p.iConf());
        assertArrayEquals(moh, call("getConfPrompt?" + me + "&iConf=" + id + "&promptType=moh", PortaSipAudio.class)
                .bytes());
        assertEquals("1", call("getConfInfo?" + me + "&iConf=" + id, ConfInfo.class).mohSet());
        fault("getConfPrompt?" + me + "&iConf=" + id + "&promptType=intro", Map.of(),
                "Server.Conference.get_conf_prompt.not_found");

        assertEquals(id, call("delConf?" + me + "&iConf=" + id, PortaSipIds.class).iConf());
        fault("getConfInfo?" + me + "&iConf=" + id, Map.of(), "Server.Conference.get_conf_info.not_found");
        assertEquals(VendorException.Kind.INVALID_REQUEST, failure("getConfInfo?" + me, null, Map.of()).getKind());
    }

    // ---- DialDirectory ------------------------------------------------------------------------------------------

    @Test
    void dialDirectory() {
        String me = as("123007", "secret007");
        List<DirEntryInfo> dir = list("getDirInfo?" + me, DirEntryInfo.class);
        assertTrue(dir.stream().anyMatch(d -> "11".equals(d.abbreviatedNumber())), dir.toString());

        DirEntryInfo entry = new DirEntryInfo(null, "Y", "21", "+3225551234", "Ada", "Lovelace", "Analyst", null, null);
        byte[] name = audio(500, 6);
        PortaSipIds created = call("createDirEntry?" + me, name, Map.of(PortaSipConstants.DIR_ENTRY_INFO, entry),
                PortaSipIds.class);
        long id = created.iEntry();
        assertNotNull(created.iAudioFile());
        DirEntryInfo got = call("getDirEntry?" + me + "&iEntry=" + id, DirEntryInfo.class);
        assertEquals("Lovelace", got.lastname());
        assertEquals(1, got.promptSet());

        // update from a record body, without audio
        call("updateDirEntry?" + me + "&iEntry=" + id, new DirEntryInfo(null, "N", null, null, null, null, "Gone",
                null, null), Map.of(), PortaSipIds.class);
        DirEntryInfo updated = call("get_dir_entry?" + me, null, Map.of(PortaSipConstants.I_ENTRY, id),
                DirEntryInfo.class);
        assertEquals("N", updated.active());
        assertEquals("Gone", updated.description());
        assertEquals("Lovelace", updated.lastname());

        assertEquals(id, call("delDirEntry?" + me + "&iEntry=" + id, PortaSipIds.class).iEntry());
        fault("getDirEntry?" + me + "&iEntry=" + id, Map.of(), "Server.DialDirectory.get_dir_entry.not_found");
        fault("createDirEntry?" + me, Map.of(PortaSipConstants.DIR_ENTRY_INFO, Map.of("active", "Y")),
                "Client.DialDirectory.create_dir_entry.validation_error");
    }

    // ---- dry run, params, faults --------------------------------------------------------------------------------

    @Test
    void dryRunValidatesAndChangesNothing() {
        String me = as("123001", "secret001");
        int menus = list("getMenuList?" + me, MenuInfo.class).size();
        PortaSipSuccess dry = call("createMenu?" + me + "&dryRun=true", MenuInfo.named("Dry"), Map.of(),
                PortaSipSuccess.class);
        assertTrue(dry.isSuccess());
        assertEquals(menus, list("getMenuList?" + me, MenuInfo.class).size());
        // validation still applies
        fault("createMenu?" + me + "&dryRun=true", Map.of(PortaSipConstants.MENU_INFO, Map.of("name", "ROOT")),
                "Client.AutoAttendant.create_menu.validation_error");
    }

    @Test
    void wholeParamsAsAMapBodyOrHeader() {
        String me = as("123001", "secret001");
        long root = list("getMenuList?" + me, MenuInfo.class).stream().filter(m -> "ROOT".equals(m.name()))
                .findFirst().orElseThrow().iMenu();
        List<?> viaBody = call("getMenuTransitionList?" + me, Map.of("i_menu", root), Map.of(), List.class);
        assertFalse(viaBody.isEmpty());
        TransitionInfo toMenu = viaBody.stream().map(TransitionInfo.class::cast).filter(t -> "2".equals(t.event()))
                .findFirst().orElseThrow();
        assertEquals("Menu", toMenu.action());
        assertNotNull(toMenu.targetIMenu(), "target_i_menu read: " + toMenu);
        // a Map body is the params: the named input is set over it
        PortaSipException e = failure("getMenuTransitionList?" + me, Map.of("i_menu", 999_999), Map.of());
        assertEquals("Server.AutoAttendant.get_menu_transition_list.not_found", e.getCode());
        ConfInfo conf = call("getConfInfo?" + me, null, Map.of(PortaSipConstants.PARAMS, "{\"name\": \"Weekly sync\"}"),
                ConfInfo.class);
        assertEquals("Weekly sync", conf.name());
    }

    @Test
    void faultsAreTypedAndClassified() {
        sim.faults().httpFault("AutoAttendant", "get_menu_list", "Client.AutoAttendant.get_menu_list.forbidden",
                "Not allowed here");
        PortaSipFaultException f = fault("getMenuList", Map.of(), "Client.AutoAttendant.get_menu_list.forbidden");
        assertEquals("Not allowed here", f.getVendorMessage());
        assertEquals(VendorException.Kind.REFUSED, f.getKind());
        assertFalse(f.isTransient());
        assertEquals("get_menu_list", f.getOperation());
        assertEquals("portasip", f.getVendor());

        sim.faults().httpFault("Conference", "get_conf_list", "Server.Conference.get_conf_list.internal_error",
                "Database went away");
        PortaSipFaultException internal = fault("getConfList", Map.of(), "Server.Conference.get_conf_list.internal_error");
        assertEquals(VendorException.Kind.NO_ANSWER, internal.getKind());
        assertTrue(internal.isTransient());

        // an unknown operation is refused when the endpoint is made
        assertThrows(ResolveEndpointFailedException.class, () -> template.requestBody("portasip:getEverything", (Object) "x"));
    }

    // ---- sessions -----------------------------------------------------------------------------------------------

    @Test
    void anExpiredSessionIsRenewedOnceAndTheRequestSentAgain() {
        String me = as("123001", "secret001");
        call("getMenuList?" + me, List.class);
        int logins = sim.requestCount("Session", "login");
        int creates = sim.requestCount("AutoAttendant", "create_menu");
        sim.faults().expireSessions();
        // even a request that must not be sent twice: the auth fault proves it was not carried out
        long id = call("createMenu?" + me, MenuInfo.named("After expiry"), Map.of(), PortaSipIds.class).iMenu();
        assertEquals(logins + 1, sim.requestCount("Session", "login"));
        assertEquals(creates + 2, sim.requestCount("AutoAttendant", "create_menu"));
        assertEquals(1, list("getMenuList?" + me, MenuInfo.class).stream().filter(m -> m.iMenu() == id).count());

        // an auth fault on the retry too: thrown (no third attempt), and the next call logs in
        sim.faults().expireSessions();
        sim.faults().httpFault("AutoAttendant", "get_menu_list", "Server.Session.check_auth.auth_failed", "again");
        sim.faults().httpFault("AutoAttendant", "get_menu_list", "Server.Session.check_auth.auth_failed", "again");
        fault("getMenuList?" + me, Map.of(), "Server.Session.check_auth.auth_failed");
        call("getMenuList?" + me, List.class);
    }

    @Test
    void eightThreadsMeetingAnExpiredSessionLogInOnce() throws Exception {
        String me = as("123002", "secret002");
        call("getConfList?" + me, List.class);
        sim.faults().expireSessions();
        int logins = sim.requestCount("Session", "login");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> call("getConfList?" + me, List.class));
            }
            for (Future<Object> f : pool.invokeAll(calls, 20, TimeUnit.SECONDS)) {
                assertNotNull(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(logins + 1, sim.requestCount("Session", "login"));
    }

    @Test
    void noPasswordOrSessionIdInTheLog() {
        List<String> lines = new ArrayList<>();
        String sessionId;
        try (DebugLog debug = DebugLog.of("io.pbxbridge"); LogCapture log = LogCapture.open()) {
            String me = as("123003", "secret003");
            sessionId = call("login?" + me, PortaSipSession.class).sessionId().value();
            call("logout?" + me, null, Map.of(PortaSipConstants.SESSION_ID, sessionId), PortaSipSuccess.class);
            call("getVmSettings?" + me, VMSettings.class);
            sim.faults().expireSessions();
            call("getMenuList?" + me, List.class);
            call("setVmGreeting?" + me + "&greetingType=personal", audio(100, 1), Map.of(), PortaSipIds.class);
            PortaSipException wrong = failure("getVmSettings?" + as("123007", "not-the-password"), null, Map.of());
            lines.add(wrong.getMessage());
            for (Level level : new Level[] { Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR }) {
                for (LogEvent e : log.events(level, "")) {
                    lines.add(e.getMessage().getFormattedMessage());
                    if (e.getThrown() != null) {
                        lines.add(String.valueOf(e.getThrown().getMessage()));
                    }
                }
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("portasip")), "the DEBUG lines were captured: " + lines);
        for (String l : lines) {
            assertFalse(l.contains("secret003") || l.contains("not-the-password"), "a password in: " + l);
            assertFalse(l.contains(sessionId), "a session id in: " + l);
            assertFalse(l.matches("(?s).*\\b[0-9a-f]{32}\\b.*"), "something like a session id in: " + l);
        }
    }

    // ---- TLS, addresses -----------------------------------------------------------------------------------------

    @Test
    void tlsWithATrustStoreAndNeverWithout(@TempDir Path dir) throws Exception {
        try (PortaSipSimulator tls = PortaSipSimulator.builder().tls().start()) {
            Path store = dir.resolve("portasip.p12");
            tls.writeTrustStore(store, "trust-pass".toCharArray());
            String base = "getVmSettings?address=" + tls.address() + "&" + as("123001", "secret001");
            VMSettings vm = call(base + "&trustStore=" + store + "&trustStorePassword=RAW(trust-pass)"
                    + "&trustStoreType=PKCS12", VMSettings.class);
            assertNotNull(vm.promptLevels());
            PortaSipException untrusted = failure(base, null, Map.of());
            assertInstanceOf(PortaSipConnectionException.class, untrusted);
            assertEquals(VendorException.Kind.UNREACHABLE, untrusted.getKind(), untrusted.getMessage());
        }
        assertTrue(Files.exists(dir.resolve("portasip.p12")));
    }

    @Test
    void theRealmGivesTheDefaultPortAndTheBasePathIsConfigurable() {
        PortaSipConfiguration c = new PortaSipConfiguration();
        c.setAddress("https://portasip.example.com/");
        assertEquals("https://portasip.example.com", c.baseAddress());
        c.setRealm(PortaSipRealm.account);
        assertEquals("https://portasip.example.com:8445", c.baseAddress());
        c.setAddress("https://portasip.example.com:9443");
        assertEquals("https://portasip.example.com:9443", c.baseAddress());
        c.setCallControlPath("/ws/CallControl");
        assertEquals("wss://portasip.example.com:9443/ws/CallControl", PortaSipComponent.callControlUri(c).toString());
        c.setBasePath("UM/rest/");
        assertEquals("/UM/rest", c.normalizedBasePath());

        // the simulator serves /UM/rest too
        VMSettings vm = call("getVmSettings?basePath=/UM/rest&" + as("123001", "secret001"), VMSettings.class);
        assertNotNull(vm.promptLevels());
        assertNull(new SipCallIdentifier(null, null).callKey());
        assertEquals("abc@10.0.0.1", new SipCallIdentifier("abc@10.0.0.1~10", "t").callKey());
    }
}
