package io.pbxbridge.fax;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The persisted progress of one fax job, rewritten atomically at every step so a restarted process knows where the
 * job stood: at {@code ARRIVED} when it was first seen (the sidecar's grace period counts from then); at
 * {@code WAITING} until when the vendor is to be tried again, and since when it has been failing; before
 * {@code SENDING} a restart starts a new upload session; at {@code SENT} it only completes the job; at
 * {@code SENDING} it cannot know whether the server sent the fax, and fails the job rather than risk a duplicate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaxJobState(
        String jobId,
        String document,
        Status status,
        List<String> destinations,
        String modem,
        String sessionId,
        Long bytes,
        Integer chunks,
        int attempts,
        Instant firstSeenAt,
        Instant receivedAt,
        Instant uploadedAt,
        Instant sentAt,
        Instant waitingSince,
        Instant nextAttemptAt,
        String lastError) {

    public enum Status {
        /** Seen in the outbox, not taken yet: still being written, or waiting for its sidecar or a free slot. */
        ARRIVED,
        RECEIVED,
        UPLOADING,
        UPLOADED,
        SENDING,
        SENT,
        /** Waiting for the vendor after a transient failure (unreachable, no answer): tried again at nextAttemptAt. */
        WAITING
    }

    /** A job first seen in the outbox {@code at}. */
    static FaxJobState arrived(String jobId, String document, Instant at) {
        return new FaxJobState(jobId, document, Status.ARRIVED, null, null, null, null, null, 0, at, null, null,
                null, null, null, null);
    }

    FaxJobState with(Status newStatus) {
        return new FaxJobState(jobId, document, newStatus, destinations, modem, sessionId, bytes, chunks, attempts,
                firstSeenAt, receivedAt, uploadedAt, sentAt, waitingSince, nextAttemptAt, lastError);
    }

    FaxJobState uploading(String newSessionId, String newModem) {
        return new FaxJobState(jobId, document, Status.UPLOADING, destinations, newModem, newSessionId, 0L, 0,
                attempts, firstSeenAt, receivedAt, null, null, waitingSince, null, lastError);
    }

    FaxJobState uploaded(long newBytes, int newChunks, Instant at) {
        return new FaxJobState(jobId, document, Status.UPLOADED, destinations, modem, sessionId, newBytes, newChunks,
                attempts, firstSeenAt, receivedAt, at, null, waitingSince, null, lastError);
    }

    FaxJobState sent(Instant at) {
        return new FaxJobState(jobId, document, Status.SENT, destinations, modem, sessionId, bytes, chunks, attempts,
                firstSeenAt, receivedAt, uploadedAt, at, waitingSince, null, lastError);
    }

    /** Taken from the outbox {@code at} (the first time; a restarted job keeps its first time). */
    FaxJobState received(List<String> newDestinations, Instant at) {
        return new FaxJobState(jobId, document, Status.RECEIVED, newDestinations, modem, null, null, null,
                attempts, firstSeenAt, receivedAt != null ? receivedAt : at, null, null, waitingSince, null, lastError);
    }

    FaxJobState attempt() {
        return new FaxJobState(jobId, document, Status.RECEIVED, destinations, modem, null, null, null,
                attempts + 1, firstSeenAt, receivedAt, null, null, waitingSince, null, lastError);
    }

    /**
     * Waiting for the vendor since {@code since} (the first transient failure), to be tried again at {@code next};
     * the upload session of the failed attempt is abandoned.
     */
    FaxJobState waiting(Instant since, Instant next, String error) {
        return new FaxJobState(jobId, document, Status.WAITING, destinations, modem, null, null, null, attempts,
                firstSeenAt, receivedAt, null, null, since, next, error);
    }
}
