package io.pbxbridge.mor;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import io.pbxbridge.vendor.HttpsVendorConfiguration;
import io.pbxbridge.vendor.http.TrustStore;

/**
 * Options of the MOR component and its endpoints: the server and the account (both of MOR's authentications: the
 * login page's session cookie, and {@code user_id} + {@code hash} on every page), and the operations' inputs, which
 * message headers of the same name ({@link MorConstants}) override.
 */
@UriParams
public class MorConfiguration extends HttpsVendorConfiguration {

    @UriParam(label = "common")
    @Metadata(required = true)
    private String address;
    @UriParam(label = "common", defaultValue = "")
    private String basePath = "";
    @UriParam(label = "security")
    @Metadata(required = true)
    private String username;
    @UriParam(label = "security", secret = true)
    @Metadata(required = true)
    private String password;
    @UriParam(label = "security")
    private String userId;
    @UriParam(label = "security", secret = true)
    private String apiSecretKey;
    @UriParam(label = "common", defaultValue = "UTC")
    private String timeZone = "UTC";
    @UriParam(label = "advanced", defaultValue = "5000")
    private int connectTimeout = 5000;
    @UriParam(label = "advanced", defaultValue = "30000")
    private int requestTimeout = 30000;
    @UriParam(label = "personal")
    private String details;
    @UriParam(label = "devices")
    private String deviceId;
    @UriParam(label = "callflow")
    private io.pbxbridge.mor.MorCallflowType cfType;
    @UriParam(label = "callflow")
    private io.pbxbridge.mor.MorCallflowAction cfAction;
    @UriParam(label = "callflow")
    private String targetDeviceId;
    @UriParam(label = "callflow")
    private String extNumber;
    @UriParam(label = "rates")
    private String destId;
    @UriParam(label = "rates")
    private String currency;
    @UriParam(label = "calls")
    private String periodStart;
    @UriParam(label = "calls")
    private String periodEnd;
    @UriParam(label = "calls")
    private String direction;
    @UriParam(label = "calls")
    private String callType;
    @UriParam(label = "calls")
    private String callId;
    @UriParam(label = "faxes")
    private String faxStatus;
    @UriParam(label = "clis")
    private String cli;
    @UriParam(label = "clis")
    private String description;
    @UriParam(label = "phonebook")
    private String number;
    @UriParam(label = "phonebook")
    private String name;
    @UriParam(label = "phonebook")
    private String entryId;
    @UriParam(label = "callback")
    private String src;
    @UriParam(label = "callback")
    private String dst;

    // ---- the event pollers: mor:missedCalls, mor:newCalls, mor:faxes as consumers ---------------------------------

    @UriParam(label = "consumer,events")
    private org.apache.camel.spi.IdempotentRepository idempotentRepository;
    @UriParam(label = "consumer,events", defaultValue = "false")
    private boolean markProcessed;
    @UriParam(label = "consumer,events", defaultValue = "1h", javaType = "java.time.Duration")
    private long maxAge = 3_600_000L;


    /**
     * What tells two MOR connections apart: endpoints with the same values share one client (one transport, one
     * session). Its text leaves the secrets out.
     */
    Object connection() {
        return new Connection(address, basePath, username, password, userId, apiSecretKey, timeZone, connectTimeout,
                requestTimeout, trustStore());
    }

    private record Connection(String address, String basePath, String username, String password, String userId,
                              String apiSecretKey, String timeZone, int connectTimeout, int requestTimeout,
                              TrustStore trustStore) {
        @Override
        public String toString() {
            return username + "@" + address + (basePath == null ? "" : basePath);
        }
    }

    public MorConfiguration copy() {
        return copy(MorConfiguration.class);
    }

    public String getAddress() {
        return address;
    }

    /** MOR's address, {@code http(s)://host:port}; pages are requested at {@code <address><basePath><page>}. */
    public void setAddress(String address) {
        this.address = address;
    }

    public String getBasePath() {
        return basePath;
    }

    /** The path MOR's pages are under: empty (the spec's paths, {@code /callc/login}...) or {@code /billing}, as on real installations. */
    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public String getUsername() {
        return username;
    }

    /** The user MOR's login page logs in ({@code u} of {@code /api/login}); the session cookie it sets is sent with every page. */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /** The user's password ({@code p} of {@code /api/login}, in the query as the spec says: masked in every log line). Never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getUserId() {
        return userId;
    }

    /** The user's id in MOR's database, sent as {@code user_id} with every page but the login form and login, hashed first; also the {@code %userid%} of the paths that have one (phonebook, faxes, exports, edit personal details). Required with apiSecretKey. */
    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getApiSecretKey() {
        return apiSecretKey;
    }

    /** MOR's API secret key (API_Secret_Key): the hash sent with every page is the SHA-1 of user_id, the page's parameters and this key. Without it no hash is sent (for a MOR that does not ask for one). Never logged. */
    public void setApiSecretKey(String apiSecretKey) {
        this.apiSecretKey = apiSecretKey;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /** MOR's time zone, e.g. {@code Europe/Vilnius}: the dates in its pages carry none and are read in this one, and a period given as a local date-time is sent in it (as epoch seconds). Default UTC. */
    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to wait for an HTTP connection to MOR. */
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getRequestTimeout() {
        return requestTimeout;
    }

    /** Milliseconds of silence allowed while waiting for or reading one of MOR's replies (a large call list streams for longer: this bounds each wait, not the whole page). */
    public void setRequestTimeout(int requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public String getDetails() {
        return details;
    }

    /** updatePersonalDetails: the fields to change under MOR's names ({@code surname}, {@code reg_city}, {@code reg_email}...; those of the personal details page), {@code name=value|name=value}; the header may also be a Map. Sent and hashed in the page's order. */
    public void setDetails(String details) {
        this.details = details;
    }

    public String getDeviceId() {
        return deviceId;
    }

    /** The device (its {@code acc} on the devices page): callflow, callflowEdit and updateCallflow (the device whose call flow), addCli (the device the CLI is added to), callsPeriod ({@code device}: a device or {@code all}), faxesPeriod ({@code device_id}), callback ({@code acc}: the device the callback is made for). */
    public void setDeviceId(String deviceId) {
        this.deviceId = deviceId;
    }

    public io.pbxbridge.mor.MorCallflowType getCfType() {
        return cfType;
    }

    /** callflowEdit, updateCallflow: the call state ({@code cft}): before_call, call, hangup (shown as Answered), noanswer, busy, failed. */
    public void setCfType(io.pbxbridge.mor.MorCallflowType cfType) {
        this.cfType = cfType;
    }

    public io.pbxbridge.mor.MorCallflowAction getCfAction() {
        return cfAction;
    }

    /** updateCallflow: what the call state does: empty (no action), forward (to targetDeviceId or to extNumber), voicemail, faxdetect (to the fax device targetDeviceId). */
    public void setCfAction(io.pbxbridge.mor.MorCallflowAction cfAction) {
        this.cfAction = cfAction;
    }

    public String getTargetDeviceId() {
        return targetDeviceId;
    }

    /** updateCallflow: the device a forward or fax detect goes to ({@code deviceid}). */
    public void setTargetDeviceId(String targetDeviceId) {
        this.targetDeviceId = targetDeviceId;
    }

    public String getExtNumber() {
        return extNumber;
    }

    /** updateCallflow: the outside number a forward goes to ({@code ext_number}). */
    public void setExtNumber(String extNumber) {
        this.extNumber = extNumber;
    }

    public String getDestId() {
        return destId;
    }

    /** destinations: the destination group ({@code %dest_id%}). */
    public void setDestId(String destId) {
        this.destId = destId;
    }

    public String getCurrency() {
        return currency;
    }

    /** changeCurrency: the currency to show the rates in, e.g. {@code EUR}. */
    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public String getPeriodStart() {
        return periodStart;
    }

    /** callsPeriod, exportCallsPdf, exportCallsCsv, missedCallsPeriod, statisticsPeriod, faxesPeriod: start of the period, sent as epoch seconds: an Instant or another date-time type in the header, epoch seconds, an ISO-8601 instant, or {@code yyyy-MM-dd HH:mm:ss} / {@code yyyy-MM-dd} in MOR's timeZone. */
    public void setPeriodStart(String periodStart) {
        this.periodStart = periodStart;
    }

    public String getPeriodEnd() {
        return periodEnd;
    }

    /** End of the period, in the forms of periodStart. */
    public void setPeriodEnd(String periodEnd) {
        this.periodEnd = periodEnd;
    }

    public String getDirection() {
        return direction;
    }

    /** callsPeriod: the calls' direction ({@code direction}), e.g. all, incoming, outgoing; not sent when not set. */
    public void setDirection(String direction) {
        this.direction = direction;
    }

    public String getCallType() {
        return callType;
    }

    /** callsPeriod ({@code calltype}), exportCallsPdf and exportCallsCsv ({@code call_type}): the calls' type, e.g. all, answered, incoming, outgoing; not sent when not set. */
    public void setCallType(String callType) {
        this.callType = callType;
    }

    public String getCallId() {
        return callId;
    }

    /** processMissedCall: the missed call ({@code call_id} of the missed calls page) to mark processed. */
    public void setCallId(String callId) {
        this.callId = callId;
    }

    public String getFaxStatus() {
        return faxStatus;
    }

    /** faxesPeriod: only faxes of this status ({@code fax_status}), e.g. Received. */
    public void setFaxStatus(String faxStatus) {
        this.faxStatus = faxStatus;
    }

    public String getCli() {
        return cli;
    }

    /** addCli: the caller id (number) to add. */
    public void setCli(String cli) {
        this.cli = cli;
    }

    public String getDescription() {
        return description;
    }

    /** addCli: the CLI's description. */
    public void setDescription(String description) {
        this.description = description;
    }

    public String getNumber() {
        return number;
    }

    /** addPhonebookEntry: the entry's number. */
    public void setNumber(String number) {
        this.number = number;
    }

    public String getName() {
        return name;
    }

    /** addPhonebookEntry: the entry's name. */
    public void setName(String name) {
        this.name = name;
    }

    public String getEntryId() {
        return entryId;
    }

    /** deletePhonebookEntry: the entry to delete ({@code %entryid%}). */
    public void setEntryId(String entryId) {
        this.entryId = entryId;
    }

    public String getSrc() {
        return src;
    }

    /** callback: the number MOR calls first ({@code src}). */
    public void setSrc(String src) {
        this.src = src;
    }

    public String getDst() {
        return dst;
    }

    /** callback: the number the first leg is connected to once it answers ({@code dst}). */
    public void setDst(String dst) {
        this.dst = dst;
    }

    public org.apache.camel.spi.IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    /** The consumers missedCalls, newCalls, faxes: where the keys of the items announced are kept, each once its exchange has completed (an item whose key is there is not announced again). A durable one (io.pbxbridge.support.SeenKeys, a file) keeps them across restarts; default: in memory. */
    public void setIdempotentRepository(org.apache.camel.spi.IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public boolean isMarkProcessed() {
        return markProcessed;
    }

    /** The consumer missedCalls: mark each missed call processed at MOR (processMissedCall) once its event has been delivered (its exchange completed). Off by default: MOR's flag is left to its users. */
    public void setMarkProcessed(boolean markProcessed) {
        this.markProcessed = markProcessed;
    }

    public long getMaxAge() {
        return maxAge;
    }

    /** The consumers missedCalls and faxes: the period read at each poll, this long back from now (older items are history, not news: a first start announces no older ones). */
    public void setMaxAge(long maxAge) {
        this.maxAge = maxAge;
    }

}
