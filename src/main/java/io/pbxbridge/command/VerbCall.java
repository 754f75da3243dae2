package io.pbxbridge.command;

import java.util.Map;

import io.pbxbridge.vendor.operation.Repeat;
import io.pbxbridge.vendor.operation.VendorOperation;

/**
 * What a command becomes on its vendor: the operation, its inputs by input name (sent as the operation's headers),
 * the message body some operations read (a fax's document), and whether the command may be sent again after a
 * transient failure ({@link Repeat#SAFE}: reads, settings, a hang-up) or only when the vendor proved the first
 * request was not carried out ({@link Repeat#ONCE}: calls, messages, faxes).
 */
public record VerbCall(VendorOperation<?> operation, Map<String, Object> inputs, Object body, Repeat repeat) {
}
