package io.pbxbridge.fax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.pbxbridge.monema.MonemaConnectionException;

/** The decisions of FaxJobs that the route tests cannot set up on purpose. */
class FaxJobsTest {

    @Test
    void theDelayBetweenAttemptsDoublesUpToTheMaximum() {
        FaxJobs jobs = new FaxJobs();
        jobs.setRetryDelay(2000);
        jobs.setRetryMaxDelay(300_000);
        assertEquals(2000, jobs.backoff(0));
        assertEquals(2000, jobs.backoff(1));
        assertEquals(4000, jobs.backoff(2));
        assertEquals(256_000, jobs.backoff(8));
        assertEquals(300_000, jobs.backoff(9));
        assertEquals(300_000, jobs.backoff(10_000));
    }

    @Test
    void maxWaitIsWrittenAsADuration() {
        FaxJobs jobs = new FaxJobs();
        assertEquals(Duration.ofHours(24), jobs.getMaxWait(), "the default");
        jobs.setMaxWait("8h");
        assertEquals(Duration.ofHours(8), jobs.getMaxWait());
        jobs.setMaxWait("1h30m");
        assertEquals(Duration.ofMinutes(90), jobs.getMaxWait());
        jobs.setMaxWait("PT2H");
        assertEquals(Duration.ofHours(2), jobs.getMaxWait());
        jobs.setMaxWait("5000");
        assertEquals(Duration.ofSeconds(5), jobs.getMaxWait());
    }

    @Test
    void onlyASendThatCannotHaveBeenCarriedOutIsSentAgain() {
        // connection refused: C_sendFax never reached the server
        assertTrue(FaxJobs.provesNotSent(new MonemaConnectionException("C_sendFax", "ConnectException", "refused",
                new ConnectException("Connection refused"))));
        // read timeout: the server may have sent the fax
        assertFalse(FaxJobs.provesNotSent(new MonemaConnectionException("C_sendFax", "SocketTimeoutException",
                "no answer", new SocketTimeoutException("Read timed out"))));
        assertFalse(FaxJobs.provesNotSent(new IllegalStateException("not a vendor's failure")));
    }
}
