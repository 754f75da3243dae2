package io.pbxbridge.sandbox.portasip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.sandbox.portasip.PortaSipHttp.Answer;

/** The simulator's JSON API over plain HTTP, as the spec writes it; its Call Control socket in the second half. */
class PortaSipSimulatorTest {

    static PortaSipSimulator sim;
    static PortaSipHttp http;

    @BeforeAll
    static void start() {
        sim = PortaSipSimulator.builder().start();
        http = new PortaSipHttp(sim.address());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static String login(String login, String password) throws Exception {
        Answer a = http.post("Session", "login", null,
                "{\"login\":\"" + login + "\",\"domain\":\"sip.example.com\",\"password\":\"" + password + "\"}");
        assertEquals(200, a.status(), a.toString());
        return a.json().path("session_id").asText();
    }

    static String auth(String session) {
        return "{\"session_id\":\"" + session + "\"}";
    }

    static void assertFault(Answer a, String faultcode) {
        assertEquals(500, a.status(), String.valueOf(a));
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        assertEquals(faultcode, a.faultcode(), String.valueOf(a.json()));
        assertFalse(a.json().path("faultstring").asText().isEmpty());
    }

    // ---- Session ----------------------------------------------------------------------------------------------

    @Test
    void loginLogoutAndSessions() throws Exception {
        String s = login("123001", "secret001");
        assertTrue(s.matches("[0-9a-f]{32}"), s);
        Answer vm = http.post("Voicemail", "get_vm_settings", auth(s), "{}");
        assertEquals("standard", vm.json().path("vm_settings").path("prompt_levels").asText());

        Answer out = http.post("Session", "logout", auth(s), "{}");
        assertEquals(1, out.json().path("success").asInt());
        assertFault(http.post("Voicemail", "get_vm_settings", auth(s), "{}"), "Server.Session.check_auth.auth_failed");

        // bad credentials, no auth_info, the curl sample's URL (/UM prefix, no trailing slash, no domain)
        assertFault(http.post("Session", "login", null,
                "{\"login\":\"123001\",\"domain\":\"sip.example.com\",\"password\":\"nope\"}"),
                "Server.Session.login.auth_failed");
        assertFault(http.post("Voicemail", "get_vm_settings", null, "{}"), "Server.Session.check_auth.auth_failed");
        Answer curl = http.postTo("/UM/rest/Session/login", "{}", "{\"login\":\"123002\",\"password\":\"secret002\"}");
        assertEquals(200, curl.status());
        assertTrue(curl.json().path("session_id").asText().matches("[0-9a-f]{32}"));
        assertFault(http.post("Session", "login", null, "{\"login\":\"123001\",\"password\":\"12345678901234567\"}"),
                "Client.Session.login.validation_error");

        // credentials in auth_info work, each request opening a session as the spec warns
        int before = sim.sessionsCreated();
        String creds = "{\"login\":\"123001\",\"domain\":\"sip.example.com\",\"password\":\"secret001\"}";
        assertEquals(200, http.post("Voicemail", "get_vm_settings", creds, "{}").status());
        assertEquals(200, http.post("Voicemail", "get_vm_settings", creds, null).status());
        assertEquals(before + 2, sim.sessionsCreated());
        assertFault(http.post("Voicemail", "get_vm_settings",
                "{\"login\":\"123001\",\"domain\":\"sip.example.com\",\"password\":\"x\"}", "{}"),
                "Server.Session.check_auth.auth_failed");
        assertTrue(sim.requestCount("Session", "login") >= 4);
    }

    @Test
    void expiredSessionsFault() throws Exception {
        String a = login("123001", "secret001");
        String b = login("123002", "secret002");
        assertTrue(sim.faults().expireSession(a));
        assertFault(http.post("Voicemail", "get_vm_settings", auth(a), "{}"), "Server.Session.check_auth.auth_failed");
        assertEquals(200, http.post("Voicemail", "get_vm_settings", auth(b), "{}").status());
        sim.faults().expireSessions();
        assertFault(http.post("Voicemail", "get_vm_settings", auth(b), "{}"), "Server.Session.check_auth.auth_failed");
        String again = login("123002", "secret002");
        assertEquals(200, http.post("Voicemail", "get_vm_settings", auth(again), "{}").status());
    }

    @Test
    void unknownMethodsInjectedFaultsAndCounts() throws Exception {
        String s = login("123003", "secret003");
        assertFault(http.post("Voicemail", "get_vm_everything", auth(s), "{}"), "Client.unknown_method");
        assertFault(http.post("Account", "get_account_list", auth(s), "{}"), "Client.unknown_method");
        assertEquals(1, sim.requestCount("Account", "get_account_list"));
        assertFault(http.post("Voicemail", "get_vm_settings", auth(s), "{\"verbose\":1}"),
                "Client.Voicemail.get_vm_settings.validation_error");
        assertFault(http.post("Voicemail", "get_vm_settings", auth(s), "{not json"),
                "Client.Voicemail.get_vm_settings.validation_error");

        sim.faults().httpFault("Conference", "get_conf_list", "Server.Conference.get_conf_list.internal_error",
                "database is down");
        Answer f = http.post("Conference", "get_conf_list", auth(s), "{}");
        assertFault(f, "Server.Conference.get_conf_list.internal_error");
        assertEquals("database is down", f.json().path("faultstring").asText());
        assertEquals(200, http.post("Conference", "get_conf_list", auth(s), "{}").status());
        assertEquals(2, sim.requestCount("Conference", "get_conf_list"));
    }

    // ---- Voicemail and preferences ---------------------------------------------------------------------------

    @Test
    void vmSettingsRoundTrip() throws Exception {
        String s = login("123002", "secret002");
        Answer set = http.post("Voicemail", "set_vm_settings", auth(s),
                "{\"vm_settings\":{\"password\":\"777\",\"ext_email\":\"sergey.pavlov@gmail.com\",\"auto_play\":\"no\","
                        + "\"announce_dt\":\"no\",\"fax_file\":\"tiff\",\"enable_disa\":\"Yes\"}}");
        assertEquals(1, set.json().path("vm_settings_saved").asInt(), set.toString());
        JsonNode vm = http.post("Voicemail", "get_vm_settings", auth(s), "{}").json().path("vm_settings");
        assertEquals("777", vm.path("password").asText());
        assertEquals("sergey.pavlov@gmail.com", vm.path("ext_email").asText());
        assertEquals("tiff", vm.path("fax_file").asText());
        assertEquals("Yes", vm.path("enable_disa").asText());
        assertEquals("standard", vm.path("prompt_levels").asText()); // untouched
        assertFault(http.post("Voicemail", "set_vm_settings", auth(s), "{\"vm_settings\":{\"prompt_levels\":\"slow\"}}"),
                "Client.Voicemail.set_vm_settings.validation_error");
        assertFault(http.post("Voicemail", "set_vm_settings", auth(s), "{\"vm_settings\":{\"colour\":\"red\"}}"),
                "Client.Voicemail.set_vm_settings.validation_error");
        assertFault(http.post("Voicemail", "set_vm_settings", auth(s),
                "{\"vm_settings\":{\"ext_email\":\"" + "x".repeat(129) + "\"}}"),
                "Client.Voicemail.set_vm_settings.validation_error");
        assertEquals("777", PortaSipHttp.json(sim.vmSettings("123002")).path("password").asText());
    }

    @Test
    void greetingUploadThenDownload() throws Exception {
        String s = login("123001", "secret001");
        byte[] audio = PortaSipState.silence(400);
        audio[30] = 0x12;
        Answer up = http.multipart("Voicemail", "set_vm_greeting", auth(s),
                "{\"greeting_info\":{\"greeting_type\":\"name\",\"filename\":\"wellcome.au\"}}", "upload_file",
                "frw_select_order.au", "audio/basic", audio);
        assertEquals(200, up.status(), up.toString());
        assertEquals(1, up.json().path("success").asInt());
        assertTrue(up.json().path("i_audio_file").asLong() > 0);

        Answer down = http.post("Voicemail", "get_vm_greeting", auth(s), "{\"greeting_type\":\"name\"}");
        assertTrue(down.contentType().startsWith("multipart/mixed; boundary="), down.contentType());
        assertEquals("wellcome.au", down.json().path("filename").asText());
        assertEquals("audio/basic", down.fileType());
        assertEquals("attachment; filename=\"wellcome.au\"", down.fileDisposition());
        assertArrayEquals(audio, down.file());

        // the system's standard greeting is always there; one never recorded is not found
        Answer standard = http.post("Voicemail", "get_vm_greeting", auth(s), "{\"greeting_type\":\"standard\"}");
        assertEquals("standard.au", standard.json().path("filename").asText());
        assertFault(http.post("Voicemail", "get_vm_greeting", auth(s), "{\"greeting_type\":\"personal\"}"),
                "Server.Voicemail.get_vm_greeting.not_found");
        assertFault(http.post("Voicemail", "get_vm_greeting", auth(s), "{\"greeting_type\":\"loud\"}"),
                "Client.Voicemail.get_vm_greeting.validation_error");
        // no file, a file under another name, the standard greeting (not settable)
        assertFault(http.multipart("Voicemail", "set_vm_greeting", auth(s),
                "{\"greeting_info\":{\"greeting_type\":\"personal\"}}", null, null, null, null),
                "Client.Voicemail.set_vm_greeting.validation_error");
        assertFault(http.multipart("Voicemail", "set_vm_greeting", auth(s),
                "{\"greeting_info\":{\"greeting_type\":\"personal\"}}", "file", "a.au", "audio/basic", audio),
                "Client.Voicemail.set_vm_greeting.validation_error");
        assertFault(http.multipart("Voicemail", "set_vm_greeting", auth(s),
                "{\"greeting_info\":{\"greeting_type\":\"standard\"}}", "upload_file", "a.au", "audio/basic", audio),
                "Client.Voicemail.set_vm_greeting.validation_error");
        // the part's own name and type when the request names none
        Answer wav = http.multipart("Voicemail", "set_vm_greeting", auth(s),
                "{\"greeting_info\":{\"greeting_type\":\"personal\"}}", "upload_file", "me.wav", "audio/wav",
                "RIFF....".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, wav.status());
        Answer wavDown = http.post("Voicemail", "get_vm_greeting", auth(s), "{\"greeting_type\":\"personal\"}");
        assertEquals("me.wav", wavDown.json().path("filename").asText());
        assertEquals("audio/wav", wavDown.fileType());
    }

    @Test
    void folderAndDisplayPreferences() throws Exception {
        String s = login("123003", "secret003");
        JsonNode folder = http.post("SMPreferences", "get_folder_preferences", auth(s), "{}").json()
                .path("folder_prefs");
        assertEquals("Trash", folder.path("trash_folder").asText());
        assertEquals(1, http.post("SMPreferences", "set_folder_preferences", auth(s),
                "{\"folder_prefs\":{\"trash_folder\":\"none\",\"search_memory\":\"7\"}}").json().path("success").asInt());
        folder = http.post("SMPreferences", "get_folder_preferences", auth(s), "{}").json().path("folder_prefs");
        assertEquals("none", folder.path("trash_folder").asText());
        assertEquals(7, folder.path("search_memory").asInt());
        assertTrue(folder.path("search_memory").isInt());
        assertFault(http.post("SMPreferences", "set_folder_preferences", auth(s),
                "{\"folder_prefs\":{\"search_memory\":10}}"), "Client.SMPreferences.set_folder_preferences.validation_error");

        assertEquals(1, http.post("SMPreferences", "set_display_preferences", auth(s),
                "{\"display_prefs\":{\"show_num\":40,\"addrsrch_fullname\":\"Fullaname\",\"show_html_default\":1}}")
                .json().path("success").asInt());
        JsonNode display = http.post("SMPreferences", "get_display_preferences", auth(s), "{}").json()
                .path("display_prefs");
        assertEquals(40, display.path("show_num").asInt());
        assertEquals("Fullaname", display.path("addrsrch_fullname").asText());
        assertFault(http.post("SMPreferences", "set_display_preferences", auth(s),
                "{\"display_prefs\":{\"show_html_default\":2}}"),
                "Client.SMPreferences.set_display_preferences.validation_error");
    }

    // ---- AutoAttendant ---------------------------------------------------------------------------------------

    @Test
    void menusTransitionsAndPrompts() throws Exception {
        String s = login("123007", "secret007");
        JsonNode list = http.post("AutoAttendant", "get_menu_list", auth(s), "{}").json().path("menu_list");
        long root = -1;
        for (JsonNode m : list) {
            if (m.path("name").asText().equals("ROOT")) {
                root = m.path("i_menu").asLong();
            }
        }
        assertTrue(root > 0, list.toString());
        assertEquals(2, list.size());

        Answer created = http.post("AutoAttendant", "create_menu", auth(s),
                "{\"menu_info\":{\"name\":\"AABBBCCC\",\"period\":\"hr{0-11}\",\"period_desc\":\"Some period\","
                        + "\"msg_timeout_type\":\"standard\"}}");
        long menu = created.json().path("i_menu").asLong();
        assertTrue(menu > 0, created.toString());
        assertFault(http.post("AutoAttendant", "create_menu", auth(s), "{\"menu_info\":{\"name\":\"ROOT\"}}"),
                "Client.AutoAttendant.create_menu.validation_error");
        assertFault(http.post("AutoAttendant", "create_menu", auth(s), "{\"menu_info\":{\"name\":\"AABBBCCC\"}}"),
                "Client.AutoAttendant.create_menu.validation_error");
        assertFault(http.post("AutoAttendant", "create_menu", auth(s),
                "{\"menu_info\":{\"name\":\"Bad\",\"period\":\"hr{25}\"}}"),
                "Client.AutoAttendant.create_menu.validation_error");
        assertFault(http.post("AutoAttendant", "create_menu", auth(s),
                "{\"menu_info\":{\"name\":\"Bad\",\"direct_dial_enabled\":\"yes\"}}"),
                "Client.AutoAttendant.create_menu.validation_error");
        assertEquals(menu, http.post("AutoAttendant", "update_menu", auth(s),
                "{\"menu_info\":{\"i_menu\":" + menu + ",\"name\":\"DDDEEFF\",\"period\":\"wd {Mon-Fri} hr {9am-4pm}\","
                        + "\"period_desc\":\"New period\"}}").json().path("i_menu").asLong());
        assertFault(http.post("AutoAttendant", "update_menu", auth(s),
                "{\"menu_info\":{\"i_menu\":" + root + ",\"name\":\"Main\"}}"),
                "Client.AutoAttendant.update_menu.validation_error");
        assertFault(http.post("AutoAttendant", "update_menu", auth(s), "{\"menu_info\":{\"i_menu\":99999}}"),
                "Server.AutoAttendant.update_menu.not_found");
        list = http.post("AutoAttendant", "get_menu_list", auth(s), "{}").json().path("menu_list");
        assertEquals("DDDEEFF", list.get(2).path("name").asText());
        assertEquals("wd {Mon-Fri} hr {9am-4pm}", list.get(2).path("period").asText());
        assertEquals(5, list.get(2).path("next_digit_timeout").asInt());

        // prompts
        byte[] intro = PortaSipState.silence(100);
        Answer p = http.multipart("AutoAttendant", "set_menu_prompt", auth(s),
                "{\"i_menu\":" + root + ",\"prompt_type\":\"intro\",\"prompt\":\"wellcome.au\"}", "upload_file",
                "x.au", "audio/basic", intro);
        assertEquals(root, p.json().path("i_menu").asLong(), p.toString());
        assertTrue(p.json().path("i_audio_file").asLong() > 0);
        Answer got = http.post("AutoAttendant", "get_menu_prompt", auth(s),
                "{\"i_menu\":" + root + ",\"prompt_type\":\"intro\"}");
        assertEquals("wellcome.au", got.json().path("prompt").asText());
        assertArrayEquals(intro, got.file());
        assertFault(http.post("AutoAttendant", "get_menu_prompt", auth(s),
                "{\"i_menu\":" + root + ",\"prompt_type\":\"timeout\"}"), "Server.AutoAttendant.get_menu_prompt.not_found");
        assertFault(http.post("AutoAttendant", "get_menu_prompt", auth(s),
                "{\"i_menu\":" + root + ",\"prompt_type\":\"outro\"}"),
                "Client.AutoAttendant.get_menu_prompt.validation_error");
        assertEquals(1, http.post("AutoAttendant", "get_menu_list", auth(s), "{}").json().path("menu_list").get(0)
                .path("msg_intro_set").asInt());

        // transitions: the Perl sample's form (i_menu inside transition_info), then with a file
        Answer t = http.post("AutoAttendant", "set_menu_transition", auth(s),
                "{\"transition_info\":{\"i_menu\":" + root + ",\"event\":\"0\",\"action\":\"Transfer\","
                        + "\"destination\":\"5555\"}}");
        long transition = t.json().path("i_menu_transition").asLong();
        assertTrue(transition > 0, t.toString());
        assertFault(http.post("AutoAttendant", "set_menu_transition", auth(s),
                "{\"i_menu\":" + root + ",\"transition_info\":{\"event\":\"5\",\"action\":\"Transfer\"}}"),
                "Client.AutoAttendant.set_menu_transition.validation_error");
        assertFault(http.post("AutoAttendant", "set_menu_transition", auth(s),
                "{\"i_menu\":" + root + ",\"transition_info\":{\"event\":\"%23\",\"action\":\"Voicemail\"}}"),
                "Client.AutoAttendant.set_menu_transition.validation_error");
        Answer withFile = http.multipart("AutoAttendant", "set_menu_transition", auth(s),
                "{\"i_menu\":12345,\"transition_info\":{\"event\":\"#\",\"action\":\"Menu\",\"target_i_menu\":" + menu
                        + "}}", "upload_file", "hash.au", "audio/basic", intro);
        assertFault(withFile, "Server.AutoAttendant.set_menu_transition.not_found");
        withFile = http.multipart("AutoAttendant", "set_menu_transition", auth(s),
                "{\"i_menu\":" + root + ",\"transition_info\":{\"event\":\"#\",\"action\":\"Menu\",\"target_i_menu\":"
                        + menu + ",\"play_prompt\":\"Y\"}}", "upload_file", "hash.au", "audio/basic", intro);
        long hash = withFile.json().path("i_menu_transition").asLong();
        assertTrue(withFile.json().path("i_audio_file").asLong() > 0, withFile.toString());
        // the same event again updates that transition
        assertEquals(transition, http.post("AutoAttendant", "set_menu_transition", auth(s),
                "{\"i_menu\":" + root + ",\"transition_info\":{\"event\":\"0\",\"destination\":\"6666\"}}").json()
                .path("i_menu_transition").asLong());
        JsonNode transitions = http.post("AutoAttendant", "get_menu_transition_list", auth(s),
                "{\"i_menu\":" + root + "}").json().path("transition_list");
        JsonNode zero = null;
        for (JsonNode x : transitions) {
            if (x.path("event").asText().equals("0")) {
                zero = x;
            }
        }
        assertEquals("6666", zero.path("destination").asText());
        assertEquals("Transfer", zero.path("action").asText());
        assertEquals(5, transitions.size()); // 1, 2, Timeout seeded; 0 and # set

        // the transition prompt: the spec's typo is the wire name, the fixed spelling works too
        byte[] typo = "typo".getBytes(StandardCharsets.US_ASCII);
        Answer promt = http.multipart("AutoAttendant", "set_menu_transition_promt", auth(s),
                "{\"i_menu_transition\":" + transition + ",\"prompt\":\"zero.au\"}", "upload_file", "z.au",
                "audio/basic", typo);
        assertEquals(transition, promt.json().path("i_menu_transition").asLong(), promt.toString());
        Answer tp = http.post("AutoAttendant", "get_menu_transition_prompt", auth(s),
                "{\"event\":\"0\",\"i_menu\":" + root + ",\"i_menu_transition\":" + transition + "}");
        assertEquals("zero.au", tp.json().path("prompt").asText());
        assertArrayEquals(typo, tp.file());
        byte[] fixed = "fixed".getBytes(StandardCharsets.US_ASCII);
        Answer prompt = http.multipart("AutoAttendant", "set_menu_transition_prompt", auth(s),
                "{\"i_menu_transition\":" + hash + ",\"prompt\":\"hash2.au\"}", "upload_file", "h.au",
                "audio/basic", fixed);
        assertEquals(hash, prompt.json().path("i_menu_transition").asLong(), prompt.toString());
        tp = http.post("AutoAttendant", "get_menu_transition_prompt", auth(s),
                "{\"event\":\"#\",\"i_menu\":" + root + "}");
        assertEquals("hash2.au", tp.json().path("prompt").asText());
        assertArrayEquals(fixed, tp.file());
        assertEquals(1, sim.requestCount("AutoAttendant", "set_menu_transition_promt"));
        assertEquals(1, sim.requestCount("AutoAttendant", "set_menu_transition_prompt"));
        assertFault(http.post("AutoAttendant", "get_menu_transition_prompt", auth(s),
                "{\"event\":\"1\",\"i_menu\":" + root + "}"), "Server.AutoAttendant.get_menu_transition_prompt.not_found");

        // delete: the new menu yes, ROOT never, twice not found
        assertEquals(menu, http.post("AutoAttendant", "del_menu", auth(s), "{\"i_menu\":" + menu + "}").json()
                .path("i_menu").asLong());
        assertFault(http.post("AutoAttendant", "del_menu", auth(s), "{\"i_menu\":" + menu + "}"),
                "Server.AutoAttendant.del_menu.not_found");
        assertFault(http.post("AutoAttendant", "del_menu", auth(s), "{\"i_menu\":" + root + "}"),
                "Client.AutoAttendant.del_menu.validation_error");
        // another account's menu is not there for this one
        String other = login("123001", "secret001");
        assertFault(http.post("AutoAttendant", "get_menu_transition_list", auth(other), "{\"i_menu\":" + root + "}"),
                "Server.AutoAttendant.get_menu_transition_list.not_found");
    }

    // ---- Conference ------------------------------------------------------------------------------------------

    @Test
    void conferences() throws Exception {
        String s = login("123002", "secret002");
        JsonNode list = http.post("Conference", "get_conf_list", auth(s), "{}").json().path("conf_list");
        assertEquals(1, list.size());
        long seeded = list.get(0).path("i_conf").asLong();
        assertEquals("Weekly sync", http.post("Conference", "get_conf_info", auth(s), "{\"i_conf\":" + seeded + "}")
                .json().path("conf_info").path("name").asText());
        assertEquals(seeded, http.post("Conference", "get_conf_info", auth(s), "{\"name\":\"Weekly sync\"}").json()
                .path("conf_info").path("i_conf").asLong());
        assertFault(http.post("Conference", "get_conf_info", auth(s), "{\"name\":\"Nope\"}"),
                "Server.Conference.get_conf_info.not_found");
        assertFault(http.post("Conference", "get_conf_info", auth(s), "{}"),
                "Client.Conference.get_conf_info.validation_error");

        long conf = http.post("Conference", "create_conf", auth(s),
                "{\"conf_info\":{\"name\":\"Board\",\"pin_host\":\"9999\",\"max_participants\":5,\"wait_host\":\"Y\","
                        + "\"start_time\":\"2030-01-02 09:00:00\",\"msg_intro_set\":0}}").json().path("i_conf").asLong();
        assertTrue(conf > 0);
        assertFault(http.post("Conference", "create_conf", auth(s), "{\"conf_info\":{\"name\":\"X\",\"video_conf\":\"yes\"}}"),
                "Client.Conference.create_conf.validation_error");
        assertFault(http.post("Conference", "create_conf", auth(s),
                "{\"conf_info\":{\"name\":\"X\",\"start_time\":\"tomorrow\"}}"),
                "Client.Conference.create_conf.validation_error");
        assertEquals(conf, http.post("Conference", "update_conf", auth(s),
                "{\"conf_info\":{\"i_conf\":" + conf + ",\"max_participants\":\"8\",\"video_conf\":\"Y\"}}").json()
                .path("i_conf").asLong());
        JsonNode info = http.post("Conference", "get_conf_info", auth(s), "{\"i_conf\":" + conf + "}").json()
                .path("conf_info");
        assertEquals(8, info.path("max_participants").asInt());
        assertEquals("Y", info.path("video_conf").asText());
        assertEquals("0", info.path("msg_intro_set").asText());
        assertTrue(info.path("msg_intro_set").isTextual());

        byte[] moh = PortaSipState.silence(50);
        Answer set = http.multipart("Conference", "set_conf_prompt", auth(s),
                "{\"i_conf\":" + conf + ",\"prompt_type\":\"moh\",\"prompt\":\"music.au\"}", "upload_file", "m.au",
                "audio/basic", moh);
        assertEquals(conf, set.json().path("i_conf").asLong(), set.toString());
        assertTrue(set.json().path("i_audio_file").asLong() > 0);
        Answer got = http.post("Conference", "get_conf_prompt", auth(s), "{\"i_conf\":" + conf + ",\"prompt_type\":\"moh\"}");
        assertEquals("music.au", got.json().path("prompt").asText());
        assertArrayEquals(moh, got.file());
        assertEquals("1", http.post("Conference", "get_conf_info", auth(s), "{\"i_conf\":" + conf + "}").json()
                .path("conf_info").path("moh_set").asText());
        assertFault(http.post("Conference", "get_conf_prompt", auth(s), "{\"i_conf\":" + conf + ",\"prompt_type\":\"intro\"}"),
                "Server.Conference.get_conf_prompt.not_found");

        assertEquals(conf, http.post("Conference", "del_conf", auth(s), "{\"i_conf\":" + conf + "}").json()
                .path("i_conf").asLong());
        assertFault(http.post("Conference", "get_conf_info", auth(s), "{\"i_conf\":" + conf + "}"),
                "Server.Conference.get_conf_info.not_found");
    }

    // ---- DialDirectory ---------------------------------------------------------------------------------------

    @Test
    void dialDirectory() throws Exception {
        String s = login("123003", "secret003");
        JsonNode list = http.post("DialDirectory", "get_dir_info", auth(s), "{}").json().path("dir_list");
        assertEquals(2, list.size());
        Answer created = http.multipart("DialDirectory", "create_dir_entry", auth(s),
                "{\"dir_entry_info\":{\"active\":\"Y\",\"abbreviated_number\":\"1787896\",\"number_to_dial\":\"111111\"}}",
                "upload_file", "wellcome.au", "audio/basic", PortaSipState.silence(10));
        long entry = created.json().path("i_entry").asLong();
        assertTrue(entry > 0, created.toString());
        assertTrue(created.json().path("i_audio_file").asLong() > 0);
        assertFault(http.post("DialDirectory", "create_dir_entry", auth(s),
                "{\"dir_entry_info\":{\"abbreviated_number\":\"1787896\",\"number_to_dial\":\"2\"}}"),
                "Client.DialDirectory.create_dir_entry.validation_error");
        assertFault(http.post("DialDirectory", "create_dir_entry", auth(s),
                "{\"dir_entry_info\":{\"abbreviated_number\":\"12a\",\"number_to_dial\":\"2\"}}"),
                "Client.DialDirectory.create_dir_entry.validation_error");
        Answer updated = http.post("DialDirectory", "update_dir_entry", auth(s),
                "{\"dir_entry_info\":{\"i_entry\":" + entry + ",\"active\":\"Y\",\"abbreviated_number\":\"99\","
                        + "\"number_to_dial\":\"565656\",\"lastname\":\"LastName\",\"description\":\"desc333\","
                        + "\"prompt\":\"wellcome.au\"}}");
        assertEquals(entry, updated.json().path("i_entry").asLong(), updated.toString());
        JsonNode e = http.post("DialDirectory", "get_dir_entry", auth(s), "{\"i_entry\":" + entry + "}").json()
                .path("dir_entry_info");
        assertEquals("99", e.path("abbreviated_number").asText());
        assertEquals("565656", e.path("number_to_dial").asText());
        assertEquals("LastName", e.path("lastname").asText());
        assertEquals(1, e.path("prompt_set").asInt());
        assertEquals(3, http.post("DialDirectory", "get_dir_info", auth(s), "{}").json().path("dir_list").size());
        assertEquals(entry, http.post("DialDirectory", "del_dir_entry", auth(s), "{\"i_entry\":" + entry + "}").json()
                .path("i_entry").asLong());
        assertFault(http.post("DialDirectory", "get_dir_entry", auth(s), "{\"i_entry\":" + entry + "}"),
                "Server.DialDirectory.get_dir_entry.not_found");
        assertFault(http.post("DialDirectory", "del_dir_entry", auth(s), "{\"i_entry\":" + entry + "}"),
                "Server.DialDirectory.del_dir_entry.not_found");
    }

    // ---- dry run, transport ----------------------------------------------------------------------------------

    @Test
    void dryRunValidatesWithoutChanging() throws Exception {
        String s = login("123001", "secret001");
        int menus = http.post("AutoAttendant", "get_menu_list", auth(s), "{}").json().path("menu_list").size();
        Answer dry = http.post("AutoAttendant", "create_menu", auth(s),
                "{\"menu_info\":{\"name\":\"Dry\"},\"aux_info\":{\"dry_run\":1}}");
        assertEquals(200, dry.status(), dry.toString());
        assertEquals(1, dry.json().path("success").asInt());
        assertEquals(1, dry.json().path("dry_run").asInt());
        assertEquals(menus, http.post("AutoAttendant", "get_menu_list", auth(s), "{}").json().path("menu_list").size());
        assertFault(http.post("AutoAttendant", "create_menu", auth(s),
                "{\"menu_info\":{\"name\":\"ROOT\"},\"aux_info\":{\"dry_run\":true}}"),
                "Client.AutoAttendant.create_menu.validation_error");
        Answer vm = http.post("Voicemail", "set_vm_settings", auth(s),
                "{\"vm_settings\":{\"auto_play\":\"yes\"},\"aux_info\":{\"dry_run\":true}}");
        assertEquals(1, vm.json().path("dry_run").asInt());
        assertEquals("no", PortaSipHttp.json(sim.vmSettings("123001")).path("auto_play").asText());
        // a dry logout keeps the session
        assertEquals(1, http.post("Session", "logout", auth(s), "{\"aux_info\":{\"dry_run\":1}}").json()
                .path("dry_run").asInt());
        assertEquals(200, http.post("Voicemail", "get_vm_settings", auth(s), "{}").status());
    }

    @Test
    void otherRequestForms() throws Exception {
        String s = login("123001", "secret001");
        // no trailing slash
        assertEquals(200, http.postTo("/rest/Voicemail/get_vm_settings", auth(s), "{}").status());
        // a JSON body
        HttpResponse<byte[]> json = http.http.send(HttpRequest.newBuilder(URI.create(sim.address()
                + "/rest/Conference/get_conf_list/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"auth_info\":" + auth(s) + ",\"params\":{}}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(1, PortaSipHttp.read(json).json().path("conf_list").size());
        // the spec's GET form: the two JSON objects as URL-encoded path segments
        String enc = java.net.URLEncoder.encode(auth(s), StandardCharsets.UTF_8).replace("+", "%20");
        HttpResponse<byte[]> get = http.http.send(HttpRequest.newBuilder(URI.create(sim.address()
                + "/rest/AutoAttendant/get_menu_list/" + enc + "/%7B%7D")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, get.statusCode());
        assertEquals(404, http.http.send(HttpRequest.newBuilder(URI.create(sim.address() + "/nothing")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void stopAndStartOnTheSamePort() throws Exception {
        try (PortaSipSimulator own = PortaSipSimulator.builder().start()) {
            PortaSipHttp c = new PortaSipHttp(own.address());
            String s = c.post("Session", "login", null, "{\"login\":\"123001\",\"password\":\"secret001\"}").json()
                    .path("session_id").asText();
            int port = own.port();
            RawWebSocket socket = RawWebSocket.open(own.wsAddress()); // see there: the JDK client may miss the end
            own.stop();
            socket.opcodesUntilEnd(3000); // the connection ends
            socket.close();
            assertEquals(0, own.connections());
            try {
                c.post("Voicemail", "get_vm_settings", auth(s), "{}");
                throw new AssertionError("the simulator still answers");
            } catch (java.io.IOException expected) {
                // refused
            }
            own.start();
            assertEquals(port, own.port());
            assertEquals(200, c.post("Voicemail", "get_vm_settings", auth(s), "{}").status()); // sessions kept
        }
    }

    @Test
    void tlsWithTheSelfSignedCertificate() throws Exception {
        try (PortaSipSimulator secure = PortaSipSimulator.builder().tls().start()) {
            assertTrue(secure.address().startsWith("https://127.0.0.1:"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(secure.trustStore());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            PortaSipHttp c = new PortaSipHttp(HttpClient.newBuilder().sslContext(ssl).build(), secure.address());
            Answer a = c.post("Session", "login", null, "{\"login\":\"123001\",\"password\":\"secret001\"}");
            assertTrue(a.json().path("session_id").asText().matches("[0-9a-f]{32}"));
            assertTrue(secure.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
            // without the trust store: refused
            try {
                new PortaSipHttp(secure.address()).post("Session", "login", null, "{}");
                throw new AssertionError("an untrusted certificate was accepted");
            } catch (javax.net.ssl.SSLHandshakeException expected) {
                // PKIX path building failed
            }
        }
    }
}
