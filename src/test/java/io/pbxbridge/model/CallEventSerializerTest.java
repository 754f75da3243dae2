package io.pbxbridge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.pbxbridge.escaux.EscauxEvents;
import io.pbxbridge.support.Json;

/** The hand-written serializer writes what Jackson's bean serializer writes from CallEvent's annotations. */
class CallEventSerializerTest {

    static final ObjectMapper GENERIC = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void sameJsonAsTheBeanSerializer() throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ParkSlot", "701");
        details.put("quote\"and\\slash", "tab\tnewline\n\u00e9\u20ac\ud83d\ude00");
        details.put("count", 3);
        details.put("nested", Map.of("a", List.of(1, "b")));
        details.put("nothing", null);
        List<CallEvent> events = List.of(
                new CallEvent("id-1", "escaux", "sop", "call.ringing", "SIP/1", "SIP/1-a", "+3223456789", "102",
                        Direction.INBOUND, "Ringing", Instant.parse("2026-11-22T09:00:00.123456789Z"), details,
                        "<evNewOrigChannel><Channel>SIP/1</Channel></evNewOrigChannel>"),
                new CallEvent(null, null, null, null, null, null, null, null, null, null, null, null, null),
                new CallEvent("id-2", "monema", null, "call.ended", null, "leg", null, null, Direction.UNKNOWN, null,
                        Instant.EPOCH, Map.of(), ""),
                EscauxEvents.toCallEvent("<evParked><Channel>SIP/x</Channel><ParkSlot>70&amp;1</ParkSlot></evParked>",
                        "127.0.0.1", "id-3", Instant.parse("2026-11-22T09:00:00Z")));
        for (CallEvent e : events) {
            assertEquals(GENERIC.writeValueAsString(e), Json.write(e));
            assertEquals(e, Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(e), CallEvent.class));
        }
    }
}
