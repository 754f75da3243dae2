package io.pbxbridge.monema;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pbxbridge.command.CommandDocuments;
import io.pbxbridge.command.CommandRejectedException;
import io.pbxbridge.command.CommandVerbs;

import static io.pbxbridge.monema.MonemaOperation.disableExtensionTransfer;
import static io.pbxbridge.monema.MonemaOperation.enableExtensionTransfer;
import static io.pbxbridge.monema.MonemaOperation.fax;
import static io.pbxbridge.monema.MonemaOperation.makeCall;
import static io.pbxbridge.monema.MonemaOperation.makeCallResponse;
import static io.pbxbridge.monema.MonemaOperation.sendSMS;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * Monema's commands. Its API has no live-call control (hang up, hold, transfer a call, park, record are
 * {@code unsupported}); it places calls, sends SMS and faxes, and sets an extension's transfer.
 *
 * <ul>
 * <li>{@code dial}: C_makeCall, {@code from} = SourceExt (rung first), {@code to} = destExt, extra variables; with
 * {@code waitForAnswer: true}, C_makeCallResponse, which answers once the source extension picked up (or did
 * not) with its status and the call's unique id</li>
 * <li>{@code sms}: C_sendSMS, {@code to} = dstNumber, {@code text}, {@code from} = callerId (optional)</li>
 * <li>{@code fax}: the composite monema:fax, {@code document} (an http(s) URL, or a path in the documents folder),
 * {@code to} = destNumbers (a number or a list), extras faxModem and the cover fields (coverDestName...)</li>
 * <li>{@code transfer.enable}: C_enableExtensionTransfer, {@code extension} = extensionId, {@code to} = dstNumber,
 * {@code external}; {@code transfer.disable}: C_disableExtensionTransfer, {@code extension}</li>
 * </ul>
 */
public final class MonemaCommandVerbs extends CommandVerbs {

    public MonemaCommandVerbs(CommandDocuments documents) {
        super(MonemaCallRecords.VENDOR, MonemaOperation.values());
        verb("dial", (command, table) -> {
            Map<String, Object> params = new LinkedHashMap<>(command.params());
            Object wait = params.remove("waitForAnswer");
            if (wait != null && !(wait instanceof Boolean)) {
                throw new CommandRejectedException("dial: waitForAnswer must be true or false");
            }
            Map<String, Object> inputs = new LinkedHashMap<>();
            move(params, "from", inputs, "sourceExt");
            move(params, "to", inputs, "destExt");
            inputs.putAll(params);
            return checked(Boolean.TRUE.equals(wait) ? makeCallResponse : makeCall, inputs, null, ONCE, "dial");
        });
        verb("sms", sendSMS, ONCE, param("from", "callerId"), param("to", "dstNumber"), param("text", "message"));
        verb("fax", (command, table) -> {
            Map<String, Object> params = new LinkedHashMap<>(command.params());
            Object document = params.remove("document");
            if (!(document instanceof String d) || d.isBlank()) {
                throw new CommandRejectedException("fax needs params.document: an http(s) URL or a path in the "
                        + "documents folder");
            }
            Map<String, Object> inputs = new LinkedHashMap<>();
            move(params, "to", inputs, "destNumbers");
            inputs.putAll(params);
            // checked before the document is read: a command that is wrong anyway costs no download
            checked(fax, inputs, null, ONCE, "fax");
            return checked(fax, inputs, documents.load(d), ONCE, "fax");
        });
        verb("transfer.enable", enableExtensionTransfer, SAFE, param("extension", "extensionId"),
                param("to", "dstNumber"));
        verb("transfer.disable", disableExtensionTransfer, SAFE, param("extension", "extensionId"));
    }

    private static void move(Map<String, Object> params, String name, Map<String, Object> inputs, String input) {
        if (params.containsKey(name)) {
            inputs.put(input, params.remove(name));
        }
    }
}
