package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Kolmisoft's hash rule: lowercase hex SHA-1 of the values in order, then the API secret key. */
class MorHashTest {

    @Test
    void kolmisoftsPublishedExample() {
        // user_id 123, period_start 2009-09-09 00:03 UTC as epoch seconds, calltype answered
        assertEquals("b93c35d5c6183288322122561a3da7e09abb63b7",
                MorHash.of(List.of("123", "1252454580", "answered"), "Very Sercet Key"));
    }

    @Test
    void emptyAndAbsentValuesAreSkippedAndTheOrderCounts() {
        String expected = MorHash.of(List.of("123", "1252454580", "answered"), "Very Sercet Key");
        assertEquals(expected, MorHash.of(Arrays.asList("123", "", "1252454580", null, "answered"), "Very Sercet Key"));
        assertNotEquals(expected, MorHash.of(List.of("1252454580", "123", "answered"), "Very Sercet Key"));
        // a page without parameters: user_id alone
        assertTrue(MorHash.of(List.of("2"), "k").matches("[0-9a-f]{40}"));
        assertEquals(MorHash.of(List.of("2sandbox-api-key"), ""), MorHash.of(List.of("2"), "sandbox-api-key"));
    }
}
