package io.pbxbridge.sandbox.metasec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The simulator over raw HTTP, with the spec's URLs as it writes them (webtapi.php, SID in the query, the login a
 * POST of AUTH[user] and AUTH[pass]), independent of the component.
 */
class MetasecSimulatorTest {

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(MetasecSimulator sim, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + "?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String body(MetasecSimulator sim, String query) throws Exception {
        return get(sim, query).body();
    }

    HttpResponse<String> post(MetasecSimulator sim, String query, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + (query == null ? "" : "?" + query)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String form(String user, String pass) {
        return "action=login&" + URLEncoder.encode("AUTH[user]", StandardCharsets.UTF_8) + "=" + user + "&"
                + URLEncoder.encode("AUTH[pass]", StandardCharsets.UTF_8) + "=" + pass;
    }

    String login(MetasecSimulator sim) throws Exception {
        String sid = post(sim, null, form("1004", "sandbox-secret")).body();
        assertTrue(sid.matches("[0-9a-f]{32}"), sid);
        return sid;
    }

    @Test
    void loginOnlyByPostWithTheCredentialsInTheForm() throws Exception {
        try (MetasecSimulator sim = MetasecSimulator.builder().start()) {
            String auth = "AUTH%5Buser%5D=1004&AUTH%5Bpass%5D=sandbox-secret";
            assertEquals("0", body(sim, "action=login&" + auth));
            assertEquals("0", post(sim, "action=login&" + auth, "x=1").body(), "credentials in the URL");
            assertEquals("0", post(sim, null, form("1004", "wrong")).body());
            assertEquals(2, sim.refusedGetLogins());
            String sid = login(sim);
            // the action may be left out of a POST of AUTH[...]
            String other = post(sim, null, auth).body();
            assertTrue(other.matches("[0-9a-f]{32}") && !other.equals(sid));
            assertEquals(5, sim.requestCount("login"));
            assertEquals(2, sim.sessionCount());
            // no or a wrong SID: 0
            assertEquals("0", body(sim, "action=relay_list"));
            assertEquals("0", body(sim, "action=relay_list&SID=198340c107a6d74c2230a1f39fb146bc"));
            assertEquals("17!Tuer!0\n18!Tor!0\n19!Licht!1\n", body(sim, "SID=" + sid + "&action=relay_list"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=no_such_action"));
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(sim.address() + "/webtapi.php?action=q_list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void theSpecsCallExampleRingsThenBridges() throws Exception {
        try (MetasecSimulator sim = MetasecSimulator.builder().ringTime(null).prioCloseTime(Duration.ofMillis(50))
                .start()) {
            String sid = login(sim);
            // User 1004 calls destination 1001, as the spec's request example
            assertEquals("1", body(sim, "SID=" + sid + "&action=call&src=1004&dst=1001"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=call&src=1004&dst=4711"));
            List<String> lines = lines(body(sim, "SID=" + sid + "&action=call_list_all"));
            assertEquals(2, lines.size(), lines.toString());
            String[] a = lines.get(0).split("!", -1);
            String[] b = lines.get(1).split("!", -1);
            assertEquals(13, a.length, lines.get(0));
            assertTrue(a[0].startsWith("SIP/1004-"), a[0]);
            assertEquals(List.of("Callme", "1001", "Ring", "Dial"), Arrays.asList(a).subList(1, 5));
            assertEquals(List.of("1004", "Lukas", "1004", "3"), Arrays.asList(a).subList(6, 10));
            assertEquals("(None)", a[11]);
            assertTrue(a[12].matches("\\d{10}\\.\\d+"), a[12]);
            assertEquals("Ringing", b[3]);
            assertEquals(8, sim.extensionState("1001"));
            assertEquals("1001!8\n1004!1\n4711!-1\n", body(sim, "SID=" + sid + "&action=call_status_get&filter=1001,1004,4711"));

            assertTrue(sim.answer(b[0]));
            lines = lines(body(sim, "SID=" + sid + "&action=call_list"));
            assertEquals("Up", lines.get(0).split("!")[3]);
            assertEquals(b[0], lines.get(0).split("!")[11]);
            assertEquals(a[0], lines.get(1).split("!")[11]);

            // record, DTMF, spy, hang up
            String file = body(sim, "SID=" + sid + "&action=call_record_start&chan=" + a[0]);
            assertTrue(file.matches("[0-9a-f]{32}_\\d{10}\\.wav"), file);
            assertEquals("lukas_223344.wav", body(sim, "SID=" + sid + "&action=call_record_start&chan=" + b[0]
                    + "&monitor_file=lukas_223344"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=call_record_stop&chan=" + a[0]));
            assertEquals("0", body(sim, "SID=" + sid + "&action=call_record_stop&chan=" + a[0]));
            assertEquals(file + "\nlukas_223344.wav\n", body(sim, "SID=" + sid + "&action=call_record_list"));
            HttpResponse<byte[]> wav = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "?SID=" + sid
                    + "&action=call_record_get&monitor_file=" + file)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("audio/x-wav", wav.headers().firstValue("Content-Type").orElse(null));
            assertArrayEquals("RIFF".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(wav.body(), 4));
            assertEquals("0", body(sim, "SID=" + sid + "&action=call_record_get&monitor_file=nope.wav"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=chan_play_dtmf&chan=" + a[0] + "&tone=1234"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=chan_play_dtmf&tone=1234"), "the spec's example lacks chan");
            assertEquals("1234", sim.channel(a[0]).dtmf());
            assertEquals("1", body(sim, "SID=" + sid + "&action=chan_monitor&chan=" + a[0] + "&dst=1002"));
            assertEquals(List.of("1002 -> " + a[0]), sim.monitors());
            assertEquals("1", body(sim, "SID=" + sid + "&action=call_hangup&chan=" + a[0]));
            assertEquals("0", body(sim, "SID=" + sid + "&action=call_hangup&chan=" + a[0]));
            assertFalse(sim.recordingActive("lukas_223344.wav"), "a hang-up ends the recording");
            assertEquals(1, sim.channels().size(), "the spy's leg is left");

            // call_prio closes every channel of the target first, then 1004 calls it
            assertEquals("1", body(sim, "SID=" + sid + "&action=call&src=1002&dst=1003"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=call_prio&dst=1003"));
            List<SimChannel> now = sim.channels();
            assertEquals(3, now.size(), now.toString());
            assertEquals("1004", now.get(1).device());
            assertEquals("1003", now.get(2).device());
        }
    }

    @Test
    void queuesAgentsAndWaitingCallers() throws Exception {
        try (MetasecSimulator sim = MetasecSimulator.builder().ringTime(null).start()) {
            String sid = login(sim);
            assertEquals("VMX!7777!ringall!0!1\nHOTLINE!7778!leastrecent!0!0\n", body(sim, "SID=" + sid + "&action=q_list"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=agent_login&q_name=VMX"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=agent_login&q_name=VMX"));
            assertEquals(List.of("1001", "1004"), sim.agents("VMX"));
            assertEquals("SIP/1001!Empfang!0!0!0!0\nSIP/1004!Lukas!0!0!0!0\n",
                    body(sim, "SID=" + sid + "&action=agent_list&q_name=VMX"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=agent_logout&q_name=VMX"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=agent_logout&q_name=VMX"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=agent_list&q_name=NOPE"));

            SimChannel c1 = sim.incomingCall("+493011111", "7777");
            SimChannel c2 = sim.incomingCall("+493022222", "7777");
            SimChannel c3 = sim.incomingCall("+493033333", "7777");
            List<String> waiting = lines(body(sim, "SID=" + sid + "&action=q_waiting_list&q_name=VMX"));
            assertEquals(3, waiting.size());
            assertTrue(waiting.get(0).startsWith("1!" + c1.name() + "!+493011111!"), waiting.get(0));
            assertEquals("0", body(sim, "SID=" + sid + "&action=q_waiting_list"), "the spec's example lacks q_name");
            assertEquals("1", body(sim, "SID=" + sid + "&action=q_shift_caller&q_name=VMX&chan=" + c3.name()
                    + "&position=1"));
            assertEquals(List.of(c3.name(), c1.name(), c2.name()), sim.waitingCallers("VMX"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=q_shift_caller&q_name=VMX&chan=" + c3.name()
                    + "&position=9"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=q_caller_del&q_name=VMX&chan=" + c1.name()));
            assertEquals(List.of(c3.name(), c2.name()), sim.waitingCallers("VMX"));
            // the first caller goes to the free agent 1001: a line like the spec's sample
            assertTrue(sim.answer(c3.name()));
            List<String> inQueue = lines(body(sim, "SID=" + sid + "&action=q_call_list&q_name=VMX"));
            String[] f = inQueue.stream().filter(l -> l.startsWith(c3.name() + "!")).findFirst().orElseThrow()
                    .split("!", -1);
            assertEquals(List.of(c3.name(), "from-trunk", "7777", "Up", "Queue", "VMX,i", "+493033333"),
                    Arrays.asList(f).subList(0, 7));
            assertTrue(f[11].startsWith("SIP/1001-"), f[11]);
        }
    }

    @Test
    void camerasRelaysConferencesAndFaults() throws Exception {
        try (MetasecSimulator sim = MetasecSimulator.builder().ringTime(Duration.ofMillis(1)).streamFrames(3)
                .streamFrameInterval(Duration.ofMillis(10)).start()) {
            String sid = login(sim);
            assertEquals("44!Eingang!online\n45!Parkplatz!online\n46!Lager!online\n",
                    body(sim, "SID=" + sid + "&action=vmx_cam_list"));
            HttpResponse<byte[]> pic = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "?SID=" + sid
                    + "&action=vmx_cam_get_pic&CAMID=44")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("image/jpeg", pic.headers().firstValue("Content-Type").orElse(null));
            assertEquals((byte) 0xFF, pic.body()[0]);
            assertEquals((byte) 0xD8, pic.body()[1]);
            HttpResponse<byte[]> stream = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "?SID=" + sid
                    + "&action=vmx_cam_get_stream&CAMID=45")).build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(stream.body(), StandardCharsets.ISO_8859_1);
            assertEquals(3, text.split("Content-Type: image/jpeg", -1).length - 1);
            assertTrue(text.endsWith("--webtapiframe--\r\n"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=vmx_cam_s_record&CAMID=44&duration=10"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=vmx_cam_p_save&CAMID=44"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=vmx_cam_p_save&CAMID=99"));
            assertEquals(List.of(10), sim.streamRecordings(44));
            assertEquals(1, sim.savedPictures(44));

            assertEquals("0", body(sim, "SID=" + sid + "&action=relay_status_get&relay_id=17"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=relay_status_set&relay_id=17&status=1"));
            assertEquals("1", body(sim, "SID=" + sid + "&action=relay_status_get&relay_id=17"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=relay_status_set&relay_id=99&status=1"));
            assertEquals(1, sim.relaySwitches("17"));

            assertEquals("1", body(sim, "SID=" + sid + "&action=call_create_conf&stations=1001,1002,1003&break=true"));
            assertEquals("0", body(sim, "SID=" + sid + "&action=call_create_conf&stations=1001,1005"),
                    "1001 is busy and break is not true");
            assertEquals(3, sim.conferences().get("9100").size());

            // faults
            sim.faults().malformedLines(true);
            List<String> broken = lines(body(sim, "SID=" + sid + "&action=call_list_all"));
            assertTrue(broken.contains("<br />") && broken.contains("SIP/1009-000000ff!Callme!7777"), broken.toString());
            sim.faults().reset();
            sim.faults().refuseNext("relay_list");
            assertEquals("0", body(sim, "SID=" + sid + "&action=relay_list"));
            sim.faults().failNext("relay_list", 503);
            assertEquals(503, get(sim, "SID=" + sid + "&action=relay_list").statusCode());
            sim.faults().expireSessions();
            assertEquals("0", body(sim, "SID=" + sid + "&action=relay_list"));
            assertEquals(3, sim.requestCount("relay_list"));
            String again = login(sim);
            long start = System.nanoTime();
            sim.faults().slowNext("q_list", Duration.ofMillis(300));
            assertNotNull(body(sim, "SID=" + again + "&action=q_list"));
            assertTrue(System.nanoTime() - start >= 300_000_000L);
        }
    }

    @Test
    void sessionsExpireWhenIdleAndTheTrickleMakesCalls() throws Exception {
        try (MetasecSimulator sim = MetasecSimulator.builder().sessionIdleTimeout(Duration.ofMillis(200))
                .callTrickle(Duration.ofMillis(50)).ringTime(Duration.ofMillis(20)).asteriskChannelLines(true)
                .start()) {
            String sid = login(sim);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (sim.channels().size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> lines = lines(body(sim, "SID=" + sid + "&action=call_list_all"));
            assertTrue(lines.size() >= 4, lines.toString());
            assertEquals(14, lines.get(0).split("!", -1).length, "Asterisk's concise line: " + lines.get(0));
            Thread.sleep(300);
            assertEquals("0", body(sim, "SID=" + sid + "&action=call_list_all"));
        }
    }

    static List<String> lines(String body) {
        return body.isEmpty() ? List.of() : List.of(body.split("\n"));
    }
}
