package io.pbxbridge.metasec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.OperationSpec;
import io.pbxbridge.vendor.operation.Repeat;
import io.pbxbridge.vendor.operation.VendorOperation;

import static io.pbxbridge.vendor.operation.OperationInput.optional;
import static io.pbxbridge.vendor.operation.OperationInput.required;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * The actions of the METASEC WebTAPI ({@code metasec-webtapi.txt}, 2013.01.22), one entry each, named as on the wire
 * ({@code metasec:call_list_all} sends {@code action=call_list_all}): whether it may be sent twice, the call and its
 * inputs. Inputs go on the wire under the spec's names ({@link #WIRE_NAMES}; the {@code wireNames} option overrides
 * them). Every action answers {@code 1} or {@code 0} unless its entry says otherwise; {@code 0} is
 * {@link MetasecRefusedException}.
 * <p>
 * {@link Repeat#SAFE} actions (reads) are sent once more after a new login when they were answered {@code 0} (an
 * expired session looks the same); {@link Repeat#ONCE} actions (everything with an effect) never are.
 * <p>
 * Where the spec gives no parameters or no result format, the entry says what the component does and why; the
 * simulator ({@code io.pbxbridge.sandbox.metasec.MetasecSimulator}) serves the same choices.
 */
public enum MetasecOperation implements VendorOperation<MetasecEndpoint> {

    /**
     * Makes sure a session is held: logs in (a POST of {@code action=login}, {@code AUTH[user]}, {@code AUTH[pass]})
     * when none is, and answers {@link MetasecSessionInfo} (never the session id). The spec does not say how the
     * login's action is named in the POST; {@code action=login} is sent as a form field, where PHP's
     * {@code $_REQUEST['action']} reads it. Every other action logs in by itself when needed.
     */
    login(op(SAFE, (e, in) -> e.getClient().login())),

    // ---- Call Management

    /** Click-to-dial: {@code src} is rung, then {@code dst}. {@code src} defaults to the user (the spec: "mostly the voip extension"). */
    call(op(ONCE, (e, in) -> e.getClient().call(in.string("src"), in.string("dst")), optional("src"),
            required("dst"))),
    /** Redirects the active channel {@code chan} to {@code dst}. */
    call_pick(op(ONCE, (e, in) -> e.getClient().callPick(e.channel(in), in.string("dst")), optional("chan"),
            optional("callId"), optional("leg"), required("dst"))),
    /** Closes the channel {@code chan} at once. */
    call_hangup(op(ONCE, (e, in) -> e.getClient().callHangup(e.channel(in)), optional("chan"), optional("callId"),
            optional("leg"))),
    /**
     * Priority call to {@code dst}: <b>destructive</b>, every channel of the target (ringing and running) is closed
     * first (the server answers about a second later). Never sent twice.
     */
    call_prio(op(ONCE, (e, in) -> e.getClient().callPrio(in.string("dst")), required("dst"))),
    /**
     * The active calls of the user's extension: {@link MetasecList} of {@link ChannelLine}. The spec gives no
     * format; read as the channel lines of q_call_list (Asterisk's concise channel list, in the spec's 13-field form or
     * Asterisk's 14-field one).
     */
    call_list(op(SAFE, (e, in) -> e.getClient().callList())),
    /** Every active call on the system: {@link MetasecList} of {@link ChannelLine}, as call_list. */
    call_list_all(op(SAFE, (e, in) -> e.getClient().callListAll())),
    /**
     * Records the channel {@code chan} into {@code monitorFile} (optional): answers the file name used
     * ({@link RecordingStarted}), as the spec says, not 1.
     */
    call_record_start(op(ONCE, (e, in) -> {
        String chan = e.channel(in);
        RecordingStarted started = e.getClient().callRecordStart(chan, in.string("monitorFile"));
        e.recordingStarted(started);
        return started;
    }, optional("chan"), optional("callId"), optional("leg"), optional("monitorFile"))),
    /** Stops recording the channel {@code chan}. */
    call_record_stop(op(ONCE, (e, in) -> e.getClient().callRecordStop(e.channel(in)), optional("chan"),
            optional("callId"), optional("leg"))),
    /** The stored recordings, one file name per line (the spec): {@link MetasecList} of {@link RecordingFile}. */
    call_record_list(op(SAFE, (e, in) -> e.getClient().callRecordList())),
    /** Downloads the recording {@code monitorFile}: a {@link MetasecFile} stream (a WAV), to read and close. */
    call_record_get(op(SAFE, (e, in) -> e.getClient().callRecordGet(in.string("monitorFile")),
            required("monitorFile"))),
    /**
     * The state of the extensions in {@code filter} (every one without it): {@link MetasecList} of
     * {@link ExtensionStatus}. The spec gives the codes (garbled) but no layout: read as {@code extension!state} per
     * line ({@code :}, {@code =}, {@code ;}, tab or blanks also separate), the state a number or Asterisk's text; a
     * single bare state for a single extension is read too. Codes: Asterisk's extension states ({@link ExtensionState}).
     */
    call_status_get(op(SAFE, (e, in) -> e.getClient().callStatusGet(in.string("filter")), optional("filter"))),
    /**
     * A conference of the {@code stations} (comma list); {@code breakCalls} true sends {@code break=true} (their
     * running calls are ended), otherwise {@code break} is not sent.
     */
    call_create_conf(op(ONCE, (e, in) -> e.getClient().callCreateConf(in.string("stations"),
            in.get("breakCalls", Boolean.class)), required("stations"), optional("breakCalls"))),

    // ---- Queue Management

    /**
     * The queues: {@link MetasecList} of {@link QueueInfo}. No format in the spec: read as
     * {@code name!extension!strategy!waiting!members} (Asterisk's queue summary), only the name needed.
     */
    q_list(op(SAFE, (e, in) -> e.getClient().qList())),
    /**
     * The agents of {@code queue}: {@link MetasecList} of {@link AgentInfo}. No format in the spec: read as
     * {@code interface!name!state!paused!calls_taken!last_call} (Asterisk's queue members), only the interface needed.
     */
    agent_list(op(SAFE, (e, in) -> e.getClient().agentList(in.string("queue")), required("queue"))),
    /** Logs the agent in to {@code queue}; the agent is the session's user (the spec has no agent parameter). */
    agent_login(op(ONCE, (e, in) -> e.getClient().agentLogin(in.string("queue")), required("queue"))),
    /** Logs the agent (the session's user) out of {@code queue}. */
    agent_logout(op(ONCE, (e, in) -> e.getClient().agentLogout(in.string("queue")), required("queue"))),
    /** The calls of {@code queue}: channel lines as the spec's annotated sample ({@link ChannelLine}). */
    q_call_list(op(SAFE, (e, in) -> e.getClient().qCallList(in.string("queue")), required("queue"))),
    /**
     * The callers waiting in {@code queue} (the spec's example lacks the q_name it needs): {@link MetasecList} of
     * {@link WaitingCaller}. No format in the spec: read as
     * {@code position!channel!cid_num!cid_name!wait_seconds!uniqueid} (Asterisk's queue callers).
     */
    q_waiting_list(op(SAFE, (e, in) -> e.getClient().qWaitingList(in.string("queue")), required("queue"))),
    /**
     * Moves a waiting caller. The spec documents no parameters: {@code q_name}, {@code chan} (the caller's channel,
     * from q_waiting_list) and {@code position} (its new place, 1 = next), as Asterisk needs a queue, a channel and a
     * position; the wire names can be changed with {@code wireNames}.
     */
    q_shift_caller(op(ONCE, (e, in) -> {
        Integer position = in.get("position", Integer.class);
        if (position == null || position < 1) {
            throw in.invalid("needs position >= 1 (the position option or the " + in.headerName("position")
                    + " header)");
        }
        return e.getClient().qShiftCaller(in.string("queue"), in.string("chan"), position);
    }, required("queue"), required("chan"), optional("position"))),
    /**
     * Removes a waiting caller (on an Asterisk, by hanging the channel up). The spec documents no parameters:
     * {@code q_name} and {@code chan}, as q_shift_caller.
     */
    q_caller_del(op(ONCE, (e, in) -> e.getClient().qCallerDel(in.string("queue"), in.string("chan")),
            required("queue"), required("chan"))),

    // ---- VMPLEX Management (cameras)

    /** The cameras: {@link MetasecList} of {@link Camera}; no format in the spec: read as {@code CAMID!name!status}. */
    vmx_cam_list(op(SAFE, (e, in) -> e.getClient().vmxCamList())),
    /** One picture of camera {@code camId} (wire {@code CAMID}): a {@link MetasecFile} stream (a JPEG). */
    vmx_cam_get_pic(op(SAFE, (e, in) -> e.getClient().vmxCamGetPic(in.string("camId")), required("camId"))),
    /**
     * The stream of camera {@code camId}: undocumented; {@code CAMID} as vmx_cam_get_pic, and the answer handed
     * over as it comes ({@link MetasecFile}), whatever its type: IP cameras and the simulator send MJPEG
     * ({@code multipart/x-mixed-replace}). Read what is needed and close it.
     */
    vmx_cam_get_stream(op(SAFE, (e, in) -> e.getClient().vmxCamGetStream(in.string("camId")), required("camId"))),
    /**
     * Starts recording camera {@code camId}'s stream on the server: undocumented; {@code CAMID} and an optional
     * {@code duration} in seconds (wire name changeable with {@code wireNames}); answers 1 or 0.
     */
    vmx_cam_s_record(op(ONCE, (e, in) -> e.getClient().vmxCamSRecord(in.string("camId"),
            in.get("duration", Integer.class)), required("camId"), optional("duration"))),
    /** Saves one picture of camera {@code camId} on the server: undocumented; {@code CAMID}, answers 1 or 0. */
    vmx_cam_p_save(op(ONCE, (e, in) -> e.getClient().vmxCamPSave(in.string("camId")), required("camId"))),

    // ---- Special Channel Management

    /** Plays the DTMF digits {@code tone} on channel {@code chan} (the spec's example lacks chan): checked before sending. */
    chan_play_dtmf(op(ONCE, (e, in) -> {
        String tone = in.string("tone");
        if (!Dtmf.DIGITS.matcher(tone).matches()) {
            throw in.invalid("tone '" + tone + "' is not DTMF digits (0-9, *, #, A-D)");
        }
        return e.getClient().chanPlayDtmf(e.channel(in), tone);
    }, optional("chan"), optional("callId"), optional("leg"), required("tone"))),
    /** Lets extension {@code dst} listen to channel {@code chan} (spy). */
    chan_monitor(op(ONCE, (e, in) -> e.getClient().chanMonitor(e.channel(in), in.string("dst")),
            optional("chan"), optional("callId"), optional("leg"), required("dst"))),

    // ---- Relay Control Management

    /** The relays: {@link MetasecList} of {@link Relay}; no format in the spec: read as {@code relay_id!name!status}. */
    relay_list(op(SAFE, (e, in) -> e.getClient().relayList())),
    /**
     * The status of relay {@code relayId}: {@link RelayStatus}. The spec says only "status": the answer is read as
     * the bare value; a {@code 0} (also the error) is checked with relay_list unless {@code relayZeroCheck} is off.
     * A poller should read relay_list instead, which is unambiguous.
     */
    relay_status_get(op(SAFE, (e, in) -> e.getClient().relayStatusGet(in.string("relayId")), required("relayId"))),
    /** Switches relay {@code relayId} to {@code relayStatus} (wire {@code status}): a door opener, never sent twice. */
    relay_status_set(op(ONCE, (e, in) -> {
        Integer status = in.get("relayStatus", Integer.class);
        if (status == null) {
            throw in.invalid("needs relayStatus (the relayStatus option or the " + in.headerName("relayStatus")
                    + " header)");
        }
        return e.getClient().relayStatusSet(in.string("relayId"), status);
    }, required("relayId"), optional("relayStatus"))),

    // ---- consumers

    /**
     * Consumer only: the WebTAPI pushes nothing, so this polls it (every {@code pollInterval}) and emits
     * {@link io.pbxbridge.model.CallEvent}s of what changed since the poll before ({@link MetasecEventConsumer},
     * {@link MetasecTracker}).
     */
    events(op(SAFE, (e, in) -> {
        throw new UnsupportedOperationException("metasec:events is consumer only");
    })),
    /**
     * Consumer only: the call-record harvest of the records derived from the polled calls ({@link MetasecCallJournal},
     * written by metasec:events): the WebTAPI has no call records.
     */
    cdr(op(SAFE, (e, in) -> {
        throw new UnsupportedOperationException("metasec:cdr is consumer only");
    }));

    /** Input name -> parameter name on the wire: the spec's names, and the component's where it has none. */
    public static final Map<String, String> WIRE_NAMES = Map.ofEntries(Map.entry("src", "src"), Map.entry("dst", "dst"),
            Map.entry("chan", "chan"), Map.entry("monitorFile", "monitor_file"), Map.entry("filter", "filter"),
            Map.entry("stations", "stations"), Map.entry("breakCalls", "break"), Map.entry("queue", "q_name"),
            Map.entry("position", "position"), Map.entry("camId", "CAMID"), Map.entry("duration", "duration"),
            Map.entry("tone", "tone"), Map.entry("relayId", "relay_id"), Map.entry("relayStatus", "status"));


    private final OperationSpec<MetasecEndpoint> spec;

    MetasecOperation(OperationSpec<MetasecEndpoint> spec) {
        this.spec = spec;
    }

    @Override
    public String wireName() {
        return name();
    }

    @Override
    public OperationSpec<MetasecEndpoint> spec() {
        return spec;
    }

    @Override
    public boolean producer() {
        return this != events && this != cdr;
    }

    /**
     * {@link #WIRE_NAMES} with the overrides of the {@code wireNames} option ({@code input=name,...}).
     *
     * @throws IllegalArgumentException for an unknown input or a pair that is not {@code input=name}
     */
    static Map<String, String> wireNames(String overrides) {
        Map<String, String> out = new LinkedHashMap<>(WIRE_NAMES);
        if (overrides == null || overrides.isBlank()) {
            return out;
        }
        for (String pair : overrides.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String input = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            String wire = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (!WIRE_NAMES.containsKey(input) || wire.isEmpty()) {
                throw new IllegalArgumentException("metasec: wireNames '" + pair.trim() + "' is not input=name with "
                        + "an input of " + WIRE_NAMES.keySet());
            }
            out.put(input, wire);
        }
        return out;
    }

    private static OperationSpec<MetasecEndpoint> op(Repeat repeat, OperationSpec.Call<MetasecEndpoint> call,
                                                     OperationInput... inputs) {
        return OperationSpec.of(repeat, call, inputs);
    }

    /** DTMF digits (in a holder: an enum's constants cannot use its static fields). */
    private static final class Dtmf {
        static final Pattern DIGITS = Pattern.compile("[0-9*#A-Da-d]+");
    }
}
