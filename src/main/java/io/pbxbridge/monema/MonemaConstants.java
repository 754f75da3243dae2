package io.pbxbridge.monema;

import org.apache.camel.spi.Metadata;

/** Message headers of the Monema component. Input headers override the endpoint option of the same name. */
public final class MonemaConstants {

    @Metadata(description = "getCalls: return calls later than this date.", javaType = "String")
    public static final String DATE_START = "CamelMonemaDateStart";
    @Metadata(description = "getCalls: return calls before this date.", javaType = "String")
    public static final String DATE_END = "CamelMonemaDateEnd";
    @Metadata(description = "getCalls: return calls with an id greater than this.", javaType = "String")
    public static final String FROM_ID = "CamelMonemaFromId";
    @Metadata(description = "getCalls: outgoing, incoming or internal.", javaType = "String")
    public static final String TYPE = "CamelMonemaType";
    @Metadata(description = "getCallTags, getCallDownloadLink: the call id.", javaType = "String")
    public static final String CALL_ID = "CamelMonemaCallId";
    @Metadata(description = "makeCall, makeCallResponse: the source extension.", javaType = "String")
    public static final String SOURCE_EXT = "CamelMonemaSourceExt";
    @Metadata(description = "makeCall, makeCallResponse: the destination.", javaType = "String")
    public static final String DEST_EXT = "CamelMonemaDestExt";
    @Metadata(description = "makeCall, makeCallResponse: dial plan variables.", javaType = "String")
    public static final String VARIABLES = "CamelMonemaVariables";
    @Metadata(description = "Transfer operations: the extension id.", javaType = "Long")
    public static final String EXTENSION_ID = "CamelMonemaExtensionId";
    @Metadata(description = "enableExtensionTransfer, sendSMS: destination number.", javaType = "String")
    public static final String DST_NUMBER = "CamelMonemaDstNumber";
    @Metadata(description = "enableExtensionTransfer: whether dstNumber is external.", javaType = "Boolean")
    public static final String EXTERNAL = "CamelMonemaExternal";
    @Metadata(description = "sendSMS: caller id.", javaType = "String")
    public static final String CALLER_ID = "CamelMonemaCallerId";
    @Metadata(description = "sendSMS: the text (default: the body).", javaType = "String")
    public static final String MESSAGE = "CamelMonemaMessage";
    @Metadata(description = "uploadFaxChunk, sendFax: the upload session. Set on the result of startFaxUpload and fax.",
              javaType = "String")
    public static final String SESSION_ID = "CamelMonemaSessionId";
    @Metadata(description = "sendFax, fax: the fax modem. Set on the result of fax.", javaType = "String")
    public static final String FAX_MODEM = "CamelMonemaFaxModem";
    @Metadata(description = "sendFax, fax: destination numbers, comma separated or a collection.",
              javaType = "Object")
    public static final String DEST_NUMBERS = "CamelMonemaDestNumbers";
    @Metadata(description = "sendFax, fax: the whole cover page.", javaType = "io.pbxbridge.monema.FaxCover")
    public static final String FAX_COVER = "CamelMonemaFaxCover";
    @Metadata(description = "sendFax, fax: add a cover page.", javaType = "Boolean")
    public static final String USE_COVER = "CamelMonemaUseCover";
    @Metadata(description = "sendFax, fax: the cover's recipient name.", javaType = "String")
    public static final String COVER_DEST_NAME = "CamelMonemaCoverDestName";
    @Metadata(description = "sendFax, fax: the cover's recipient company.", javaType = "String")
    public static final String COVER_DEST_COMPANY = "CamelMonemaCoverDestCompany";
    @Metadata(description = "sendFax, fax: the cover's recipient location.", javaType = "String")
    public static final String COVER_DEST_LOCATION = "CamelMonemaCoverDestLocation";
    @Metadata(description = "sendFax, fax: the cover's recipient voice phone.", javaType = "String")
    public static final String COVER_DEST_VOICE_PHONE = "CamelMonemaCoverDestVoicePhone";
    @Metadata(description = "sendFax, fax: the cover's subject.", javaType = "String")
    public static final String COVER_DEST_SUBJECT = "CamelMonemaCoverDestSubject";
    @Metadata(description = "sendFax, fax: the cover's comments.", javaType = "String")
    public static final String COVER_DEST_COMMENTS = "CamelMonemaCoverDestComments";
    @Metadata(description = "uploadFaxChunk, fax: bytes the server holds after the upload.", javaType = "Long")
    public static final String FILE_SIZE = "CamelMonemaFileSize";
    @Metadata(description = "fax: number of chunks uploaded.", javaType = "Integer")
    public static final String CHUNKS = "CamelMonemaChunks";
    @Metadata(description = "Results: which server and account answered (host/login), for CallRecord.source.",
              javaType = "String")
    public static final String SOURCE = "CamelMonemaSource";
    @Metadata(description = "Results: the PBX's time zone (the timeZone option).", javaType = "String")
    public static final String TIME_ZONE = "CamelMonemaTimeZone";

    private MonemaConstants() {
    }
}
