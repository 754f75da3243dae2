package io.pbxbridge.escaux;

import org.apache.camel.spi.Metadata;

/** Message headers of the Escaux component. Input headers override the endpoint option of the same name. */
public final class EscauxConstants {

    @Metadata(description = "dbGetDirectoryInfo: filter on the admin account managing the extension.", javaType = "String")
    public static final String ADMIN = "CamelEscauxAdmin";
    @Metadata(description = "dbGetDirectoryInfo: filter on the company.", javaType = "String")
    public static final String COMPANY = "CamelEscauxCompany";
    @Metadata(description = "dbGetDirectoryInfo: filter on the PBX context id.", javaType = "String")
    public static final String CONTEXT_ID = "CamelEscauxContextId";
    @Metadata(description = "dbGetDirectoryInfo: filter on the PBX context name.", javaType = "String")
    public static final String CONTEXT_NAME = "CamelEscauxContextName";
    @Metadata(description = "dbGetDirectoryInfo: filter on the primary phone, e.g. SDPA00001.", javaType = "String")
    public static final String DP = "CamelEscauxDp";
    @Metadata(description = "dbGetDirectoryInfo: filter on the user login.", javaType = "String")
    public static final String LOGIN = "CamelEscauxLogin";
    @Metadata(description = "dbGetDirectoryInfo: filter on the first name.", javaType = "String")
    public static final String FN = "CamelEscauxFn";
    @Metadata(description = "dbGetDirectoryInfo: filter on the last name.", javaType = "String")
    public static final String LN = "CamelEscauxLn";
    @Metadata(description = "dbGetDirectoryInfo: filter on the user group.", javaType = "String")
    public static final String GRP = "CamelEscauxGrp";
    @Metadata(description = "dbGetDirectoryInfo: filter on the mobile number.", javaType = "String")
    public static final String MOBILE = "CamelEscauxMobile";
    @Metadata(description = "dbGetDirectoryInfo: filter on the home number.", javaType = "String")
    public static final String HOME = "CamelEscauxHome";
    @Metadata(description = "dbGetDirectoryInfo: filter on the fax number.", javaType = "String")
    public static final String FAX = "CamelEscauxFax";
    @Metadata(description = "dbGetDirectoryInfo: filter on the e-mail address.", javaType = "String")
    public static final String EMAIL = "CamelEscauxEmail";
    @Metadata(description = "dbGetDirectoryInfo: filter on the profile, e.g. Template-User.", javaType = "String")
    public static final String PROFILE = "CamelEscauxProfile";
    @Metadata(description = "dbGetDirectoryInfo: filter on the office field.", javaType = "String")
    public static final String OFFICE = "CamelEscauxOffice";
    @Metadata(description = "dbGetDirectoryInfo: filter on the outgoing number.", javaType = "String")
    public static final String OUTGOING_NUMBER = "CamelEscauxOutgoingNumber";
    @Metadata(description = "dbGetDirectoryInfo: filter on the site.", javaType = "String")
    public static final String SITE = "CamelEscauxSite";
    @Metadata(description = "dbGetDirectoryInfo: filter on the first SOP key (8 digits).", javaType = "String")
    public static final String SOP1 = "CamelEscauxSop1";
    @Metadata(description = "dbGetDirectoryInfo: filter on the first SOP's IP address.", javaType = "String")
    public static final String SOP1_IP = "CamelEscauxSop1Ip";
    @Metadata(description = "dbGetDirectoryInfo: filter on the second SOP key (8 digits).", javaType = "String")
    public static final String SOP2 = "CamelEscauxSop2";
    @Metadata(description = "dbGetDirectoryInfo: filter on the second SOP's IP address.", javaType = "String")
    public static final String SOP2_IP = "CamelEscauxSop2Ip";
    @Metadata(description = "dbGetDirectoryInfo: filter on the source of the user (wire name source), e.g. net.PBX.", javaType = "String")
    public static final String SOURCE_SYSTEM = "CamelEscauxSourceSystem";
    @Metadata(description = "dbGetDirectoryInfo: filter on the secondary phone, e.g. SDX60001.", javaType = "String")
    public static final String SP = "CamelEscauxSp";
    @Metadata(description = "dbGetDirectoryInfo: also return extensions marked hidden.", javaType = "Boolean")
    public static final String SHOW_INVISIBLE = "CamelEscauxShowInvisible";
    @Metadata(description = "dbGetDirectoryInfo: none (filters match values containing them), strict (exact, with % and _) or translate (strict, and * for %).", javaType = "io.pbxbridge.escaux.Wildcards")
    public static final String WILDCARDS = "CamelEscauxWildcards";
    @Metadata(description = "dbGetDirectoryInfo: also return every profile parameter (P_ prefixes are removed).", javaType = "Boolean")
    public static final String SHOW_PROFILE_PARAMETERS = "CamelEscauxShowProfileParameters";
    @Metadata(description = "The extension: dbGetDirectoryInfo filter, dbGetCallflow, dbGetNextStatus, dbSetProfile, dbGetProfileParameters, dbSetProfileParameters, dbCheckPincode, dbGetCallHistory, dbAuthenticate, pumLogin, pumLogout; ccOriginate and ccRedirect: the extension whose caller id is shown.", javaType = "String")
    public static final String EXT = "CamelEscauxExt";
    @Metadata(description = "dbSetProfile: the new status; dbGetDirectoryInfo: filter on the status.", javaType = "String")
    public static final String STATUS = "CamelEscauxStatus";
    @Metadata(description = "dbSetProfile: the new callflow (profile name key, e.g. User.Forward).", javaType = "String")
    public static final String PROFILE_NAME = "CamelEscauxProfileName";
    @Metadata(description = "dbGetCallflow, dbGetProfileParameters: ISO 639-1 language of translated names.", javaType = "String")
    public static final String LANG = "CamelEscauxLang";
    @Metadata(description = "dbGetProfileParameters: also return AdminVar parameters.", javaType = "Boolean")
    public static final String SHOW_ADMIN = "CamelEscauxShowAdmin";
    @Metadata(description = "dbSetProfileParameters: the parameters to set, name1=value1|name2=value2; the header may also be a Map (or the body a Map).", javaType = "Object")
    public static final String PROFILE_PARAMETERS = "CamelEscauxProfileParameters";
    @Metadata(description = "dbGetPhoneState: the phone; ccOriginate: the phone (or number, with technology Local) rung first.", javaType = "String")
    public static final String PHONE_ID = "CamelEscauxPhoneId";
    @Metadata(description = "dbGetPhoneState: filter on the state (Up, Down, Idle, Ring, Ringing, Internal Conversation, External Conversation).", javaType = "String")
    public static final String PHONE_STATE = "CamelEscauxPhoneState";
    @Metadata(description = "dbGetPhoneState: filter on the MAC address.", javaType = "String")
    public static final String PHONE_MAC = "CamelEscauxPhoneMac";
    @Metadata(description = "dbGetPhoneState: filter on the directly attached channel.", javaType = "String")
    public static final String LOCAL_CHANNEL = "CamelEscauxLocalChannel";
    @Metadata(description = "dbGetPhoneState: filter on the remote channel.", javaType = "String")
    public static final String REMOTE_CHANNEL = "CamelEscauxRemoteChannel";
    @Metadata(description = "dbCheckPincode: the pincode to check. Never logged.", javaType = "String")
    public static final String PINCODE = "CamelEscauxPincode";
    @Metadata(description = "dbGetCallHistory: maximum number of CDRs returned (mandatory).", javaType = "Integer")
    public static final String LIMIT = "CamelEscauxLimit";
    @Metadata(description = "dbGetCallHistory: calls after this date, yyyy-MM-dd HH:mm:ss (mandatory); the header may also be a LocalDateTime.", javaType = "Object")
    public static final String START_DATE = "CamelEscauxStartDate";
    @Metadata(description = "The channel: ccHangup, ccRedirect, ccHold, ccPark, ccJoinPark, ccRecord, ccSetVar, ccGetVar; dbGetParkedChannels: only this channel's park slot.", javaType = "String")
    public static final String CHANNEL_ID = "CamelEscauxChannelId";
    @Metadata(description = "ccPark: a second channel sent to the same park slot (barge in).", javaType = "String")
    public static final String CHANNEL_ID2 = "CamelEscauxChannelId2";
    @Metadata(description = "dbAuthenticate: the current pincode. Never logged.", javaType = "String")
    public static final String PASSWORD = "CamelEscauxPassword";
    @Metadata(description = "dbAuthenticate: check the pincode or set a new one (mandatory).", javaType = "io.pbxbridge.escaux.AuthenticateCommand")
    public static final String COMMAND = "CamelEscauxCommand";
    @Metadata(description = "dbAuthenticate: the new pincode (command set). Never logged.", javaType = "String")
    public static final String NEW_PASSWORD = "CamelEscauxNewPassword";
    @Metadata(description = "dbAuthenticate: the profile parameter holding the pincode; default UserPincode.", javaType = "String")
    public static final String PARAMETER = "CamelEscauxParameter";
    @Metadata(description = "ccOriginate: the number rung once phone_id answers; ccRedirect: where the channel goes; ccJoinPark: the park slot.", javaType = "String")
    public static final String TO = "CamelEscauxTo";
    @Metadata(description = "ccOriginate: Local or IAX when phoneId is not a SIP phone resource.", javaType = "io.pbxbridge.escaux.Technology")
    public static final String TECHNOLOGY = "CamelEscauxTechnology";
    @Metadata(description = "ccOriginate: return at once without waiting for the outcome of the call.", javaType = "Boolean")
    public static final String ASYNC = "CamelEscauxAsync";
    @Metadata(description = "ccOriginate: false disables the local channel optimization.", javaType = "Boolean")
    public static final String LOCAL_OPTIMIZATION = "CamelEscauxLocalOptimization";
    @Metadata(description = "ccOriginate: channel variables, name1=value1|name2=|name3=value3; values are at most 59 characters of [0-9A-Za-z] (checked before sending); the header may also be a Map.", javaType = "Object")
    public static final String VAR = "CamelEscauxVar";
    @Metadata(description = "ccGetChannels: only parked channels.", javaType = "Boolean")
    public static final String PARKED_ONLY = "CamelEscauxParkedOnly";
    @Metadata(description = "ccGetChannels: only channels on hold.", javaType = "Boolean")
    public static final String HOLD_ONLY = "CamelEscauxHoldOnly";
    @Metadata(description = "ccGetChannels: channel variables to return, var1|var2.", javaType = "String")
    public static final String SHOW_VARS = "CamelEscauxShowVars";
    @Metadata(description = "The queue: ccGetQueueMembers (all when absent), ccQueueAdd, ccQueueRemove, ccGetQueueStatus, ccQueuePause; fusionQueuesSet, fusionQueuesRemove: the queues (sent as queues).", javaType = "String")
    public static final String QUEUE = "CamelEscauxQueue";
    @Metadata(description = "The phone resource: ccGetQueueMembers filter, ccQueueAdd, ccQueueRemove, fusionQueuesSet, fusionQueuesRemove, ccQueuePause, ccQueuePauseAll, pumLogin.", javaType = "String")
    public static final String PHONE = "CamelEscauxPhone";
    @Metadata(description = "ccQueuePause, ccQueuePauseAll: pause (true) or unpause (false).", javaType = "Boolean")
    public static final String PAUSED = "CamelEscauxPaused";
    @Metadata(description = "ccRecord: record into this extension's voicemail (or filename).", javaType = "String")
    public static final String MAILBOX = "CamelEscauxMailbox";
    @Metadata(description = "ccRecord: record to RecordedCalls/<filename>.wav on the SOP (or mailbox).", javaType = "String")
    public static final String FILENAME = "CamelEscauxFilename";
    @Metadata(description = "ccRecord: start or stop.", javaType = "io.pbxbridge.escaux.RecordAction")
    public static final String ACTION = "CamelEscauxAction";
    @Metadata(description = "ccRecord: the caller id (an extension).", javaType = "String")
    public static final String CALLER_ID = "CamelEscauxCallerId";
    @Metadata(description = "ccSetVar, ccGetVar: the variable name.", javaType = "String")
    public static final String VARIABLE = "CamelEscauxVariable";
    @Metadata(description = "ccSetVar: the variable value.", javaType = "String")
    public static final String VALUE = "CamelEscauxValue";
    @Metadata(description = "Results and events: the SOP that answered or emitted (its host), for CallRecord/CallEvent.source.",
              javaType = "String")
    public static final String SOURCE = "CamelEscauxSource";
    @Metadata(description = "Results: the SOP's time zone (the timeZone option), in which its local timestamps are "
              + "read, e.g. by the conversion of call history entries to CallRecord.", javaType = "String")
    public static final String TIME_ZONE = "CamelEscauxTimeZone";
    @Metadata(label = "consumer",
              description = "events: the element name of the event, e.g. evNewOrigChannel; not set on a batch (maxBatchSize above 1).",
              javaType = "String")
    public static final String EVENT_NAME = "CamelEscauxEventName";
    @Metadata(label = "consumer", description = "events, dead letters: why the bytes are not an event (garbage, oversize, malformed).",
              javaType = "String")
    public static final String REJECT_REASON = "CamelEscauxRejectReason";

    private EscauxConstants() {
    }
}
