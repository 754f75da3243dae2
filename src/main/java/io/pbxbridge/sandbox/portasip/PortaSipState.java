package io.pbxbridge.sandbox.portasip;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the simulated PortaSIP Media Server keeps: accounts and their sessions, and per account the voicemail settings
 * and greetings, folder and display preferences, auto-attendant menus (ROOT and one more) with transitions and
 * prompts, conferences, and the dial directory. Guarded by its own monitor ({@code synchronized (state)}); ids are
 * global counters, session ids come from the seeded generator.
 */
final class PortaSipState {

    static final String DOMAIN = "sip.example.com";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    record Session(String id, SimAccount account, Instant created, boolean fromCredentials) {
    }

    static final class Menu {
        final ObjectNode info;
        final Map<String, AudioFile> prompts = new HashMap<>();
        final Map<Long, Transition> transitions = new LinkedHashMap<>();

        Menu(ObjectNode info) {
            this.info = info;
        }

        long id() {
            return info.path("i_menu").asLong();
        }
    }

    static final class Transition {
        final ObjectNode info;
        AudioFile prompt;

        Transition(ObjectNode info) {
            this.info = info;
        }
    }

    static final class Conference {
        final ObjectNode info;
        final Map<String, AudioFile> prompts = new HashMap<>();

        Conference(ObjectNode info) {
            this.info = info;
        }
    }

    static final class DirEntry {
        final ObjectNode info;
        AudioFile prompt;

        DirEntry(ObjectNode info) {
            this.info = info;
        }
    }

    /** Everything one account has. */
    static final class AccountData {
        final SimAccount account;
        final ObjectNode vmSettings;
        final Map<String, AudioFile> greetings = new HashMap<>();
        final ObjectNode folderPrefs;
        final ObjectNode displayPrefs;
        final Map<Long, Menu> menus = new LinkedHashMap<>();
        final Map<Long, Conference> conferences = new LinkedHashMap<>();
        final Map<Long, DirEntry> directory = new LinkedHashMap<>();

        AccountData(SimAccount account, ObjectNode vmSettings, ObjectNode folderPrefs, ObjectNode displayPrefs) {
            this.account = account;
            this.vmSettings = vmSettings;
            this.folderPrefs = folderPrefs;
            this.displayPrefs = displayPrefs;
        }
    }

    final Map<String, SimAccount> accounts = new LinkedHashMap<>();
    final Map<Long, IvrAccessNumber> ivrAccessNumbers = new LinkedHashMap<>();
    final Map<String, AccountData> data = new HashMap<>();
    final Map<String, Session> sessions = new HashMap<>();
    private final Random random;
    private long nextMenu = 101;
    private long nextTransition = 1001;
    private long nextConf = 501;
    private long nextEntry = 701;
    private long nextAudio = 9001;
    private int sessionsCreated;

    PortaSipState(long seed) {
        this.random = new Random(seed);
        // customer 30: an IP Centrex, a branch of the main office 29; customer 31: another one (for access_denied)
        account(new SimAccount("123001", DOMAIN, "secret001", 1001, 30, 29L, "201", "Alice Martin"));
        account(new SimAccount("123002", DOMAIN, "secret002", 1002, 30, 29L, "202", "Bruno Keller"));
        account(new SimAccount("123003", DOMAIN, "secret003", 1003, 30, 29L, "203", "Chloe Dubois"));
        account(new SimAccount("123007", DOMAIN, "secret007", 1007, 30, 29L, "207", "Reception"));
        account(new SimAccount("124001", DOMAIN, "other001", 2001, 31, null, "101", "Other Customer"));
        ivrAccessNumbers.put(77L, new IvrAccessNumber(77, "800100", 30));
        ivrAccessNumbers.put(78L, new IvrAccessNumber(78, "800200", 31));
    }

    private void account(SimAccount a) {
        accounts.put(a.login(), a);
        ObjectNode vm = NODES.objectNode();
        vm.put("password", "1234");
        vm.put("password_ask", "yes");
        vm.put("prompt_levels", "standard");
        vm.put("announce_dt", "yes");
        vm.put("auto_play", "no");
        vm.put("greetings", "standard");
        vm.put("fax_file", "pdf");
        vm.put("ext_email", a.login() + "@mail.example.com");
        vm.put("ext_email_action", "notify");
        vm.put("ext_email_vm_fmt", "mp3");
        vm.put("enable_disa", "No");
        vm.put("disa_password", "");
        ObjectNode folder = NODES.objectNode();
        folder.put("trash_folder", "Trash");
        folder.put("draft_folder", "Drafts");
        folder.put("sent_folder", "Sent");
        folder.put("unseen_type", 1);
        folder.put("unseen_notify", 2);
        folder.put("unseen_cumulative", 0);
        folder.put("search_memory", 0);
        ObjectNode display = NODES.objectNode();
        display.put("wrap_at", 86);
        display.put("truncate_sender", 0);
        display.put("show_xmailer_default", 0);
        display.put("editor_height", 20);
        display.put("mdn_user_support", 1);
        display.put("truncate_subject", 50);
        display.put("body_quote", ">");
        display.put("include_self_reply_all", 0);
        display.put("sig_first", 0);
        display.put("pf_cleandisplay", 0);
        display.put("editor_size", 76);
        display.put("show_html_default", 0);
        display.put("page_selector_max", 10);
        display.put("internal_date_sort", 1);
        display.put("page_selector", 1);
        display.put("addrsrch_fullname", "Nickname");
        display.put("show_num", 15);
        display.put("show_images", 1);
        AccountData d = new AccountData(a, vm, folder, display);
        data.put(a.login(), d);
        // the system's standard greeting is always there; the others only once uploaded
        d.greetings.put("standard", audio("standard.au", "audio/basic", silence(800)));

        Menu root = newMenu(d, "ROOT");
        Menu after = newMenu(d, "After hours");
        after.info.put("period", "wd {Sat Sun}, wd {Mon-Fri} hr {6pm-7am}");
        after.info.put("period_desc", "Evenings and weekends");
        transition(root, "1", "Transfer", "123002", null);
        transition(root, "2", "Menu", null, after.id());
        transition(root, "Timeout", "Voicemail", null, null);
        transition(after, "0", "Voicemail", null, null);

        ObjectNode conf = NODES.objectNode();
        conf.put("i_conf", nextConf++);
        conf.put("name", "Weekly sync");
        conf.put("pin_host", "4321");
        conf.put("pin_user", "1234");
        conf.put("max_call_duration", 3600);
        conf.put("max_session_time", 0);
        conf.put("max_participants", 10);
        conf.put("wait_host", "Y");
        conf.put("play_announce", "Y");
        conf.put("play_moh", "Y");
        conf.putNull("start_time");
        conf.put("msg_intro_set", "0");
        conf.put("moh_set", "0");
        conf.put("video_conf", "N");
        d.conferences.put(conf.path("i_conf").asLong(), new Conference(conf));

        dirEntry(d, "11", "+3222223344", "Hotline", "Support", "Support hotline");
        dirEntry(d, "12", "123007", "Desk", "Reception", "The front desk");
    }

    /** A menu with the spec's defaults. */
    Menu newMenu(AccountData d, String name) {
        ObjectNode m = NODES.objectNode();
        m.put("i_menu", nextMenu++);
        m.put("name", name);
        m.put("period", "");
        m.put("period_desc", "");
        m.put("msg_disabled_type", "standard");
        m.put("msg_timeout_type", "standard");
        m.put("msg_intro_set", 0);
        m.put("msg_menu_set", 0);
        m.put("msg_disabled_set", 0);
        m.put("msg_timeout_set", 0);
        m.put("msg_intro_type", "standard");
        m.put("msg_menu_type", "standard");
        m.put("replay_menu_times", 3);
        m.put("first_digit_timeout", 5);
        m.put("next_digit_timeout", 5);
        m.put("direct_dial_enabled", "N");
        Menu menu = new Menu(m);
        d.menus.put(menu.id(), menu);
        return menu;
    }

    /** A transition with the defaults, for {@code event}. */
    Transition newTransition(Menu menu, String event) {
        ObjectNode t = NODES.objectNode();
        t.put("i_menu_transition", nextTransition++);
        t.put("event", event);
        t.put("action", "Disabled");
        t.put("announce_ext_numbers", "N");
        t.putNull("destination");
        t.putNull("max_size");
        t.put("play_prompt", "N");
        t.putNull("prompt");
        t.put("prompt_set", 0);
        t.putNull("target_i_menu");
        t.putNull("target_i_queue");
        Transition tr = new Transition(t);
        menu.transitions.put(t.path("i_menu_transition").asLong(), tr);
        return tr;
    }

    private void transition(Menu menu, String event, String action, String destination, Long target) {
        Transition t = newTransition(menu, event);
        t.info.put("action", action);
        if (destination != null) {
            t.info.put("destination", destination);
        }
        if (target != null) {
            t.info.put("target_i_menu", target);
        }
    }

    Conference newConference(AccountData d) {
        ObjectNode conf = NODES.objectNode();
        conf.put("i_conf", nextConf++);
        conf.putNull("name");
        conf.put("pin_host", "");
        conf.put("pin_user", "");
        conf.put("max_call_duration", 3600);
        conf.put("max_session_time", 0);
        conf.put("max_participants", 10);
        conf.put("wait_host", "N");
        conf.put("play_announce", "Y");
        conf.put("play_moh", "Y");
        conf.putNull("start_time");
        conf.put("msg_intro_set", "0");
        conf.put("moh_set", "0");
        conf.put("video_conf", "N");
        Conference c = new Conference(conf);
        d.conferences.put(conf.path("i_conf").asLong(), c);
        return c;
    }

    DirEntry newDirEntry(AccountData d) {
        ObjectNode e = NODES.objectNode();
        e.put("i_entry", nextEntry++);
        e.put("active", "Y");
        e.putNull("abbreviated_number");
        e.putNull("number_to_dial");
        e.putNull("firstname");
        e.putNull("lastname");
        e.putNull("description");
        e.putNull("prompt");
        e.put("prompt_set", 0);
        DirEntry entry = new DirEntry(e);
        d.directory.put(e.path("i_entry").asLong(), entry);
        return entry;
    }

    private void dirEntry(AccountData d, String abbreviated, String number, String first, String last, String desc) {
        DirEntry e = newDirEntry(d);
        e.info.put("abbreviated_number", abbreviated);
        e.info.put("number_to_dial", number);
        e.info.put("firstname", first);
        e.info.put("lastname", last);
        e.info.put("description", desc);
    }

    AudioFile audio(String filename, String contentType, byte[] bytes) {
        return new AudioFile(nextAudio++, filename, contentType, bytes.clone());
    }

    /** An 8 kHz u-law .au file of {@code samples} samples of silence. */
    static byte[] silence(int samples) {
        ByteBuffer b = ByteBuffer.allocate(24 + samples);
        b.putInt(0x2e736e64).putInt(24).putInt(samples).putInt(1).putInt(8000).putInt(1);
        byte[] out = b.array();
        Arrays.fill(out, 24, out.length, (byte) 0xff);
        return out;
    }

    // ---- sessions ----

    /** A new session of {@code account}: 32 lowercase hex characters. */
    Session newSession(SimAccount account, boolean fromCredentials) {
        String id;
        do {
            id = String.format("%016x%016x", random.nextLong(), random.nextLong());
        } while (sessions.containsKey(id));
        Session s = new Session(id, account, Instant.now(), fromCredentials);
        sessions.put(id, s);
        sessionsCreated++;
        return s;
    }

    /** The account of {@code login}/{@code domain}/{@code password}, null if any is wrong (a missing domain is fine). */
    SimAccount check(String login, String domain, String password) {
        SimAccount a = login == null ? null : accounts.get(login);
        if (a == null || password == null || !a.password().equals(password)) {
            return null;
        }
        return domain == null || domain.isEmpty() || a.domain().equalsIgnoreCase(domain) ? a : null;
    }

    /**
     * The session {@code authInfo} names: {@code {session_id}} (a live one), or {@code {login, domain, password}},
     * which opens a new session every time as the spec warns; null when neither holds.
     */
    Session authenticate(JsonNode authInfo) {
        if (authInfo == null || !authInfo.isObject()) {
            return null;
        }
        JsonNode sid = authInfo.get("session_id");
        if (sid != null && !sid.isNull()) {
            return sid.isTextual() ? sessions.get(sid.asText()) : null;
        }
        SimAccount a = check(text(authInfo, "login"), text(authInfo, "domain"), text(authInfo, "password"));
        return a == null ? null : newSession(a, true);
    }

    int sessionsCreated() {
        return sessionsCreated;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
