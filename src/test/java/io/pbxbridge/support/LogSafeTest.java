package io.pbxbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void controlCharactersCannotStartANewLogLine() {
        assertEquals("a.pdf\\nERROR [main] Fake - injected\\r\\t\\u001b[31m",
                LogSafe.text("a.pdf\nERROR [main] Fake - injected\r\t\u001b[31m"));
        assertEquals("x\\u2028y\\u202ez\\u0085", LogSafe.text("x\u2028y\u202ez\u0085"));
        assertEquals("plain café №5 +34 (91) 000", LogSafe.text("plain café №5 +34 (91) 000"));
        assertEquals("null", LogSafe.text(null));
    }

    @Test
    void longValuesAreCutWithTheirOriginalLength() {
        String huge = "5".repeat(5_000_000);
        String logged = LogSafe.text(huge);
        assertEquals("5".repeat(256) + "…(5000000 chars)", logged);
        assertEquals("ab…(5 chars)", LogSafe.truncate("ab\ncd", 2));
        assertEquals("ab\ncd", LogSafe.truncate("ab\ncd", 5), "JSON fields keep their characters: JSON escapes them");
        assertNull(LogSafe.truncate((String) null, 3));
        // a cut never splits a character outside the BMP in two
        assertEquals("a…(3 chars)", LogSafe.truncate("a\uD83D\uDCE0", 2));
    }

    @Test
    void listsAreBoundedInItemsAndLength() {
        List<String> many = Collections.nCopies(1500, "15550001");
        List<String> kept = LogSafe.truncate(many, 1000);
        assertEquals(1001, kept.size());
        assertEquals("…(500 more)", kept.get(1000));
        List<String> one = LogSafe.truncate(List.of("1".repeat(10_000)), 1000);
        assertTrue(one.get(0).endsWith("…(10000 chars)") && one.get(0).length() < 300, one.get(0));
        assertNull(LogSafe.truncate((List<?>) null, 3));
    }
}
