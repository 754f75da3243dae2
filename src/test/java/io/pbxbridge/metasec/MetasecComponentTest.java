package io.pbxbridge.metasec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.sandbox.metasec.SimChannel;
import io.pbxbridge.vendor.VendorException;

/** Every action of the metasec component against the simulator over HTTP: its result and its failure. */
class MetasecComponentTest {

    MetasecSimulator sim;
    CamelContext camel;
    ProducerTemplate template;

    @BeforeEach
    void start() {
        sim = MetasecSimulator.builder().ringTime(null).prioCloseTime(Duration.ofMillis(100)).streamFrames(3)
                .streamFrameInterval(Duration.ofMillis(10)).start();
        camel = new DefaultCamelContext();
        MetasecComponent component = new MetasecComponent();
        component.getConfiguration().setAddress(sim.address());
        component.getConfiguration().setPath(sim.path());
        component.getConfiguration().setUser(MetasecSimulator.DEFAULT_USER);
        component.getConfiguration().setPassword(MetasecSimulator.DEFAULT_PASSWORD);
        component.getConfiguration().setRequestTimeout(5000);
        camel.addComponent("metasec", component);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        sim.close();
    }

    <T> T call(String uri, Map<String, Object> headers, Class<T> type) {
        Exchange ex = send(uri, headers);
        if (ex.getException() != null) {
            throw new AssertionError(uri + " failed", ex.getException());
        }
        assertEquals("127.0.0.1/1004", ex.getMessage().getHeader(MetasecConstants.SOURCE));
        return type.cast(ex.getMessage().getBody());
    }

    void ok(String uri, Map<String, Object> headers) {
        MetasecAck ack = call(uri, headers, MetasecAck.class);
        assertEquals(uri.replaceFirst("\\?.*", ""), ack.action());
    }

    @SuppressWarnings("unchecked")
    <T> MetasecList<T> list(String uri, Map<String, Object> headers) {
        return call(uri, headers, MetasecList.class);
    }

    Exchange send(String uri, Map<String, Object> headers) {
        return template.request("metasec:" + uri, e -> e.getIn().setHeaders(new HashMap<>(headers)));
    }

    MetasecException failure(String uri, Map<String, Object> headers) {
        Exchange ex = send(uri, headers);
        assertNotNull(ex.getException(), "expected " + uri + " to fail");
        MetasecException e = assertInstanceOf(MetasecException.class, ex.getException());
        assertEquals(uri.replaceFirst("\\?.*", ""), e.getAction(), e.getMessage());
        assertEquals("metasec", e.getVendor());
        return e;
    }

    /** The WebTAPI's 0: refused, naming the action. */
    MetasecRefusedException refused(String uri, Map<String, Object> headers) {
        MetasecRefusedException e = assertInstanceOf(MetasecRefusedException.class, failure(uri, headers));
        assertEquals(VendorException.Kind.REFUSED, e.getKind());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains(e.getAction()), e.getMessage());
        return e;
    }

    MetasecValidationException invalid(String uri, Map<String, Object> headers) {
        MetasecValidationException e = assertInstanceOf(MetasecValidationException.class, failure(uri, headers));
        assertEquals(VendorException.Kind.INVALID_REQUEST, e.getKind());
        return e;
    }

    static Map<String, Object> h(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** 1004 calls 1001 through the component; returns the caller's and the callee's channels. */
    SimChannel[] call1004to1001() {
        ok("call", h(MetasecConstants.DST, "1001"));
        List<SimChannel> ch = sim.channels();
        return new SimChannel[] { ch.get(ch.size() - 2), ch.get(ch.size() - 1) };
    }

    @Test
    void loginHoldsASessionAndNeverShowsIt() {
        MetasecSessionInfo info = call("login", Map.of(), MetasecSessionInfo.class);
        assertEquals(new MetasecSessionInfo("1004", sim.url()), info);
        call("login", Map.of(), MetasecSessionInfo.class);
        assertEquals(1, sim.requestCount("login"));
        assertEquals(0, sim.refusedGetLogins());
        MetasecLoginException e = assertInstanceOf(MetasecLoginException.class,
                failure("login?user=1001&password=wrong", Map.of()));
        assertFalse(e.sessionMayHaveExpired());
        assertInstanceOf(MetasecValidationException.class, send("login?user=", Map.of()).getException());
    }

    @Test
    void callPickHangupAndPrio() {
        SimChannel[] legs = call1004to1001();
        assertEquals("1004", legs[0].device());
        assertEquals("Callme", legs[0].context());
        assertEquals("Ringing", legs[1].state());
        ok("call?src=1002", h(MetasecConstants.DST, "1003"));
        assertEquals(1, sim.channelsOf("1002").size());
        refused("call", h(MetasecConstants.DST, "4711"));
        invalid("call", Map.of());

        // the ringing leg is picked to 1005: 1004 now rings 1005
        ok("call_pick", h(MetasecConstants.CHAN, legs[1].name(), MetasecConstants.DST, "1005"));
        assertNull(sim.channel(legs[1].name()));
        assertEquals("Ringing", sim.channelsOf("1005").get(0).state());
        refused("call_pick", h(MetasecConstants.CHAN, "SIP/1009-00000001", MetasecConstants.DST, "1005"));
        invalid("call_pick", h(MetasecConstants.CHAN, legs[0].name()));

        ok("call_hangup", h(MetasecConstants.CHAN, legs[0].name()));
        assertTrue(sim.channelsOf("1004").isEmpty() && sim.channelsOf("1005").isEmpty());
        refused("call_hangup", h(MetasecConstants.CHAN, legs[0].name()));
        invalid("call_hangup", Map.of());

        // call_prio: 1003's running call is closed, then 1004 calls 1003
        ok("call_prio", h(MetasecConstants.DST, "1003"));
        assertTrue(sim.channelsOf("1002").isEmpty(), "1002's call to 1003 was closed");
        assertEquals(List.of("1004", "1003"), sim.channels().stream().map(SimChannel::device).toList());
        refused("call_prio", h(MetasecConstants.DST, "1004"));
        invalid("call_prio", Map.of());
    }

    @Test
    void callListsStatusAndConference() {
        SimChannel[] legs = call1004to1001();
        MetasecList<ChannelLine> all = list("call_list_all", Map.of());
        assertTrue(all.complete());
        assertEquals(2, all.size());
        ChannelLine a = all.get(0);
        assertEquals(legs[0].name(), a.channel());
        assertEquals("Callme", a.context());
        assertEquals("1001", a.extension());
        assertEquals("Dial", a.application());
        assertEquals("Lukas", a.callerIdName());
        assertFalse(a.isBridged());
        assertEquals(legs[0].uniqueId(), a.uniqueId());
        assertTrue(sim.answer(legs[1].name()));
        MetasecList<ChannelLine> mine = list("call_list", Map.of());
        assertEquals(legs[1].name(), mine.get(0).bridgedChannel());
        assertTrue(mine.get(1).isUp());
        assertEquals(2, ChannelLine.byUniqueId(mine).size());
        ok("call?src=1002", h(MetasecConstants.DST, "1003"));
        assertEquals(2, list("call_list", Map.of()).size(), "1002's call is not 1004's");
        assertEquals(4, list("call_list_all", Map.of()).size());
        sim.faults().refuseNext("call_list");
        sim.faults().refuseNext("call_list");
        refused("call_list", Map.of());
        sim.faults().failNext("call_list_all", 500);
        MetasecConnectionException down = assertInstanceOf(MetasecConnectionException.class,
                failure("call_list_all", Map.of()));
        assertTrue(down.isTransient());
        assertEquals("HTTP 500", down.getCode());

        MetasecList<ExtensionStatus> st = list("call_status_get", h(MetasecConstants.FILTER, List.of("1001", "1002",
                "1003", "4711")));
        assertEquals(List.of(new ExtensionStatus("1001", ExtensionState.IN_USE),
                new ExtensionStatus("1002", ExtensionState.IN_USE), new ExtensionStatus("1003", ExtensionState.RINGING),
                new ExtensionStatus("4711", ExtensionState.NOT_FOUND)), st.rows());
        sim.setUnavailable("1006", true);
        sim.setBusy("1005", true);
        MetasecList<ExtensionStatus> every = list("call_status_get", Map.of());
        assertEquals(6, every.size());
        assertEquals(ExtensionState.BUSY, every.get(4).state());
        assertEquals(ExtensionState.UNAVAILABLE, every.get(5).state());
        sim.faults().refuseNext("call_status_get");
        sim.faults().refuseNext("call_status_get");
        refused("call_status_get", Map.of());

        refused("call_create_conf?stations=1001,1005", Map.of()); // 1001 is in a call, break not given
        ok("call_create_conf?stations=1001,1005,1002", h(MetasecConstants.BREAK_CALLS, true));
        assertEquals(3, sim.conferences().get("9100").size());
        assertTrue(sim.channelsOf("1004").isEmpty(), "1001's call was broken");
        refused("call_create_conf?stations=1001,4711", Map.of());
        invalid("call_create_conf", Map.of());
    }

    @Test
    void recordings() throws Exception {
        SimChannel[] legs = call1004to1001();
        RecordingStarted started = call("call_record_start", h(MetasecConstants.CHAN, legs[0].name()),
                RecordingStarted.class);
        assertEquals(legs[0].name(), started.channel());
        assertTrue(started.fileName().matches("[0-9a-f]{32}_\\d{10}\\.wav"), started.fileName());
        RecordingStarted named = call("call_record_start?monitorFile=lukas_223344",
                h(MetasecConstants.CHAN, legs[1].name()), RecordingStarted.class);
        assertEquals("lukas_223344.wav", named.fileName());
        refused("call_record_start", h(MetasecConstants.CHAN, legs[1].name())); // already recorded
        invalid("call_record_start", Map.of());

        ok("call_record_stop", h(MetasecConstants.CHAN, legs[0].name()));
        assertFalse(sim.recordingActive(started.fileName()));
        refused("call_record_stop", h(MetasecConstants.CHAN, legs[0].name()));

        MetasecList<RecordingFile> files = list("call_record_list", Map.of());
        assertEquals(List.of(started.fileName(), "lukas_223344.wav"), files.rows().stream().map(RecordingFile::name)
                .toList());
        assertNotNull(files.get(0).time());
        sim.faults().refuseNext("call_record_list");
        sim.faults().refuseNext("call_record_list");
        refused("call_record_list", Map.of());

        try (MetasecFile wav = call("call_record_get", h(MetasecConstants.MONITOR_FILE, started.fileName()),
                MetasecFile.class)) {
            assertEquals("audio/x-wav", wav.contentType());
            assertEquals(started.fileName(), wav.name());
            byte[] header = wav.readNBytes(12);
            assertEquals("RIFF", new String(header, 0, 4, StandardCharsets.US_ASCII));
            assertEquals("WAVE", new String(header, 8, 4, StandardCharsets.US_ASCII));
            assertEquals(wav.contentLength() - 12, wav.readAllBytes().length);
        }
        refused("call_record_get", h(MetasecConstants.MONITOR_FILE, "nope.wav"));
        // a get is safe to repeat: the 0 was taken for an expired session once
        assertEquals(3, sim.requestCount("call_record_get"));
    }

    @Test
    void queuesAgentsAndWaitingCallers() {
        MetasecList<QueueInfo> queues = list("q_list", Map.of());
        assertEquals(List.of(new QueueInfo("VMX", "7777", "ringall", 0, 1, List.of()),
                new QueueInfo("HOTLINE", "7778", "leastrecent", 0, 0, List.of())), queues.rows());
        sim.faults().refuseNext("q_list");
        sim.faults().refuseNext("q_list");
        refused("q_list", Map.of());

        ok("agent_login?queue=VMX", Map.of());
        assertEquals(List.of("1001", "1004"), sim.agents("VMX"));
        refused("agent_login?queue=VMX", Map.of());
        refused("agent_login?queue=NOPE", Map.of());
        invalid("agent_login", Map.of());
        MetasecList<AgentInfo> agents = list("agent_list", h(MetasecConstants.QUEUE, "VMX"));
        assertEquals(List.of("SIP/1001", "SIP/1004"), agents.rows().stream().map(AgentInfo::agent).toList());
        assertEquals(ExtensionState.IDLE, agents.get(1).state());
        refused("agent_list", h(MetasecConstants.QUEUE, "NOPE"));
        ok("agent_logout?queue=VMX", Map.of());
        refused("agent_logout?queue=VMX", Map.of());
        assertEquals(List.of("1001"), sim.agents("VMX"));

        SimChannel c1 = sim.incomingCall("+493011111", "7777");
        SimChannel c2 = sim.incomingCall("+493022222", "7777");
        ok("call?src=1002&dst=7777", Map.of());
        MetasecList<WaitingCaller> waiting = list("q_waiting_list?queue=VMX", Map.of());
        assertEquals(3, waiting.size());
        assertEquals(new WaitingCaller(1, c1.name(), "+493011111", "+493011111", 0L, c1.uniqueId()).channel(),
                waiting.get(0).channel());
        assertEquals("Vertrieb", waiting.get(2).callerIdName());
        refused("q_waiting_list?queue=NOPE", Map.of());
        invalid("q_waiting_list", Map.of());

        ok("q_shift_caller?queue=VMX&position=1", h(MetasecConstants.CHAN, c2.name()));
        assertEquals(c2.name(), sim.waitingCallers("VMX").get(0));
        refused("q_shift_caller?queue=VMX&position=7", h(MetasecConstants.CHAN, c2.name()));
        invalid("q_shift_caller?queue=VMX&position=0", h(MetasecConstants.CHAN, c2.name()));
        invalid("q_shift_caller?queue=VMX", h(MetasecConstants.CHAN, c2.name()));

        ok("q_caller_del?queue=VMX", h(MetasecConstants.CHAN, c1.name()));
        assertNull(sim.channel(c1.name()));
        refused("q_caller_del?queue=VMX", h(MetasecConstants.CHAN, c1.name()));

        assertTrue(sim.answer(c2.name())); // the agent 1001 takes it
        MetasecList<ChannelLine> inQueue = list("q_call_list", h(MetasecConstants.QUEUE, "VMX"));
        ChannelLine served = ChannelLine.byUniqueId(inQueue).get(c2.uniqueId());
        assertEquals("Queue", served.application());
        assertEquals("VMX,i", served.data());
        assertEquals("1001", served.bridgedChannel().substring(4, 8));
        refused("q_call_list", h(MetasecConstants.QUEUE, "NOPE"));
    }

    @Test
    void cameras() throws Exception {
        MetasecList<Camera> cams = list("vmx_cam_list", Map.of());
        assertEquals(List.of("44", "45", "46"), cams.rows().stream().map(Camera::id).toList());
        assertEquals(Boolean.TRUE, cams.get(0).online());
        sim.faults().refuseNext("vmx_cam_list");
        sim.faults().refuseNext("vmx_cam_list");
        refused("vmx_cam_list", Map.of());

        try (MetasecFile jpeg = call("vmx_cam_get_pic?camId=44", Map.of(), MetasecFile.class)) {
            assertEquals("image/jpeg", jpeg.contentType());
            byte[] all = jpeg.readAllBytes();
            assertEquals(jpeg.contentLength(), all.length);
            assertEquals((byte) 0xFF, all[0]);
            assertEquals((byte) 0xD8, all[1]);
        }
        sim.setCameraOnline(45, false);
        refused("vmx_cam_get_pic?camId=45", Map.of());
        invalid("vmx_cam_get_pic", Map.of());

        try (MetasecFile stream = call("vmx_cam_get_stream", h(MetasecConstants.CAM_ID, "44"), MetasecFile.class)) {
            assertTrue(stream.contentType().startsWith("multipart/x-mixed-replace"), stream.contentType());
            assertEquals(-1, stream.contentLength());
            assertEquals(3, Mjpeg.frames(stream, stream.contentType()).size());
        }
        refused("vmx_cam_get_stream?camId=99", Map.of());

        ok("vmx_cam_s_record?camId=44&duration=15", Map.of());
        ok("vmx_cam_s_record?camId=46", Map.of());
        assertEquals(List.of(15), sim.streamRecordings(44));
        assertEquals(List.of(30), sim.streamRecordings(46));
        refused("vmx_cam_s_record?camId=45", Map.of());
        ok("vmx_cam_p_save", h(MetasecConstants.CAM_ID, "46"));
        assertEquals(1, sim.savedPictures(46));
        refused("vmx_cam_p_save?camId=45", Map.of());
        invalid("vmx_cam_p_save", Map.of());
    }

    @Test
    void dtmfAndMonitor() {
        SimChannel[] legs = call1004to1001();
        refused("chan_play_dtmf?tone=1234", h(MetasecConstants.CHAN, legs[0].name())); // not answered yet
        sim.answer(legs[1].name());
        ok("chan_play_dtmf?tone=12*#", h(MetasecConstants.CHAN, legs[0].name()));
        assertEquals("12*#", sim.channel(legs[0].name()).dtmf());
        invalid("chan_play_dtmf?tone=12x", h(MetasecConstants.CHAN, legs[0].name()));
        invalid("chan_play_dtmf?tone=1234", Map.of()); // the spec's example, without chan

        ok("chan_monitor?dst=1002", h(MetasecConstants.CHAN, legs[0].name()));
        assertEquals(List.of("1002 -> " + legs[0].name()), sim.monitors());
        assertEquals("ChanSpy", sim.channelsOf("1002").get(0).application());
        refused("chan_monitor?dst=4711", h(MetasecConstants.CHAN, legs[0].name()));
        invalid("chan_monitor", h(MetasecConstants.CHAN, legs[0].name()));
    }

    @Test
    void relays() {
        MetasecList<Relay> relays = list("relay_list", Map.of());
        assertEquals(List.of(new Relay("17", "Tuer", 0), new Relay("18", "Tor", 0), new Relay("19", "Licht", 1)),
                relays.rows());
        sim.faults().refuseNext("relay_list");
        sim.faults().refuseNext("relay_list");
        refused("relay_list", Map.of());

        assertEquals(new RelayStatus("19", 1), call("relay_status_get?relayId=19", Map.of(), RelayStatus.class));
        // a 0 is an open contact, confirmed by relay_list in the same session
        int lists = sim.requestCount("relay_list");
        int logins = sim.requestCount("login");
        assertEquals(new RelayStatus("17", 0), call("relay_status_get", h(MetasecConstants.RELAY_ID, "17"),
                RelayStatus.class));
        assertEquals(lists + 1, sim.requestCount("relay_list"));
        assertEquals(logins, sim.requestCount("login"));
        // an unknown relay is refused (relay_list does not list it), not taken for an expired session
        MetasecRefusedException unknown = refused("relay_status_get?relayId=99", Map.of());
        assertFalse(unknown.sessionMayHaveExpired());
        assertEquals(logins, sim.requestCount("login"));
        invalid("relay_status_get", Map.of());

        ok("relay_status_set?relayId=17", h(MetasecConstants.RELAY_STATUS, 1));
        assertEquals(1, sim.relayStatus("17"));
        assertEquals(new RelayStatus("17", 1), call("relay_status_get?relayId=17", Map.of(), RelayStatus.class));
        refused("relay_status_set?relayId=99&relayStatus=1", Map.of());
        refused("relay_status_set?relayId=17&relayStatus=7", Map.of());
        invalid("relay_status_set?relayId=17", Map.of());
        assertEquals(1, sim.relaySwitches("17"));
    }

    @Test
    void everyActionIsCovered() {
        // the 30 actions, login, and the consumers events and cdr
        assertEquals(33, MetasecOperation.values().length, Arrays.toString(MetasecOperation.values()));
        assertEquals(31, Arrays.stream(MetasecOperation.values()).filter(MetasecOperation::producer).count());
    }

    /** Reads the JPEG parts of a multipart/x-mixed-replace stream. */
    static final class Mjpeg {
        static List<byte[]> frames(InputStream in, String contentType) throws Exception {
            String boundary = "--" + contentType.substring(contentType.indexOf("boundary=") + 9).trim();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            List<byte[]> frames = new java.util.ArrayList<>();
            int at = 0;
            while ((at = text.indexOf(boundary, at)) >= 0 && !text.startsWith(boundary + "--", at)) {
                int length = Integer.parseInt(text.substring(text.indexOf("Content-Length: ", at) + 16,
                        text.indexOf("\r\n", text.indexOf("Content-Length: ", at))).trim());
                int body = text.indexOf("\r\n\r\n", at) + 4;
                frames.add(Arrays.copyOfRange(all, body, body + length));
                assertEquals((byte) 0xD8, all[body + 1]);
                at = body + length;
            }
            return frames;
        }
    }
}
