package io.pbxbridge.monema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A tag of a call: the spec's {@code CallsTags} complex type (returned by {@code C_getCallTags}).
 *
 * @param id        id of the tag
 * @param callsId   call the tag belongs to
 * @param clientsId client the tag belongs to
 * @param tag       text of the tag
 * @param uniqueid  id of the call in the PBX
 */
public record CallsTags(
        long id,
        @JsonProperty("calls_id") long callsId,
        @JsonProperty("clients_id") long clientsId,
        String tag,
        String uniqueid) {

    static CallsTags from(SoapStruct s) {
        return new CallsTags(s.longValue("id"), s.longValue("calls_id"), s.longValue("clients_id"), s.string("tag"),
                s.string("uniqueid"));
    }
}
