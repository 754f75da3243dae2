package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A conference (Conference {@code get_conf_info}, {@code get_conf_list}, {@code create_conf}, {@code update_conf});
 * null fields are not sent. {@code msgIntroSet} and {@code mohSet} are strings holding 1 or 0, as the spec types them.
 *
 * @param iConf     the conference's id: set for update_conf, not for create_conf
 * @param startTime when the conference starts, in UTC, as the server writes it
 * @param waitHost  Y or N (likewise playAnnounce, playMoh, videoConf)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfInfo(Long iConf, String name, String pinHost, String pinUser, Integer maxCallDuration,
                       Integer maxSessionTime, Integer maxParticipants, String waitHost, String playAnnounce,
                       String playMoh, String startTime, String msgIntroSet, String mohSet, String videoConf) {

    /** Without the PINs. */
    @Override
    public String toString() {
        return "ConfInfo[iConf=" + iConf + ", name=" + name + ", maxCallDuration=" + maxCallDuration
                + ", maxSessionTime=" + maxSessionTime + ", maxParticipants=" + maxParticipants + ", waitHost="
                + waitHost + ", playAnnounce=" + playAnnounce + ", playMoh=" + playMoh + ", startTime=" + startTime
                + ", msgIntroSet=" + msgIntroSet + ", mohSet=" + mohSet + ", videoConf=" + videoConf + "]";
    }
}
