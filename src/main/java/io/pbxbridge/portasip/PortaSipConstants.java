package io.pbxbridge.portasip;

import org.apache.camel.spi.Metadata;

/**
 * Message headers of the PortaSIP component. An input header ({@code CamelPortasip} and the input's name
 * capitalised) overrides the endpoint option of the same name.
 */
public final class PortaSipConstants {
    @Metadata(description = "Every method: its params as a JSON object (the header may also be a Map, as may the body); the named inputs of the method are set over it.", javaType = "Object")
    public static final String PARAMS = "CamelPortasipParams";
    @Metadata(description = "JSON API methods: validate only, without executing (aux_info.dry_run).", javaType = "java.lang.Boolean")
    public static final String DRY_RUN = "CamelPortasipDryRun";
    @Metadata(description = "logout: the session to end (one from portasip:login); without it the component's own session for the login is ended. Never logged.", javaType = "String")
    public static final String SESSION_ID = "CamelPortasipSessionId";
    @Metadata(description = "setVmSettings: the settings to change, a VMSettings (header or body), a Map or a JSON object; only the fields given change.", javaType = "Object")
    public static final String VM_SETTINGS = "CamelPortasipVmSettings";
    @Metadata(description = "getVmGreeting, setVmGreeting: standard, extended, personal or name.", javaType = "String")
    public static final String GREETING_TYPE = "CamelPortasipGreetingType";
    @Metadata(description = "setVmGreeting: the whole GreetingInfo (a GreetingInfo, a Map or a JSON object), instead of greetingType and filename.", javaType = "Object")
    public static final String GREETING_INFO = "CamelPortasipGreetingInfo";
    @Metadata(description = "setVmGreeting: the file name of the greeting sent; default the file's name or the CamelFileName header.", javaType = "String")
    public static final String FILENAME = "CamelPortasipFilename";
    @Metadata(description = "The audio to send (setVmGreeting, setMenuPrompt, setMenuTransitionPrompt, setConfPrompt; optional for setMenuTransition, createDirEntry, updateDirEntry): the option is a file path; the header (or, without it, the body) may be a byte[], an InputStream, a File or a Path. Sent as the multipart part upload_file.", javaType = "Object")
    public static final String FILE = "CamelPortasipFile";
    @Metadata(description = "setFolderPreferences: the preferences, a FolderPreferences (header or body), a Map or a JSON object.", javaType = "Object")
    public static final String FOLDER_PREFS = "CamelPortasipFolderPrefs";
    @Metadata(description = "setDisplayPreferences: the preferences, a DisplayPreferences (header or body), a Map or a JSON object.", javaType = "Object")
    public static final String DISPLAY_PREFS = "CamelPortasipDisplayPrefs";
    @Metadata(description = "createMenu, updateMenu: the menu, a MenuInfo (header or body), a Map or a JSON object (update needs its i_menu, or iMenu).", javaType = "Object")
    public static final String MENU_INFO = "CamelPortasipMenuInfo";
    @Metadata(description = "The auto attendant menu: updateMenu, delMenu, setMenuPrompt, getMenuPrompt, getMenuTransitionList, setMenuTransition, getMenuTransitionPrompt.", javaType = "java.lang.Long")
    public static final String I_MENU = "CamelPortasipIMenu";
    @Metadata(description = "setMenuPrompt, getMenuPrompt: intro, menu, disabled or timeout; setConfPrompt, getConfPrompt: intro or moh.", javaType = "String")
    public static final String PROMPT_TYPE = "CamelPortasipPromptType";
    @Metadata(description = "setMenuPrompt, setMenuTransitionPrompt, setConfPrompt: the file name of the prompt sent; default the file's name or the CamelFileName header.", javaType = "String")
    public static final String PROMPT = "CamelPortasipPrompt";
    @Metadata(description = "setMenuTransition: the transition, a TransitionInfo (header or body), a Map or a JSON object.", javaType = "Object")
    public static final String TRANSITION_INFO = "CamelPortasipTransitionInfo";
    @Metadata(description = "getMenuTransitionPrompt: the transition's event (0-9, *, #, Timeout, Not Active, f).", javaType = "String")
    public static final String EVENT = "CamelPortasipEvent";
    @Metadata(description = "getMenuTransitionPrompt, setMenuTransitionPrompt: the menu transition.", javaType = "java.lang.Long")
    public static final String I_MENU_TRANSITION = "CamelPortasipIMenuTransition";
    @Metadata(description = "createConf, updateConf: the conference, a ConfInfo (header or body), a Map or a JSON object (update needs its i_conf, or iConf).", javaType = "Object")
    public static final String CONF_INFO = "CamelPortasipConfInfo";
    @Metadata(description = "The conference: getConfInfo (or confName), updateConf, delConf, setConfPrompt, getConfPrompt.", javaType = "java.lang.Long")
    public static final String I_CONF = "CamelPortasipIConf";
    @Metadata(description = "getConfInfo: the conference's name (instead of iConf).", javaType = "String")
    public static final String CONF_NAME = "CamelPortasipConfName";
    @Metadata(description = "createDirEntry, updateDirEntry: the directory entry, a DirEntryInfo (header or body), a Map or a JSON object (update needs its i_entry, or iEntry).", javaType = "Object")
    public static final String DIR_ENTRY_INFO = "CamelPortasipDirEntryInfo";
    @Metadata(description = "getDirEntry, delDirEntry, updateDirEntry: the directory entry.", javaType = "java.lang.Long")
    public static final String I_ENTRY = "CamelPortasipIEntry";
    @Metadata(description = "enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this account (one of iAccount, iCustomer, iMainOffice, iIvrAn).", javaType = "java.lang.Long")
    public static final String I_ACCOUNT = "CamelPortasipIAccount";
    @Metadata(description = "enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this customer (a whole IP Centrex).", javaType = "java.lang.Long")
    public static final String I_CUSTOMER = "CamelPortasipICustomer";
    @Metadata(description = "enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this main office and its branches.", javaType = "java.lang.Long")
    public static final String I_MAIN_OFFICE = "CamelPortasipIMainOffice";
    @Metadata(description = "enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this IVR access number.", javaType = "java.lang.Long")
    public static final String I_IVR_AN = "CamelPortasipIIvrAn";
    @Metadata(description = "originateAdvancedCall: the account charged for the call.", javaType = "String")
    public static final String BILL_ID = "CamelPortasipBillId";
    @Metadata(description = "originateAdvancedCall: the number called first (leg A).", javaType = "String")
    public static final String CALLER_ID = "CamelPortasipCallerId";
    @Metadata(description = "originateAdvancedCall: the number called once leg A answers (leg B).", javaType = "String")
    public static final String CALLEE_ID = "CamelPortasipCalleeId";
    @Metadata(description = "originateAdvancedCall: ask leg A's phone to answer by itself (sent as Y or N; PortaSIP's default N).", javaType = "java.lang.Boolean")
    public static final String CALLEE_AUTO_PICKUP = "CamelPortasipCalleeAutoPickup";
    @Metadata(description = "Live-call methods: the call leg, a SipCallIdentifier (header), a Map or a JSON object {id, tag}; or give callId and callTag.", javaType = "Object")
    public static final String CALL = "CamelPortasipCall";
    @Metadata(description = "Live-call methods: the call leg's id (with callTag), e.g. from a notification or getSipCallsList.", javaType = "String")
    public static final String CALL_ID = "CamelPortasipCallId";
    @Metadata(description = "Live-call methods: the call leg's tag (with callId).", javaType = "String")
    public static final String CALL_TAG = "CamelPortasipCallTag";
    @Metadata(description = "joinCalls: the leg to join with, a SipCallIdentifier (header), a Map or a JSON object {id, tag}; or give toCallId and toCallTag.", javaType = "Object")
    public static final String TO_CALL = "CamelPortasipToCall";
    @Metadata(description = "joinCalls: the id of the leg to join with (with toCallTag).", javaType = "String")
    public static final String TO_CALL_ID = "CamelPortasipToCallId";
    @Metadata(description = "joinCalls: the tag of the leg to join with (with toCallId).", javaType = "String")
    public static final String TO_CALL_TAG = "CamelPortasipToCallTag";
    @Metadata(description = "Live-call methods: the call's transport_id (IP:port), from a notification or getSipCallsList.", javaType = "String")
    public static final String TRANSPORT_ID = "CamelPortasipTransportId";
    @Metadata(description = "answerCall: notify (a NOTIFY with Event: talk) or invite (a new INVITE with auto-answer headers).", javaType = "String")
    public static final String CALLEE_ANSWER_MODE = "CamelPortasipCalleeAnswerMode";
    @Metadata(description = "transferCall: the number the call is transferred to (blind transfer).", javaType = "String")
    public static final String CLD = "CamelPortasipCld";
    @Metadata(description = "playPrompt: the prompt's URL without extension (an .au 8-bit u-law or .g729 file is fetched).", javaType = "String")
    public static final String URL = "CamelPortasipUrl";
    @Metadata(description = "playPrompt, stopPlayPrompt: the prompt's playback order, 2 (default) or 3.", javaType = "java.lang.Integer")
    public static final String ORDER = "CamelPortasipOrder";
    @Metadata(description = "playPrompt: times to play the prompt (default 1; -1 for ever).", javaType = "java.lang.Integer")
    public static final String REPEAT = "CamelPortasipRepeat";
    @Metadata(description = "Live-call methods given pbx-bridge's call id (callId without callTag or transportId): which leg, A (default) or B; its tag and transport_id are looked up among the live calls.", javaType = "String")
    public static final String LEG = "CamelPortasipLeg";
    @Metadata(description = "joinCalls given toCallId without toCallTag: which leg of that call, A (default) or B.", javaType = "String")
    public static final String TO_LEG = "CamelPortasipToLeg";
    @Metadata(description = "Results and events: the server and login that answered (host/login).", javaType = "String")
    public static final String SOURCE = "CamelPortasipSource";
    @Metadata(description = "Results and events: the zone of the times PortaSIP writes without one (the timeZone option).", javaType = "java.time.ZoneId")
    public static final String TIME_ZONE = "CamelPortasipTimeZone";
    @Metadata(description = "events, on a dead letter: why the frame is no notification (NOT_JSON, NOT_AN_OBJECT, OTHER_EVENT, NO_CALL_INFO, MALFORMED) and what was wrong.", javaType = "String")
    public static final String REJECT_REASON = "CamelPortasipRejectReason";

    private PortaSipConstants() {
    }
}
