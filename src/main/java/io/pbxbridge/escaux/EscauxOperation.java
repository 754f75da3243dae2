package io.pbxbridge.escaux;

import java.util.List;

/**
 * The operations of the Escaux Fusion SOP XML/JSON API, by endpoint path name, with the format the component uses
 * for each ({@code .json} where the spec offers JSON, {@code .php} XML otherwise) and the root elements an XML reply
 * may have. {@link #events} is the TCP event stream (consumer only).
 */
public enum EscauxOperation {

    // ---- DB access
    dbGetDirectoryInfo(Format.JSON, false),
    dbGetCallflow(Format.JSON, false),
    dbGetNextStatus(Format.XML, true, "dbGetNextStatusResult"),
    dbSetProfile(Format.JSON, false),
    dbGetProfileParameters(Format.JSON, false),
    dbSetProfileParameters(Format.JSON, false),
    dbGetPhoneState(Format.JSON, true),
    dbCheckPincode(Format.XML, true, "dbCheckPincode", "dbCheckPincodeResult"),
    dbGetCallHistory(Format.JSON, false),
    dbGetParkedChannels(Format.XML, false, "Channels"),
    dbGetQueueInfo(Format.XML, false, "Queues"),
    dbAuthenticate(Format.XML, false, "Authenticate"),
    dbGetRegistration(Format.XML, false, "dbGetRegistrationResult"),
    // ---- Call control
    ccOriginate(Format.XML, false, "ccOriginateResult"),
    ccHangup(Format.XML, false, "ccHangupResult"),
    ccRedirect(Format.XML, false, "ccRedirectResult"),
    ccHold(Format.XML, true, "ccHoldResult", "ccHold"),
    ccPark(Format.XML, false, "ccParkResult"),
    ccJoinPark(Format.XML, false, "ccJoinParkResult"),
    ccPing(Format.XML, false, "ccPingResult"),
    ccGetChannels(Format.XML, false, "Channels"),
    ccGetQueueMembers(Format.XML, false, "Members"),
    ccQueueAdd(Format.XML, false, "ccQueueAdd", "ccQueueAddResult"),
    fusionQueuesSet(Format.JSON, false),
    ccQueueRemove(Format.XML, false, "ccQueueRemove", "ccQueueRemoveResult"),
    fusionQueuesRemove(Format.JSON, false),
    ccGetQueueStatus(Format.XML, false, "Queues"),
    ccQueuePause(Format.XML, false, "ccQueuePauseResult"),
    ccQueuePauseAll(Format.XML, false, "PauseAll"),
    ccRecord(Format.XML, false, "ccRecord", "ccRecordResult"),
    ccSetVar(Format.XML, false, "ccSetVarResult", "ccSetVar"),
    ccGetVar(Format.XML, false, "ccGetVarResult", "ccGetVar"),
    // ---- PUM
    pumLogin(Format.XML, false, "pumLoginResult"),
    pumLogout(Format.XML, false, "pumLogoutResult"),
    // ---- event stream (TCP 5050), consumer only
    events(null, false);

    /** How the operation is requested and answered. */
    public enum Format {
        /** {@code /xml/<name>.json}, a JSON reply. */
        JSON("json"),
        /** {@code /xml/<name>.php}, an XML reply. */
        XML("php");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    private final Format format;
    private final boolean deprecated;
    private final List<String> roots;

    EscauxOperation(Format format, boolean deprecated, String... roots) {
        this.format = format;
        this.deprecated = deprecated;
        this.roots = List.of(roots);
    }

    public Format format() {
        return format;
    }

    /** Deprecated by Escaux: still works, the component logs a warning the first time it is used. */
    public boolean deprecated() {
        return deprecated;
    }

    /** Root element names an XML reply of this operation may have (first = the documented one). */
    public List<String> roots() {
        return roots;
    }

    /** The request path, e.g. {@code /xml/ccHangup.php}. */
    public String path() {
        return "/xml/" + name() + "." + format.extension();
    }
}
