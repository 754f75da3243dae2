package io.pbxbridge.escaux;

import java.time.Duration;

/**
 * A {@code pumLogin}/{@code pumLogout} for an extension within the spec's minimum interval (90 s) of the previous
 * one: the SOP would answer an error, so the call is not made. {@link #getRetryAfter()} says when it may be.
 */
public class EscauxPumIntervalException extends EscauxValidationException {

    private final Duration retryAfter;

    public EscauxPumIntervalException(String operation, String ext, Duration minInterval, Duration retryAfter) {
        super(operation, "PUM_INTERVAL", "less than " + minInterval.toSeconds() + " s since the last PUM call",
                operation + ": the last pumLogin/pumLogout for extension " + ext + " was less than "
                        + minInterval.toSeconds() + " s ago (the SOP refuses calls closer together); retry in "
                        + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s");
        this.retryAfter = retryAfter;
    }

    /** How long to wait before the call is allowed. */
    public Duration getRetryAfter() {
        return retryAfter;
    }
}
