package io.pbxbridge.sandbox.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.support.Json;

/** The simulator over raw HTTP and a raw socket, as the spec's URLs write it. */
class EscauxSimulatorTest {

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(EscauxSimulator sim, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.address() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void urlsAsTheSpecWritesThem() throws Exception {
        try (EscauxSimulator sim = EscauxSimulator.builder().start()) {
            // no extension and lower-case names, as in the spec's ccRecord / ccSetvar / pumLogin examples
            assertTrue(get(sim, "/xml/ccPing").body().contains("<Result>0</Result>"));
            assertTrue(get(sim, "/xml/ccSetvar?channel_id=none&variable=a&value=b").body().contains("<Result>1</Result>"));
            assertEquals(200, get(sim, "/xml/dbGetDirectoryInfo.php?ext=6*&wildcards=translate").statusCode());
            assertTrue(get(sim, "/xml/dbGetDirectoryInfo.php?login=sergey@google.com").body()
                    .contains("<login>sergey@google.com</login>"));
            // XML-only operations have no .json, JSON-only ones no .php
            assertEquals(404, get(sim, "/xml/dbGetParkedChannels.json").statusCode());
            assertEquals(404, get(sim, "/xml/dbAuthenticate.json?ext=102").statusCode());
            assertEquals(404, get(sim, "/xml/fusionQueuesSet.php?queues=GeneralQ2&phone=SDX60001").statusCode());
            assertEquals(404, get(sim, "/xml/noSuchOperation.php").statusCode());
            // dbAuthenticate's Error element for a bad command
            assertEquals("<Authenticate><Error>Bad command XXXXXX</Error></Authenticate>",
                    get(sim, "/xml/dbAuthenticate.php?ext=102&command=XXXXXX").body());
            // dbSetProfileParameters in both formats
            assertEquals("{\"Result\":1}", get(sim, "/xml/dbSetProfileParameters.json?ext=512&CFU.Number=526").body());
            assertEquals("{\"Result\":0}", get(sim, "/xml/dbSetProfileParameters.json?ext=102&CFU.Number=527").body());
            assertTrue(get(sim, "/xml/dbSetProfileParameters.php?ext=102&CFU.Number=526").body()
                    .contains("<ResultText>OK</ResultText>"));
            assertEquals("526", sim.user("102").param("CFU.Number"));
            // the spec's example directory call with strict wildcards
            String strict = get(sim, "/xml/dbGetDirectoryInfo.json?ext=67%25&wildcards=strict").body();
            assertTrue(strict.contains("\"671\"") && strict.contains("\"672\"") && !strict.contains("\"067\""), strict);
        }
    }

    @Test
    void eventSocketEmitsPongsParkedAndFaults() throws Exception {
        try (EscauxSimulator sim = EscauxSimulator.builder().start();
             Socket socket = new Socket("127.0.0.1", sim.eventPort())) {
            assertTrue(sim.awaitEventConnections(1, Duration.ofSeconds(5)));
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            get(sim, "/xml/ccPing.php");
            assertEquals("<evPong/>\n", read(in, "<evPong/>\n".length()));

            SimChannel c = sim.incomingCall("104", "102");
            String ring = "<evNewOrigChannel>\n<Channel>" + c.id() + "</Channel>\n<CallerId>104</CallerId>\n"
                    + "<Extension>102</Extension>\n</evNewOrigChannel>\n";
            assertEquals(ring, read(in, ring.length()));
            get(sim, "/xml/ccPark.php?channel_id=" + c.id());
            String parked = "<evParked>\n<ParkSlot>701</ParkSlot>\n<Channel>" + c.id() + "</Channel>\n</evParked>\n";
            assertEquals(parked, read(in, parked.length()));

            sim.faults().garbageBetweenEvents("##");
            sim.faults().stopAnsweringPings(true);
            get(sim, "/xml/ccPing.php");
            sim.emit("<evX/>");
            assertEquals("##<evX/>", read(in, 8));
            assertEquals(1, sim.pongsSent());

            sim.faults().dropEventConnections();
            assertEquals(-1, in.read());
        }
    }

    @Test
    void callHistoryIsTheCdrTableOrderedByTimestampThenLimited() throws Exception {
        ZoneId honolulu = ZoneId.of("Pacific/Honolulu");
        try (EscauxSimulator sim = EscauxSimulator.builder().timeZone(honolulu).start()) {
            Instant t0 = Instant.parse("2030-01-01T10:00:00Z");
            List<String> first = sim.addCallRecords("900", t0, Duration.ofSeconds(10), 5);
            // written late: a call of 10:00:15, between the second and the third
            String late = sim.addCallRecord(t0.plusSeconds(15), "+3223456789", "900", Duration.ofSeconds(30),
                    Duration.ofSeconds(20), "900");
            // a call that touched two extensions: one uniqueid in both histories, seen from each
            String shared = sim.addCallRecord(t0.plusSeconds(100), "900", "901", Duration.ofSeconds(9),
                    Duration.ofSeconds(7), "900", "901");
            Map<String, String> absurd = new HashMap<>();
            absurd.put("duration", "n/a");
            absurd.put("uniqueid", null);
            sim.addBrokenCallRecord("900", t0.plusSeconds(200), absurd);

            List<JsonNode> all = history(sim, "900", 50, LocalDateTime.ofInstant(t0.minusSeconds(1), honolulu));
            assertEquals(List.of(first.get(0), first.get(1), late, first.get(2), first.get(3), first.get(4), shared),
                    all.subList(0, 7).stream().map(c -> c.path("uniqueid").asText()).toList());
            // local times in the SOP's zone
            assertEquals("2030-01-01 00:00:15", all.get(2).path("timestamp").asText());
            assertEquals("n/a", all.get(7).path("duration").asText());
            assertTrue(all.get(7).path("uniqueid").isMissingNode(), all.get(7).toString());
            assertEquals("001", all.get(6).path("disposition").asText());
            JsonNode other = history(sim, "901", 50, LocalDateTime.ofInstant(t0, honolulu)).get(0);
            assertEquals(shared, other.path("uniqueid").asText());
            assertEquals("201", other.path("disposition").asText());

            // the limit after the order, and start_date exclusive: after 10:00:10 come 10:00:15 and 10:00:20
            List<JsonNode> two = history(sim, "900", 2, LocalDateTime.ofInstant(t0.plusSeconds(10), honolulu));
            assertEquals(List.of(late, first.get(2)), two.stream().map(c -> c.path("uniqueid").asText()).toList());

            // a failure result after two good answers
            sim.faults().failAfter("dbGetCallHistory", 2, EscauxFaults.HttpFailure.ERROR_RESULT);
            String query = "/xml/dbGetCallHistory.json?ext=900&limit=1&start_date="
                    + URLEncoder.encode("2000-01-01 00:00:00", StandardCharsets.UTF_8);
            assertTrue(get(sim, query).body().startsWith("{\"CallHistory\":[{"));
            assertTrue(get(sim, query).body().startsWith("{\"CallHistory\":[{"));
            assertEquals("{\"Result\":1,\"Error\":\"database error\"}", get(sim, query).body());
            assertTrue(get(sim, query).body().startsWith("{\"CallHistory\":[{"));
        }
    }

    List<JsonNode> history(EscauxSimulator sim, String ext, int limit, LocalDateTime after) throws Exception {
        String start = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(after);
        String body = get(sim, "/xml/dbGetCallHistory.json?ext=" + ext + "&limit=" + limit + "&start_date="
                + URLEncoder.encode(start, StandardCharsets.UTF_8)).body();
        List<JsonNode> out = new ArrayList<>();
        Json.MAPPER.readTree(body).path("CallHistory").forEach(out::add);
        return out;
    }

    static String read(InputStream in, int n) throws Exception {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }
}
