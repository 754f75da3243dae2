package io.pbxbridge.sandbox.portasip;

import java.util.List;

/**
 * One side of a call leg as SipCallerInfo shows it: an account of the simulator ({@code account_id}, {@code centrex_id},
 * {@code display_id}, {@code display_name}, {@code extension_id}, {@code id}), an IVR access number
 * ({@code access_number}), or an outside number ({@code display_id} and {@code id} only). Fields without a value are
 * left out of the frames.
 */
record SimParty(SimAccount account, IvrAccessNumber ivr, String id, String displayId, String displayName,
                String huntgroupId, List<String> forwarders) {

    static SimParty of(SimAccount a) {
        return new SimParty(a, null, a.login(), a.login(), a.displayName(), null, List.of());
    }

    static SimParty ivr(IvrAccessNumber an) {
        return new SimParty(null, an, an.number(), an.number(), null, null, List.of());
    }

    static SimParty outside(String number) {
        return new SimParty(null, null, number, number, null, null, List.of());
    }

    SimParty viaHuntgroup(String huntgroup) {
        return new SimParty(account, ivr, id, displayId, displayName, huntgroup, forwarders);
    }
}
