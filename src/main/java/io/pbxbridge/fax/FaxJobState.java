package io.pbxbridge.fax;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The persisted progress of one fax job, rewritten atomically at every step so a restarted process knows where the
 * job stood: before {@code SENDING} a restart starts a new upload session; at {@code SENT} it only completes the
 * job; at {@code SENDING} it cannot know whether the server sent the fax, and fails the job rather than risk a
 * duplicate.
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
        Instant receivedAt,
        Instant uploadedAt,
        Instant sentAt) {

    public enum Status {
        RECEIVED,
        UPLOADING,
        UPLOADED,
        SENDING,
        SENT
    }

    FaxJobState with(Status newStatus) {
        return new FaxJobState(jobId, document, newStatus, destinations, modem, sessionId, bytes, chunks, attempts,
                receivedAt, uploadedAt, sentAt);
    }

    FaxJobState uploading(String newSessionId, String newModem) {
        return new FaxJobState(jobId, document, Status.UPLOADING, destinations, newModem, newSessionId, 0L, 0,
                attempts, receivedAt, null, null);
    }

    FaxJobState uploaded(long newBytes, int newChunks, Instant at) {
        return new FaxJobState(jobId, document, Status.UPLOADED, destinations, modem, sessionId, newBytes, newChunks,
                attempts, receivedAt, at, null);
    }

    FaxJobState sent(Instant at) {
        return new FaxJobState(jobId, document, Status.SENT, destinations, modem, sessionId, bytes, chunks, attempts,
                receivedAt, uploadedAt, at);
    }

    FaxJobState received(List<String> newDestinations) {
        return new FaxJobState(jobId, document, Status.RECEIVED, newDestinations, modem, null, null, null,
                attempts, receivedAt, null, null);
    }

    FaxJobState attempt() {
        return new FaxJobState(jobId, document, Status.RECEIVED, destinations, modem, null, null, null,
                attempts + 1, receivedAt, null, null);
    }
}
