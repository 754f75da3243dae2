package io.pbxbridge.cdr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For a source whose records are written only when a call has ended, with the start the call had (records derived
 * from polled or pushed calls): the live window of its harvest, {@code (checkpoint - overlap, now - lag]}, must end
 * before the start of the earliest call still going on, or that call's record, written later, would fall into a
 * window already harvested. {@link #holdBack} makes the consumer's "now" no later than that start (to the second,
 * minus one) plus the lag, so the window ends there while the call goes on, and catches up once it has ended.
 */
public final class PendingCalls {

    private static final Logger LOG = LoggerFactory.getLogger(PendingCalls.class);

    private PendingCalls() {
    }

    /**
     * @param pendingSince the start of the earliest call whose record is still to come, or null (asked at each run)
     * @param lag          the consumer's lag
     */
    public static void holdBack(CallRecordConsumer consumer, Supplier<Instant> pendingSince, Duration lag) {
        consumer.setClock(new HeldBack(Clock.systemUTC(), pendingSince, lag, consumer.source()));
    }

    /** The clock the consumer's window is computed with: the real one, held back by the calls in progress. */
    private static final class HeldBack extends Clock {
        private final Clock clock;
        private final Supplier<Instant> pendingSince;
        private final Duration lag;
        private final String source;

        HeldBack(Clock clock, Supplier<Instant> pendingSince, Duration lag, String source) {
            this.clock = clock;
            this.pendingSince = pendingSince;
            this.lag = lag;
            this.source = source;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            Instant now = clock.instant();
            Instant pending;
            try {
                pending = pendingSince.get();
            } catch (RuntimeException e) {
                LOG.warn("CDR harvest {}: cannot tell which calls are still in progress ({}); the window ends at now - "
                        + "lag", source, e.toString());
                return now;
            }
            if (pending == null) {
                return now;
            }
            Instant bound = pending.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1).plus(lag);
            if (bound.isBefore(now)) {
                LOG.debug("CDR harvest {}: a call in progress since {}: the window ends at {}", source, pending,
                        bound.minus(lag));
                return bound;
            }
            return now;
        }
    }
}
