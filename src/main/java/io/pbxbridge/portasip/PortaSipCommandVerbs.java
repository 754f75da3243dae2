package io.pbxbridge.portasip;

import java.util.Set;

import io.pbxbridge.command.CommandRejectedException;
import io.pbxbridge.command.CommandVerbs;
import io.pbxbridge.vendor.operation.VendorOperation;

import static io.pbxbridge.portasip.PortaSipOperation.answerCall;
import static io.pbxbridge.portasip.PortaSipOperation.holdCall;
import static io.pbxbridge.portasip.PortaSipOperation.joinCalls;
import static io.pbxbridge.portasip.PortaSipOperation.originateAdvancedCall;
import static io.pbxbridge.portasip.PortaSipOperation.playPrompt;
import static io.pbxbridge.portasip.PortaSipOperation.startDtmfDetect;
import static io.pbxbridge.portasip.PortaSipOperation.stopDtmfDetect;
import static io.pbxbridge.portasip.PortaSipOperation.stopPlayPrompt;
import static io.pbxbridge.portasip.PortaSipOperation.terminateCall;
import static io.pbxbridge.portasip.PortaSipOperation.transferCall;
import static io.pbxbridge.portasip.PortaSipOperation.unholdCall;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * PortaSIP's commands (Call Control). A live call is named by pbx-bridge's call id, the {@code callId} of its
 * {@code portasip} events (the PortaSIP call id without its {@code ~N} leg suffix; also the {@code call.id} a
 * {@code dial} answers): the component finds the leg's {@code call {id, tag}} and {@code transport_id} among the live
 * calls, in the events consumer's call table or else in {@code get_sip_calls_list} of the target's scopes, when the
 * command is executed. Leg A unless {@code leg} is B; a leg's own id ({@code ...~10}) names that leg; {@code callTag}
 * and {@code transportId} name a leg without any lookup. No SMS, fax, park, queue or recording verbs.
 *
 * <ul>
 * <li>{@code dial}: originate_advanced_call, {@code from} = caller_id (rung first, leg A), {@code to} = callee_id;
 * extras billId (the account charged; else the target's billId option), calleeAutoPickup</li>
 * <li>{@code answer}: answer_call, extra calleeAnswerMode (notify, invite)</li>
 * <li>{@code hangup}: terminate_call; repeatable (retried after a transient failure)</li>
 * <li>{@code hold}, {@code unhold}: hold_call, unhold_call</li>
 * <li>{@code transfer} (blind): transfer_call, {@code to} = cld</li>
 * <li>{@code join} (completes an attended transfer): join_calls of the call and {@code toCallId} (leg A of each
 * unless {@code leg}, {@code toLeg} say B)</li>
 * <li>{@code prompt.play}: play_prompt, {@code url}, {@code order} (2, 3), {@code repeat} (-1 for ever);
 * {@code prompt.stop}: stop_play_prompt, {@code order}</li>
 * <li>{@code dtmf.start}, {@code dtmf.stop}: start_dtmf_detect, stop_dtmf_detect</li>
 * </ul>
 * The generic {@code operation} verb reaches every method of the component (the JSON API's provisioning ones too:
 * menus, voicemail settings, conferences), except that no audio is taken from a queue ({@code file} names a file on
 * this host).
 */
public final class PortaSipCommandVerbs extends CommandVerbs {

    /** Structure inputs: an object in the command's JSON. */
    private static final Set<String> STRUCTURES = Set.of("params", "call", "toCall", "vmSettings", "greetingInfo",
            "folderPrefs", "displayPrefs", "menuInfo", "transitionInfo", "confInfo", "dirEntryInfo");

    public PortaSipCommandVerbs() {
        super(PortaSipCallRecords.VENDOR, PortaSipOperation.values());
        verb("dial", originateAdvancedCall, ONCE, param("from", "callerId"), param("to", "calleeId"));
        verb("answer", answerCall, ONCE, liveCall());
        verb("hangup", terminateCall, SAFE, liveCall());
        verb("hold", holdCall, ONCE, liveCall());
        verb("unhold", unholdCall, ONCE, liveCall());
        verb("transfer", transferCall, ONCE, liveCall(), param("to", "cld"));
        verb("join", joinCalls, ONCE, liveCall(), (command, params, inputs, verb) -> {
            if (!params.containsKey("toCallId") && !params.containsKey("toCall")) {
                throw new CommandRejectedException("join needs params.toCallId: the call to join this one with "
                        + "(the other call of the transferor)");
            }
        });
        verb("prompt.play", playPrompt, ONCE, liveCall());
        verb("prompt.stop", stopPlayPrompt, SAFE, liveCall());
        verb("dtmf.start", startDtmfDetect, SAFE, liveCall());
        verb("dtmf.stop", stopDtmfDetect, SAFE, liveCall());
    }

    /** The command's call ({@code callId}, or {@code params.callId}) as the {@code callId} input. */
    private static Param liveCall() {
        return (command, params, inputs, verb) -> {
            Object given = params.remove("callId");
            String id = command.callId() != null && !command.callId().isBlank() ? command.callId()
                    : given instanceof String s && !s.isBlank() ? s : null;
            if (id == null && !params.containsKey("call")) {
                throw new CommandRejectedException(verb + " needs the call: callId (the subject of the call's "
                        + "portasip events, or the call.id dial answered)");
            }
            if (id != null) {
                inputs.put("callId", id);
            }
        };
    }

    @Override
    protected boolean structured(VendorOperation<?> op, String input) {
        return STRUCTURES.contains(input);
    }

    @Override
    protected String refused(VendorOperation<?> op, String input) {
        return input.equals("file") ? "is not taken from a command: it names a file on the pbx-bridge host (audio "
                + "uploads are for routes)" : null;
    }
}
