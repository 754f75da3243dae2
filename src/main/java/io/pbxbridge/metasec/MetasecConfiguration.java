package io.pbxbridge.metasec;

import java.util.Objects;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import io.pbxbridge.support.SecretMasking;
import io.pbxbridge.vendor.HttpsVendorConfiguration;
import io.pbxbridge.vendor.http.TrustStore;

/**
 * Options of the METASEC component and its endpoints. Action inputs can also be given per message in headers
 * ({@link MetasecConstants}), which override the option of the same name.
 */
@UriParams
public class MetasecConfiguration extends HttpsVendorConfiguration {

    @UriParam(label = "common", defaultValue = "http://127.0.0.1:9998")
    private String address = "http://127.0.0.1:9998";
    @UriParam(label = "common", defaultValue = "/webtapi/webtapi.php")
    private String path = "/webtapi/webtapi.php";
    @UriParam(label = "security")
    private String user;
    @UriParam(label = "security", secret = true)
    private String password;
    @UriParam(label = "advanced", defaultValue = "5000")
    private int connectTimeout = 5000;
    @UriParam(label = "advanced", defaultValue = "10000")
    private int requestTimeout = 10000;
    @UriParam(label = "advanced", defaultValue = "1200000")
    private long sessionIdleTimeout = 1_200_000L;
    @UriParam(label = "advanced", defaultValue = "true")
    private boolean relayZeroCheck = true;
    @UriParam(label = "advanced")
    private String wireNames;

    @UriParam(label = "consumer", defaultValue = "2000")
    private long pollInterval = 2000L;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long maxPollDelay = 30000L;
    @UriParam(label = "consumer", defaultValue = "30000")
    private long unhealthyAfter = 30000L;
    @UriParam(label = "consumer", defaultValue = "calls,queues,agents,relays,recordings,extensions")
    private String watch = "calls,queues,agents,relays,recordings,extensions";
    @UriParam(label = "consumer")
    private String extensions;
    @UriParam(label = "consumer")
    private String queues;
    @UriParam(label = "consumer", defaultValue = "Callme")
    private String originateContext = "Callme";
    @UriParam(label = "consumer", defaultValue = "128")
    private int maxBatchSize = 128;
    @UriParam(label = "common", defaultValue = "data/metasec")
    private String stateDirectory = "data/metasec";
    @UriParam(label = "consumer,cdr", defaultValue = "2592000000")
    private long cdrJournalRetention = 2_592_000_000L;

    @UriParam(label = "producer")
    private String callId;
    @UriParam(label = "producer")
    private String leg;
    @UriParam(label = "producer")
    private String src;
    @UriParam(label = "producer")
    private String dst;
    @UriParam(label = "producer")
    private String chan;
    @UriParam(label = "producer")
    private String monitorFile;
    @UriParam(label = "producer")
    private String filter;
    @UriParam(label = "producer")
    private String stations;
    @UriParam(label = "producer")
    private Boolean breakCalls;
    @UriParam(label = "producer")
    private String queue;
    @UriParam(label = "producer")
    private Integer position;
    @UriParam(label = "producer")
    private String camId;
    @UriParam(label = "producer")
    private Integer duration;
    @UriParam(label = "producer")
    private String tone;
    @UriParam(label = "producer")
    private String relayId;
    @UriParam(label = "producer")
    private Integer relayStatus;

    /** What tells two WebTAPI connections apart: endpoints with the same values share one client and session. */
    Connection connection() {
        return new Connection(address, path, user, password, connectTimeout, requestTimeout, sessionIdleTimeout,
                relayZeroCheck, wireNames, trustStore());
    }

    /** A connection's settings; {@link #toString()} without the passwords. */
    record Connection(String address, String path, String user, String password, int connectTimeout,
                      int requestTimeout, long sessionIdleTimeout, boolean relayZeroCheck, String wireNames,
                      TrustStore trustStore) {

        @Override
        public String toString() {
            return "Connection[" + address + path + ", user=" + user + ", password="
                    + (password == null ? null : SecretMasking.MASK) + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Connection c && Objects.equals(address, c.address) && Objects.equals(path, c.path)
                    && Objects.equals(user, c.user) && Objects.equals(password, c.password)
                    && connectTimeout == c.connectTimeout && requestTimeout == c.requestTimeout
                    && sessionIdleTimeout == c.sessionIdleTimeout && relayZeroCheck == c.relayZeroCheck
                    && Objects.equals(wireNames, c.wireNames) && Objects.equals(trustStore, c.trustStore);
        }

        @Override
        public int hashCode() {
            return Objects.hash(address, path, user, connectTimeout, requestTimeout, trustStore);
        }
    }

    public MetasecConfiguration copy() {
        return copy(MetasecConfiguration.class);
    }

    public String getAddress() {
        return address;
    }

    /** The WebTAPI server, http(s)://host[:port] (the spec's samples: port 9998); actions are requested at address + path. */
    public void setAddress(String address) {
        this.address = address;
    }

    public String getPath() {
        return path;
    }

    /** The path of webtapi.php on the server (the spec's URLs: /webtapi/webtapi.php). */
    public void setPath(String path) {
        this.path = path;
    }

    public String getUser() {
        return user;
    }

    /** The WebTAPI user (the spec: the user login name, mostly the VoIP extension); call's src defaults to it. */
    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    /** The user's password, sent only in the form of the login POST. Never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds to wait for an HTTP connection to the server. */
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getRequestTimeout() {
        return requestTimeout;
    }

    /** Milliseconds to wait for the server's answer to one request (and between two pieces of a file or stream). */
    public void setRequestTimeout(int requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public long getSessionIdleTimeout() {
        return sessionIdleTimeout;
    }

    /**
     * Milliseconds a session may stay unused before the component logs in again before its next request, instead of
     * sending it with a session the server has probably dropped (PHP forgets idle sessions after 24 minutes by
     * default); 0: never. This keeps an action that is never repeated from being spent on an expired session.
     */
    public void setSessionIdleTimeout(long sessionIdleTimeout) {
        this.sessionIdleTimeout = sessionIdleTimeout;
    }

    public boolean isRelayZeroCheck() {
        return relayZeroCheck;
    }

    /**
     * relay_status_get: its answer 0 is both a status and the WebTAPI's error. True: a 0 is checked with relay_list
     * (one more request), which tells an open contact from an unknown relay or an expired session; false: a 0 is read
     * as status 0 unchecked.
     */
    public void setRelayZeroCheck(boolean relayZeroCheck) {
        this.relayZeroCheck = relayZeroCheck;
    }

    public String getWireNames() {
        return wireNames;
    }

    /**
     * Parameter names on the wire for the inputs the spec does not name, as input=name pairs separated by commas, e.g.
     * position=pos,duration=length; default: position (q_shift_caller), duration (vmx_cam_s_record), and the spec's
     * names for the rest (src, dst, chan, monitor_file, filter, stations, break, q_name, CAMID, tone, relay_id,
     * status).
     */
    public void setWireNames(String wireNames) {
        this.wireNames = wireNames;
    }

    public long getPollInterval() {
        return pollInterval;
    }

    /**
     * events: milliseconds between two polls of the WebTAPI (it pushes nothing): the events' precision. A state that
     * lasts less than this may be missed; the times of the derived call records are this precise.
     */
    public void setPollInterval(long pollInterval) {
        this.pollInterval = pollInterval;
    }

    public long getMaxPollDelay() {
        return maxPollDelay;
    }

    /**
     * events: after a failed poll the next one waits pollInterval, doubled after each further failure up to this
     * many milliseconds.
     */
    public void setMaxPollDelay(long maxPollDelay) {
        this.maxPollDelay = maxPollDelay;
    }

    public long getUnhealthyAfter() {
        return unhealthyAfter;
    }

    /** events: milliseconds the polls may fail before the source's readiness check goes DOWN. */
    public void setUnhealthyAfter(long unhealthyAfter) {
        this.unhealthyAfter = unhealthyAfter;
    }

    public String getWatch() {
        return watch;
    }

    /**
     * events: what each poll reads, comma separated: calls (call_list_all), queues (q_waiting_list of each queue),
     * agents (agent_list of each queue), relays (relay_list), recordings (call_record_list), extensions
     * (call_status_get of the extensions option; only with it).
     */
    public void setWatch(String watch) {
        this.watch = watch;
    }

    public String getExtensions() {
        return extensions;
    }

    /** events: the extensions whose state (call_status_get) is watched, comma separated; none when not set. */
    public void setExtensions(String extensions) {
        this.extensions = extensions;
    }

    public String getQueues() {
        return queues;
    }

    /** events: the queues whose callers and agents are watched, comma separated; default every queue q_list lists. */
    public void setQueues(String queues) {
        this.queues = queues;
    }

    public String getOriginateContext() {
        return originateContext;
    }

    /**
     * events: the dialplan context of the first channel of a call the WebTAPI's call action placed (the spec's
     * sample: Callme); such a call starts with call.dialing rather than call.ringing. Empty: never.
     */
    public void setOriginateContext(String originateContext) {
        this.originateContext = originateContext;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    /**
     * events: the events of one poll go through the route as exchanges of up to this many (a List body); 1 = one
     * exchange per event.
     */
    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public String getStateDirectory() {
        return stateDirectory;
    }

    /**
     * events and cdr: the folder of each connection's state, &lt;host&gt;_&lt;user&gt;/: the last snapshot the events
     * diff against (snapshot.json, written atomically, so a restart does not announce running calls again) and the
     * journal of the derived call records cdr reads (calls/&lt;day&gt;.ndjson).
     */
    public void setStateDirectory(String stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public long getCdrJournalRetention() {
        return cdrJournalRetention;
    }

    /** cdr: milliseconds the journal of derived call records keeps a day's file (by the day the calls started). */
    public void setCdrJournalRetention(long cdrJournalRetention) {
        this.cdrJournalRetention = cdrJournalRetention;
    }

    public String getCallId() {
        return callId;
    }

    /**
     * The call to act on, instead of chan: the unique id the metasec events name it by (their callId, or a legId);
     * its channel is found in the events' snapshot, else with call_list_all. call_pick, call_hangup,
     * call_record_start, call_record_stop, chan_play_dtmf, chan_monitor.
     */
    public void setCallId(String callId) {
        this.callId = callId;
    }

    public String getLeg() {
        return leg;
    }

    /**
     * With callId: which channel of the call: a (default: the A channel, the caller's), b (the channel bridged to
     * it, else the latest other one) or a channel's unique id.
     */
    public void setLeg(String leg) {
        this.leg = leg;
    }

    public String getSrc() {
        return src;
    }

    /** call: the calling party, rung first (default: the user). */
    public void setSrc(String src) {
        this.src = src;
    }

    public String getDst() {
        return dst;
    }

    /** call, call_prio: the called party; call_pick: where the call is rerouted; chan_monitor: the extension that listens. */
    public void setDst(String dst) {
        this.dst = dst;
    }

    public String getChan() {
        return chan;
    }

    /**
     * The active channel, e.g. SIP/1004-00000010 (from call_list or call_list_all): call_pick, call_hangup,
     * call_record_start, call_record_stop, chan_play_dtmf, chan_monitor; the waiting caller's channel for
     * q_shift_caller and q_caller_del.
     */
    public void setChan(String chan) {
        this.chan = chan;
    }

    public String getMonitorFile() {
        return monitorFile;
    }

    /** call_record_start: the file name to record to (optional: the server makes one); call_record_get: the file to download. */
    public void setMonitorFile(String monitorFile) {
        this.monitorFile = monitorFile;
    }

    public String getFilter() {
        return filter;
    }

    /** call_status_get: the extensions to report, comma separated (a list in the header); default every one. */
    public void setFilter(String filter) {
        this.filter = filter;
    }

    public String getStations() {
        return stations;
    }

    /** call_create_conf: the stations to put into the conference, comma separated (a list in the header). */
    public void setStations(String stations) {
        this.stations = stations;
    }

    public Boolean getBreakCalls() {
        return breakCalls;
    }

    /** call_create_conf: true sends break=true, which ends the stations' running calls if needed. */
    public void setBreakCalls(Boolean breakCalls) {
        this.breakCalls = breakCalls;
    }

    public String getQueue() {
        return queue;
    }

    /**
     * The queue's name (wire name q_name): agent_list, agent_login, agent_logout, q_call_list, q_waiting_list,
     * q_shift_caller, q_caller_del.
     */
    public void setQueue(String queue) {
        this.queue = queue;
    }

    public Integer getPosition() {
        return position;
    }

    /** q_shift_caller: the waiting caller's new position in the queue, 1 = next (not in the spec: see wireNames). */
    public void setPosition(Integer position) {
        this.position = position;
    }

    public String getCamId() {
        return camId;
    }

    /** The camera (wire name CAMID, from vmx_cam_list): vmx_cam_get_pic, vmx_cam_get_stream, vmx_cam_s_record, vmx_cam_p_save. */
    public void setCamId(String camId) {
        this.camId = camId;
    }

    public Integer getDuration() {
        return duration;
    }

    /** vmx_cam_s_record: seconds to record (optional; not in the spec: see wireNames). */
    public void setDuration(Integer duration) {
        this.duration = duration;
    }

    public String getTone() {
        return tone;
    }

    /** chan_play_dtmf: the DTMF digits to play: 0-9, A-D, the star and the hash. */
    public void setTone(String tone) {
        this.tone = tone;
    }

    public String getRelayId() {
        return relayId;
    }

    /** relay_status_get, relay_status_set: the relay contact (wire name relay_id, from relay_list). */
    public void setRelayId(String relayId) {
        this.relayId = relayId;
    }

    public Integer getRelayStatus() {
        return relayStatus;
    }

    /** relay_status_set: the status to switch to (wire name status), e.g. 1. */
    public void setRelayStatus(Integer relayStatus) {
        this.relayStatus = relayStatus;
    }
}
