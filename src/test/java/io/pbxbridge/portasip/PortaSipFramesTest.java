package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.pbxbridge.support.Json;
import io.pbxbridge.vendor.VendorException.Kind;

/** Reading PortaSIP's replies without a server: the JSON-RPC envelopes, the spec's damaged keys, multipart/mixed. */
class PortaSipFramesTest {

    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    static PortaSipCallControlException error(String reply) throws Exception {
        JsonNode n = json(reply);
        return assertThrows(PortaSipCallControlException.class,
                () -> PortaSipCallControl.result("hold_call", "hold_call", 7, n, UnaryOperator.identity()));
    }

    @Test
    void everyErrorEnvelope() throws Exception {
        PortaSipCallControlException a = error("{\"cseq\":7,\"error\":{\"code\":\"sip.call_not_found\",\"message\":"
                + "\"Not found\",\"details\":\"no call part x\"}}");
        assertEquals("sip.call_not_found", a.getCode());
        assertEquals("Not found", a.getVendorMessage());
        assertEquals("no call part x", a.getDetails());
        assertEquals(7, a.getCseq());
        assertEquals(Kind.REFUSED, a.getKind());
        assertEquals("portasip hold_call (cseq 7) failed: sip.call_not_found (Not found): no call part x", a.getMessage());

        PortaSipCallControlException b = error("{\"cseq\":7,\"success\":0,\"code\":\"sip.wrong_parameters\","
                + "\"message\":\"Bad parameters\"}");
        assertEquals("sip.wrong_parameters", b.getCode());
        assertEquals("sip.internal_server_error", error("{\"cseq\":7,\"success\":\"0\",\"result\":{\"code\":"
                + "\"sip.internal_server_error\"}}").getCode());
        assertEquals(Kind.NO_ANSWER, error("{\"cseq\":7,\"error\":\"internal_error\"}").getKind());
        assertEquals("UNKNOWN_ERROR", error("{\"cseq\":7,\"result\":{\"success\":0}}").getCode());
        assertEquals("UNKNOWN_ERROR", error("{\"cseq\":7,\"success\":false}").getCode());
        assertTrue(error("{\"cseq\":7,\"error\":{\"code\":\"Server.Session.check_auth.auth_failed\"}}").isAuthFault());

        JsonNode ok = PortaSipCallControl.result("m", "m", 1, json("{\"cseq\":1,\"result\":{\"success\":1},"
                + "\"success\":1}"), UnaryOperator.identity());
        assertEquals(1, ok.get("success").asInt());
        assertTrue(PortaSipCallControl.result("m", "m", 1, json("{\"cseq\":1}"), UnaryOperator.identity()).isObject());
        assertTrue(PortaSipCallControl.result("m", "m", 1, json("{\"cseq\":1,\"error\":null,\"result\":{}}"),
                UnaryOperator.identity()).isObject());
    }

    @Test
    void keysWithSpacesAndDuplicatesAsTheSpecPrintsThem() throws Exception {
        // leg B of L1557-1566: "display_id" then "display id" (the last wins), "forwarder list", "account id"
        JsonNode frame = json("{\"call info\":{\"call\":{\"id\":\"BBfc!rA3EV9JNsDxdhRoPvXGW4xR@192.168.243.133~10\","
                + "\"tag\":\"t2\"},\"callee\":{\"account id\":\"123003\",\"display_id\":\"123003\",\"display id\":"
                + "\"123007\",\"forwarder list\":[{\"id\":\"123002\"}],\"id\":\"123003\",\"id\":\"123003\"},"
                + "\"state\":\"ringing\",\"transport id\":\"192.168.243.133:5060\",\"start_time\":\"2018-12-03 13:43:01\"}}");
        JsonNode info = PortaSipInputs.field(PortaSipInputs.normalized(frame), "call_info");
        SipCallInfo leg = PortaSipInputs.convert(PortaSipOperation.getSipCallsList, info, SipCallInfo.class);
        assertEquals("123007", leg.callee().displayId());
        assertEquals("123003", leg.callee().accountId());
        assertEquals("123002", leg.callee().forwarderList().get(0).id());
        assertEquals("192.168.243.133:5060", leg.transportId());
        assertEquals("BBfc!rA3EV9JNsDxdhRoPvXGW4xR@192.168.243.133", leg.call().callKey());
        assertEquals(2018, leg.startDateTime().getYear());
        assertNull(leg.connectDateTime());
        assertEquals(1, PortaSipInputs.list(PortaSipOperation.getSipCallsList,
                json("{\"calls list\":[{\"state\":\"connected\",\"queue_info\":{\"i_c_queue\":5}}]}"), "calls_list",
                SipCallInfo.class).size());
        assertEquals(5L, PortaSipInputs.list(PortaSipOperation.getSipCallsList,
                json("{\"calls_list\":{\"state\":\"queued\",\"queue_info\":{\"i_c_queue\":5}}}"), "calls_list",
                SipCallInfo.class).get(0).queueInfo().iCQueue());
    }

    @Test
    void structuresAreWrittenWithTheSpecsNames() throws Exception {
        JsonNode t = Json.MAPPER.valueToTree(new TransitionInfo("Menu", null, null, "2", 4L, null, "N", null, null, 9L,
                11L));
        assertEquals(9, t.get("target_i_menu").asInt());
        assertEquals(11, t.get("target_i_queue").asInt());
        assertEquals(4, t.get("i_menu_transition").asInt());
        assertNull(t.get("destination"), "null fields are not sent");
        JsonNode m = Json.MAPPER.valueToTree(MenuInfo.named("Sales"));
        assertEquals("{\"name\":\"Sales\"}", m.toString());
        assertEquals(3, Json.MAPPER.treeToValue(json("{\"i_menu\":3,\"unknown\":1}"), MenuInfo.class).iMenu());
    }

    static byte[] multipart(String boundary, byte[] file) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("preamble\r\n--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{\"prompt\":\"p.au\"}\r\n--"
                + boundary + "  \r\nContent-Type: audio/basic\r\nContent-Disposition: attachment; filename=\"p.au\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(file);
        b.writeBytes(("\r\n--" + boundary + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    @Test
    void multipartMixedPartByPart() throws Exception {
        String boundary = "b-1";
        // the delimiter's beginnings inside the file must not end it
        byte[] file = "\r\n--b-\r\n--b\r\n-x--b-1x".getBytes(StandardCharsets.US_ASCII);
        assertEquals("b-1", MultipartMixed.boundary("multipart/mixed; boundary=\"b-1\""));
        MultipartMixed parts = new MultipartMixed(new ByteArrayInputStream(multipart(boundary, file)), boundary);
        MultipartMixed.Part json = parts.next();
        assertEquals("application/json", json.mediaType());
        assertEquals("{\"prompt\":\"p.au\"}", new String(MultipartMixed.readAll(json.body(), 100), StandardCharsets.UTF_8));
        MultipartMixed.Part audio = parts.next();
        assertEquals("p.au", audio.filename());
        assertArrayEquals(file, audio.body().readAllBytes());
        assertNull(parts.next());
        assertNull(parts.next());

        // cut short
        byte[] cut = multipart(boundary, file);
        MultipartMixed broken = new MultipartMixed(new ByteArrayInputStream(cut, 0, cut.length - 20), boundary);
        broken.next();
        MultipartMixed.Part b = broken.next();
        assertInstanceOf(EOFException.class, assertThrows(EOFException.class, () -> b.body().readAllBytes()));
    }

    @Test
    void faultCodesAndContentTypes() {
        assertTrue(PortaSipFaults.isAuthFault("Server.Session.check_auth.auth_failed"));
        assertTrue(PortaSipFaults.isAuthFault("Client.Session.check_auth.failed_to_process_access_token"));
        assertTrue(!PortaSipFaults.isAuthFault("Server.Session.login.auth_failed"), "a refused login is no expiry");
        assertTrue(!PortaSipFaults.isAuthFault("sip.call_not_found"));
        assertEquals(Kind.NO_ANSWER, PortaSipFaultException.kindOf("Server.Conference.del_conf.internal_error"));
        assertEquals(Kind.REFUSED, PortaSipFaultException.kindOf("Client.Conference.del_conf.validation_error"));
        assertEquals("audio/basic", PortaSipInputs.contentType("x.AU"));
        assertEquals("audio/G729", PortaSipInputs.contentType("x.g729"));
        assertEquals("application/octet-stream", PortaSipInputs.contentType("x"));
        assertEquals(PortaSipOperation.setMenuTransitionPrompt, PortaSipOperation.lookup("set_menu_transition_prompt"));
        assertEquals(PortaSipOperation.setMenuTransitionPrompt, PortaSipOperation.lookup("set_menu_transition_promt"));
        assertEquals(PortaSipOperation.setMenuTransitionPrompt, PortaSipOperation.lookup("setMenuTransitionPrompt"));
        assertEquals(PortaSipOperation.originateAdvancedCall, PortaSipOperation.lookup("originate_advanced_call"));
        assertNull(PortaSipOperation.lookup("get_account_list"));
        assertEquals(46, java.util.Arrays.stream(PortaSipOperation.values()).filter(PortaSipOperation::producer)
                .count(), "32 JSON API methods and 14 Call Control methods (and the consumer-only events and cdr)");
    }
}
