package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A party of a call (Call Control {@code SipCallerInfo}, from PortaSIP's calling, redirecting and called party
 * attributes).
 *
 * @param accountId    the party's account (phone number)
 * @param centrexId    the IP Centrex (customer) the party belongs to
 * @param displayId    the number shown (From header)
 * @param extensionId  the extension within the IP Centrex
 * @param huntgroupId  the hunt group the call came through
 * @param id           the calling or called number
 * @param accessNumber the IVR access number that took the call
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SipCallerInfo(String accountId, String centrexId, String displayId, String displayName,
                            String extensionId, String huntgroupId, String id,
                            List<SipForwarderAccountInfo> forwarderList, String accessNumber) {
}
