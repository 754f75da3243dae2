package io.pbxbridge.metasec;

import org.apache.camel.spi.Metadata;

/** Message headers of the METASEC component. Input headers override the endpoint option of the same name. */
public final class MetasecConstants {

    @Metadata(description = "call: the calling party, rung first (default: the user).", javaType = "String")
    public static final String SRC = "CamelMetasecSrc";
    @Metadata(description = "call, call_prio: the called party; call_pick: where the call is rerouted; chan_monitor: the extension that listens.", javaType = "String")
    public static final String DST = "CamelMetasecDst";
    @Metadata(description = "The active channel, e.g. SIP/1004-00000010: call_pick, call_hangup, call_record_start, call_record_stop, chan_play_dtmf, chan_monitor; the waiting caller for q_shift_caller, q_caller_del.", javaType = "String")
    public static final String CHAN = "CamelMetasecChan";
    @Metadata(description = "Instead of CamelMetasecChan: the call's unique id as the metasec events name it (callId, or a legId); its channel is looked up. call_pick, call_hangup, call_record_start, call_record_stop, chan_play_dtmf, chan_monitor.", javaType = "String")
    public static final String CALL_ID = "CamelMetasecCallId";
    @Metadata(description = "With CamelMetasecCallId: which channel of the call: a (default), b, or a channel's unique id.", javaType = "String")
    public static final String LEG = "CamelMetasecLeg";
    @Metadata(description = "call_record_start: the file name to record to (optional); call_record_get: the file to download.", javaType = "String")
    public static final String MONITOR_FILE = "CamelMetasecMonitorFile";
    @Metadata(description = "call_status_get: the extensions to report, comma separated or a list.", javaType = "String")
    public static final String FILTER = "CamelMetasecFilter";
    @Metadata(description = "call_create_conf: the stations to put into the conference, comma separated or a list.", javaType = "String")
    public static final String STATIONS = "CamelMetasecStations";
    @Metadata(description = "call_create_conf: true ends the stations' running calls if needed.", javaType = "Boolean")
    public static final String BREAK_CALLS = "CamelMetasecBreakCalls";
    @Metadata(description = "The queue's name (q_name): agent_list, agent_login, agent_logout, q_call_list, q_waiting_list, q_shift_caller, q_caller_del.", javaType = "String")
    public static final String QUEUE = "CamelMetasecQueue";
    @Metadata(description = "q_shift_caller: the waiting caller's new position, 1 = next.", javaType = "Integer")
    public static final String POSITION = "CamelMetasecPosition";
    @Metadata(description = "The camera (CAMID): vmx_cam_get_pic, vmx_cam_get_stream, vmx_cam_s_record, vmx_cam_p_save.", javaType = "String")
    public static final String CAM_ID = "CamelMetasecCamId";
    @Metadata(description = "vmx_cam_s_record: seconds to record (optional).", javaType = "Integer")
    public static final String DURATION = "CamelMetasecDuration";
    @Metadata(description = "chan_play_dtmf: the DTMF digits to play.", javaType = "String")
    public static final String TONE = "CamelMetasecTone";
    @Metadata(description = "relay_status_get, relay_status_set: the relay contact (relay_id).", javaType = "String")
    public static final String RELAY_ID = "CamelMetasecRelayId";
    @Metadata(description = "relay_status_set: the status to switch to.", javaType = "Integer")
    public static final String RELAY_STATUS = "CamelMetasecRelayStatus";
    @Metadata(description = "Set on results and events: the WebTAPI server and user that answered, <host>/<user>.", javaType = "String")
    public static final String SOURCE = "CamelMetasecSource";

    private MetasecConstants() {
    }
}
