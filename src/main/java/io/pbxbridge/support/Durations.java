package io.pbxbridge.support;

import java.time.Duration;
import java.util.Locale;

import org.apache.camel.util.TimeUtils;

/** Durations as settings write them. */
public final class Durations {

    private Durations() {
    }

    /** {@code 24h}, {@code 90m}, {@code 1h30m} (Camel's TimeUtils), ISO-8601 ({@code PT24H}) or milliseconds. */
    public static Duration parse(String text) {
        String v = text.trim();
        return v.toUpperCase(Locale.ROOT).startsWith("P") ? Duration.parse(v) : TimeUtils.toDuration(v);
    }
}
