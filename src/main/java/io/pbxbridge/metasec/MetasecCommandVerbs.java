package io.pbxbridge.metasec;

import io.pbxbridge.command.CommandRejectedException;
import io.pbxbridge.command.CommandVerbs;

import static io.pbxbridge.metasec.MetasecOperation.agent_login;
import static io.pbxbridge.metasec.MetasecOperation.agent_logout;
import static io.pbxbridge.metasec.MetasecOperation.call;
import static io.pbxbridge.metasec.MetasecOperation.call_create_conf;
import static io.pbxbridge.metasec.MetasecOperation.call_hangup;
import static io.pbxbridge.metasec.MetasecOperation.call_pick;
import static io.pbxbridge.metasec.MetasecOperation.call_prio;
import static io.pbxbridge.metasec.MetasecOperation.call_record_start;
import static io.pbxbridge.metasec.MetasecOperation.call_record_stop;
import static io.pbxbridge.metasec.MetasecOperation.chan_play_dtmf;
import static io.pbxbridge.metasec.MetasecOperation.relay_status_set;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;

/**
 * The METASEC WebTAPI's commands. Every one of them changes something and the WebTAPI reports every failure as a bare
 * {@code 0} (an expired session looks the same), so all are sent once ({@code ONCE}): a transient failure is
 * {@code failed} when the server was not reached, {@code unknown} when it may have been.
 *
 * <p>A live call is named by its {@code callId}, the unique id the metasec events give it (the A channel's); the
 * component finds the channel in the events consumer's snapshot, else with {@code call_list_all}. {@code params.leg}
 * picks another channel of the call ({@code b}: the called party's; or a channel's unique id, an event's
 * {@code legId}); {@code params.channel} names a channel directly.
 *
 * <ul>
 * <li>{@code dial}: call, {@code from} = src (rung first; default the target's user), {@code to} = dst</li>
 * <li>{@code hangup}: call_hangup of the call's channel (the WebTAPI closes the channels it talks to too)</li>
 * <li>{@code transfer} (blind) and {@code pickup}: call_pick, the call's channel (the caller's, by default) to
 * {@code to} (for pickup: the extension that takes the ringing call); its other party is hung up</li>
 * <li>{@code conference}: call_create_conf, {@code stations} (a list or comma separated), {@code break} (true: the
 * stations' running calls are ended first)</li>
 * <li>{@code record.start}: call_record_start, {@code filename} (optional; the server names it otherwise: the result
 * says which); {@code record.stop}: call_record_stop</li>
 * <li>{@code agent.login} / {@code agent.logout}: agent_login / agent_logout of {@code queue}; the agent is the target's
 * WebTAPI user (the spec has no agent parameter): another agent needs a target of its own
 * ({@code commands.target.metasec.<name> = user=...&password=...})</li>
 * <li>{@code dtmf}: chan_play_dtmf, {@code digits} (0-9, *, #, A-D) on the call's channel</li>
 * <li>{@code relay.set}: relay_status_set, {@code relay} (relay_id), {@code status}: a door opener; at most once</li>
 * <li>{@code prio}: call_prio, {@code to} = dst: <b>destructive</b>, every call of the target extension (ringing or
 * running) is closed before it is rung</li>
 * </ul>
 */
public final class MetasecCommandVerbs extends CommandVerbs {

    public MetasecCommandVerbs() {
        super(MetasecTracker.VENDOR, MetasecOperation.values());
        verb("dial", call, ONCE, param("from", "src"), param("to", "dst"));
        verb("hangup", call_hangup, ONCE, liveCall());
        verb("transfer", call_pick, ONCE, liveCall(), param("to", "dst"));
        verb("pickup", call_pick, ONCE, liveCall(), param("to", "dst"));
        verb("conference", call_create_conf, ONCE, param("stations", "stations"), param("break", "breakCalls"));
        verb("record.start", call_record_start, ONCE, liveCall(), param("filename", "monitorFile"));
        verb("record.stop", call_record_stop, ONCE, liveCall());
        verb("agent.login", agent_login, ONCE, param("queue", "queue"));
        verb("agent.logout", agent_logout, ONCE, param("queue", "queue"));
        verb("dtmf", chan_play_dtmf, ONCE, liveCall(), param("digits", "tone"));
        verb("relay.set", relay_status_set, ONCE, param("relay", "relayId"), param("status", "relayStatus"));
        verb("prio", call_prio, ONCE, param("to", "dst"));
    }

    /**
     * The call a live-call verb acts on: {@code params.channel} as chan, else the command's callId as callId (with
     * {@code params.leg}); the component finds the channel.
     */
    private static Param liveCall() {
        return (command, params, inputs, verb) -> {
            Object channel = params.remove("channel");
            Object leg = params.remove("leg");
            if (channel instanceof String s && !s.isBlank()) {
                inputs.put("chan", s);
                return;
            }
            if (command.callId() == null || command.callId().isBlank()) {
                throw new CommandRejectedException(verb + " needs the call: callId (the subject of the call's events) "
                        + "or params.channel");
            }
            inputs.put("callId", command.callId());
            if (leg != null) {
                if (!(leg instanceof String l) || l.isBlank()) {
                    throw new CommandRejectedException(verb + ": params.leg must be a, b or a channel's unique id");
                }
                inputs.put("leg", leg);
            }
        };
    }
}
