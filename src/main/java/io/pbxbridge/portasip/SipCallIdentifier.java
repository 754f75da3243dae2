package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One leg of a call (Call Control {@code SipCallIdentifier}): the call id ({@code ...@host}, leg B with a
 * {@code ~N} suffix) and the leg's remote tag. Live-call methods need both, with the call's {@code transport_id}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SipCallIdentifier(String id, String tag) {

    /** The call id without its leg suffix ({@code ~10}): one key for both legs of a call. */
    public String callKey() {
        if (id == null) {
            return null;
        }
        int tilde = id.lastIndexOf('~');
        return tilde > 0 && tilde < id.length() - 1 && id.substring(tilde + 1).chars().allMatch(Character::isDigit)
                ? id.substring(0, tilde) : id;
    }
}
