package io.pbxbridge.mor;

import org.apache.camel.spi.Metadata;

/** Message headers of the MOR component. Input headers override the endpoint option of the same name. */
public final class MorConstants {

    @Metadata(description = "updatePersonalDetails: the fields to change under MOR's names (surname, reg_city, reg_email...), a Map or name=value|name=value.", javaType = "Object")
    public static final String DETAILS = "CamelMorDetails";
    @Metadata(description = "The device: callflow, callflowEdit, updateCallflow (whose call flow), addCli, callsPeriod (a device or all), faxesPeriod, callback (acc).", javaType = "String")
    public static final String DEVICE_ID = "CamelMorDeviceId";
    @Metadata(description = "callflowEdit, updateCallflow: the call state (cft): before_call, call, hangup, noanswer, busy, failed.", javaType = "io.pbxbridge.mor.MorCallflowType")
    public static final String CF_TYPE = "CamelMorCfType";
    @Metadata(description = "updateCallflow: empty, forward, voicemail or faxdetect.", javaType = "io.pbxbridge.mor.MorCallflowAction")
    public static final String CF_ACTION = "CamelMorCfAction";
    @Metadata(description = "updateCallflow: the device a forward or fax detect goes to (deviceid).", javaType = "String")
    public static final String TARGET_DEVICE_ID = "CamelMorTargetDeviceId";
    @Metadata(description = "updateCallflow: the outside number a forward goes to (ext_number).", javaType = "String")
    public static final String EXT_NUMBER = "CamelMorExtNumber";
    @Metadata(description = "destinations: the destination group (dest_id).", javaType = "String")
    public static final String DEST_ID = "CamelMorDestId";
    @Metadata(description = "changeCurrency: the currency to show the rates in.", javaType = "String")
    public static final String CURRENCY = "CamelMorCurrency";
    @Metadata(description = "callsPeriod, exportCallsPdf, exportCallsCsv, missedCallsPeriod, statisticsPeriod, faxesPeriod: start of the period: an Instant (or another date-time), epoch seconds, an ISO-8601 instant, or yyyy-MM-dd HH:mm:ss in MOR's time zone; sent as epoch seconds.", javaType = "Object")
    public static final String PERIOD_START = "CamelMorPeriodStart";
    @Metadata(description = "End of the period, in the forms of periodStart.", javaType = "Object")
    public static final String PERIOD_END = "CamelMorPeriodEnd";
    @Metadata(description = "callsPeriod: the calls' direction, e.g. all, incoming, outgoing.", javaType = "String")
    public static final String DIRECTION = "CamelMorDirection";
    @Metadata(description = "callsPeriod, exportCallsPdf, exportCallsCsv: the calls' type, e.g. all, answered.", javaType = "String")
    public static final String CALL_TYPE = "CamelMorCallType";
    @Metadata(description = "processMissedCall: the missed call to mark processed.", javaType = "String")
    public static final String CALL_ID = "CamelMorCallId";
    @Metadata(description = "faxesPeriod: only faxes of this status.", javaType = "String")
    public static final String FAX_STATUS = "CamelMorFaxStatus";
    @Metadata(description = "addCli: the caller id to add.", javaType = "String")
    public static final String CLI = "CamelMorCli";
    @Metadata(description = "addCli: the CLI's description.", javaType = "String")
    public static final String DESCRIPTION = "CamelMorDescription";
    @Metadata(description = "addPhonebookEntry: the entry's number.", javaType = "String")
    public static final String NUMBER = "CamelMorNumber";
    @Metadata(description = "addPhonebookEntry: the entry's name.", javaType = "String")
    public static final String NAME = "CamelMorName";
    @Metadata(description = "deletePhonebookEntry: the entry to delete.", javaType = "String")
    public static final String ENTRY_ID = "CamelMorEntryId";
    @Metadata(description = "callback: the number MOR calls first.", javaType = "String")
    public static final String SRC = "CamelMorSrc";
    @Metadata(description = "callback: the number the first leg is connected to.", javaType = "String")
    public static final String DST = "CamelMorDst";
    @Metadata(description = "Results: the server and user that answered (host/username), for CallRecord/CallEvent.source.",
              javaType = "String")
    public static final String SOURCE = "CamelMorSource";
    @Metadata(description = "Results: MOR's time zone (the timeZone option), in which the dates of its pages (local times) are read.",
              javaType = "String")
    public static final String TIME_ZONE = "CamelMorTimeZone";
    @Metadata(description = "Results: what the tolerant reader repaired to read the page (empty when it was well-formed XML): each kind of fault, how many times, where first.",
              javaType = "java.util.List<io.pbxbridge.mor.MorRepair>")
    public static final String REPAIRS = "CamelMorRepairs";
    @Metadata(description = "Exports: the file's name as MOR gave it (Content-Disposition), or e.g. calls.csv; a file producer writes the export under it.",
              javaType = "String")
    public static final String FILE_NAME = "CamelFileName";
    @Metadata(description = "Exports: the file's type, e.g. application/pdf or text/csv.", javaType = "String")
    public static final String CONTENT_TYPE = "Content-Type";

    private MorConstants() {
    }
}
