package io.pbxbridge.escaux;

import io.pbxbridge.command.CommandVerbs;
import io.pbxbridge.vendor.operation.VendorOperation;

import static io.pbxbridge.escaux.EscauxOperation.ccHangup;
import static io.pbxbridge.escaux.EscauxOperation.ccHold;
import static io.pbxbridge.escaux.EscauxOperation.ccOriginate;
import static io.pbxbridge.escaux.EscauxOperation.ccPark;
import static io.pbxbridge.escaux.EscauxOperation.ccQueueAdd;
import static io.pbxbridge.escaux.EscauxOperation.ccQueuePause;
import static io.pbxbridge.escaux.EscauxOperation.ccQueueRemove;
import static io.pbxbridge.escaux.EscauxOperation.ccRecord;
import static io.pbxbridge.escaux.EscauxOperation.ccRedirect;
import static io.pbxbridge.vendor.operation.Repeat.ONCE;
import static io.pbxbridge.vendor.operation.Repeat.SAFE;

/**
 * The Escaux SOP's commands. A live call is named by its channel: the {@code callId} of pbx-bridge's Escaux events
 * is the SOP's channel id, so it is used as is. No SMS, fax or extension transfer: those are Monema's.
 *
 * <ul>
 * <li>{@code dial}: ccOriginate, {@code from} = phone_id (rung first), {@code to}; extras technology, ext, async,
 * localOptimization, var (an object of name/value pairs)</li>
 * <li>{@code hangup}: ccHangup of the call's channel; repeatable (a second hang-up of an ended call changes
 * nothing)</li>
 * <li>{@code transfer} (blind) and {@code unhold} (the SOP retrieves a held channel by redirecting it): ccRedirect,
 * {@code to}</li>
 * <li>{@code hold}: ccHold; {@code park}: ccPark (extra channelId2)</li>
 * <li>{@code queue.add}, {@code queue.remove}: ccQueueAdd, ccQueueRemove, {@code queue}, {@code agent} (the
 * phone); {@code queue.pause}: ccQueuePause, {@code paused} true unless given</li>
 * <li>{@code record.start}, {@code record.stop}: ccRecord with action start/stop, {@code filename} or
 * {@code mailbox}, extra callerId</li>
 * </ul>
 */
public final class EscauxCommandVerbs extends CommandVerbs {

    public EscauxCommandVerbs() {
        super(EscauxEvents.VENDOR, EscauxOperation.values());
        verb("dial", ccOriginate, ONCE, param("from", "phoneId"), param("to", "to"));
        verb("hangup", ccHangup, SAFE, call("channelId"));
        verb("transfer", ccRedirect, ONCE, call("channelId"), param("to", "to"));
        verb("unhold", ccRedirect, ONCE, call("channelId"), param("to", "to"));
        verb("hold", ccHold, ONCE, call("channelId"));
        verb("park", ccPark, ONCE, call("channelId"));
        verb("queue.add", ccQueueAdd, SAFE, param("queue", "queue"), param("agent", "phone"));
        verb("queue.remove", ccQueueRemove, SAFE, param("queue", "queue"), param("agent", "phone"));
        verb("queue.pause", ccQueuePause, SAFE, param("queue", "queue"), param("agent", "phone"),
                param("paused", "paused", true));
        verb("record.start", ccRecord, ONCE, call("channelId"), fixed("action", "start"));
        verb("record.stop", ccRecord, ONCE, call("channelId"), fixed("action", "stop"));
    }

    @Override
    protected boolean structured(VendorOperation<?> op, String input) {
        return input.equals("var") || input.equals("profileParameters");
    }
}
