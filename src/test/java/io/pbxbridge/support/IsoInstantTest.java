package io.pbxbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void sameTextAsInstantToString() {
        SplittableRandom random = new SplittableRandom(7);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() - 86_400 * 3;
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 86_400 * 3;
        for (int i = 0; i < 1_000_000; i++) {
            long seconds = random.nextLong(min, max);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            assertEquals(t.toString(), IsoInstant.format(t));
        }
    }

    @Test
    void edges() {
        for (String s : new String[] { "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
                "2000-02-29T12:00:00.100Z", "1900-03-01T00:00:00.000001Z", "2026-11-22T09:00:00.123456789Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z" }) {
            Instant t = Instant.parse(s);
            assertEquals(t.toString(), IsoInstant.format(t), s);
        }
        assertEquals(Instant.MAX.toString(), IsoInstant.format(Instant.MAX));
        assertEquals(Instant.MIN.toString(), IsoInstant.format(Instant.MIN));
    }

    @Test
    void jsonUsesIt() {
        Instant t = Instant.parse("2026-11-22T09:00:00.120Z");
        assertEquals("\"2026-11-22T09:00:00.120Z\"", Json.write(t));
    }
}
