package io.pbxbridge.vendor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheFirstDelayUpToTheMax() {
        Backoff backoff = new Backoff(50, 400);
        assertEquals(List.of(50L, 100L, 200L, 400L, 400L, 400L), List.of(backoff.delay(0), backoff.delay(1),
                backoff.delay(2), backoff.delay(3), backoff.delay(4), backoff.delay(1000)));
    }

    @Test
    void eachFailureWaitsLongerUntilASuccessResetsIt() {
        Backoff backoff = new Backoff(100, 1000);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(backoff.failed());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L), delays);
        assertEquals(6, backoff.failures());

        backoff.reset();
        assertEquals(0, backoff.failures());
        assertEquals(100, backoff.failed());
        assertEquals(200, backoff.failed());
    }

    @Test
    void aMaxBelowTheFirstDelayKeepsTheFirstDelay() {
        Backoff backoff = new Backoff(500, 100);
        assertEquals(500, backoff.delay(0));
        assertEquals(500, backoff.delay(5));
    }

    @Test
    void noDelayIsBelowOneMillisecondNorOverflows() {
        assertEquals(1, new Backoff(0, 10).delay(0));
        assertEquals(8, new Backoff(0, 10).delay(3));
        Backoff huge = new Backoff(Long.MAX_VALUE / 3, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, huge.delay(2));
        assertEquals(Long.MAX_VALUE, huge.delay(64));
    }
}
