package io.pbxbridge.model;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A status event of one fax job (one document to send).
 *
 * @param id           unique id of this event
 * @param type         {@code fax.received}, {@code fax.waiting}, {@code fax.uploaded}, {@code fax.sent} or
 *                     {@code fax.failed}
 * @param jobId        stable id of the job (the document's name without extension)
 * @param vendor       vendor scheme that sends the fax
 * @param document     file name of the document
 * @param destinations destination numbers
 * @param modem        fax modem used, once known
 * @param sessionId    vendor upload session, once known
 * @param bytes        document size in bytes
 * @param chunks       chunks uploaded, once uploaded
 * @param attempts     send attempts made so far
 * @param reason       why the job failed (for {@code fax.failed}) or waits (for {@code fax.waiting})
 * @param timestamp    when the status changed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "type", "jobId", "vendor", "document", "destinations", "modem", "sessionId", "bytes", "chunks",
        "attempts", "reason", "timestamp" })
public record FaxJob(
        String id,
        String type,
        String jobId,
        String vendor,
        String document,
        List<String> destinations,
        String modem,
        String sessionId,
        Long bytes,
        Integer chunks,
        Integer attempts,
        String reason,
        Instant timestamp) implements PbxEvent {

    public static final String RECEIVED = "fax.received";
    /** A transient vendor failure: the job waits for the vendor and is tried again (once per job, not per attempt). */
    public static final String WAITING = "fax.waiting";
    public static final String UPLOADED = "fax.uploaded";
    public static final String SENT = "fax.sent";
    public static final String FAILED = "fax.failed";

    @Override
    public String subject() {
        return jobId;
    }

    @Override
    public String origin() {
        return "fax";
    }

    /** Apart from call sequences: a job id may look like a call id. */
    @Override
    public String sequenceKey() {
        return "fax:" + jobId;
    }

    @Override
    public List<String> called() {
        return destinations == null ? List.of() : destinations;
    }
}
