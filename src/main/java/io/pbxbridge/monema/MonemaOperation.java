package io.pbxbridge.monema;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;

import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.OperationInputs;
import io.pbxbridge.vendor.operation.OperationSpec;
import io.pbxbridge.vendor.operation.Repeat;
import io.pbxbridge.vendor.operation.VendorOperation;

import static io.pbxbridge.vendor.operation.OperationInput.optional;
import static io.pbxbridge.vendor.operation.OperationInput.required;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * The operations of the Monema client SOAP API, one entry each: the SOAP wire name and parameters (in the order of
 * the WSDL messages; the spec's capitalisation, {@code ClientPassword} and {@code SourceExt}, is kept), the part that
 * holds the result, whether the request may be sent twice, the inputs and the call. {@link #fax} is a composite:
 * modems, chunked upload and send in one call. {@link #cdr} is the call-record harvest (consumer only).
 */
public enum MonemaOperation implements VendorOperation<MonemaEndpoint> {

    getCredit(soap("C_getCredit", "credit"), op(SAFE, (e, in) -> e.client().getCredit())),
    getCalls(soap("C_getCalls", "calls", "ClientPassword", s("dateStart"), s("dateEnd"), s("fromId"), s("type")),
            op(SAFE,
            (e, in) -> e.client().getCalls(date(in, "dateStart", e), date(in, "dateEnd", e), in.string("fromId"),
                    in.get("type", CallType.class)),
            optional("dateStart"), optional("dateEnd"), optional("fromId"), optional("type"))),
    getCallTags(soap("C_getCallTags", "calltags", "ClientPassword", s("callId")), op(SAFE,
            (e, in) -> e.client().getCallTags(in.string("callId")), required("callId"))),
    makeCall(soap("C_makeCall", "ok", s("SourceExt"), s("destExt"), s("variables")), op(ONCE,
            (e, in) -> e.client().makeCall(in.string("sourceExt"), in.string("destExt"), in.string("variables")),
            required("sourceExt"), required("destExt"), optional("variables"))),
    makeCallResponse(soap("C_makeCallResponse", null, s("SourceExt"), s("destExt"), s("variables")), op(ONCE,
            (e, in) -> e.client().makeCallResponse(in.string("sourceExt"), in.string("destExt"),
                    in.string("variables")),
            required("sourceExt"), required("destExt"), optional("variables"))),
    getCallDownloadLink(soap("C_getCallDownloadLink", "url", i("callId")), op(SAFE,
            (e, in) -> e.client().getCallDownloadLink(in.get("callId", Long.class)), required("callId"))),
    getExtensions(soap("C_getExtensions", "extensions"), op(SAFE, (e, in) -> e.client().getExtensions())),
    // setting a transfer twice leaves the same state: safe to repeat
    enableExtensionTransfer(soap("C_enableExtensionTransfer", "ok", i("extensionId"), s("dstNumber"), b("isExternal")),
            op(SAFE, (e, in) -> e.client().enableExtensionTransfer(in.get("extensionId", Long.class),
                    in.string("dstNumber"), in.flag("external")),
            required("extensionId"), required("dstNumber"), optional("external"))),
    disableExtensionTransfer(soap("C_disableExtensionTransfer", "ok", i("extensionId")), op(SAFE,
            (e, in) -> e.client().disableExtensionTransfer(in.get("extensionId", Long.class)),
            required("extensionId"))),
    getExtensionTransferStatus(soap("C_getExtensionTransferStatus", null, i("extensionId")), op(SAFE,
            (e, in) -> e.client().getExtensionTransferStatus(in.get("extensionId", Long.class)),
            required("extensionId"))),
    sendSMS(soap("C_sendSMS", "ok", s("callerId"), s("dstNumber"), s("message")), op(ONCE,
            (e, in) -> e.client().sendSMS(in.string("callerId"), in.string("dstNumber"), smsText(in)),
            optional("callerId"), required("dstNumber"), optional("message"))),
    getFaxModems(soap("C_getFaxModems", "modems"), op(SAFE, (e, in) -> e.client().getFaxModems())),
    startFaxUpload(soap("C_startFaxUpload", "sessionId"), op(ONCE, (e, in) -> {
        String sessionId = e.client().startFaxUpload();
        in.message().setHeader(MonemaConstants.SESSION_ID, sessionId);
        return sessionId;
    })),
    uploadFaxChunk(soap("C_uploadFaxChunk", "file_size", s("sessionId"), new Param("chunk", "base64Binary")), op(ONCE,
            (e, in) -> {
                byte[] chunk = in.message().getMandatoryBody(byte[].class);
                long size = e.client().uploadFaxChunk(in.string("sessionId"), chunk, chunk.length);
                in.message().setHeader(MonemaConstants.FILE_SIZE, size);
                return size;
            }, required("sessionId"))),
    sendFax(soap("C_sendFax", "ok", s("sessionId"), s("faxModem"), s("destNumbers"), b("useCover"), s("coverDestName"),
            s("coverDestCompany"), s("coverDestLocation"), s("coverDestVoicePhone"), s("coverDestSubject"),
            s("coverDestComments")), op(ONCE,
            (e, in) -> e.client().sendFax(in.string("sessionId"), in.string("faxModem"),
                    MonemaFaxSender.destinations(in.value("destNumbers")),
                    MonemaFaxSender.cover(in)),
            required("sessionId"), required("faxModem"), required("destNumbers"), optional("useCover"),
            optional("coverDestName"), optional("coverDestCompany"), optional("coverDestLocation"),
            optional("coverDestVoicePhone"), optional("coverDestSubject"), optional("coverDestComments"))),
    fax(null, op(ONCE, (e, in) -> e.faxSender().send(e.client(), in),
            optional("faxModem"), required("destNumbers"), optional("useCover"), optional("coverDestName"),
            optional("coverDestCompany"), optional("coverDestLocation"), optional("coverDestVoicePhone"),
            optional("coverDestSubject"), optional("coverDestComments"))),
    // ---- the call-record harvest (C_getCalls paged by fromId, MonemaCallRecordPages), consumer only
    cdr(null, op(SAFE, (e, in) -> {
        throw new UnsupportedOperationException("monema:cdr is consumer only");
    }));

    private static final DateTimeFormatter PBX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A request parameter: wire name and XML Schema type. */
    public record Param(String name, String xsdType) {
    }

    /** The SOAP side of an operation: its name, the output part with the result, its parameters. */
    private record Soap(String name, String resultPart, List<Param> params) {
    }

    private final Soap soap;
    private final OperationSpec<MonemaEndpoint> spec;

    MonemaOperation(Soap soap, OperationSpec<MonemaEndpoint> spec) {
        this.soap = soap;
        this.spec = spec;
    }

    /**
     * Name of the SOAP operation, e.g. {@code C_getCredit}; the endpoint name for the composite {@link #fax} and the
     * harvest {@link #cdr}.
     */
    @Override
    public String wireName() {
        return soap != null ? soap.name() : name();
    }

    @Override
    public OperationSpec<MonemaEndpoint> spec() {
        return spec;
    }

    @Override
    public boolean producer() {
        return this != cdr;
    }

    /** The output part holding the result, null when the result has several parts. */
    String resultPart() {
        return soap.resultPart();
    }

    /** All SOAP request parameters in wire order, login and password first; none for the composite. */
    public List<Param> params() {
        return soap != null ? soap.params() : List.of();
    }

    private static OperationSpec<MonemaEndpoint> op(Repeat repeat, OperationSpec.Call<MonemaEndpoint> call,
                                                    OperationInput... inputs) {
        return OperationSpec.of(repeat, call, inputs);
    }

    /** A date input as the PBX reads it: text as given, an instant as local time in the PBX's zone. */
    private static String date(OperationInputs in, String name, MonemaEndpoint e) {
        Object v = in.value(name);
        if (v instanceof TemporalAccessor t && t.isSupported(ChronoField.INSTANT_SECONDS)) {
            return PBX_TIME.format(LocalDateTime.ofInstant(Instant.from(t), e.timeZone()));
        }
        return in.string(name);
    }

    private static String smsText(OperationInputs in) {
        String text = in.string("message");
        if (text == null) {
            text = in.message().getBody(String.class);
        }
        if (text == null || text.isEmpty()) {
            throw in.invalid("needs the SMS text: the message option, the " + MonemaConstants.MESSAGE
                    + " header or the body");
        }
        return text;
    }

    private static Soap soap(String name, String resultPart, Param... params) {
        return soap(name, resultPart, "clientPassword", params);
    }

    private static Soap soap(String name, String resultPart, String passwordName, Param... params) {
        Param[] all = new Param[params.length + 2];
        all[0] = s("clientLogin");
        all[1] = s(passwordName);
        System.arraycopy(params, 0, all, 2, params.length);
        return new Soap(name, resultPart, List.of(all));
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
