package io.pbxbridge.monema;

import java.util.List;

/**
 * The operations of the Monema client SOAP API, by endpoint path name, with their wire names and parameters (in the
 * order of the WSDL messages; the spec's capitalisation, {@code ClientPassword} and {@code SourceExt}, is kept).
 * {@link #fax} is a composite: modems, chunked upload and send in one call.
 */
public enum MonemaOperation {

    getCredit("C_getCredit", "credit"),
    getCalls("C_getCalls", "calls", "ClientPassword", s("dateStart"), s("dateEnd"), s("fromId"), s("type")),
    getCallTags("C_getCallTags", "calltags", "ClientPassword", s("callId")),
    makeCall("C_makeCall", "ok", s("SourceExt"), s("destExt"), s("variables")),
    makeCallResponse("C_makeCallResponse", null, s("SourceExt"), s("destExt"), s("variables")),
    getCallDownloadLink("C_getCallDownloadLink", "url", i("callId")),
    getExtensions("C_getExtensions", "extensions"),
    enableExtensionTransfer("C_enableExtensionTransfer", "ok", i("extensionId"), s("dstNumber"), b("isExternal")),
    disableExtensionTransfer("C_disableExtensionTransfer", "ok", i("extensionId")),
    getExtensionTransferStatus("C_getExtensionTransferStatus", null, i("extensionId")),
    sendSMS("C_sendSMS", "ok", s("callerId"), s("dstNumber"), s("message")),
    getFaxModems("C_getFaxModems", "modems"),
    startFaxUpload("C_startFaxUpload", "sessionId"),
    uploadFaxChunk("C_uploadFaxChunk", "file_size", s("sessionId"), new Param("chunk", "base64Binary")),
    sendFax("C_sendFax", "ok", s("sessionId"), s("faxModem"), s("destNumbers"), b("useCover"), s("coverDestName"),
            s("coverDestCompany"), s("coverDestLocation"), s("coverDestVoicePhone"), s("coverDestSubject"),
            s("coverDestComments")),
    fax(null, null);

    /** A request parameter: wire name and XML Schema type. */
    public record Param(String name, String xsdType) {
    }

    private final String wireName;
    private final String resultPart;
    private final List<Param> params;

    MonemaOperation(String wireName, String resultPart, Param... params) {
        this(wireName, resultPart, "clientPassword", params);
    }

    MonemaOperation(String wireName, String resultPart, String passwordName, Param... params) {
        this.wireName = wireName;
        this.resultPart = resultPart;
        Param[] all = new Param[params.length + 2];
        all[0] = s("clientLogin");
        all[1] = s(passwordName);
        System.arraycopy(params, 0, all, 2, params.length);
        this.params = wireName == null ? List.of() : List.of(all);
    }

    /** Name of the SOAP operation, e.g. {@code C_getCredit}; null for the composite {@link #fax}. */
    public String wireName() {
        return wireName;
    }

    /** The output part holding the result, null when the result has several parts. */
    String resultPart() {
        return resultPart;
    }

    /** All request parameters in wire order, login and password first. */
    public List<Param> params() {
        return params;
    }

    private static Param s(String name) {
        return new Param(name, "string");
    }

    private static Param i(String name) {
        return new Param(name, "int");
    }

    private static Param b(String name) {
        return new Param(name, "boolean");
    }
}
