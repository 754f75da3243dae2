package io.pbxbridge.sandbox.portasip;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.sandbox.portasip.PortaSipState.AccountData;
import io.pbxbridge.sandbox.portasip.PortaSipState.Conference;
import io.pbxbridge.sandbox.portasip.PortaSipState.DirEntry;
import io.pbxbridge.sandbox.portasip.PortaSipState.Menu;
import io.pbxbridge.sandbox.portasip.PortaSipState.Session;
import io.pbxbridge.sandbox.portasip.PortaSipState.Transition;

/**
 * The 32 methods of the JSON API over {@link PortaSipState}: Session (2), Voicemail (4), SMPreferences (4),
 * AutoAttendant (10), Conference (7), DialDirectory (5). Each validates its parameters as the spec's tables say, then
 * (unless {@code aux_info.dry_run}) changes the state and answers; faults are {@link ApiFault}s.
 *
 * <p>Where the spec is silent, the simulator decides (and the {@code portasip} client follows):
 * <ul>
 * <li>DialDirectory (only the Perl sample shows it): {@code get_dir_info {}} answers {@code {dir_list: [DirEntryInfo]}};
 * {@code create_dir_entry {dir_entry_info}} answers {@code {i_entry}}; {@code update_dir_entry {dir_entry_info with
 * i_entry}} answers {@code {i_entry}}; {@code get_dir_entry {i_entry}} answers {@code {dir_entry_info}};
 * {@code del_dir_entry {i_entry}} answers {@code {i_entry}}. DirEntryInfo: {@code i_entry, active (Y/N),
 * abbreviated_number (digits, unique per account, required), number_to_dial (required), firstname, lastname,
 * description, prompt, prompt_set}. create/update also add {@code i_audio_file} when a file was uploaded.</li>
 * <li>Audio: the methods that set audio take {@code multipart/form-data} with a file part {@code upload_file};
 * the file name is the request's {@code filename}/{@code prompt} field, else the part's file name. The methods that
 * get audio answer {@code multipart/mixed}: the JSON result, then the file (see {@link Result}).</li>
 * <li>Dry run ({@code params.aux_info.dry_run} 1 or true, or a form field {@code aux_info}): everything is checked
 * (ids included), nothing changes, and the answer is {@code {"success": 1, "dry_run": 1}} for every method.</li>
 * <li>{@code set_menu_transition} sets the transition of its {@code event} (one per event and menu): the one named
 * by {@code transition_info.i_menu_transition}, else the menu's transition for that event, else a new one. The menu
 * may also be given inside {@code transition_info} (the Perl sample does so).</li>
 * <li>{@code set_vm_greeting} takes the greeting types of GreetingInfo (extended, personal, name): the standard
 * greeting is the system's and always there. A get of audio never stored faults {@code not_found}.</li>
 * <li>{@code Session/login} takes a missing domain (the curl sample has none).</li>
 * <li>Conference {@code start_time}: {@code yyyy-MM-dd HH:mm:ss} (UTC, the spec's date format) or ISO-8601.</li>
 * </ul>
 */
final class HttpApi {

    /** One uploaded file part. */
    record Upload(String field, String filename, String contentType, byte[] bytes) {
    }

    /** A method's answer: the JSON object, and for the methods that get audio, the file that goes with it. */
    record Result(ObjectNode json, AudioFile audio) {
        static Result of(ObjectNode json) {
            return new Result(json, null);
        }
    }

    static final String UPLOAD_FIELD = "upload_file";

    /** Service -> its methods, in the spec's order. */
    static final Map<String, List<String>> METHODS = new LinkedHashMap<>();

    static {
        METHODS.put("Session", List.of("login", "logout"));
        METHODS.put("Voicemail", List.of("get_vm_settings", "set_vm_settings", "get_vm_greeting", "set_vm_greeting"));
        METHODS.put("SMPreferences", List.of("get_folder_preferences", "set_folder_preferences",
                "get_display_preferences", "set_display_preferences"));
        METHODS.put("AutoAttendant", List.of("get_menu_list", "update_menu", "create_menu", "del_menu",
                "set_menu_prompt", "get_menu_prompt", "get_menu_transition_list", "set_menu_transition",
                "get_menu_transition_prompt", "set_menu_transition_promt"));
        METHODS.put("Conference", List.of("get_conf_info", "get_conf_list", "create_conf", "update_conf", "del_conf",
                "set_conf_prompt", "get_conf_prompt"));
        METHODS.put("DialDirectory", List.of("get_dir_info", "create_dir_entry", "update_dir_entry",
                "get_dir_entry", "del_dir_entry"));
    }

    private static final DateTimeFormatter SPACE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> EVENTS = Set.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#",
            "Timeout", "Not Active", "f");

    static final Schema VM_SETTINGS = new Schema("VMSettings")
            .str("password")
            .oneOf("password_ask", "yes", "no")
            .oneOf("prompt_levels", "standard", "extended", "rapid")
            .oneOf("announce_dt", "yes", "no")
            .oneOf("auto_play", "yes", "no")
            .oneOf("greetings", "standard", "extended", "personal", "name")
            .oneOf("fax_file", "multi_png", "multi_tiff", "pdf", "tiff")
            .str("ext_email", 128)
            .str("ext_email_action")
            .oneOf("ext_email_vm_fmt", "au", "mp3", "wav")
            .oneOfIgnoreCase("enable_disa", "Yes", "No")
            .str("disa_password");
    static final Schema GREETING_INFO = new Schema("GreetingInfo")
            .oneOf("greeting_type", "extended", "personal", "name")
            .str("filename");
    static final Schema FOLDER_PREFS = new Schema("FolderPreferences")
            .str("trash_folder").str("draft_folder").str("sent_folder")
            .integer("unseen_type", 1, 2).integer("unseen_notify", 1, 3).integer("unseen_cumulative", 0, 1)
            .integer("search_memory", 0, 9);
    static final Schema DISPLAY_PREFS = new Schema("DisplayPreferences")
            .integer("wrap_at", 0, Long.MAX_VALUE).integer("truncate_sender", 0, Long.MAX_VALUE)
            .integer("show_xmailer_default", 0, 1).integer("editor_height", 0, Long.MAX_VALUE)
            .integer("mdn_user_support", 0, 1).integer("truncate_subject", 0, Long.MAX_VALUE)
            .str("body_quote").integer("include_self_reply_all", 0, 1).integer("sig_first", 0, 1)
            .integer("pf_cleandisplay", 0, 1).integer("editor_size", 0, Long.MAX_VALUE)
            .integer("show_html_default", 0, 1).integer("page_selector_max", 0, Long.MAX_VALUE)
            .integer("internal_date_sort", 0, 1).integer("page_selector", 0, 1)
            .oneOf("addrsrch_fullname", "Noprefix", "Nickname", "Fullaname", "Fullname")
            .integer("show_num", 0, Long.MAX_VALUE).integer("show_images", 0, 1);
    static final Schema MENU_INFO = new Schema("MenuInfo")
            .integer("i_menu")
            .str("name", 64)
            .str("period", 255, TimePeriod::problem)
            .str("period_desc", 255)
            .oneOf("msg_disabled_type", "standard", "custom")
            .oneOf("msg_timeout_type", "standard", "custom")
            .integer("msg_intro_set", 0, 1).integer("msg_menu_set", 0, 1)
            .integer("msg_disabled_set", 0, 1).integer("msg_timeout_set", 0, 1)
            .oneOf("msg_intro_type", "standard", "custom")
            .oneOf("msg_menu_type", "standard", "custom")
            .integer("replay_menu_times", 0, Long.MAX_VALUE)
            .integer("first_digit_timeout", 0, Long.MAX_VALUE)
            .integer("next_digit_timeout", 0, Long.MAX_VALUE)
            .oneOf("direct_dial_enabled", "Y", "N");
    static final Schema TRANSITION_INFO = new Schema("TransitionInfo")
            .oneOf("action", "Disabled", "Directory", "Queue", "Transfer", "TransferE164", "Voicemail", "Menu",
                    "Extension", "DISA", "DirectDial", "DisconnectCall")
            .oneOf("announce_ext_numbers", "Y", "N")
            .str("destination", 32)
            .oneOf("event", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "Timeout", "Not Active", "f")
            .integer("i_menu_transition")
            .integer("max_size", 1, Long.MAX_VALUE)
            .oneOf("play_prompt", "Y", "N")
            .str("prompt")
            .integer("prompt_set", 0, 1)
            .integer("target_i_menu")
            .integer("target_i_queue")
            .integer("i_menu");
    static final Schema CONF_INFO = new Schema("ConfInfo")
            .integer("i_conf")
            .str("name", 64)
            .str("pin_host", 32).str("pin_user", 32)
            .integer("max_call_duration", 0, Long.MAX_VALUE)
            .integer("max_session_time", 0, Long.MAX_VALUE)
            .integer("max_participants", 0, Long.MAX_VALUE)
            .oneOf("wait_host", "Y", "N").oneOf("play_announce", "Y", "N").oneOf("play_moh", "Y", "N")
            .str("start_time", 0, HttpApi::dateProblem)
            .oneOf("msg_intro_set", "1", "0").oneOf("moh_set", "1", "0")
            .oneOf("video_conf", "Y", "N");
    static final Schema DIR_ENTRY_INFO = new Schema("DirEntryInfo")
            .integer("i_entry")
            .oneOf("active", "Y", "N")
            .str("abbreviated_number", 16, s -> s.matches("\\d+") ? null : "digits only")
            .str("number_to_dial", 32, s -> s.isBlank() ? "empty" : null)
            .str("firstname", 64).str("lastname", 64).str("description", 255)
            .str("prompt").integer("prompt_set", 0, 1);

    private final PortaSipState state;

    HttpApi(PortaSipState state) {
        this.state = state;
    }

    /** The canonical name of {@code method} of {@code service}, null if the API has no such method. */
    static String canonical(String service, String method) {
        List<String> methods = METHODS.get(service);
        if (methods == null) {
            return null;
        }
        if ("AutoAttendant".equals(service) && "set_menu_transition_prompt".equals(method)) {
            return "set_menu_transition_promt";
        }
        return methods.contains(method) ? method : null;
    }

    /** What one request carries. */
    private final class Call {
        final String service;
        final String method;
        final ObjectNode params;
        final List<Upload> uploads;
        final boolean dry;
        AccountData data;

        Call(String service, String method, ObjectNode params, List<Upload> uploads, boolean dry) {
            this.service = service;
            this.method = method;
            this.params = params;
            this.uploads = uploads;
            this.dry = dry;
        }

        ApiFault bad(String what) {
            return ApiFault.validation(service, method, what);
        }

        Function<String, ApiFault> bad() {
            return this::bad;
        }

        ApiFault notFound(String what) {
            return ApiFault.notFound(service, method, what);
        }

        void only(String... names) {
            Schema.onlyParams(params, Set.of(names), bad());
        }

        long requireInt(String name) {
            JsonNode v = params.get(name);
            if (v == null || v.isNull()) {
                throw bad(name + " is required");
            }
            if (v.isIntegralNumber()) {
                return v.asLong();
            }
            if (v.isTextual() && v.asText().trim().matches("-?\\d{1,18}")) {
                return Long.parseLong(v.asText().trim());
            }
            throw bad(name + " must be an int, not " + v);
        }

        String requireString(String name) {
            JsonNode v = params.get(name);
            if (v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty()) {
                throw bad(name + " is required");
            }
            return v.asText();
        }

        String optString(String name) {
            JsonNode v = params.get(name);
            return v == null || v.isNull() ? null : v.asText();
        }

        ObjectNode requireObject(String name, Schema schema) {
            JsonNode v = params.get(name);
            if (v == null || v.isNull()) {
                throw bad(name + " is required");
            }
            return schema.check(v, name, bad());
        }

        String oneOf(String name, String... values) {
            String v = requireString(name);
            for (String ok : values) {
                if (ok.equals(v)) {
                    return v;
                }
            }
            throw bad(name + " must be one of " + String.join(", ", values) + ", not \"" + v + "\"");
        }

        /** The uploaded file ({@code upload_file}); null if none and not {@code required}. */
        Upload upload(boolean required) {
            for (Upload u : uploads) {
                if (UPLOAD_FIELD.equals(u.field())) {
                    return u;
                }
            }
            if (required) {
                throw bad(uploads.isEmpty() ? "the audio file is missing (a multipart/form-data part named "
                        + UPLOAD_FIELD + ")" : "the audio file must be the part named " + UPLOAD_FIELD + ", not "
                        + uploads.get(0).field());
            }
            return null;
        }

        AudioFile store(Upload u, String filename) {
            String name = filename != null && !filename.isBlank() ? filename
                    : u.filename() != null && !u.filename().isBlank() ? u.filename() : "prompt.au";
            String type = u.contentType() == null || u.contentType().isBlank() ? "audio/basic" : u.contentType();
            return state.audio(name, type, u.bytes());
        }

        Result dryRun() {
            ObjectNode o = PortaSipState.NODES.objectNode();
            o.put("success", 1);
            o.put("dry_run", 1);
            return Result.of(o);
        }
    }

    /**
     * Runs {@code service/method}. {@code params} null means {}; {@code auxInfo} is the form field of that name, if
     * any (the usual place is {@code params.aux_info}).
     */
    Result call(String service, String method, JsonNode authInfo, JsonNode params, JsonNode auxInfo,
                List<Upload> uploads) {
        String m = canonical(service, method);
        if (m == null) {
            throw ApiFault.unknownMethod(service, method);
        }
        ObjectNode p;
        if (params == null || params.isNull()) {
            p = PortaSipState.NODES.objectNode();
        } else if (params.isObject()) {
            p = ((ObjectNode) params).deepCopy();
        } else {
            throw ApiFault.validation(service, m, "params must be a JSON object");
        }
        JsonNode aux = p.remove("aux_info");
        if (aux == null) {
            aux = auxInfo;
        }
        boolean dry = aux != null && aux.isObject() && truthy(aux.get("dry_run"));
        Call c = new Call(service, m, p, uploads == null ? List.of() : uploads, dry);
        synchronized (state) {
            if (service.equals("Session") && m.equals("login")) {
                return login(c);
            }
            Session s = state.authenticate(authInfo);
            if (s == null) {
                throw ApiFault.authFailed();
            }
            c.data = state.data.get(s.account().login());
            return switch (m) {
                case "logout" -> logout(c, s);
                case "get_vm_settings" -> getVmSettings(c);
                case "set_vm_settings" -> setVmSettings(c);
                case "get_vm_greeting" -> getVmGreeting(c);
                case "set_vm_greeting" -> setVmGreeting(c);
                case "get_folder_preferences" -> getPrefs(c, "folder_prefs", c.data.folderPrefs);
                case "set_folder_preferences" -> setPrefs(c, "folder_prefs", FOLDER_PREFS, c.data.folderPrefs);
                case "get_display_preferences" -> getPrefs(c, "display_prefs", c.data.displayPrefs);
                case "set_display_preferences" -> setPrefs(c, "display_prefs", DISPLAY_PREFS, c.data.displayPrefs);
                case "get_menu_list" -> getMenuList(c);
                case "create_menu" -> createMenu(c);
                case "update_menu" -> updateMenu(c);
                case "del_menu" -> delMenu(c);
                case "set_menu_prompt" -> setMenuPrompt(c);
                case "get_menu_prompt" -> getMenuPrompt(c);
                case "get_menu_transition_list" -> getMenuTransitionList(c);
                case "set_menu_transition" -> setMenuTransition(c);
                case "get_menu_transition_prompt" -> getMenuTransitionPrompt(c);
                case "set_menu_transition_promt" -> setMenuTransitionPrompt(c);
                case "get_conf_info" -> getConfInfo(c);
                case "get_conf_list" -> getConfList(c);
                case "create_conf" -> createConf(c);
                case "update_conf" -> updateConf(c);
                case "del_conf" -> delConf(c);
                case "set_conf_prompt" -> setConfPrompt(c);
                case "get_conf_prompt" -> getConfPrompt(c);
                case "get_dir_info" -> getDirInfo(c);
                case "create_dir_entry" -> createDirEntry(c);
                case "update_dir_entry" -> updateDirEntry(c);
                case "get_dir_entry" -> getDirEntry(c);
                case "del_dir_entry" -> delDirEntry(c);
                default -> throw new IllegalStateException(m);
            };
        }
    }

    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.asLong() != 0;
        }
        String s = v.asText().trim();
        return s.equals("1") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("Y") || s.equalsIgnoreCase("yes");
    }

    private static ObjectNode obj() {
        return PortaSipState.NODES.objectNode();
    }

    private static ObjectNode one(String key, long value) {
        ObjectNode o = obj();
        o.put(key, value);
        return o;
    }

    private static ObjectNode success() {
        return one("success", 1);
    }

    // ---- Session ----

    private Result login(Call c) {
        c.only("login", "domain", "password");
        String login = c.optString("login");
        String password = c.optString("password");
        if (login == null || password == null) {
            throw c.bad("login and password are required");
        }
        if (login.length() > 32) {
            throw c.bad("login must be at most 32 characters");
        }
        if (password.length() > 16) {
            throw c.bad("password must be at most 16 characters");
        }
        SimAccount a = state.check(login, c.optString("domain"), password);
        if (a == null) {
            throw new ApiFault("Server.Session.login.auth_failed", "Login failed: wrong login, domain or password");
        }
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.put("session_id", state.newSession(a, false).id());
        return Result.of(o);
    }

    private Result logout(Call c, Session s) {
        c.only();
        if (c.dry) {
            return c.dryRun();
        }
        state.sessions.remove(s.id());
        return Result.of(success());
    }

    // ---- Voicemail ----

    private Result getVmSettings(Call c) {
        c.only();
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.set("vm_settings", c.data.vmSettings.deepCopy());
        return Result.of(o);
    }

    private Result setVmSettings(Call c) {
        c.only("vm_settings");
        ObjectNode changes = c.requireObject("vm_settings", VM_SETTINGS);
        if (c.dry) {
            return c.dryRun();
        }
        Schema.merge(c.data.vmSettings, changes);
        return Result.of(one("vm_settings_saved", 1));
    }

    private Result getVmGreeting(Call c) {
        c.only("greeting_type");
        String type = c.oneOf("greeting_type", "standard", "extended", "personal", "name");
        AudioFile f = c.data.greetings.get(type);
        if (f == null) {
            throw c.notFound("no " + type + " greeting recorded");
        }
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.put("filename", f.filename());
        return new Result(o, f);
    }

    private Result setVmGreeting(Call c) {
        c.only("greeting_info");
        ObjectNode info = c.requireObject("greeting_info", GREETING_INFO);
        if (!info.hasNonNull("greeting_type")) {
            throw c.bad("greeting_info.greeting_type is required");
        }
        Upload u = c.upload(true);
        if (c.dry) {
            return c.dryRun();
        }
        AudioFile f = c.store(u, PortaSipState.text(info, "filename"));
        c.data.greetings.put(info.get("greeting_type").asText(), f);
        ObjectNode o = success();
        o.put("i_audio_file", f.iAudioFile());
        return Result.of(o);
    }

    // ---- SMPreferences ----

    private Result getPrefs(Call c, String key, ObjectNode prefs) {
        c.only();
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.set(key, prefs.deepCopy());
        return Result.of(o);
    }

    private Result setPrefs(Call c, String key, Schema schema, ObjectNode prefs) {
        c.only(key);
        ObjectNode changes = c.requireObject(key, schema);
        if (c.dry) {
            return c.dryRun();
        }
        Schema.merge(prefs, changes);
        return Result.of(success());
    }

    // ---- AutoAttendant ----

    private Menu menu(Call c, long iMenu) {
        Menu m = c.data.menus.get(iMenu);
        if (m == null) {
            throw c.notFound("no menu " + iMenu);
        }
        return m;
    }

    private Result getMenuList(Call c) {
        c.only();
        if (c.dry) {
            return c.dryRun();
        }
        ArrayNode list = PortaSipState.NODES.arrayNode();
        c.data.menus.values().forEach(m -> list.add(m.info.deepCopy()));
        ObjectNode o = obj();
        o.set("menu_list", list);
        return Result.of(o);
    }

    private void checkMenuName(Call c, ObjectNode info, Menu self) {
        if (!info.has("name")) {
            return;
        }
        JsonNode n = info.get("name");
        if (n.isNull() || n.asText().isBlank()) {
            throw c.bad("menu_info.name must not be empty");
        }
        String name = n.asText();
        boolean isRoot = self != null && "ROOT".equals(self.info.path("name").asText());
        if (isRoot && !name.equals("ROOT")) {
            throw c.bad("the ROOT menu cannot be renamed");
        }
        if (!isRoot && name.equalsIgnoreCase("ROOT")) {
            throw c.bad("menu_info.name: 'ROOT' is reserved for the root menu");
        }
        for (Menu m : c.data.menus.values()) {
            if (m != self && m.info.path("name").asText().equals(name)) {
                throw c.bad("menu_info.name: a menu named \"" + name + "\" exists (i_menu " + m.id() + ")");
            }
        }
    }

    private Result createMenu(Call c) {
        c.only("menu_info");
        ObjectNode info = c.requireObject("menu_info", MENU_INFO);
        if (!info.hasNonNull("name")) {
            throw c.bad("menu_info.name is required");
        }
        if (info.has("i_menu") && !info.get("i_menu").isNull()) {
            throw c.bad("menu_info.i_menu is given by the server on create");
        }
        checkMenuName(c, info, null);
        if (c.dry) {
            return c.dryRun();
        }
        Menu m = state.newMenu(c.data, info.get("name").asText());
        info.remove("i_menu");
        Schema.merge(m.info, info);
        return Result.of(one("i_menu", m.id()));
    }

    private Result updateMenu(Call c) {
        c.only("menu_info");
        ObjectNode info = c.requireObject("menu_info", MENU_INFO);
        if (!info.hasNonNull("i_menu")) {
            throw c.bad("menu_info.i_menu is required");
        }
        Menu m = menu(c, info.get("i_menu").asLong());
        checkMenuName(c, info, m);
        if (c.dry) {
            return c.dryRun();
        }
        Schema.merge(m.info, info);
        return Result.of(one("i_menu", m.id()));
    }

    private Result delMenu(Call c) {
        c.only("i_menu");
        Menu m = menu(c, c.requireInt("i_menu"));
        if ("ROOT".equals(m.info.path("name").asText())) {
            throw c.bad("the ROOT menu always exists and cannot be deleted");
        }
        if (c.dry) {
            return c.dryRun();
        }
        c.data.menus.remove(m.id());
        return Result.of(one("i_menu", m.id()));
    }

    private Result setMenuPrompt(Call c) {
        c.only("i_menu", "prompt_type", "prompt");
        Menu m = menu(c, c.requireInt("i_menu"));
        String type = c.oneOf("prompt_type", "intro", "menu", "disabled", "timeout");
        Upload u = c.upload(true);
        if (c.dry) {
            return c.dryRun();
        }
        AudioFile f = c.store(u, c.optString("prompt"));
        m.prompts.put(type, f);
        m.info.put("msg_" + type + "_set", 1);
        ObjectNode o = one("i_menu", m.id());
        o.put("i_audio_file", f.iAudioFile());
        return Result.of(o);
    }

    private Result getMenuPrompt(Call c) {
        c.only("i_menu", "prompt_type");
        Menu m = menu(c, c.requireInt("i_menu"));
        String type = c.oneOf("prompt_type", "intro", "menu", "disabled", "timeout");
        AudioFile f = m.prompts.get(type);
        if (f == null) {
            throw c.notFound("no " + type + " prompt recorded for menu " + m.id());
        }
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.put("prompt", f.filename());
        return new Result(o, f);
    }

    private Result getMenuTransitionList(Call c) {
        c.only("i_menu");
        Menu m = menu(c, c.requireInt("i_menu"));
        if (c.dry) {
            return c.dryRun();
        }
        ArrayNode list = PortaSipState.NODES.arrayNode();
        m.transitions.values().forEach(t -> list.add(t.info.deepCopy()));
        ObjectNode o = obj();
        o.set("transition_list", list);
        return Result.of(o);
    }

    private Result setMenuTransition(Call c) {
        c.only("i_menu", "transition_info");
        ObjectNode info = c.requireObject("transition_info", TRANSITION_INFO);
        JsonNode inner = info.remove("i_menu");
        long iMenu;
        if (c.params.hasNonNull("i_menu")) {
            iMenu = c.requireInt("i_menu");
        } else if (inner != null && !inner.isNull()) {
            iMenu = inner.asLong();
        } else {
            throw c.bad("i_menu is required");
        }
        Menu m = menu(c, iMenu);
        Transition t = null;
        if (info.hasNonNull("i_menu_transition")) {
            t = m.transitions.get(info.get("i_menu_transition").asLong());
            if (t == null) {
                throw c.notFound("no transition " + info.get("i_menu_transition").asLong() + " in menu " + iMenu);
            }
        } else if (info.hasNonNull("event")) {
            String event = info.get("event").asText();
            t = m.transitions.values().stream().filter(x -> x.info.path("event").asText().equals(event)).findFirst()
                    .orElse(null);
        } else {
            throw c.bad("transition_info.event is required");
        }
        if (t == null && !info.hasNonNull("action")) {
            throw c.bad("transition_info.action is required for a new transition");
        }
        if (t != null && info.hasNonNull("event") && !info.get("event").asText().equals(t.info.path("event").asText())
                && m.transitions.values().stream().anyMatch(x -> x.info.path("event").asText()
                        .equals(info.get("event").asText()))) {
            throw c.bad("transition_info.event: menu " + iMenu + " has a transition for \""
                    + info.get("event").asText() + "\"");
        }
        ObjectNode merged = t == null ? obj() : t.info.deepCopy();
        Schema.merge(merged, info);
        String action = merged.path("action").asText();
        if ((action.equals("Transfer") || action.equals("TransferE164"))
                && merged.path("destination").asText("").isBlank()) {
            throw c.bad("transition_info.destination is required for the " + action + " action");
        }
        if (action.equals("Menu")) {
            if (!merged.hasNonNull("target_i_menu")) {
                throw c.bad("transition_info.target_i_menu is required for the Menu action");
            }
            if (!c.data.menus.containsKey(merged.get("target_i_menu").asLong())) {
                throw c.notFound("no menu " + merged.get("target_i_menu").asLong() + " (target_i_menu)");
            }
        }
        if (action.equals("Queue") && !merged.hasNonNull("target_i_queue") && !merged.hasNonNull("target_i_menu")) {
            throw c.bad("transition_info.target_i_queue is required for the Queue action");
        }
        if (action.equals("DirectDial") && "Y".equals(m.info.path("direct_dial_enabled").asText())) {
            throw c.bad("transition_info.action: DirectDial is forbidden while the menu's direct_dial_enabled is Y");
        }
        Upload u = c.upload(false);
        if (c.dry) {
            return c.dryRun();
        }
        if (t == null) {
            t = state.newTransition(m, info.get("event").asText());
        }
        info.remove("i_menu_transition");
        Schema.merge(t.info, info);
        ObjectNode o = one("i_menu_transition", t.info.path("i_menu_transition").asLong());
        if (u != null) {
            AudioFile f = c.store(u, PortaSipState.text(info, "prompt"));
            t.prompt = f;
            t.info.put("prompt", f.filename());
            t.info.put("prompt_set", 1);
            o.put("i_audio_file", f.iAudioFile());
        }
        return Result.of(o);
    }

    private Transition transition(Call c, long iTransition) {
        for (Menu m : c.data.menus.values()) {
            Transition t = m.transitions.get(iTransition);
            if (t != null) {
                return t;
            }
        }
        throw c.notFound("no transition " + iTransition);
    }

    private Result getMenuTransitionPrompt(Call c) {
        c.only("event", "i_menu", "i_menu_transition");
        Menu m = menu(c, c.requireInt("i_menu"));
        String event = c.requireString("event");
        if (!EVENTS.contains(event)) {
            throw c.bad("event must be one of 0-9, *, #, Timeout, Not Active, f, not \"" + event + "\"");
        }
        Transition t;
        if (c.params.hasNonNull("i_menu_transition")) {
            t = m.transitions.get(c.requireInt("i_menu_transition"));
        } else {
            t = m.transitions.values().stream().filter(x -> x.info.path("event").asText().equals(event)).findFirst()
                    .orElse(null);
        }
        if (t == null || !t.info.path("event").asText().equals(event)) {
            throw c.notFound("no transition for \"" + event + "\" in menu " + m.id());
        }
        if (t.prompt == null) {
            throw c.notFound("no prompt recorded for transition " + t.info.path("i_menu_transition").asLong());
        }
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.put("prompt", t.prompt.filename());
        return new Result(o, t.prompt);
    }

    private Result setMenuTransitionPrompt(Call c) {
        c.only("i_menu_transition", "prompt");
        Transition t = transition(c, c.requireInt("i_menu_transition"));
        Upload u = c.upload(true);
        if (c.dry) {
            return c.dryRun();
        }
        AudioFile f = c.store(u, c.optString("prompt"));
        t.prompt = f;
        t.info.put("prompt", f.filename());
        t.info.put("prompt_set", 1);
        ObjectNode o = one("i_menu_transition", t.info.path("i_menu_transition").asLong());
        o.put("i_audio_file", f.iAudioFile());
        return Result.of(o);
    }

    // ---- Conference ----

    private Conference conference(Call c, long iConf) {
        Conference conf = c.data.conferences.get(iConf);
        if (conf == null) {
            throw c.notFound("no conference " + iConf);
        }
        return conf;
    }

    private void checkConfName(Call c, ObjectNode info, Conference self) {
        if (!info.has("name")) {
            return;
        }
        if (info.get("name").isNull() || info.get("name").asText().isBlank()) {
            throw c.bad("conf_info.name must not be empty");
        }
        String name = info.get("name").asText();
        for (Conference x : c.data.conferences.values()) {
            if (x != self && x.info.path("name").asText().equals(name)) {
                throw c.bad("conf_info.name: a conference named \"" + name + "\" exists (i_conf "
                        + x.info.path("i_conf").asLong() + ")");
            }
        }
    }

    static String dateProblem(String s) {
        try {
            LocalDateTime.parse(s, SPACE_DATE);
            return null;
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(s);
                return null;
            } catch (DateTimeParseException e2) {
                try {
                    OffsetDateTime.parse(s);
                    return null;
                } catch (DateTimeParseException e3) {
                    return "not a date and time (yyyy-MM-dd HH:mm:ss, UTC): \"" + s + "\"";
                }
            }
        }
    }

    private Result getConfInfo(Call c) {
        c.only("i_conf", "name");
        Conference conf;
        if (c.params.hasNonNull("i_conf")) {
            conf = conference(c, c.requireInt("i_conf"));
            String name = c.optString("name");
            if (name != null && !name.equals(conf.info.path("name").asText())) {
                throw c.notFound("conference " + conf.info.path("i_conf").asLong() + " is not named \"" + name + "\"");
            }
        } else if (c.params.hasNonNull("name")) {
            String name = c.requireString("name");
            conf = c.data.conferences.values().stream().filter(x -> x.info.path("name").asText().equals(name))
                    .findFirst().orElseThrow(() -> c.notFound("no conference named \"" + name + "\""));
        } else {
            throw c.bad("i_conf or name is required");
        }
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.set("conf_info", conf.info.deepCopy());
        return Result.of(o);
    }

    private Result getConfList(Call c) {
        c.only();
        if (c.dry) {
            return c.dryRun();
        }
        ArrayNode list = PortaSipState.NODES.arrayNode();
        c.data.conferences.values().forEach(x -> list.add(x.info.deepCopy()));
        ObjectNode o = obj();
        o.set("conf_list", list);
        return Result.of(o);
    }

    private Result createConf(Call c) {
        c.only("conf_info");
        ObjectNode info = c.requireObject("conf_info", CONF_INFO);
        if (!info.hasNonNull("name")) {
            throw c.bad("conf_info.name is required");
        }
        if (info.hasNonNull("i_conf")) {
            throw c.bad("conf_info.i_conf is given by the server on create");
        }
        checkConfName(c, info, null);
        if (c.dry) {
            return c.dryRun();
        }
        Conference conf = state.newConference(c.data);
        info.remove("i_conf");
        Schema.merge(conf.info, info);
        return Result.of(one("i_conf", conf.info.path("i_conf").asLong()));
    }

    private Result updateConf(Call c) {
        c.only("conf_info");
        ObjectNode info = c.requireObject("conf_info", CONF_INFO);
        if (!info.hasNonNull("i_conf")) {
            throw c.bad("conf_info.i_conf is required");
        }
        Conference conf = conference(c, info.get("i_conf").asLong());
        checkConfName(c, info, conf);
        if (c.dry) {
            return c.dryRun();
        }
        Schema.merge(conf.info, info);
        return Result.of(one("i_conf", conf.info.path("i_conf").asLong()));
    }

    private Result delConf(Call c) {
        c.only("i_conf");
        Conference conf = conference(c, c.requireInt("i_conf"));
        if (c.dry) {
            return c.dryRun();
        }
        long id = conf.info.path("i_conf").asLong();
        c.data.conferences.remove(id);
        return Result.of(one("i_conf", id));
    }

    private Result setConfPrompt(Call c) {
        c.only("i_conf", "prompt_type", "prompt");
        Conference conf = conference(c, c.requireInt("i_conf"));
        String type = c.oneOf("prompt_type", "intro", "moh");
        Upload u = c.upload(true);
        if (c.dry) {
            return c.dryRun();
        }
        AudioFile f = c.store(u, c.optString("prompt"));
        conf.prompts.put(type, f);
        conf.info.put(type.equals("intro") ? "msg_intro_set" : "moh_set", "1");
        ObjectNode o = one("i_conf", conf.info.path("i_conf").asLong());
        o.put("i_audio_file", f.iAudioFile());
        return Result.of(o);
    }

    private Result getConfPrompt(Call c) {
        c.only("i_conf", "prompt_type");
        Conference conf = conference(c, c.requireInt("i_conf"));
        String type = c.oneOf("prompt_type", "intro", "moh");
        AudioFile f = conf.prompts.get(type);
        if (f == null) {
            throw c.notFound("no " + type + " prompt recorded for conference " + conf.info.path("i_conf").asLong());
        }
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.put("prompt", f.filename());
        return new Result(o, f);
    }

    // ---- DialDirectory ----

    private DirEntry entry(Call c, long iEntry) {
        DirEntry e = c.data.directory.get(iEntry);
        if (e == null) {
            throw c.notFound("no directory entry " + iEntry);
        }
        return e;
    }

    private void checkAbbreviated(Call c, ObjectNode info, DirEntry self) {
        if (!info.has("abbreviated_number")) {
            return;
        }
        if (info.get("abbreviated_number").isNull()) {
            throw c.bad("dir_entry_info.abbreviated_number must not be empty");
        }
        String n = info.get("abbreviated_number").asText();
        for (DirEntry e : c.data.directory.values()) {
            if (e != self && e.info.path("abbreviated_number").asText().equals(n)) {
                throw c.bad("dir_entry_info.abbreviated_number " + n + " is used by entry "
                        + e.info.path("i_entry").asLong());
            }
        }
    }

    private Result getDirInfo(Call c) {
        c.only();
        if (c.dry) {
            return c.dryRun();
        }
        ArrayNode list = PortaSipState.NODES.arrayNode();
        c.data.directory.values().forEach(e -> list.add(e.info.deepCopy()));
        ObjectNode o = obj();
        o.set("dir_list", list);
        return Result.of(o);
    }

    private Result createDirEntry(Call c) {
        c.only("dir_entry_info");
        ObjectNode info = c.requireObject("dir_entry_info", DIR_ENTRY_INFO);
        if (!info.hasNonNull("abbreviated_number")) {
            throw c.bad("dir_entry_info.abbreviated_number is required");
        }
        if (!info.hasNonNull("number_to_dial")) {
            throw c.bad("dir_entry_info.number_to_dial is required");
        }
        if (info.hasNonNull("i_entry")) {
            throw c.bad("dir_entry_info.i_entry is given by the server on create");
        }
        checkAbbreviated(c, info, null);
        Upload u = c.upload(false);
        if (c.dry) {
            return c.dryRun();
        }
        DirEntry e = state.newDirEntry(c.data);
        info.remove("i_entry");
        Schema.merge(e.info, info);
        return Result.of(dirPrompt(c, e, u, info));
    }

    private ObjectNode dirPrompt(Call c, DirEntry e, Upload u, ObjectNode info) {
        ObjectNode o = one("i_entry", e.info.path("i_entry").asLong());
        if (u != null) {
            AudioFile f = c.store(u, PortaSipState.text(info, "prompt"));
            e.prompt = f;
            e.info.put("prompt", f.filename());
            e.info.put("prompt_set", 1);
            o.put("i_audio_file", f.iAudioFile());
        }
        return o;
    }

    private Result updateDirEntry(Call c) {
        c.only("dir_entry_info");
        ObjectNode info = c.requireObject("dir_entry_info", DIR_ENTRY_INFO);
        if (!info.hasNonNull("i_entry")) {
            throw c.bad("dir_entry_info.i_entry is required");
        }
        DirEntry e = entry(c, info.get("i_entry").asLong());
        checkAbbreviated(c, info, e);
        if (info.has("number_to_dial") && info.get("number_to_dial").isNull()) {
            throw c.bad("dir_entry_info.number_to_dial must not be empty");
        }
        Upload u = c.upload(false);
        if (c.dry) {
            return c.dryRun();
        }
        Schema.merge(e.info, info);
        return Result.of(dirPrompt(c, e, u, info));
    }

    private Result getDirEntry(Call c) {
        c.only("i_entry");
        DirEntry e = entry(c, c.requireInt("i_entry"));
        if (c.dry) {
            return c.dryRun();
        }
        ObjectNode o = obj();
        o.set("dir_entry_info", e.info.deepCopy());
        return Result.of(o);
    }

    private Result delDirEntry(Call c) {
        c.only("i_entry");
        DirEntry e = entry(c, c.requireInt("i_entry"));
        if (c.dry) {
            return c.dryRun();
        }
        long id = e.info.path("i_entry").asLong();
        c.data.directory.remove(id);
        return Result.of(one("i_entry", id));
    }
}
