package io.pbxbridge.fax;

import java.time.Duration;

/**
 * What the fax outbox holds at one moment ({@link FaxJobs#status()}), for a health check or metrics. Counts the
 * documents in the outbox that pbx-bridge has seen; none of it is secret.
 *
 * @param jobs              documents in the outbox with a job: the three groups below
 * @param queued            seen, not taken yet: still being written, waiting for a sidecar or for a free slot
 * @param inProgress        being sent now (or cut short by a stop, resumed at the next start)
 * @param waitingForVendor  held after a transient vendor failure (server unreachable, no answer), tried again later
 * @param oldestJobAge      how long the oldest of the jobs has been in the outbox (zero when there is none)
 * @param longestVendorWait how long the job waiting longest for the vendor has been waiting (zero when none)
 * @param vendorError       that job's last failure, in words (null when no job is waiting)
 */
public record FaxOutboxStatus(
        int jobs,
        int queued,
        int inProgress,
        int waitingForVendor,
        Duration oldestJobAge,
        Duration longestVendorWait,
        String vendorError) {
}
