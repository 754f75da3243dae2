package io.pbxbridge.portasip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.portasip.PortaSipCallControl.Scope;
import io.pbxbridge.vendor.VendorFailures;

/**
 * The live calls as {@code get_sip_calls_list} lists them for the configured scopes: the lookup live-call methods use
 * when the events consumer's call table is not bound, or does not know a call ({@link PortaSipComponent#callLookup}).
 *
 * <p>PortaSIP lists only the calls a subscription on the socket has seen change (it tracks calls from the moment of
 * subscription, and faults for a scope not subscribed): so this subscribes every scope ({@code
 * enable_api_notifications}) when it is first used and again on every reconnect of the socket, before anything else
 * is sent, and {@code originate_advanced_call} makes sure of it before placing a call, so the new call is listed
 * from its first state. A scope listed as not subscribed (a subscription that took no effect) is subscribed again
 * once. The notifications the subscription brings are left to the socket's listeners (the events consumer, if any).
 */
final class PortaSipListedCalls implements PortaSipCallLookup, PortaSipCallControl.ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(PortaSipListedCalls.class);

    private final PortaSipCallControl callControl;
    private final List<Scope> scopes;
    private final Duration timeout;
    /** The socket (its number) the scopes were last subscribed on. */
    private volatile long subscribedOn = -1;

    PortaSipListedCalls(PortaSipCallControl callControl, List<Scope> scopes, Duration timeout) {
        this.callControl = callControl;
        this.scopes = List.copyOf(scopes);
        this.timeout = timeout;
        callControl.addConnectionListener(this);
    }

    List<Scope> scopes() {
        return scopes;
    }

    /** Subscribes the scopes on the current socket unless done (opens the socket if needed). */
    void prepare() {
        callControl.connect(); // a new socket subscribes in onConnected
        long socket = callControl.connectionCount();
        if (subscribedOn != socket) {
            subscribe(socket);
        }
    }

    @Override
    public void onConnected(PortaSipCallControl cc) {
        try {
            subscribe(cc.connectionCount());
        } catch (RuntimeException e) {
            LOG.warn("portasip: the call-list subscription of {} failed on the new socket ({}); tried again at the "
                    + "next lookup", scopes, VendorFailures.rootMessage(e));
        }
    }

    private synchronized void subscribe(long socket) {
        if (subscribedOn == socket) {
            return;
        }
        for (Scope s : scopes) {
            callControl.enableNotifications(s, timeout);
        }
        subscribedOn = socket;
    }

    /**
     * The live legs of {@code callId} (pbx-bridge's call id: the PortaSIP call id without {@code ~N}) in the scopes'
     * lists, leg A first; empty when no list has it.
     */
    @Override
    public Optional<List<Leg>> find(String callId) {
        prepare();
        Map<String, Leg> legs = new LinkedHashMap<>();
        for (Scope s : scopes) {
            List<SipCallInfo> list;
            try {
                list = callControl.callsList(s, timeout);
            } catch (PortaSipCallControlException e) {
                if (e.getCode() == null || !e.getCode().toLowerCase(java.util.Locale.ROOT).contains("not_subscribed")) {
                    throw e;
                }
                LOG.info("portasip: {} was not subscribed after all ({}): subscribed again", s, e.getCode());
                callControl.enableNotifications(s, timeout);
                list = callControl.callsList(s, timeout);
            }
            for (SipCallInfo info : list) {
                if (info.call() != null && callId.equals(info.call().callKey())
                        && !"terminated".equalsIgnoreCase(info.state())) {
                    legs.putIfAbsent(info.call().id() + "\n" + info.call().tag(), new Leg(info.call(),
                            info.transportId(), info.state(), info.type(), info));
                }
            }
        }
        if (legs.isEmpty()) {
            return Optional.empty();
        }
        List<Leg> out = new ArrayList<>();
        legs.values().stream().filter(l -> l.call().id().equals(callId)).forEach(out::add);
        legs.values().stream().filter(l -> !l.call().id().equals(callId)).forEach(out::add);
        return Optional.of(out);
    }

    @Override
    public String toString() {
        return "the calls listed for " + scopes;
    }
}
