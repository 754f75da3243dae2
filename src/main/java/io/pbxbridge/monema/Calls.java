package io.pbxbridge.monema;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One call of the PBX's call log: the spec's {@code Calls} complex type (returned by {@code C_getCalls}).
 *
 * @param id             unique id of the call in the server
 * @param clientsId      client the call belongs to
 * @param src            originating number
 * @param dst            receiving number
 * @param duration       duration in seconds
 * @param disposition    {@code ANSWERED}, {@code NO ANSWER}, {@code BUSY} or {@code CANCEL}
 * @param uniqueid       id of the call in the PBX
 * @param recorded       whether the call was recorded
 * @param calldate       UNIX time the call was made
 * @param accountcode    billing code
 * @param cost           cost in the account's default currency
 * @param extSrcRecorded whether the caller recorded the call
 * @param extDstRecorded whether the callee recorded the call
 */
public record Calls(
        long id,
        @JsonProperty("clients_id") long clientsId,
        String src,
        String dst,
        long duration,
        String disposition,
        String uniqueid,
        boolean recorded,
        long calldate,
        long accountcode,
        BigDecimal cost,
        @JsonProperty("ext_src_recorded") boolean extSrcRecorded,
        @JsonProperty("ext_dst_recorded") boolean extDstRecorded) {

    @JsonIgnore
    public Instant callTime() {
        return Instant.ofEpochSecond(calldate);
    }

    static Calls from(SoapStruct s) {
        return new Calls(s.longValue("id"), s.longValue("clients_id"), s.string("src"), s.string("dst"),
                s.longValue("duration"), s.string("disposition"), s.string("uniqueid"), s.bool("recorded"),
                s.longValue("calldate"), s.longValue("accountcode"), s.decimal("cost"), s.bool("ext_src_recorded"),
                s.bool("ext_dst_recorded"));
    }
}
