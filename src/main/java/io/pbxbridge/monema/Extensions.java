package io.pbxbridge.monema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An extension of the PBX: the spec's {@code Extensions} complex type (returned by {@code C_getExtensions}).
 *
 * @param id        id of the extension (the {@code extensionId} of the transfer operations)
 * @param usersId   user associated with the extension
 * @param clientsId client the extension belongs to
 * @param extnumber number of the extension
 */
public record Extensions(
        long id,
        @JsonProperty("users_id") long usersId,
        @JsonProperty("clients_id") long clientsId,
        long extnumber) {

    static Extensions from(SoapStruct s) {
        return new Extensions(s.longValue("id"), s.longValue("users_id"), s.longValue("clients_id"),
                s.longValue("extnumber"));
    }
}
