package io.pbxbridge.portasip;

import java.net.URI;
import java.util.Arrays;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import io.pbxbridge.vendor.HttpsVendorConfiguration;

/**
 * Options of the PortaSIP component and its endpoints: the connection (address, login, TLS, timeouts) and the
 * operations' inputs, which can also be given per message in headers ({@link PortaSipConstants}) that override the
 * option of the same name.
 */
@UriParams
public class PortaSipConfiguration extends HttpsVendorConfiguration {
    @UriParam(label = "common")
    private String address;
    @UriParam(label = "common")
    private String login;
    @UriParam(label = "common")
    private String domain;
    @UriParam(label = "security", secret = true)
    private String password;
    @UriParam(label = "common")
    private PortaSipRealm realm;
    @UriParam(label = "common", defaultValue = "/rest")
    private String basePath = "/rest";
    @UriParam(label = "common", defaultValue = "/ws")
    private String callControlPath = "/ws";
    @UriParam(label = "advanced", defaultValue = "5000")
    private int connectTimeout = 5000;
    @UriParam(label = "advanced", defaultValue = "30000")
    private int requestTimeout = 30000;
    @UriParam(label = "advanced", defaultValue = "10000")
    private long callControlTimeout = 10000L;
    @UriParam(label = "common", defaultValue = "UTC")
    private String timeZone = "UTC";
    @UriParam(label = "consumer")
    private String accounts;
    @UriParam(label = "consumer")
    private String customers;
    @UriParam(label = "consumer")
    private String mainOffices;
    @UriParam(label = "consumer")
    private String ivrAccessNumbers;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long pingInterval = 30000L;
    @UriParam(label = "consumer", defaultValue = "5000")
    private long pingTimeout = 5000L;
    @UriParam(label = "consumer", defaultValue = "500")
    private long reconnectDelay = 500L;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long maxReconnectDelay = 30000L;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long unhealthyAfter = 30000L;
    @UriParam(label = "consumer", defaultValue = "3600000")
    private long unconfirmedCallTimeout = 3_600_000L;
    @UriParam(label = "consumer")
    private String deadLetterUri;
    @UriParam(label = "consumer", defaultValue = "1")
    private int workers = 1;
    @UriParam(label = "consumer", defaultValue = "1")
    private int maxBatchSize = 1;
    @UriParam(label = "producer")
    private String params;
    @UriParam(label = "producer")
    private Boolean dryRun;
    @UriParam(label = "security", secret = true)
    private String sessionId;
    @UriParam(label = "producer")
    private String vmSettings;
    @UriParam(label = "producer")
    private String greetingType;
    @UriParam(label = "producer")
    private String greetingInfo;
    @UriParam(label = "producer")
    private String filename;
    @UriParam(label = "producer")
    private String file;
    @UriParam(label = "producer")
    private String folderPrefs;
    @UriParam(label = "producer")
    private String displayPrefs;
    @UriParam(label = "producer")
    private String menuInfo;
    @UriParam(label = "producer")
    private Long iMenu;
    @UriParam(label = "producer")
    private String promptType;
    @UriParam(label = "producer")
    private String prompt;
    @UriParam(label = "producer")
    private String transitionInfo;
    @UriParam(label = "producer")
    private String event;
    @UriParam(label = "producer")
    private Long iMenuTransition;
    @UriParam(label = "producer")
    private String confInfo;
    @UriParam(label = "producer")
    private Long iConf;
    @UriParam(label = "producer")
    private String confName;
    @UriParam(label = "producer")
    private String dirEntryInfo;
    @UriParam(label = "producer")
    private Long iEntry;
    @UriParam(label = "callcontrol")
    private Long iAccount;
    @UriParam(label = "callcontrol")
    private Long iCustomer;
    @UriParam(label = "callcontrol")
    private Long iMainOffice;
    @UriParam(label = "callcontrol")
    private Long iIvrAn;
    @UriParam(label = "callcontrol")
    private String billId;
    @UriParam(label = "callcontrol")
    private String callerId;
    @UriParam(label = "callcontrol")
    private String calleeId;
    @UriParam(label = "callcontrol")
    private Boolean calleeAutoPickup;
    @UriParam(label = "callcontrol")
    private String call;
    @UriParam(label = "callcontrol")
    private String callId;
    @UriParam(label = "callcontrol")
    private String callTag;
    @UriParam(label = "callcontrol")
    private String toCall;
    @UriParam(label = "callcontrol")
    private String toCallId;
    @UriParam(label = "callcontrol")
    private String toCallTag;
    @UriParam(label = "callcontrol")
    private String transportId;
    @UriParam(label = "callcontrol")
    private String calleeAnswerMode;
    @UriParam(label = "callcontrol")
    private String cld;
    @UriParam(label = "callcontrol")
    private String url;
    @UriParam(label = "callcontrol")
    private Integer order;
    @UriParam(label = "callcontrol")
    private Integer repeat;
    @UriParam(label = "callcontrol", enums = "A,B")
    private String leg;
    @UriParam(label = "callcontrol", enums = "A,B")
    private String toLeg;
    @UriParam(label = "consumer,cdr", defaultValue = "data/cdr/portasip")
    private String cdrJournal = "data/cdr/portasip";

    /** What tells HTTP sessions apart: endpoints with the same values share one session. */
    String sessionAccount() {
        return login + (domain == null || domain.isBlank() ? "" : "@" + domain);
    }

    /** What tells Call Control sockets apart: one socket per server, login and TLS settings. */
    Object callControlConnection() {
        return Arrays.asList("call-control", baseAddress(), callControlPath, login, domain, password, trustStore(),
                connectTimeout);
    }

    /**
     * The address with the realm's port when it has none ({@code https://host} and realm customer:
     * {@code https://host:8444}), without a trailing slash.
     *
     * @throws IllegalArgumentException when no address is set or it is not an http(s) URL
     */
    String baseAddress() {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("portasip: the address of the PortaSIP web server is not configured "
                    + "(e.g. https://portasip.example.com:8445)");
        }
        String a = address.trim();
        if (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        URI u;
        try {
            u = URI.create(a);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("portasip: address '" + a + "' is not a URL", e);
        }
        if (u.getHost() == null || !("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))) {
            throw new IllegalArgumentException("portasip: address '" + a + "' is not an http(s) URL such as "
                    + "https://portasip.example.com:8445");
        }
        if (u.getPort() < 0 && realm != null) {
            a = u.getScheme() + "://" + u.getHost() + ":" + realm.port() + (u.getRawPath() == null ? "" : u.getRawPath());
        }
        return a;
    }

    /** The JSON API's base path, starting with a slash and without a trailing one ("" for none). */
    String normalizedBasePath() {
        String p = basePath == null ? "" : basePath.trim();
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
    }

    /**
     * The scopes {@code portasip:events} subscribes to, from {@code accounts}, {@code customers}, {@code mainOffices}
     * and {@code ivrAccessNumbers} (comma lists of ids), in that order, each once.
     *
     * @throws IllegalArgumentException when an id is not a number
     */
    java.util.List<PortaSipCallControl.Scope> scopes() {
        java.util.LinkedHashSet<PortaSipCallControl.Scope> out = new java.util.LinkedHashSet<>();
        scopes(out, "accounts", accounts, PortaSipCallControl.Scope::account);
        scopes(out, "customers", customers, PortaSipCallControl.Scope::customer);
        scopes(out, "mainOffices", mainOffices, PortaSipCallControl.Scope::mainOffice);
        scopes(out, "ivrAccessNumbers", ivrAccessNumbers, PortaSipCallControl.Scope::ivrAccessNumber);
        return java.util.List.copyOf(out);
    }

    private static void scopes(java.util.Set<PortaSipCallControl.Scope> out, String option, String ids,
                               java.util.function.LongFunction<PortaSipCallControl.Scope> scope) {
        if (ids == null || ids.isBlank()) {
            return;
        }
        for (String id : ids.split(",")) {
            String t = id.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                long n = Long.parseLong(t);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                out.add(scope.apply(n));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("portasip: " + option + " is a comma list of ids (e.g. 1001,1002), "
                        + "not '" + ids + "'");
            }
        }
    }

    public PortaSipConfiguration copy() {
        return copy(PortaSipConfiguration.class);
    }

    public String getAddress() {
        return address;
    }

    /** The PortaSIP web server, {@code https://host:port}: the port is the realm's (administrator 443, customer 8444, reseller 8442, account 8445); without a port, the realm option's (else 443). The JSON API is at {@code <address><basePath>/<Service>/<method>/}, Call Control at {@code wss://host:port<callControlPath>} ({@code ws://} for an http address). */
    public void setAddress(String address) {
        this.address = address;
    }

    public String getLogin() {
        return login;
    }

    /** The account (or user) the component logs in as: {@code Session/login}'s {@code login}; one session per address and login, shared by every endpoint. */
    public void setLogin(String login) {
        this.login = login;
    }

    public String getDomain() {
        return domain;
    }

    /** The media server domain of the login ({@code Session/login}'s {@code domain}). */
    public void setDomain(String domain) {
        this.domain = domain;
    }

    public String getPassword() {
        return password;
    }

    /** The login's password (16 characters at most). Never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    public PortaSipRealm getRealm() {
        return realm;
    }

    /** The realm of the login: administrator, customer, reseller or account. Informative, and the port of an address without one. */
    public void setRealm(PortaSipRealm realm) {
        this.realm = realm;
    }

    public String getBasePath() {
        return basePath;
    }

    /** The JSON API's path on the server; some installations serve {@code /UM/rest}. */
    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public String getCallControlPath() {
        return callControlPath;
    }

    /** Call Control's WebSocket path on the server ({@code /ws}; the spec also names {@code /ws/CallControl}). */
    public void setCallControlPath(String callControlPath) {
        this.callControlPath = callControlPath;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to open a connection (HTTP or WebSocket, TLS handshake included). */
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getRequestTimeout() {
        return requestTimeout;
    }

    /** Milliseconds to wait for the JSON API's answer to one request (audio included). */
    public void setRequestTimeout(int requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public long getCallControlTimeout() {
        return callControlTimeout;
    }

    /** Milliseconds to wait for the reply to one Call Control request; then it fails with NO_ANSWER naming the method and its cseq (whether it was carried out is unknown). */
    public void setCallControlTimeout(long callControlTimeout) {
        this.callControlTimeout = callControlTimeout;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /** The zone of the times PortaSIP writes without one ({@code start_time}, {@code connect_time}: {@code yyyy-MM-dd HH:mm:ss}), e.g. {@code Europe/Brussels}; default UTC (empty: this JVM's zone). Events keep the times as written; results and events carry the zone in {@code CamelPortasipTimeZone}. */
    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public String getAccounts() {
        return accounts;
    }

    /** events: the accounts ({@code i_account}, comma list) whose calls are subscribed to. At least one scope (accounts, customers, mainOffices, ivrAccessNumbers) is required: the login does not say its own i_account. */
    public void setAccounts(String accounts) {
        this.accounts = accounts;
    }

    public String getCustomers() {
        return customers;
    }

    /** events: the customers ({@code i_customer}, comma list: a whole IP Centrex each) whose calls are subscribed to. */
    public void setCustomers(String customers) {
        this.customers = customers;
    }

    public String getMainOffices() {
        return mainOffices;
    }

    /** events: the main offices ({@code i_main_office}, comma list, their branches included) whose calls are subscribed to. */
    public void setMainOffices(String mainOffices) {
        this.mainOffices = mainOffices;
    }

    public String getIvrAccessNumbers() {
        return ivrAccessNumbers;
    }

    /** events: the IVR access numbers ({@code i_ivr_an}, comma list) whose calls are subscribed to. */
    public void setIvrAccessNumbers(String ivrAccessNumbers) {
        this.ivrAccessNumbers = ivrAccessNumbers;
    }

    public long getPingInterval() {
        return pingInterval;
    }

    /** events: every this many ms, {@code get_sip_calls_list} of each scope: its answer proves the socket alive, and the list is compared with the call table (a subscription the server forgot, or changes no notification reported, are found and repaired); 0 = never. */
    public void setPingInterval(long pingInterval) {
        this.pingInterval = pingInterval;
    }

    public long getPingTimeout() {
        return pingTimeout;
    }

    /** events: milliseconds the liveness check's {@code get_sip_calls_list} may take; without an answer (and without notifications meanwhile) the socket is closed and opened again. */
    public void setPingTimeout(long pingTimeout) {
        this.pingTimeout = pingTimeout;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    /** events: milliseconds before the first reconnect attempt after the socket closed (or could not be opened); doubled after each failed attempt up to maxReconnectDelay. */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** events: the longest delay between two reconnect attempts (ms). */
    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public long getUnhealthyAfter() {
        return unhealthyAfter;
    }

    /** events: milliseconds the socket may stay disconnected (reconnecting) before the source's readiness check (source-portasip-host/login) goes DOWN. */
    public void setUnhealthyAfter(long unhealthyAfter) {
        this.unhealthyAfter = unhealthyAfter;
    }

    public long getUnconfirmedCallTimeout() {
        return unconfirmedCallTimeout;
    }

    /** events: milliseconds a call in progress before a reconnect is held unconfirmed (PortaSIP lists a call only from its first change after the new subscription on): a notification confirms it, else it is ended after this long with its end unknown (reconciled, no duration); 0 = at once. Keep it below cdr.portasip.max-call-age. */
    public void setUnconfirmedCallTimeout(long unconfirmedCallTimeout) {
        this.unconfirmedCallTimeout = unconfirmedCallTimeout;
    }

    public String getDeadLetterUri() {
        return deadLetterUri;
    }

    /** events: where frames that are no notification go (not JSON, no call info), their raw text as the body and the header CamelPortasipRejectReason saying why; without it they are only counted and logged (never their content). */
    public void setDeadLetterUri(String deadLetterUri) {
        this.deadLetterUri = deadLetterUri;
    }

    public int getWorkers() {
        return workers;
    }

    /** events: threads routing the events (by call: each call's events keep their order); 1 = on the socket's thread. */
    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    /** events: the events of one socket read go through the route as one exchange of up to this many (a List body); 1 = one exchange per event. Nothing waits for a batch to fill. */
    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public String getParams() {
        return params;
    }

    /** Every method: its params as a JSON object (the header may also be a Map, as may the body); the named inputs of the method are set over it. */
    public void setParams(String params) {
        this.params = params;
    }

    public Boolean getDryRun() {
        return dryRun;
    }

    /** JSON API methods: validate only, without executing ({@code aux_info.dry_run}). */
    public void setDryRun(Boolean dryRun) {
        this.dryRun = dryRun;
    }

    public String getSessionId() {
        return sessionId;
    }

    /** logout: the session to end (one from portasip:login); without it the component's own session for the login is ended. Never logged. */
    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public String getVmSettings() {
        return vmSettings;
    }

    /** setVmSettings: the settings to change, a VMSettings (header or body), a Map or a JSON object; only the fields given change. */
    public void setVmSettings(String vmSettings) {
        this.vmSettings = vmSettings;
    }

    public String getGreetingType() {
        return greetingType;
    }

    /** getVmGreeting, setVmGreeting: standard, extended, personal or name. */
    public void setGreetingType(String greetingType) {
        this.greetingType = greetingType;
    }

    public String getGreetingInfo() {
        return greetingInfo;
    }

    /** setVmGreeting: the whole GreetingInfo (a GreetingInfo, a Map or a JSON object), instead of greetingType and filename. */
    public void setGreetingInfo(String greetingInfo) {
        this.greetingInfo = greetingInfo;
    }

    public String getFilename() {
        return filename;
    }

    /** setVmGreeting: the file name of the greeting sent; default the file's name or the CamelFileName header. */
    public void setFilename(String filename) {
        this.filename = filename;
    }

    public String getFile() {
        return file;
    }

    /** The audio to send (setVmGreeting, setMenuPrompt, setMenuTransitionPrompt, setConfPrompt; optional for setMenuTransition, createDirEntry, updateDirEntry): the option is a file path; the header (or, without it, the body) may be a byte[], an InputStream, a File or a Path. Sent as the multipart part upload_file. */
    public void setFile(String file) {
        this.file = file;
    }

    public String getFolderPrefs() {
        return folderPrefs;
    }

    /** setFolderPreferences: the preferences, a FolderPreferences (header or body), a Map or a JSON object. */
    public void setFolderPrefs(String folderPrefs) {
        this.folderPrefs = folderPrefs;
    }

    public String getDisplayPrefs() {
        return displayPrefs;
    }

    /** setDisplayPreferences: the preferences, a DisplayPreferences (header or body), a Map or a JSON object. */
    public void setDisplayPrefs(String displayPrefs) {
        this.displayPrefs = displayPrefs;
    }

    public String getMenuInfo() {
        return menuInfo;
    }

    /** createMenu, updateMenu: the menu, a MenuInfo (header or body), a Map or a JSON object (update needs its i_menu, or iMenu). */
    public void setMenuInfo(String menuInfo) {
        this.menuInfo = menuInfo;
    }

    public Long getIMenu() {
        return iMenu;
    }

    /** The auto attendant menu: updateMenu, delMenu, setMenuPrompt, getMenuPrompt, getMenuTransitionList, setMenuTransition, getMenuTransitionPrompt. */
    public void setIMenu(Long iMenu) {
        this.iMenu = iMenu;
    }

    public String getPromptType() {
        return promptType;
    }

    /** setMenuPrompt, getMenuPrompt: intro, menu, disabled or timeout; setConfPrompt, getConfPrompt: intro or moh. */
    public void setPromptType(String promptType) {
        this.promptType = promptType;
    }

    public String getPrompt() {
        return prompt;
    }

    /** setMenuPrompt, setMenuTransitionPrompt, setConfPrompt: the file name of the prompt sent; default the file's name or the CamelFileName header. */
    public void setPrompt(String prompt) {
        this.prompt = prompt;
    }

    public String getTransitionInfo() {
        return transitionInfo;
    }

    /** setMenuTransition: the transition, a TransitionInfo (header or body), a Map or a JSON object. */
    public void setTransitionInfo(String transitionInfo) {
        this.transitionInfo = transitionInfo;
    }

    public String getEvent() {
        return event;
    }

    /** getMenuTransitionPrompt: the transition's event (0-9, *, #, Timeout, Not Active, f). */
    public void setEvent(String event) {
        this.event = event;
    }

    public Long getIMenuTransition() {
        return iMenuTransition;
    }

    /** getMenuTransitionPrompt, setMenuTransitionPrompt: the menu transition. */
    public void setIMenuTransition(Long iMenuTransition) {
        this.iMenuTransition = iMenuTransition;
    }

    public String getConfInfo() {
        return confInfo;
    }

    /** createConf, updateConf: the conference, a ConfInfo (header or body), a Map or a JSON object (update needs its i_conf, or iConf). */
    public void setConfInfo(String confInfo) {
        this.confInfo = confInfo;
    }

    public Long getIConf() {
        return iConf;
    }

    /** The conference: getConfInfo (or confName), updateConf, delConf, setConfPrompt, getConfPrompt. */
    public void setIConf(Long iConf) {
        this.iConf = iConf;
    }

    public String getConfName() {
        return confName;
    }

    /** getConfInfo: the conference's name (instead of iConf). */
    public void setConfName(String confName) {
        this.confName = confName;
    }

    public String getDirEntryInfo() {
        return dirEntryInfo;
    }

    /** createDirEntry, updateDirEntry: the directory entry, a DirEntryInfo (header or body), a Map or a JSON object (update needs its i_entry, or iEntry). */
    public void setDirEntryInfo(String dirEntryInfo) {
        this.dirEntryInfo = dirEntryInfo;
    }

    public Long getIEntry() {
        return iEntry;
    }

    /** getDirEntry, delDirEntry, updateDirEntry: the directory entry. */
    public void setIEntry(Long iEntry) {
        this.iEntry = iEntry;
    }

    public Long getIAccount() {
        return iAccount;
    }

    /** enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this account (one of iAccount, iCustomer, iMainOffice, iIvrAn). */
    public void setIAccount(Long iAccount) {
        this.iAccount = iAccount;
    }

    public Long getICustomer() {
        return iCustomer;
    }

    /** enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this customer (a whole IP Centrex). */
    public void setICustomer(Long iCustomer) {
        this.iCustomer = iCustomer;
    }

    public Long getIMainOffice() {
        return iMainOffice;
    }

    /** enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this main office and its branches. */
    public void setIMainOffice(Long iMainOffice) {
        this.iMainOffice = iMainOffice;
    }

    public Long getIIvrAn() {
        return iIvrAn;
    }

    /** enableApiNotifications, disableApiNotifications, getSipCallsList: the scope is this IVR access number. */
    public void setIIvrAn(Long iIvrAn) {
        this.iIvrAn = iIvrAn;
    }

    public String getBillId() {
        return billId;
    }

    /** originateAdvancedCall: the account charged for the call. */
    public void setBillId(String billId) {
        this.billId = billId;
    }

    public String getCallerId() {
        return callerId;
    }

    /** originateAdvancedCall: the number called first (leg A). */
    public void setCallerId(String callerId) {
        this.callerId = callerId;
    }

    public String getCalleeId() {
        return calleeId;
    }

    /** originateAdvancedCall: the number called once leg A answers (leg B). */
    public void setCalleeId(String calleeId) {
        this.calleeId = calleeId;
    }

    public Boolean getCalleeAutoPickup() {
        return calleeAutoPickup;
    }

    /** originateAdvancedCall: ask leg A's phone to answer by itself (sent as Y or N; PortaSIP's default N). */
    public void setCalleeAutoPickup(Boolean calleeAutoPickup) {
        this.calleeAutoPickup = calleeAutoPickup;
    }

    public String getCall() {
        return call;
    }

    /** Live-call methods: the call leg, a SipCallIdentifier (header), a Map or a JSON object {id, tag}; or give callId and callTag. */
    public void setCall(String call) {
        this.call = call;
    }

    public String getCallId() {
        return callId;
    }

    /** Live-call methods: the call leg's id (with callTag), e.g. from a notification or getSipCallsList. */
    public void setCallId(String callId) {
        this.callId = callId;
    }

    public String getCallTag() {
        return callTag;
    }

    /** Live-call methods: the call leg's tag (with callId). */
    public void setCallTag(String callTag) {
        this.callTag = callTag;
    }

    public String getToCall() {
        return toCall;
    }

    /** joinCalls: the leg to join with, a SipCallIdentifier (header), a Map or a JSON object {id, tag}; or give toCallId and toCallTag. */
    public void setToCall(String toCall) {
        this.toCall = toCall;
    }

    public String getToCallId() {
        return toCallId;
    }

    /** joinCalls: the id of the leg to join with (with toCallTag). */
    public void setToCallId(String toCallId) {
        this.toCallId = toCallId;
    }

    public String getToCallTag() {
        return toCallTag;
    }

    /** joinCalls: the tag of the leg to join with (with toCallId). */
    public void setToCallTag(String toCallTag) {
        this.toCallTag = toCallTag;
    }

    public String getTransportId() {
        return transportId;
    }

    /** Live-call methods: the call's transport_id (IP:port), from a notification or getSipCallsList. */
    public void setTransportId(String transportId) {
        this.transportId = transportId;
    }

    public String getCalleeAnswerMode() {
        return calleeAnswerMode;
    }

    /** answerCall: notify (a NOTIFY with Event: talk) or invite (a new INVITE with auto-answer headers). */
    public void setCalleeAnswerMode(String calleeAnswerMode) {
        this.calleeAnswerMode = calleeAnswerMode;
    }

    public String getCld() {
        return cld;
    }

    /** transferCall: the number the call is transferred to (blind transfer). */
    public void setCld(String cld) {
        this.cld = cld;
    }

    public String getUrl() {
        return url;
    }

    /** playPrompt: the prompt's URL without extension (an .au 8-bit u-law or .g729 file is fetched). */
    public void setUrl(String url) {
        this.url = url;
    }

    public Integer getOrder() {
        return order;
    }

    /** playPrompt, stopPlayPrompt: the prompt's playback order, 2 (default) or 3. */
    public void setOrder(Integer order) {
        this.order = order;
    }

    public Integer getRepeat() {
        return repeat;
    }

    /** playPrompt: times to play the prompt (default 1; -1 for ever). */
    public void setRepeat(Integer repeat) {
        this.repeat = repeat;
    }

    public String getLeg() {
        return leg;
    }

    /** Live-call methods given pbx-bridge's call id (callId without callTag or transportId): which leg of the call, A (default; the leg whose id has no ~N suffix: for a call placed by originateAdvancedCall, the one to callerId) or B. The leg's tag and transport_id are looked up among the live calls: in the events consumer's call table, else in get_sip_calls_list of the scopes configured (iAccount, iCustomer, iMainOffice, iIvrAn). */
    public void setLeg(String leg) {
        this.leg = leg;
    }

    public String getToLeg() {
        return toLeg;
    }

    /** joinCalls given toCallId without toCallTag: which leg of that call to join with, A (default) or B (looked up as for leg). */
    public void setToLeg(String toLeg) {
        this.toLeg = toLeg;
    }

    public String getCdrJournal() {
        return cdrJournal;
    }

    /** cdr: the folder of the call-record journal the call events are written to (bean portasipCallJournal, its directory); PortaSIP has no CDR operation, its records are derived from the call events. */
    public void setCdrJournal(String cdrJournal) {
        this.cdrJournal = cdrJournal;
    }
}
