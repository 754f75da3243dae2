package io.pbxbridge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.pbxbridge.escaux.EscauxEvents;
import io.pbxbridge.support.Json;

/** The fast writer gives the very bytes Jackson gives, and leaves to Jackson what it does not take. */
class CallEventJsonTest {

    static void assertSameAsJackson(CallEvent e) throws Exception {
        byte[] fast = CallEventJson.bytes(e);
        assertNotNull(fast, e::toString);
        assertArrayEquals(Json.MAPPER.writeValueAsBytes(e), fast, () -> new String(fast));
    }

    @Test
    void sameBytesAsJackson() throws Exception {
        StringBuilder ascii = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            ascii.append(c);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ParkSlot", "701");
        details.put("every ASCII character", ascii.toString());
        details.put(ascii.toString(), "");
        details.put("nothing", null);
        assertSameAsJackson(new CallEvent("id-1", "escaux", "sop", "call.ringing", "SIP/1", "SIP/1-a", "+3223456789",
                "102", Direction.INBOUND, "Ringing", Instant.parse("2026-11-22T09:00:00.123456789Z"), details,
                "<evNewOrigChannel>\n<Channel>SIP/1</Channel>\r\n</evNewOrigChannel>"));
        assertSameAsJackson(new CallEvent(null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertSameAsJackson(new CallEvent("id-2", "monema", null, "call.ended", null, "leg", null, null,
                Direction.UNKNOWN, null, Instant.EPOCH, Map.of(), ""));
        assertSameAsJackson(new CallEvent(null, null, null, null, null, null, null, null, null, null, null, null,
                "only raw"));
        assertSameAsJackson(EscauxEvents.toCallEvent(
                "<evParked><Channel>SIP/x</Channel><ParkSlot>70&amp;1</ParkSlot></evParked>", "127.0.0.1", "id-3",
                Instant.parse("2026-11-22T09:00:00Z")));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            for (int j = random.nextInt(4); j > 0; j--) {
                d.put(text(random), random.nextInt(5) == 0 ? null : text(random));
            }
            assertSameAsJackson(new CallEvent(text(random), text(random), null, text(random), text(random), null,
                    text(random), text(random), Direction.values()[random.nextInt(Direction.values().length)],
                    text(random), Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)),
                    random.nextBoolean() ? d : null, text(random)));
        }
    }

    static String text(Random random) {
        char[] c = new char[random.nextInt(40)];
        for (int i = 0; i < c.length; i++) {
            c[i] = random.nextInt(4) == 0 ? (char) random.nextInt(0x20) : (char) (0x20 + random.nextInt(0x60));
        }
        return new String(c);
    }

    @Test
    void leavesNonAsciiTextAndOtherDetailsToJackson() {
        assertNull(CallEventJson.bytes(new CallEvent("id", null, null, null, null, null, "caf\u00e9", null, null,
                null, null, null, null)));
        assertNull(CallEventJson.bytes(new CallEvent("id", null, null, null, null, null, null, null, null, null, null,
                Map.of("count", 3), null)));
        assertNull(CallEventJson.bytes(new CallEvent("id", null, null, null, null, null, null, null, null, null, null,
                Map.of("k", List.of("a")), null)));
        assertNull(CallEventJson.bytes(new CallEvent("id", null, null, null, null, null, null, null, null, null, null,
                null, "\ud83d\ude00")));
    }
}
