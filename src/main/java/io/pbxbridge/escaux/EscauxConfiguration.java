package io.pbxbridge.escaux;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import io.pbxbridge.vendor.HttpsVendorConfiguration;

/**
 * Options of the Escaux component and its endpoints. Operation inputs can also be given per message in headers
 * ({@link EscauxConstants}), which override the option of the same name.
 */
@UriParams
public class EscauxConfiguration extends HttpsVendorConfiguration {

    @UriParam(label = "common", defaultValue = "http://127.0.0.1")
    private String address = "http://127.0.0.1";
    @UriParam(label = "advanced", defaultValue = "5000")
    private int connectTimeout = 5000;
    @UriParam(label = "advanced", defaultValue = "10000")
    private int requestTimeout = 10000;
    @UriParam(label = "common")
    private String timeZone;
    @UriParam(label = "pum,advanced", defaultValue = "90000")
    private long pumMinInterval = 90000L;
    @UriParam(label = "consumer")
    private String eventHost;
    @UriParam(label = "consumer", defaultValue = "5050")
    private int eventPort = 5050;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long pingInterval = 30000L;
    @UriParam(label = "consumer", defaultValue = "1000")
    private long pongTimeout = 1000L;
    @UriParam(label = "consumer", defaultValue = "500")
    private long reconnectDelay = 500L;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long maxReconnectDelay = 30000L;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long unhealthyAfter = 30000L;
    @UriParam(label = "consumer", defaultValue = "65536")
    private int maxEventSize = 65536;
    @UriParam(label = "consumer")
    private String deadLetterUri;
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean forwardPongs = false;
    @UriParam(label = "consumer", defaultValue = "1")
    private int workers = 1;
    @UriParam(label = "consumer", defaultValue = "1")
    private int maxBatchSize = 1;
    @UriParam(label = "consumer,cdr")
    private String extensions;
    @UriParam(label = "consumer,cdr", defaultValue = "500")
    private int cdrPageSize = 500;
    @UriParam(label = "directory")
    private String admin;
    @UriParam(label = "directory")
    private String company;
    @UriParam(label = "directory")
    private String contextId;
    @UriParam(label = "directory")
    private String contextName;
    @UriParam(label = "directory")
    private String dp;
    @UriParam(label = "directory")
    private String login;
    @UriParam(label = "directory")
    private String fn;
    @UriParam(label = "directory")
    private String ln;
    @UriParam(label = "directory")
    private String grp;
    @UriParam(label = "directory")
    private String mobile;
    @UriParam(label = "directory")
    private String home;
    @UriParam(label = "directory")
    private String fax;
    @UriParam(label = "directory")
    private String email;
    @UriParam(label = "directory")
    private String profile;
    @UriParam(label = "directory")
    private String office;
    @UriParam(label = "directory")
    private String outgoingNumber;
    @UriParam(label = "directory")
    private String site;
    @UriParam(label = "directory")
    private String sop1;
    @UriParam(label = "directory")
    private String sop1Ip;
    @UriParam(label = "directory")
    private String sop2;
    @UriParam(label = "directory")
    private String sop2Ip;
    @UriParam(label = "directory")
    private String sourceSystem;
    @UriParam(label = "directory")
    private String sp;
    @UriParam(label = "directory", defaultValue = "false")
    private boolean showInvisible = false;
    @UriParam(label = "directory", defaultValue = "none")
    private Wildcards wildcards = Wildcards.none;
    @UriParam(label = "directory", defaultValue = "false")
    private boolean showProfileParameters = false;
    @UriParam(label = "producer")
    private String ext;
    @UriParam(label = "producer")
    private String status;
    @UriParam(label = "producer")
    private String profileName;
    @UriParam(label = "producer")
    private String lang;
    @UriParam(label = "producer", defaultValue = "false")
    private boolean showAdmin = false;
    @UriParam(label = "producer")
    private String profileParameters;
    @UriParam(label = "producer")
    private String phoneId;
    @UriParam(label = "producer")
    private String phoneState;
    @UriParam(label = "producer")
    private String phoneMac;
    @UriParam(label = "producer")
    private String localChannel;
    @UriParam(label = "producer")
    private String remoteChannel;
    @UriParam(label = "security", secret = true)
    private String pincode;
    @UriParam(label = "producer")
    private Integer limit;
    @UriParam(label = "producer")
    private String startDate;
    @UriParam(label = "producer")
    private String channelId;
    @UriParam(label = "producer")
    private String channelId2;
    @UriParam(label = "security", secret = true)
    private String password;
    @UriParam(label = "producer")
    private AuthenticateCommand command;
    @UriParam(label = "security", secret = true)
    private String newPassword;
    @UriParam(label = "producer")
    private String parameter;
    @UriParam(label = "producer")
    private String to;
    @UriParam(label = "producer")
    private Technology technology;
    @UriParam(label = "producer")
    private Boolean async;
    @UriParam(label = "producer")
    private Boolean localOptimization;
    @UriParam(label = "producer")
    private String var;
    @UriParam(label = "producer", defaultValue = "false")
    private boolean parkedOnly = false;
    @UriParam(label = "producer", defaultValue = "false")
    private boolean holdOnly = false;
    @UriParam(label = "producer")
    private String showVars;
    @UriParam(label = "producer")
    private String queue;
    @UriParam(label = "producer")
    private String phone;
    @UriParam(label = "producer")
    private Boolean paused;
    @UriParam(label = "producer")
    private String mailbox;
    @UriParam(label = "producer")
    private String filename;
    @UriParam(label = "producer")
    private RecordAction action;
    @UriParam(label = "producer")
    private String callerId;
    @UriParam(label = "producer")
    private String variable;
    @UriParam(label = "producer")
    private String value;

    /** What tells two SOP connections apart: endpoints with the same values share one client. */
    Object connection() {
        return java.util.Arrays.asList(address, connectTimeout, requestTimeout, trustStore());
    }

    public EscauxConfiguration copy() {
        return copy(EscauxConfiguration.class);
    }

    public String getAddress() {
        return address;
    }

    /** Base URL of the SOP, e.g. {@code http://172.16.35.230}; operations are requested at {@code <address>/xml/<operation>.json|.php}. */
    public void setAddress(String address) {
        this.address = address;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to wait for an HTTP connection to the SOP. */
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getRequestTimeout() {
        return requestTimeout;
    }

    /** Milliseconds to wait for the SOP's answer to one request. */
    public void setRequestTimeout(int requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /**
     * The SOP's time zone, e.g. {@code Europe/Brussels}: its call history timestamps carry no zone and are read in
     * this one (and an Instant given as startDate is turned into the SOP's local time). Default: this JVM's zone.
     */
    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public long getUnhealthyAfter() {
        return unhealthyAfter;
    }

    /**
     * events: milliseconds the event socket may stay disconnected (reconnecting) before the source's readiness check
     * goes DOWN.
     */
    public void setUnhealthyAfter(long unhealthyAfter) {
        this.unhealthyAfter = unhealthyAfter;
    }

    public long getPumMinInterval() {
        return pumMinInterval;
    }

    /** pumLogin, pumLogout: minimum milliseconds between two PUM calls for one extension (the spec's 90 s); a call within it is refused client-side with EscauxPumIntervalException. */
    public void setPumMinInterval(long pumMinInterval) {
        this.pumMinInterval = pumMinInterval;
    }

    public String getExtensions() {
        return extensions;
    }

    /**
     * cdr: the extensions whose call history is harvested, comma-separated (required: the SOP lists calls per
     * extension); a call that touched several of them comes out once.
     */
    public void setExtensions(String extensions) {
        this.extensions = extensions;
    }

    public int getCdrPageSize() {
        return cdrPageSize;
    }

    /** cdr: CDRs asked for per dbGetCallHistory request (its limit); a second with more CDRs is asked again. */
    public void setCdrPageSize(int cdrPageSize) {
        this.cdrPageSize = cdrPageSize;
    }

    public String getEventHost() {
        return eventHost;
    }

    /** events: host of the SOP's event socket; default: the host of {@code address}. */
    public void setEventHost(String eventHost) {
        this.eventHost = eventHost;
    }

    public int getEventPort() {
        return eventPort;
    }

    /** events: TCP port of the SOP's event socket. */
    public void setEventPort(int eventPort) {
        this.eventPort = eventPort;
    }

    public long getPingInterval() {
        return pingInterval;
    }

    /** events: milliseconds between liveness checks (ccPing over HTTP, then evPong expected on the socket); 0 = no liveness check. */
    public void setPingInterval(long pingInterval) {
        this.pingInterval = pingInterval;
    }

    public long getPongTimeout() {
        return pongTimeout;
    }

    /** events: milliseconds within which evPong must arrive after ccPing (the spec's bound is 1 s); on a miss the socket is closed and reconnected. */
    public void setPongTimeout(long pongTimeout) {
        this.pongTimeout = pongTimeout;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    /** events: first delay in milliseconds before reconnecting after a failed connect or a dropped socket; doubled after each failed attempt. */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** events: upper bound of the reconnect delay in milliseconds. */
    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public int getMaxEventSize() {
        return maxEventSize;
    }

    /** events: largest event in bytes; a larger one is reported, sent to the dead letter endpoint (first maxEventSize bytes) and skipped. */
    public void setMaxEventSize(int maxEventSize) {
        this.maxEventSize = maxEventSize;
    }

    public String getDeadLetterUri() {
        return deadLetterUri;
    }

    /** events: endpoint receiving the raw bytes (byte[] body) of what could not be read as an event (garbage, oversize, malformed XML); headers say why. Logged only when not set. */
    public void setDeadLetterUri(String deadLetterUri) {
        this.deadLetterUri = deadLetterUri;
    }

    public boolean isForwardPongs() {
        return forwardPongs;
    }

    /** events: also route evPong liveness events (type {@code escaux.pong}). */
    public void setForwardPongs(boolean forwardPongs) {
        this.forwardPongs = forwardPongs;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    /**
     * events: with 1 every event is an exchange of its own ({@code CallEvent} body). With more, the events read from
     * the socket together (one read, and for one worker) go as one exchange whose body is a {@code List<CallEvent>}
     * of at most this many, in arrival order, which saves the routes' per-exchange work. Nothing waits for a batch
     * to fill: an event read alone goes on at once, as a list of one.
     */
    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public int getWorkers() {
        return workers;
    }

    /**
     * events: threads that route the events. With 1 they are routed on the socket's own thread, in arrival order.
     * With more, each thread takes the events of a share of the calls (by call id, else leg id): every call's events
     * stay in arrival order, and the socket's thread only reads, frames and parses.
     */
    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public String getAdmin() {
        return admin;
    }

    /** dbGetDirectoryInfo: filter on the admin account managing the extension. */
    public void setAdmin(String admin) {
        this.admin = admin;
    }

    public String getCompany() {
        return company;
    }

    /** dbGetDirectoryInfo: filter on the company. */
    public void setCompany(String company) {
        this.company = company;
    }

    public String getContextId() {
        return contextId;
    }

    /** dbGetDirectoryInfo: filter on the PBX context id. */
    public void setContextId(String contextId) {
        this.contextId = contextId;
    }

    public String getContextName() {
        return contextName;
    }

    /** dbGetDirectoryInfo: filter on the PBX context name. */
    public void setContextName(String contextName) {
        this.contextName = contextName;
    }

    public String getDp() {
        return dp;
    }

    /** dbGetDirectoryInfo: filter on the primary phone, e.g. SDPA00001. */
    public void setDp(String dp) {
        this.dp = dp;
    }

    public String getLogin() {
        return login;
    }

    /** dbGetDirectoryInfo: filter on the user login. */
    public void setLogin(String login) {
        this.login = login;
    }

    public String getFn() {
        return fn;
    }

    /** dbGetDirectoryInfo: filter on the first name. */
    public void setFn(String fn) {
        this.fn = fn;
    }

    public String getLn() {
        return ln;
    }

    /** dbGetDirectoryInfo: filter on the last name. */
    public void setLn(String ln) {
        this.ln = ln;
    }

    public String getGrp() {
        return grp;
    }

    /** dbGetDirectoryInfo: filter on the user group. */
    public void setGrp(String grp) {
        this.grp = grp;
    }

    public String getMobile() {
        return mobile;
    }

    /** dbGetDirectoryInfo: filter on the mobile number. */
    public void setMobile(String mobile) {
        this.mobile = mobile;
    }

    public String getHome() {
        return home;
    }

    /** dbGetDirectoryInfo: filter on the home number. */
    public void setHome(String home) {
        this.home = home;
    }

    public String getFax() {
        return fax;
    }

    /** dbGetDirectoryInfo: filter on the fax number. */
    public void setFax(String fax) {
        this.fax = fax;
    }

    public String getEmail() {
        return email;
    }

    /** dbGetDirectoryInfo: filter on the e-mail address. */
    public void setEmail(String email) {
        this.email = email;
    }

    public String getProfile() {
        return profile;
    }

    /** dbGetDirectoryInfo: filter on the profile, e.g. Template-User. */
    public void setProfile(String profile) {
        this.profile = profile;
    }

    public String getOffice() {
        return office;
    }

    /** dbGetDirectoryInfo: filter on the office field. */
    public void setOffice(String office) {
        this.office = office;
    }

    public String getOutgoingNumber() {
        return outgoingNumber;
    }

    /** dbGetDirectoryInfo: filter on the outgoing number. */
    public void setOutgoingNumber(String outgoingNumber) {
        this.outgoingNumber = outgoingNumber;
    }

    public String getSite() {
        return site;
    }

    /** dbGetDirectoryInfo: filter on the site. */
    public void setSite(String site) {
        this.site = site;
    }

    public String getSop1() {
        return sop1;
    }

    /** dbGetDirectoryInfo: filter on the first SOP key (8 digits). */
    public void setSop1(String sop1) {
        this.sop1 = sop1;
    }

    public String getSop1Ip() {
        return sop1Ip;
    }

    /** dbGetDirectoryInfo: filter on the first SOP's IP address. */
    public void setSop1Ip(String sop1Ip) {
        this.sop1Ip = sop1Ip;
    }

    public String getSop2() {
        return sop2;
    }

    /** dbGetDirectoryInfo: filter on the second SOP key (8 digits). */
    public void setSop2(String sop2) {
        this.sop2 = sop2;
    }

    public String getSop2Ip() {
        return sop2Ip;
    }

    /** dbGetDirectoryInfo: filter on the second SOP's IP address. */
    public void setSop2Ip(String sop2Ip) {
        this.sop2Ip = sop2Ip;
    }

    public String getSourceSystem() {
        return sourceSystem;
    }

    /** dbGetDirectoryInfo: filter on the source of the user (wire name source), e.g. net.PBX. */
    public void setSourceSystem(String sourceSystem) {
        this.sourceSystem = sourceSystem;
    }

    public String getSp() {
        return sp;
    }

    /** dbGetDirectoryInfo: filter on the secondary phone, e.g. SDX60001. */
    public void setSp(String sp) {
        this.sp = sp;
    }

    public boolean isShowInvisible() {
        return showInvisible;
    }

    /** dbGetDirectoryInfo: also return extensions marked hidden. */
    public void setShowInvisible(boolean showInvisible) {
        this.showInvisible = showInvisible;
    }

    public Wildcards getWildcards() {
        return wildcards;
    }

    /** dbGetDirectoryInfo: none (filters match values containing them), strict (exact, with % and _) or translate (strict, and * for %). */
    public void setWildcards(Wildcards wildcards) {
        this.wildcards = wildcards;
    }

    public boolean isShowProfileParameters() {
        return showProfileParameters;
    }

    /** dbGetDirectoryInfo: also return every profile parameter (P_ prefixes are removed). */
    public void setShowProfileParameters(boolean showProfileParameters) {
        this.showProfileParameters = showProfileParameters;
    }

    public String getExt() {
        return ext;
    }

    /** The extension: dbGetDirectoryInfo filter, dbGetCallflow, dbGetNextStatus, dbSetProfile, dbGetProfileParameters, dbSetProfileParameters, dbCheckPincode, dbGetCallHistory, dbAuthenticate, pumLogin, pumLogout; ccOriginate and ccRedirect: the extension whose caller id is shown. */
    public void setExt(String ext) {
        this.ext = ext;
    }

    public String getStatus() {
        return status;
    }

    /** dbSetProfile: the new status; dbGetDirectoryInfo: filter on the status. */
    public void setStatus(String status) {
        this.status = status;
    }

    public String getProfileName() {
        return profileName;
    }

    /** dbSetProfile: the new callflow (profile name key, e.g. User.Forward). */
    public void setProfileName(String profileName) {
        this.profileName = profileName;
    }

    public String getLang() {
        return lang;
    }

    /** dbGetCallflow, dbGetProfileParameters: ISO 639-1 language of translated names. */
    public void setLang(String lang) {
        this.lang = lang;
    }

    public boolean isShowAdmin() {
        return showAdmin;
    }

    /** dbGetProfileParameters: also return AdminVar parameters. */
    public void setShowAdmin(boolean showAdmin) {
        this.showAdmin = showAdmin;
    }

    public String getProfileParameters() {
        return profileParameters;
    }

    /** dbSetProfileParameters: the parameters to set, {@code name1=value1|name2=value2}; the header may also be a Map (or the body a Map). */
    public void setProfileParameters(String profileParameters) {
        this.profileParameters = profileParameters;
    }

    public String getPhoneId() {
        return phoneId;
    }

    /** dbGetPhoneState: the phone; ccOriginate: the phone (or number, with technology Local) rung first. */
    public void setPhoneId(String phoneId) {
        this.phoneId = phoneId;
    }

    public String getPhoneState() {
        return phoneState;
    }

    /** dbGetPhoneState: filter on the state (Up, Down, Idle, Ring, Ringing, Internal Conversation, External Conversation). */
    public void setPhoneState(String phoneState) {
        this.phoneState = phoneState;
    }

    public String getPhoneMac() {
        return phoneMac;
    }

    /** dbGetPhoneState: filter on the MAC address. */
    public void setPhoneMac(String phoneMac) {
        this.phoneMac = phoneMac;
    }

    public String getLocalChannel() {
        return localChannel;
    }

    /** dbGetPhoneState: filter on the directly attached channel. */
    public void setLocalChannel(String localChannel) {
        this.localChannel = localChannel;
    }

    public String getRemoteChannel() {
        return remoteChannel;
    }

    /** dbGetPhoneState: filter on the remote channel. */
    public void setRemoteChannel(String remoteChannel) {
        this.remoteChannel = remoteChannel;
    }

    public String getPincode() {
        return pincode;
    }

    /** dbCheckPincode: the pincode to check. Never logged. */
    public void setPincode(String pincode) {
        this.pincode = pincode;
    }

    public Integer getLimit() {
        return limit;
    }

    /** dbGetCallHistory: maximum number of CDRs returned (mandatory). */
    public void setLimit(Integer limit) {
        this.limit = limit;
    }

    public String getStartDate() {
        return startDate;
    }

    /** dbGetCallHistory: calls after this date, {@code yyyy-MM-dd HH:mm:ss} (mandatory); the header may also be a LocalDateTime. */
    public void setStartDate(String startDate) {
        this.startDate = startDate;
    }

    public String getChannelId() {
        return channelId;
    }

    /** The channel: ccHangup, ccRedirect, ccHold, ccPark, ccJoinPark, ccRecord, ccSetVar, ccGetVar; dbGetParkedChannels: only this channel's park slot. */
    public void setChannelId(String channelId) {
        this.channelId = channelId;
    }

    public String getChannelId2() {
        return channelId2;
    }

    /** ccPark: a second channel sent to the same park slot (barge in). */
    public void setChannelId2(String channelId2) {
        this.channelId2 = channelId2;
    }

    public String getPassword() {
        return password;
    }

    /** dbAuthenticate: the current pincode. Never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    public AuthenticateCommand getCommand() {
        return command;
    }

    /** dbAuthenticate: check the pincode or set a new one (mandatory). */
    public void setCommand(AuthenticateCommand command) {
        this.command = command;
    }

    public String getNewPassword() {
        return newPassword;
    }

    /** dbAuthenticate: the new pincode (command set). Never logged. */
    public void setNewPassword(String newPassword) {
        this.newPassword = newPassword;
    }

    public String getParameter() {
        return parameter;
    }

    /** dbAuthenticate: the profile parameter holding the pincode; default UserPincode. */
    public void setParameter(String parameter) {
        this.parameter = parameter;
    }

    public String getTo() {
        return to;
    }

    /** ccOriginate: the number rung once phone_id answers; ccRedirect: where the channel goes; ccJoinPark: the park slot. */
    public void setTo(String to) {
        this.to = to;
    }

    public Technology getTechnology() {
        return technology;
    }

    /** ccOriginate: Local or IAX when phoneId is not a SIP phone resource. */
    public void setTechnology(Technology technology) {
        this.technology = technology;
    }

    public Boolean getAsync() {
        return async;
    }

    /** ccOriginate: return at once without waiting for the outcome of the call. */
    public void setAsync(Boolean async) {
        this.async = async;
    }

    public Boolean getLocalOptimization() {
        return localOptimization;
    }

    /** ccOriginate: false disables the local channel optimization. */
    public void setLocalOptimization(Boolean localOptimization) {
        this.localOptimization = localOptimization;
    }

    public String getVar() {
        return var;
    }

    /** ccOriginate: channel variables, {@code name1=value1|name2=|name3=value3}; values are at most 59 characters of [0-9A-Za-z] (checked before sending); the header may also be a Map. */
    public void setVar(String var) {
        this.var = var;
    }

    public boolean isParkedOnly() {
        return parkedOnly;
    }

    /** ccGetChannels: only parked channels. */
    public void setParkedOnly(boolean parkedOnly) {
        this.parkedOnly = parkedOnly;
    }

    public boolean isHoldOnly() {
        return holdOnly;
    }

    /** ccGetChannels: only channels on hold. */
    public void setHoldOnly(boolean holdOnly) {
        this.holdOnly = holdOnly;
    }

    public String getShowVars() {
        return showVars;
    }

    /** ccGetChannels: channel variables to return, {@code var1|var2}. */
    public void setShowVars(String showVars) {
        this.showVars = showVars;
    }

    public String getQueue() {
        return queue;
    }

    /** The queue: ccGetQueueMembers (all when absent), ccQueueAdd, ccQueueRemove, ccGetQueueStatus, ccQueuePause; fusionQueuesSet, fusionQueuesRemove: the queues (sent as {@code queues}). */
    public void setQueue(String queue) {
        this.queue = queue;
    }

    public String getPhone() {
        return phone;
    }

    /** The phone resource: ccGetQueueMembers filter, ccQueueAdd, ccQueueRemove, fusionQueuesSet, fusionQueuesRemove, ccQueuePause, ccQueuePauseAll, pumLogin. */
    public void setPhone(String phone) {
        this.phone = phone;
    }

    public Boolean getPaused() {
        return paused;
    }

    /** ccQueuePause, ccQueuePauseAll: pause (true) or unpause (false). */
    public void setPaused(Boolean paused) {
        this.paused = paused;
    }

    public String getMailbox() {
        return mailbox;
    }

    /** ccRecord: record into this extension's voicemail (or filename). */
    public void setMailbox(String mailbox) {
        this.mailbox = mailbox;
    }

    public String getFilename() {
        return filename;
    }

    /** ccRecord: record to RecordedCalls/<filename>.wav on the SOP (or mailbox). */
    public void setFilename(String filename) {
        this.filename = filename;
    }

    public RecordAction getAction() {
        return action;
    }

    /** ccRecord: start or stop. */
    public void setAction(RecordAction action) {
        this.action = action;
    }

    public String getCallerId() {
        return callerId;
    }

    /** ccRecord: the caller id (an extension). */
    public void setCallerId(String callerId) {
        this.callerId = callerId;
    }

    public String getVariable() {
        return variable;
    }

    /** ccSetVar, ccGetVar: the variable name. */
    public void setVariable(String variable) {
        this.variable = variable;
    }

    public String getValue() {
        return value;
    }

    /** ccSetVar: the variable value. */
    public void setValue(String value) {
        this.value = value;
    }

    @UriParam(label = "consumer", defaultValue = "5000")
    private long eventTimeout = 5000L;

    public long getEventTimeout() {
        return eventTimeout;
    }

    /** events: milliseconds an event may wait for its end; then its bytes go to the dead letter endpoint and the stream resumes at the next event (an event cut short, a '<' in a value); 0 = no time bound. */
    public void setEventTimeout(long eventTimeout) {
        this.eventTimeout = eventTimeout;
    }
}
