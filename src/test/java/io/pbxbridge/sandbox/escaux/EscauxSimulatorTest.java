package io.pbxbridge.sandbox.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

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

    static String read(InputStream in, int n) throws Exception {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }
}
