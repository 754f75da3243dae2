package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The reply of {@code originate_advanced_call}: the new call's identifier ({@code call.id}; leg B gets the same id
 * with a {@code ~N} suffix in the notifications) and {@code success}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OriginateResult(SipCallIdentifier call, int success) {

    /** The new call's id. */
    public String callId() {
        return call == null ? null : call.id();
    }
}
