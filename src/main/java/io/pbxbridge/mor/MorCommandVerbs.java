package io.pbxbridge.mor;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pbxbridge.command.CommandRejectedException;
import io.pbxbridge.command.CommandVerbs;

import static io.pbxbridge.mor.MorOperation.addCli;
import static io.pbxbridge.mor.MorOperation.addPhonebookEntry;
import static io.pbxbridge.mor.MorOperation.callback;
import static io.pbxbridge.mor.MorOperation.deletePhonebookEntry;
import static io.pbxbridge.mor.MorOperation.processMissedCall;
import static io.pbxbridge.mor.MorOperation.updateCallflow;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * MOR's commands. Its API has no live-call control (hang up, transfer, hold, park, record are {@code unsupported}),
 * no SMS and no outgoing fax; it places callbacks, sets what a device's call states do, adds caller ids, keeps the
 * phonebook and marks missed calls processed. {@code device} is a device's id (its {@code acc} on the devices page);
 * {@code when} a call state of its call flow: {@code before_call} (every call), {@code call}, {@code hangup}
 * (answered), {@code noanswer}, {@code busy}, {@code failed}.
 *
 * <ul>
 * <li>{@code dial}: callback ({@code /functions/activate_callback}), {@code from} = src (called first), {@code to} =
 * dst, {@code device} = acc (the device whose account pays); sent once</li>
 * <li>{@code forward}: the call flow's forward, {@code device}, {@code to} (an outside number) or {@code toDevice}
 * (another device), {@code when} (default before_call: every call)</li>
 * <li>{@code voicemail}: {@code device}, {@code when} (default noanswer)</li>
 * <li>{@code faxdetect}: {@code device}, {@code toDevice} (the FAX device), {@code when} (default before_call)</li>
 * <li>{@code cli.add}: {@code device}, {@code cli} (the number), {@code description}; sent once</li>
 * <li>{@code phonebook.add}: {@code number}, {@code name}; sent once (a second add is a second entry)</li>
 * <li>{@code phonebook.delete}: {@code entry} (the entry's id); sent once</li>
 * <li>{@code missed.process}: the missed call (the command's {@code callId}: the subject of its {@code call.missed}
 * event, MOR's {@code call_id}; or {@code params.channel}) marked processed</li>
 * </ul>
 * The call-flow verbs and {@code missed.process} set a value: repeated after a transient failure.
 */
public final class MorCommandVerbs extends CommandVerbs {

    public MorCommandVerbs() {
        super(MorCallRecords.VENDOR, MorOperation.values());
        verb("dial", callback, ONCE, param("from", "src"), param("to", "dst"), param("device", "deviceId"));
        verb("forward", callflow("forward", "before_call", true));
        verb("voicemail", updateCallflow, SAFE, param("device", "deviceId"), param("when", "cfType", "noanswer"),
                fixed("cfAction", "voicemail"));
        verb("faxdetect", callflow("faxdetect", "before_call", false));
        verb("cli.add", addCli, ONCE, param("device", "deviceId"), param("cli", "cli"),
                param("description", "description"));
        verb("phonebook.add", addPhonebookEntry, ONCE, param("number", "number"), param("name", "name"));
        verb("phonebook.delete", deletePhonebookEntry, ONCE, param("entry", "entryId"));
        verb("missed.process", processMissedCall, SAFE, call("callId"));
    }

    /**
     * A call-flow verb with a target: {@code toDevice}, or (a forward only) {@code to}, an outside number; exactly
     * one, checked before anything is sent.
     */
    private Verb callflow(String action, String defaultState, boolean outsideNumber) {
        return (command, table) -> {
            Map<String, Object> params = new LinkedHashMap<>(command.params());
            Map<String, Object> inputs = new LinkedHashMap<>();
            move(params, "device", inputs, "deviceId");
            move(params, "toDevice", inputs, "targetDeviceId");
            if (outsideNumber) {
                move(params, "to", inputs, "extNumber");
            }
            int targets = (given(inputs.get("targetDeviceId")) ? 1 : 0) + (given(inputs.get("extNumber")) ? 1 : 0);
            if (targets != 1) {
                throw new CommandRejectedException(action + " needs " + (outsideNumber ? "one target: to (an outside "
                        + "number) or toDevice (a device id)" : "toDevice (the FAX device's id)"));
            }
            inputs.put("cfType", params.containsKey("when") ? params.remove("when") : defaultState);
            inputs.put("cfAction", action);
            inputs.putAll(params);
            return checked(updateCallflow, inputs, null, SAFE, action);
        };
    }

    private static void move(Map<String, Object> params, String name, Map<String, Object> inputs, String input) {
        if (params.containsKey(name)) {
            inputs.put(input, params.remove(name));
        }
    }

    private static boolean given(Object v) {
        return v != null && !(v instanceof String s && s.isBlank());
    }
}
