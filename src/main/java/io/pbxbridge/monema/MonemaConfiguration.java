package io.pbxbridge.monema;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import io.pbxbridge.vendor.VendorConfiguration;

/** Options of the Monema component and its endpoints. Headers of the same name override operation inputs. */
@UriParams
public class MonemaConfiguration extends VendorConfiguration {

    @UriParam(label = "common")
    @Metadata(required = true)
    private String address;
    @UriParam(label = "advanced")
    private String serviceAddress;
    @UriParam(label = "security", secret = true)
    @Metadata(required = true)
    private String login;
    @UriParam(label = "security", secret = true)
    @Metadata(required = true)
    private String password;
    @UriParam(label = "common")
    private String timeZone;
    @UriParam(label = "advanced", defaultValue = "AUTO")
    private MonemaSoapStyle style = MonemaSoapStyle.AUTO;
    @UriParam(label = "advanced")
    private String namespace;
    @UriParam(label = "advanced", defaultValue = "10000")
    private int connectTimeout = 10000;
    @UriParam(label = "advanced", defaultValue = "60000")
    private int receiveTimeout = 60000;
    @UriParam(label = "advanced", defaultValue = "false")
    private boolean allowChunking;

    @UriParam(label = "calls")
    private String dateStart;
    @UriParam(label = "calls")
    private String dateEnd;
    @UriParam(label = "calls")
    private String fromId;
    @UriParam(label = "calls")
    private CallType type;
    @UriParam(label = "calls")
    private String callId;
    @UriParam(label = "calls")
    private String sourceExt;
    @UriParam(label = "calls")
    private String destExt;
    @UriParam(label = "calls")
    private String variables;
    @UriParam(label = "extensions")
    private Long extensionId;
    @UriParam(label = "extensions,sms")
    private String dstNumber;
    @UriParam(label = "extensions", defaultValue = "false")
    private boolean external;
    @UriParam(label = "sms")
    private String callerId;
    @UriParam(label = "sms")
    private String message;

    @UriParam(label = "fax")
    private String sessionId;
    @UriParam(label = "fax")
    private String faxModem;
    @UriParam(label = "fax")
    private String destNumbers;
    @UriParam(label = "fax", defaultValue = "false")
    private boolean useCover;
    @UriParam(label = "fax")
    private String coverDestName;
    @UriParam(label = "fax")
    private String coverDestCompany;
    @UriParam(label = "fax")
    private String coverDestLocation;
    @UriParam(label = "fax")
    private String coverDestVoicePhone;
    @UriParam(label = "fax")
    private String coverDestSubject;
    @UriParam(label = "fax")
    private String coverDestComments;
    @UriParam(label = "fax", defaultValue = "262144")
    private int chunkSize = 256 * 1024;
    @UriParam(label = "fax", defaultValue = "0")
    private long maxDocumentSize;
    @UriParam(label = "fax", defaultValue = "true")
    private boolean requirePdf = true;
    @UriParam(label = "fax,advanced")
    private MonemaFaxListener faxListener;

    /**
     * What tells two connections apart: endpoints with the same values share one client. Its text leaves the
     * password out.
     */
    Object connection() {
        return new Connection(address, serviceAddress, login, password, style, namespace, connectTimeout,
                receiveTimeout, allowChunking);
    }

    private record Connection(String address, String serviceAddress, String login, String password,
                              MonemaSoapStyle style, String namespace, int connectTimeout, int receiveTimeout,
                              boolean allowChunking) {
        @Override
        public String toString() {
            return login + "@" + address;
        }
    }

    public MonemaConfiguration copy() {
        return copy(MonemaConfiguration.class);
    }

    public String getAddress() {
        return address;
    }

    /**
     * URL of the server's SOAP API as the vendor documents it, e.g.
     * {@code https://host/public_api/pb_tamtam_wsdl.php}. The WSDL is read from there (also with {@code ?wsdl}).
     */
    public void setAddress(String address) {
        this.address = address;
    }

    public String getServiceAddress() {
        return serviceAddress;
    }

    /**
     * Where SOAP requests are posted. Default: the {@code soap:address} of the WSDL, else {@code address}. Set it when
     * the WSDL names a host that is not reachable from here.
     */
    public void setServiceAddress(String serviceAddress) {
        this.serviceAddress = serviceAddress;
    }

    public String getLogin() {
        return login;
    }

    /** Login of the Monema account. */
    public void setLogin(String login) {
        this.login = login;
    }

    public String getPassword() {
        return password;
    }

    /** Password of the Monema account. Never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /**
     * The PBX's time zone, e.g. {@code Europe/Madrid}: a dateStart or dateEnd given as an instant is sent as the
     * PBX's local time in it (call times themselves are UNIX timestamps). Default: this JVM's zone.
     */
    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public MonemaSoapStyle getStyle() {
        return style;
    }

    /**
     * SOAP binding style and use. AUTO reads it from the server's WSDL (PHP servers usually publish rpc/encoded).
     */
    public void setStyle(MonemaSoapStyle style) {
        this.style = style;
    }

    public String getNamespace() {
        return namespace;
    }

    /** Namespace of the operation elements. Default: from the WSDL, else {@code urn:pb_tamtam}. */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to wait for a connection to the server. */
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getReceiveTimeout() {
        return receiveTimeout;
    }

    /** Milliseconds to wait for the server's answer to one request. */
    public void setReceiveTimeout(int receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    public boolean isAllowChunking() {
        return allowChunking;
    }

    /**
     * Send request bodies with chunked transfer encoding instead of a Content-Length. Off by default: PHP behind
     * some FastCGI front ends rejects chunked request bodies.
     */
    public void setAllowChunking(boolean allowChunking) {
        this.allowChunking = allowChunking;
    }

    public String getDateStart() {
        return dateStart;
    }

    /** getCalls: return calls later than this date ({@code YYYY-MM-DD HH:MM:SS}). */
    public void setDateStart(String dateStart) {
        this.dateStart = dateStart;
    }

    public String getDateEnd() {
        return dateEnd;
    }

    /** getCalls: return calls before this date ({@code YYYY-MM-DD HH:MM:SS}). */
    public void setDateEnd(String dateEnd) {
        this.dateEnd = dateEnd;
    }

    public String getFromId() {
        return fromId;
    }

    /** getCalls: return calls with an id greater than this. */
    public void setFromId(String fromId) {
        this.fromId = fromId;
    }

    public CallType getType() {
        return type;
    }

    /** getCalls: only outgoing, incoming or internal calls. */
    public void setType(CallType type) {
        this.type = type;
    }

    public String getCallId() {
        return callId;
    }

    /** getCallTags, getCallDownloadLink: the call's id (field {@code id} of getCalls). */
    public void setCallId(String callId) {
        this.callId = callId;
    }

    public String getSourceExt() {
        return sourceExt;
    }

    /** makeCall, makeCallResponse: the extension that is rung first. */
    public void setSourceExt(String sourceExt) {
        this.sourceExt = sourceExt;
    }

    public String getDestExt() {
        return destExt;
    }

    /** makeCall, makeCallResponse: the extension or external number called once the source answers. */
    public void setDestExt(String destExt) {
        this.destExt = destExt;
    }

    public String getVariables() {
        return variables;
    }

    /** makeCall, makeCallResponse: dial plan variables, {@code {VAR1}="VALUE1" {VAR2}="VALUE2"}. */
    public void setVariables(String variables) {
        this.variables = variables;
    }

    public Long getExtensionId() {
        return extensionId;
    }

    /** Transfer operations: the extension's id (field {@code id} of getExtensions, not its number). */
    public void setExtensionId(Long extensionId) {
        this.extensionId = extensionId;
    }

    public String getDstNumber() {
        return dstNumber;
    }

    /** enableExtensionTransfer: where calls go; sendSMS: the SMS recipient. */
    public void setDstNumber(String dstNumber) {
        this.dstNumber = dstNumber;
    }

    public boolean isExternal() {
        return external;
    }

    /** enableExtensionTransfer: whether dstNumber is an external number. */
    public void setExternal(boolean external) {
        this.external = external;
    }

    public String getCallerId() {
        return callerId;
    }

    /** sendSMS: number shown as the SMS sender. */
    public void setCallerId(String callerId) {
        this.callerId = callerId;
    }

    public String getMessage() {
        return message;
    }

    /** sendSMS: the text; default: the message body. */
    public void setMessage(String message) {
        this.message = message;
    }

    public String getSessionId() {
        return sessionId;
    }

    /** uploadFaxChunk, sendFax: the upload session from startFaxUpload. */
    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public String getFaxModem() {
        return faxModem;
    }

    /** sendFax, fax: the fax modem; fax defaults to the first of getFaxModems. */
    public void setFaxModem(String faxModem) {
        this.faxModem = faxModem;
    }

    public String getDestNumbers() {
        return destNumbers;
    }

    /** sendFax, fax: destination numbers separated by commas. */
    public void setDestNumbers(String destNumbers) {
        this.destNumbers = destNumbers;
    }

    public boolean isUseCover() {
        return useCover;
    }

    /** sendFax, fax: add a cover page (implied when a cover field is set). */
    public void setUseCover(boolean useCover) {
        this.useCover = useCover;
    }

    public String getCoverDestName() {
        return coverDestName;
    }

    /** Cover page: name of the recipient. */
    public void setCoverDestName(String coverDestName) {
        this.coverDestName = coverDestName;
    }

    public String getCoverDestCompany() {
        return coverDestCompany;
    }

    /** Cover page: recipient's company. */
    public void setCoverDestCompany(String coverDestCompany) {
        this.coverDestCompany = coverDestCompany;
    }

    public String getCoverDestLocation() {
        return coverDestLocation;
    }

    /** Cover page: where the fax is received. */
    public void setCoverDestLocation(String coverDestLocation) {
        this.coverDestLocation = coverDestLocation;
    }

    public String getCoverDestVoicePhone() {
        return coverDestVoicePhone;
    }

    /** Cover page: recipient's voice phone. */
    public void setCoverDestVoicePhone(String coverDestVoicePhone) {
        this.coverDestVoicePhone = coverDestVoicePhone;
    }

    public String getCoverDestSubject() {
        return coverDestSubject;
    }

    /** Cover page: subject. */
    public void setCoverDestSubject(String coverDestSubject) {
        this.coverDestSubject = coverDestSubject;
    }

    public String getCoverDestComments() {
        return coverDestComments;
    }

    /** Cover page: comments. */
    public void setCoverDestComments(String coverDestComments) {
        this.coverDestComments = coverDestComments;
    }

    public int getChunkSize() {
        return chunkSize;
    }

    /** fax: bytes per uploadFaxChunk request. */
    public void setChunkSize(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    public long getMaxDocumentSize() {
        return maxDocumentSize;
    }

    /** fax: refuse documents larger than this many bytes (0 = no limit). */
    public void setMaxDocumentSize(long maxDocumentSize) {
        this.maxDocumentSize = maxDocumentSize;
    }

    public boolean isRequirePdf() {
        return requirePdf;
    }

    /** fax: refuse a document that does not start with {@code %PDF-} and end with {@code %%EOF} before uploading. */
    public void setRequirePdf(boolean requirePdf) {
        this.requirePdf = requirePdf;
    }

    public MonemaFaxListener getFaxListener() {
        return faxListener;
    }

    /** fax: told of each step (session started, chunks, uploaded, sending, sent), e.g. to persist progress. */
    public void setFaxListener(MonemaFaxListener faxListener) {
        this.faxListener = faxListener;
    }
}
