package io.pbxbridge.portasip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.OperationSpec;
import io.pbxbridge.vendor.operation.Repeat;
import io.pbxbridge.vendor.session.SessionToken;

import static io.pbxbridge.portasip.PortaSipInputs.as;
import static io.pbxbridge.portasip.PortaSipInputs.httpParams;
import static io.pbxbridge.portasip.PortaSipInputs.list;
import static io.pbxbridge.portasip.PortaSipInputs.number;
import static io.pbxbridge.portasip.PortaSipInputs.object;
import static io.pbxbridge.portasip.PortaSipInputs.require;
import static io.pbxbridge.portasip.PortaSipInputs.struct;
import static io.pbxbridge.portasip.PortaSipInputs.text;
import static io.pbxbridge.vendor.operation.OperationInput.optional;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * The 46 methods of PortaSIP: the JSON API's 32 (Session, Voicemail, SMPreferences, AutoAttendant, Conference and
 * the DialDirectory service only the spec's Perl sample shows) and Call Control's 14 (JSON-RPC over the WebSocket);
 * and, consumer only, {@link #events} (the live call events) and {@link #cdr} (the call-record harvest).
 * The endpoint path is the entry's name ({@code portasip:getMenuList}) or the wire name
 * ({@code portasip:get_menu_list}); {@code set_menu_transition_promt} is the wire name of
 * {@link #setMenuTransitionPrompt} (the spec's typo), and {@code set_menu_transition_prompt} is accepted too.
 * <p>
 * <b>Inputs.</b> Every method takes its whole {@code params} as the {@code params} input (a Map, a JSON object or its
 * text) or a Map body; the named inputs listed on each entry are set over it under their wire names (headers
 * {@code CamelPortasip<Input>} or endpoint options). A structure input ({@code vmSettings}, {@code menuInfo}...) may
 * be the typed record, a Map or JSON, or the body when the body is that record. Audio (the {@code file} input, else
 * the body: a byte[], an InputStream, a File or a Path) is sent as the multipart part {@code upload_file}. Each JSON
 * API method also takes {@code dryRun}. A missing required input fails before anything is sent.
 * <p>
 * <b>Live calls by call id.</b> A live-call method given {@code callId} without {@code callTag} (or without
 * {@code transportId}) looks the leg up among the live calls ({@link PortaSipComponent#callLookup}: the events
 * consumer's call table when bound, else {@code get_sip_calls_list} of the scopes configured on the endpoint):
 * {@code callId} is then pbx-bridge's call id (the PortaSIP call id without {@code ~N}; leg A, or B with
 * {@code leg=B}) or a leg's own id. A call that is not live fails before anything is sent. {@code joinCalls} looks up
 * {@code toCallId} the same way ({@code toLeg}).
 * <p>
 * <b>Results.</b> The typed reply of each entry: the structure records, {@link PortaSipIds} for the ids a method
 * returns, {@link PortaSipSuccess} for a bare {@code success}, {@link PortaSipAudio} for audio, lists for lists.
 * <p>
 * <b>Repeat.</b> Creating (a menu, a conference, a directory entry) and the live-call methods that act on a call
 * (originate, answer, terminate, hold, unhold, transfer, join, play) are {@link Repeat#ONCE}; reads, settings,
 * updates, deletes, subscriptions and the stop methods are {@link Repeat#SAFE}. Either way a request that met an
 * expired session is sent again after the new login: PortaSIP's authentication fault proves it was not executed.
 */
public enum PortaSipOperation implements io.pbxbridge.vendor.operation.VendorOperation<PortaSipEndpoint> {

    // ---- Session --------------------------------------------------------------------------------------------
    /** Session/login with the configured credentials: a new session of the caller's own. Result {@link PortaSipSession}. */
    login(Service.Session, "login", SAFE, (e, in) -> new PortaSipSession(e.client().login())),
    /**
     * Session/logout. Inputs: {@code sessionId} (a session from {@code login}); without it, the component's own
     * session for the login ends and the next call logs in again. Result {@link PortaSipSuccess}.
     */
    logout(Service.Session, "logout", SAFE, (e, in) -> {
        String id = in.string("sessionId");
        if (id != null && !id.isBlank()) {
            return e.client().logout(new SessionToken(id));
        }
        e.client().logoutManaged();
        return new PortaSipSuccess(1);
    }, optional("sessionId")),

    // ---- Voicemail ------------------------------------------------------------------------------------------
    /** Result {@link VMSettings}. */
    getVmSettings(Service.Voicemail, "get_vm_settings", SAFE,
            (e, in) -> as(op(e), e.http(httpParams(in), null), "vm_settings", VMSettings.class), http()),
    /** Inputs: {@code vmSettings} (any subset). Result {@link PortaSipIds#vmSettingsSaved()}. */
    setVmSettings(Service.Voicemail, "set_vm_settings", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "vmSettings", "vm_settings", VMSettings.class);
        require(in, p, "vm_settings", "vmSettings");
        return ids(e, e.http(p, null));
    }, http(optional("vmSettings"))),
    /** Inputs: {@code greetingType}. Result {@link PortaSipAudio}. */
    getVmGreeting(Service.Voicemail, "get_vm_greeting", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        text(in, p, "greetingType", "greeting_type");
        require(in, p, "greeting_type", "greetingType");
        return e.audio(p);
    }, http(optional("greetingType"))),
    /**
     * Inputs: {@code greetingType} and {@code filename} (or {@code greetingInfo}), the audio ({@code file} or the
     * body). Result {@link PortaSipIds#iAudioFile()}.
     */
    setVmGreeting(Service.Voicemail, "set_vm_greeting", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "greetingInfo", "greeting_info", GreetingInfo.class);
        ObjectNode info = object(p, "greeting_info");
        text(in, info, "greetingType", "greeting_type");
        text(in, info, "filename", "filename");
        if (!info.hasNonNull("greeting_type")) {
            throw PortaSipInputs.missing(in, "greeting_info.greeting_type", "greetingType", "greetingInfo");
        }
        PortaSipClient.Upload upload = PortaSipInputs.upload(in, true, info.path("filename").asText(null),
                info.get("greeting_type").asText() + ".au");
        info.put("filename", upload.filename());
        return ids(e, e.http(p, upload));
    }, http(optional("greetingInfo"), optional("greetingType"), optional("filename"), optional("file"))),

    // ---- SMPreferences --------------------------------------------------------------------------------------
    /** Result {@link FolderPreferences}. */
    getFolderPreferences(Service.SMPreferences, "get_folder_preferences", SAFE,
            (e, in) -> as(op(e), e.http(httpParams(in), null), "folder_prefs", FolderPreferences.class), http()),
    /** Inputs: {@code folderPrefs}. Result {@link PortaSipSuccess}. */
    setFolderPreferences(Service.SMPreferences, "set_folder_preferences", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "folderPrefs", "folder_prefs", FolderPreferences.class);
        require(in, p, "folder_prefs", "folderPrefs");
        return success(e.http(p, null));
    }, http(optional("folderPrefs"))),
    /** Result {@link DisplayPreferences}. */
    getDisplayPreferences(Service.SMPreferences, "get_display_preferences", SAFE,
            (e, in) -> as(op(e), e.http(httpParams(in), null), "display_prefs", DisplayPreferences.class), http()),
    /** Inputs: {@code displayPrefs}. Result {@link PortaSipSuccess}. */
    setDisplayPreferences(Service.SMPreferences, "set_display_preferences", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "displayPrefs", "display_prefs", DisplayPreferences.class);
        require(in, p, "display_prefs", "displayPrefs");
        return success(e.http(p, null));
    }, http(optional("displayPrefs"))),

    // ---- AutoAttendant --------------------------------------------------------------------------------------
    /** Result {@code List<MenuInfo>}. */
    getMenuList(Service.AutoAttendant, "get_menu_list", SAFE,
            (e, in) -> list(op(e), e.http(httpParams(in), null), "menu_list", MenuInfo.class), http()),
    /** Inputs: {@code menuInfo} with its {@code i_menu} (or {@code iMenu}). Result {@link PortaSipIds#iMenu()}. */
    updateMenu(Service.AutoAttendant, "update_menu", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "menuInfo", "menu_info", MenuInfo.class);
        number(in, object(p, "menu_info"), "iMenu", "i_menu");
        require(in, (ObjectNode) p.get("menu_info"), "i_menu", "iMenu", "menuInfo");
        return ids(e, e.http(p, null));
    }, http(optional("menuInfo"), optional("iMenu"))),
    /** Inputs: {@code menuInfo}. Result {@link PortaSipIds#iMenu()}. */
    createMenu(Service.AutoAttendant, "create_menu", ONCE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "menuInfo", "menu_info", MenuInfo.class);
        require(in, p, "menu_info", "menuInfo");
        return ids(e, e.http(p, null));
    }, http(optional("menuInfo"))),
    /** Inputs: {@code iMenu}. Result {@link PortaSipIds#iMenu()}. */
    delMenu(Service.AutoAttendant, "del_menu", SAFE, (e, in) -> ids(e, e.http(ids(in, "iMenu", "i_menu"), null)),
            http(optional("iMenu"))),
    /**
     * Inputs: {@code iMenu}, {@code promptType} (intro, menu, disabled, timeout), {@code prompt} (the file name;
     * default the file's), the audio. Result {@link PortaSipIds#iMenu()}, {@link PortaSipIds#iAudioFile()}.
     */
    setMenuPrompt(Service.AutoAttendant, "set_menu_prompt", SAFE, (e, in) -> {
        ObjectNode p = ids(in, "iMenu", "i_menu");
        text(in, p, "promptType", "prompt_type");
        require(in, p, "prompt_type", "promptType");
        return ids(e, e.http(p, prompt(in, p, true, p.get("prompt_type").asText() + ".au")));
    }, http(optional("iMenu"), optional("promptType"), optional("prompt"), optional("file"))),
    /** Inputs: {@code iMenu}, {@code promptType}. Result {@link PortaSipAudio}. */
    getMenuPrompt(Service.AutoAttendant, "get_menu_prompt", SAFE, (e, in) -> {
        ObjectNode p = ids(in, "iMenu", "i_menu");
        text(in, p, "promptType", "prompt_type");
        require(in, p, "prompt_type", "promptType");
        return e.audio(p);
    }, http(optional("iMenu"), optional("promptType"))),
    /** Inputs: {@code iMenu}. Result {@code List<TransitionInfo>}. */
    getMenuTransitionList(Service.AutoAttendant, "get_menu_transition_list", SAFE,
            (e, in) -> list(op(e), e.http(ids(in, "iMenu", "i_menu"), null), "transition_list", TransitionInfo.class),
            http(optional("iMenu"))),
    /**
     * Inputs: {@code iMenu}, {@code transitionInfo}, the audio of its prompt (optional). Result
     * {@link PortaSipIds#iMenuTransition()} (and {@link PortaSipIds#iAudioFile()} with audio).
     */
    setMenuTransition(Service.AutoAttendant, "set_menu_transition", SAFE, (e, in) -> {
        ObjectNode p = ids(in, "iMenu", "i_menu");
        struct(in, p, "transitionInfo", "transition_info", TransitionInfo.class);
        require(in, p, "transition_info", "transitionInfo");
        ObjectNode t = (ObjectNode) p.get("transition_info");
        PortaSipClient.Upload upload = PortaSipInputs.upload(in, false, t.path("prompt").asText(null),
                "transition.au");
        if (upload != null) {
            t.put("prompt", upload.filename());
        }
        return ids(e, e.http(p, upload));
    }, http(optional("iMenu"), optional("transitionInfo"), optional("file"))),
    /**
     * Inputs: {@code iMenu} and {@code event} (both mandatory in the spec), {@code iMenuTransition}. Result
     * {@link PortaSipAudio}.
     */
    getMenuTransitionPrompt(Service.AutoAttendant, "get_menu_transition_prompt", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        number(in, p, "iMenu", "i_menu");
        number(in, p, "iMenuTransition", "i_menu_transition");
        text(in, p, "event", "event");
        require(in, p, "i_menu", "iMenu");
        require(in, p, "event", "event");
        return e.audio(p);
    }, http(optional("iMenu"), optional("iMenuTransition"), optional("event"))),
    /**
     * Wire name {@code set_menu_transition_promt} (the spec's typo; {@code set_menu_transition_prompt} is accepted as
     * a path too). Inputs: {@code iMenuTransition}, {@code prompt}, the audio. Result
     * {@link PortaSipIds#iMenuTransition()}, {@link PortaSipIds#iAudioFile()}.
     */
    setMenuTransitionPrompt(Service.AutoAttendant, "set_menu_transition_promt", SAFE, (e, in) -> {
        ObjectNode p = ids(in, "iMenuTransition", "i_menu_transition");
        return ids(e, e.http(p, prompt(in, p, true, "transition.au")));
    }, http(optional("iMenuTransition"), optional("prompt"), optional("file"))),

    // ---- Conference -----------------------------------------------------------------------------------------
    /** Inputs: {@code iConf} or {@code confName}. Result {@link ConfInfo}. */
    getConfInfo(Service.Conference, "get_conf_info", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        number(in, p, "iConf", "i_conf");
        text(in, p, "confName", "name");
        if (!p.hasNonNull("i_conf") && !p.hasNonNull("name")) {
            throw PortaSipInputs.missing(in, "i_conf", "iConf", "confName");
        }
        return as(op(e), e.http(p, null), "conf_info", ConfInfo.class);
    }, http(optional("iConf"), optional("confName"))),
    /** Result {@code List<ConfInfo>}. */
    getConfList(Service.Conference, "get_conf_list", SAFE,
            (e, in) -> list(op(e), e.http(httpParams(in), null), "conf_list", ConfInfo.class), http()),
    /** Inputs: {@code confInfo}. Result {@link PortaSipIds#iConf()}. */
    createConf(Service.Conference, "create_conf", ONCE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "confInfo", "conf_info", ConfInfo.class);
        require(in, p, "conf_info", "confInfo");
        return ids(e, e.http(p, null));
    }, http(optional("confInfo"))),
    /** Inputs: {@code confInfo} with its {@code i_conf} (or {@code iConf}). Result {@link PortaSipIds#iConf()}. */
    updateConf(Service.Conference, "update_conf", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "confInfo", "conf_info", ConfInfo.class);
        number(in, object(p, "conf_info"), "iConf", "i_conf");
        require(in, (ObjectNode) p.get("conf_info"), "i_conf", "iConf", "confInfo");
        return ids(e, e.http(p, null));
    }, http(optional("confInfo"), optional("iConf"))),
    /** Inputs: {@code iConf}. Result {@link PortaSipIds#iConf()}. */
    delConf(Service.Conference, "del_conf", SAFE, (e, in) -> ids(e, e.http(ids(in, "iConf", "i_conf"), null)),
            http(optional("iConf"))),
    /**
     * Inputs: {@code iConf}, {@code promptType} (intro, moh), {@code prompt}, the audio. Result
     * {@link PortaSipIds#iConf()}, {@link PortaSipIds#iAudioFile()}.
     */
    setConfPrompt(Service.Conference, "set_conf_prompt", SAFE, (e, in) -> {
        ObjectNode p = ids(in, "iConf", "i_conf");
        text(in, p, "promptType", "prompt_type");
        require(in, p, "prompt_type", "promptType");
        return ids(e, e.http(p, prompt(in, p, true, p.get("prompt_type").asText() + ".au")));
    }, http(optional("iConf"), optional("promptType"), optional("prompt"), optional("file"))),
    /** Inputs: {@code iConf}, {@code promptType}. Result {@link PortaSipAudio}. */
    getConfPrompt(Service.Conference, "get_conf_prompt", SAFE, (e, in) -> {
        ObjectNode p = ids(in, "iConf", "i_conf");
        text(in, p, "promptType", "prompt_type");
        require(in, p, "prompt_type", "promptType");
        return e.audio(p);
    }, http(optional("iConf"), optional("promptType"))),

    // ---- DialDirectory (the spec's Perl sample and WSDL list only) ------------------------------------------
    /** Result {@code List<DirEntryInfo>} (the reply's {@code dir_list}: our decision with the simulator). */
    getDirInfo(Service.DialDirectory, "get_dir_info", SAFE,
            (e, in) -> list(op(e), e.http(httpParams(in), null), "dir_list", DirEntryInfo.class), http()),
    /** Inputs: {@code dirEntryInfo}, the audio of the recorded name (optional). Result {@link PortaSipIds#iEntry()}. */
    createDirEntry(Service.DialDirectory, "create_dir_entry", ONCE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "dirEntryInfo", "dir_entry_info", DirEntryInfo.class);
        require(in, p, "dir_entry_info", "dirEntryInfo");
        return ids(e, e.http(p, dirPrompt(in, p)));
    }, http(optional("dirEntryInfo"), optional("file"))),
    /**
     * Inputs: {@code dirEntryInfo} with its {@code i_entry} (or {@code iEntry}), the audio (optional). Result
     * {@link PortaSipIds#iEntry()}.
     */
    updateDirEntry(Service.DialDirectory, "update_dir_entry", SAFE, (e, in) -> {
        ObjectNode p = httpParams(in);
        struct(in, p, "dirEntryInfo", "dir_entry_info", DirEntryInfo.class);
        number(in, object(p, "dir_entry_info"), "iEntry", "i_entry");
        require(in, (ObjectNode) p.get("dir_entry_info"), "i_entry", "iEntry", "dirEntryInfo");
        return ids(e, e.http(p, dirPrompt(in, p)));
    }, http(optional("dirEntryInfo"), optional("iEntry"), optional("file"))),
    /** Inputs: {@code iEntry}. Result {@link DirEntryInfo}. */
    getDirEntry(Service.DialDirectory, "get_dir_entry", SAFE,
            (e, in) -> as(op(e), e.http(ids(in, "iEntry", "i_entry"), null), "dir_entry_info", DirEntryInfo.class),
            http(optional("iEntry"))),
    /** Inputs: {@code iEntry}. Result {@link PortaSipIds#iEntry()}. */
    delDirEntry(Service.DialDirectory, "del_dir_entry", SAFE,
            (e, in) -> ids(e, e.http(ids(in, "iEntry", "i_entry"), null)), http(optional("iEntry"))),

    // ---- Call Control (JSON-RPC over the WebSocket) ---------------------------------------------------------
    /**
     * Subscribes the socket to {@code sip.call_control_notifications} for a scope: one of {@code iAccount},
     * {@code iCustomer}, {@code iMainOffice}, {@code iIvrAn}. Result {@link PortaSipSuccess}.
     */
    enableApiNotifications(Service.CallControl, "enable_api_notifications", SAFE,
            (e, in) -> success(e.callControl(scope(in, true))), cc(scopes())),
    /** Ends a subscription; inputs as {@link #enableApiNotifications}. Result {@link PortaSipSuccess}. */
    disableApiNotifications(Service.CallControl, "disable_api_notifications", SAFE,
            (e, in) -> success(e.callControl(scope(in, true))), cc(scopes())),
    /**
     * The calls in progress the subscription of a scope has seen (one of {@code iAccount}, {@code iCustomer},
     * {@code iMainOffice}, {@code iIvrAn}; PortaSIP faults for a scope not subscribed on this socket). Result
     * {@code List<SipCallInfo>}, one per leg.
     */
    getSipCallsList(Service.CallControl, "get_sip_calls_list", SAFE,
            (e, in) -> list(op(e), e.callControl(scope(in, false)), "calls_list", SipCallInfo.class), cc(scopes())),
    /**
     * Calls {@code callerId}, then connects it to {@code calleeId}. Inputs: {@code billId}, {@code callerId},
     * {@code calleeId}, {@code calleeAutoPickup}. Result {@link OriginateResult}.
     */
    originateAdvancedCall(Service.CallControl, "originate_advanced_call", ONCE, (e, in) -> {
        ObjectNode p = PortaSipInputs.params(in);
        text(in, p, "billId", "bill_id");
        text(in, p, "callerId", "caller_id");
        text(in, p, "calleeId", "callee_id");
        PortaSipInputs.yesNo(in, p, "calleeAutoPickup", "callee_auto_pickup");
        require(in, p, "caller_id", "callerId");
        require(in, p, "callee_id", "calleeId");
        e.prepareCallLookup(); // the new call is listed from its first state on
        return PortaSipInputs.convert(op(e), PortaSipInputs.normalized(e.callControl(p)), OriginateResult.class);
    }, cc(optional("billId"), optional("callerId"), optional("calleeId"), optional("calleeAutoPickup"))),
    /** Inputs: the call ({@code call} or {@code callId}, {@code callTag}), {@code transportId}, {@code calleeAnswerMode}. */
    answerCall(Service.CallControl, "answer_call", ONCE, (e, in) -> {
        ObjectNode p = leg(e, in);
        String mode = in.string("calleeAnswerMode");
        if (mode != null && !mode.isBlank()) {
            String m = mode.trim().toLowerCase(java.util.Locale.ROOT);
            if (!m.equals("notify") && !m.equals("invite")) {
                throw in.invalid("calleeAnswerMode must be notify or invite, not '" + mode + "'");
            }
            p.put("callee_answer_mode", m);
        }
        return success(e.callControl(p));
    }, cc(legInputs(optional("calleeAnswerMode")))),
    /** Ends the call. Inputs: the call, {@code transportId}. */
    terminateCall(Service.CallControl, "terminate_call", ONCE, (e, in) -> success(e.callControl(leg(e, in))),
            cc(legInputs())),
    /** Puts the call leg on hold. Inputs: the call, {@code transportId}. */
    holdCall(Service.CallControl, "hold_call", ONCE, (e, in) -> success(e.callControl(leg(e, in))), cc(legInputs())),
    /** Takes the call leg off hold. Inputs: the call, {@code transportId}. */
    unholdCall(Service.CallControl, "unhold_call", ONCE, (e, in) -> success(e.callControl(leg(e, in))),
            cc(legInputs())),
    /** Blind transfer of the transferor's leg to {@code cld}. Inputs: the call, {@code cld}, {@code transportId}. */
    transferCall(Service.CallControl, "transfer_call", ONCE, (e, in) -> {
        ObjectNode p = leg(e, in);
        text(in, p, "cld", "cld");
        require(in, p, "cld", "cld");
        return success(e.callControl(p));
    }, cc(legInputs(optional("cld")))),
    /**
     * Joins the call leg with {@code toCall} (completes an attended transfer). Inputs: the call, the other leg
     * ({@code toCall} or {@code toCallId}, {@code toCallTag}), {@code transportId}.
     */
    joinCalls(Service.CallControl, "join_calls", ONCE, (e, in) -> {
        ObjectNode p = leg(e, in);
        identifier(in, p, "toCall", "toCallId", "toCallTag", "to_call");
        resolve(e, in, p, "to_call", "toLeg", false);
        return success(e.callControl(p));
    }, cc(legInputs(optional("toCall"), optional("toCallId"), optional("toCallTag"), optional("toLeg")))),
    /** Plays a prompt into the call. Inputs: the call, {@code transportId}, {@code url}, {@code order}, {@code repeat}. */
    playPrompt(Service.CallControl, "play_prompt", ONCE, (e, in) -> {
        ObjectNode p = leg(e, in);
        text(in, p, "url", "url");
        require(in, p, "url", "url");
        order(in, p);
        number(in, p, "repeat", "repeat");
        return success(e.callControl(p));
    }, cc(legInputs(optional("url"), optional("order"), optional("repeat")))),
    /** Stops a prompt. Inputs: the call, {@code transportId}, {@code order}. */
    stopPlayPrompt(Service.CallControl, "stop_play_prompt", SAFE, (e, in) -> {
        ObjectNode p = leg(e, in);
        order(in, p);
        return success(e.callControl(p));
    }, cc(legInputs(optional("order")))),
    /** Starts reporting the DTMF digits of the call leg. Inputs: the call, {@code transportId}. */
    startDtmfDetect(Service.CallControl, "start_dtmf_detect", SAFE, (e, in) -> success(e.callControl(leg(e, in))),
            cc(legInputs())),
    /** Stops reporting DTMF digits. Inputs: the call, {@code transportId}. */
    stopDtmfDetect(Service.CallControl, "stop_dtmf_detect", SAFE, (e, in) -> success(e.callControl(leg(e, in))),
            cc(legInputs())),

    // ---- consumer only --------------------------------------------------------------------------------------
    /**
     * The call-record harvest (consumer only): PortaSIP has no CDR operation, so the records are derived from the
     * call events ({@link PortaSipCallJournal}, {@link PortaSipCallRecords}).
     */
    cdr(null, "cdr", SAFE, (e, in) -> {
        throw new UnsupportedOperationException("portasip:cdr is consumer only");
    }),
    /**
     * Consumer only: the live call events ({@code sip.call_control_notifications} of the subscribed scopes) as
     * {@link io.pbxbridge.model.CallEvent}s ({@link PortaSipEventConsumer}).
     */
    events(Service.CallControl, "events", SAFE, (e, in) -> {
        throw new UnsupportedOperationException("portasip:events is consumer only");
    });

    /** The services of the API (and Call Control's, over the WebSocket). */
    public enum Service {
        Session,
        Voicemail,
        SMPreferences,
        AutoAttendant,
        Conference,
        DialDirectory,
        CallControl
    }

    /** Paths accepted besides the entries' names and wire names. */
    private static final Map<String, PortaSipOperation> ALIASES = Map.of(
            "set_menu_transition_prompt", setMenuTransitionPrompt, "setMenuTransitionPromt", setMenuTransitionPrompt);

    private final Service service;
    private final String wireName;
    private final OperationSpec<PortaSipEndpoint> spec;

    PortaSipOperation(Service service, String wireName, Repeat repeat, OperationSpec.Call<PortaSipEndpoint> call,
                      OperationInput... inputs) {
        this.service = service;
        this.wireName = wireName;
        this.spec = OperationSpec.of(repeat, call, inputs);
    }

    public Service service() {
        return service;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    @Override
    public OperationSpec<PortaSipEndpoint> spec() {
        return spec;
    }

    /**
     * Calls the operation. A dry run ({@code dryRun}) answers {@link PortaSipSuccess} whatever the method returns
     * otherwise: PortaSIP only validates.
     */
    @Override
    public Object invoke(PortaSipEndpoint endpoint, OperationInputs inputs) throws Exception {
        try {
            return spec.call().invoke(endpoint, inputs);
        } catch (PortaSipDryRun dryRun) {
            return dryRun.result();
        }
    }

    /** Whether the operation can be called ({@link #events} and {@link #cdr} are consumer only). */
    @Override
    public boolean producer() {
        return !isConsumerOnly();
    }

    /** Whether this path only consumes ({@link #events}, {@link #cdr}): not a PortaSIP method. */
    public boolean isConsumerOnly() {
        return this == events || this == cdr;
    }

    /** Whether this is a Call Control method (over the WebSocket) rather than one of the JSON API. */
    public boolean isCallControl() {
        return service == Service.CallControl;
    }

    /**
     * The operation a path names: an entry's name, a wire name, or {@code set_menu_transition_prompt}; null when none.
     */
    public static PortaSipOperation lookup(String path) {
        for (PortaSipOperation op : values()) {
            if (op.name().equals(path) || op.wireName.equals(path)) {
                return op;
            }
        }
        return ALIASES.get(path);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static PortaSipOperation op(PortaSipEndpoint e) {
        return e.getOperation();
    }

    private static PortaSipIds ids(PortaSipEndpoint e, JsonNode result) {
        return PortaSipInputs.convert(op(e), PortaSipInputs.normalized(result), PortaSipIds.class);
    }

    private static PortaSipSuccess success(JsonNode result) {
        JsonNode s = PortaSipInputs.field(result, "success");
        return new PortaSipSuccess(s == null || s.isNull() ? 1 : s.asInt(1));
    }

    /** Params with one id input (required) under its wire name. */
    private static ObjectNode ids(OperationInputs in, String input, String wire) {
        ObjectNode p = httpParams(in);
        number(in, p, input, wire);
        require(in, p, wire, input);
        return p;
    }

    /** The audio and its file name ({@code prompt}: the input, params, else the file's). */
    private static PortaSipClient.Upload prompt(OperationInputs in, ObjectNode p, boolean required, String dflt) {
        text(in, p, "prompt", "prompt");
        PortaSipClient.Upload upload = PortaSipInputs.upload(in, required, p.path("prompt").asText(null), dflt);
        if (upload != null) {
            p.put("prompt", upload.filename());
        }
        return upload;
    }

    private static PortaSipClient.Upload dirPrompt(OperationInputs in, ObjectNode p) {
        ObjectNode info = (ObjectNode) p.get("dir_entry_info");
        PortaSipClient.Upload upload = PortaSipInputs.upload(in, false, info.path("prompt").asText(null), "name.au");
        if (upload != null) {
            info.put("prompt", upload.filename());
        }
        return upload;
    }

    /** Call Control params with one scope; {@code event} too for the subscription methods. */
    private static ObjectNode scope(OperationInputs in, boolean event) {
        ObjectNode p = PortaSipInputs.params(in);
        number(in, p, "iAccount", "i_account");
        number(in, p, "iCustomer", "i_customer");
        number(in, p, "iMainOffice", "i_main_office");
        number(in, p, "iIvrAn", "i_ivr_an");
        int scopes = 0;
        for (String s : new String[] { "i_account", "i_customer", "i_main_office", "i_ivr_an" }) {
            scopes += p.hasNonNull(s) ? 1 : 0;
        }
        if (scopes != 1) {
            throw in.invalid((scopes == 0 ? "needs a scope" : "needs one scope, not " + scopes)
                    + ": one of iAccount, iCustomer, iMainOffice, iIvrAn (headers " + in.headerName("iAccount")
                    + "...)");
        }
        if (event && !p.hasNonNull("event")) {
            p.put("event", PortaSipCallControl.NOTIFICATIONS);
        }
        return p;
    }

    /**
     * Call Control params for a live-call method: the call leg (required) and {@code transport_id}. A call given
     * without its tag or transport is looked up ({@link #resolve}).
     */
    private static ObjectNode leg(PortaSipEndpoint e, OperationInputs in) {
        ObjectNode p = PortaSipInputs.params(in);
        identifier(in, p, "call", "callId", "callTag", "call");
        text(in, p, "transportId", "transport_id");
        resolve(e, in, p, "call", "leg", true);
        return p;
    }

    /**
     * Completes {@code p.<wire>} when its tag (or, for the call itself, {@code transport_id}) is missing: the id is
     * pbx-bridge's call id (the PortaSIP call id without {@code ~N}: leg A, or leg B when the {@code legInput} says
     * B) or a leg's own id, looked up among the live calls ({@link PortaSipComponent#callLookup}).
     */
    private static void resolve(PortaSipEndpoint e, OperationInputs in, ObjectNode p, String wire, String legInput,
                                boolean transport) {
        ObjectNode call = (ObjectNode) p.get(wire);
        String legName = in.string(legInput);
        boolean needTag = !call.hasNonNull("tag") || call.get("tag").asText().isBlank();
        boolean needTransport = transport && (!p.hasNonNull("transport_id")
                || p.get("transport_id").asText().isBlank());
        if (!needTag && !needTransport) {
            return;
        }
        if (!needTag && !e.canLookUpCalls()) {
            return; // a leg named with its tag: sent as given (PortaSIP says what is missing)
        }
        String id = call.get("id").asText().trim();
        String which = legName == null || legName.isBlank() ? "A" : legName.trim().toUpperCase(java.util.Locale.ROOT);
        if (!which.equals("A") && !which.equals("B")) {
            throw in.invalid(legInput + " must be A or B, not '" + legName + "'");
        }
        String tag = needTag ? null : call.get("tag").asText();
        PortaSipCallLookup.Leg leg;
        try {
            leg = e.findLeg(id, tag, which.equals("B"), in);
        } catch (PortaSipValidationException notFound) {
            if (needTag) {
                throw notFound;
            }
            return; // its transport is not known here: sent as given
        }
        if (needTag) {
            call.put("id", leg.call().id());
            call.put("tag", leg.call().tag());
        }
        if (needTransport) {
            if (leg.transportId() == null || leg.transportId().isBlank()) {
                throw in.invalid("the live call " + id + " has no transport_id: give transportId");
            }
            p.put("transport_id", leg.transportId());
        }
    }

    /** A SipCallIdentifier under {@code wire}: from the structure input, else its id and tag inputs (id required). */
    private static void identifier(OperationInputs in, ObjectNode p, String input, String idInput, String tagInput,
                                   String wire) {
        struct(in, p, input, wire, SipCallIdentifier.class);
        String id = in.string(idInput);
        String tag = in.string(tagInput);
        if (id != null && !id.isBlank() || tag != null && !tag.isBlank()) {
            ObjectNode c = object(p, wire);
            if (id != null && !id.isBlank()) {
                c.put("id", id);
            }
            if (tag != null && !tag.isBlank()) {
                c.put("tag", tag);
            }
        }
        JsonNode c = p.get(wire);
        if (c == null || !c.isObject() || !c.hasNonNull("id") || c.get("id").asText().isBlank()) {
            throw in.invalid("needs the call leg " + wire + ": " + idInput + " (" + in.headerName(idInput) + ") and "
                    + tagInput + " (" + in.headerName(tagInput) + "), or " + input + " (a SipCallIdentifier, a Map "
                    + "or {\"id\", \"tag\"})");
        }
    }

    private static void order(OperationInputs in, ObjectNode p) {
        Integer order = in.get("order", Integer.class);
        if (order != null) {
            if (order != 2 && order != 3) {
                throw in.invalid("order must be 2 or 3, not " + order);
            }
            p.put("order", order);
        }
    }

    private static OperationInput[] http(OperationInput... inputs) {
        List<OperationInput> all = new ArrayList<>(Arrays.asList(inputs));
        all.add(optional("params"));
        all.add(optional("dryRun"));
        return all.toArray(OperationInput[]::new);
    }

    private static OperationInput[] cc(OperationInput... inputs) {
        List<OperationInput> all = new ArrayList<>(Arrays.asList(inputs));
        all.add(optional("params"));
        return all.toArray(OperationInput[]::new);
    }

    private static OperationInput[] scopes() {
        return new OperationInput[] { optional("iAccount"), optional("iCustomer"), optional("iMainOffice"),
            optional("iIvrAn") };
    }

    private static OperationInput[] legInputs(OperationInput... more) {
        List<OperationInput> all = new ArrayList<>(List.of(optional("call"), optional("callId"), optional("callTag"),
                optional("transportId"), optional("leg")));
        all.addAll(Arrays.asList(more));
        return all.toArray(OperationInput[]::new);
    }
}
