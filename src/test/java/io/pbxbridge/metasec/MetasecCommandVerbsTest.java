package io.pbxbridge.metasec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pbxbridge.command.Command;
import io.pbxbridge.command.CommandRejectedException;
import io.pbxbridge.command.CommandVerbs;
import io.pbxbridge.command.VerbCall;
import io.pbxbridge.vendor.operation.Repeat;

/** METASEC's verb table: what each neutral verb becomes, checked before anything is sent; every one sent once. */
class MetasecCommandVerbsTest {

    final MetasecCommandVerbs metasec = new MetasecCommandVerbs();

    static Command command(String verb, String callId, Object... params) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put((String) params[i], params[i + 1]);
        }
        return new Command("c", "test", "metasec", verb, p, callId, null, null);
    }

    VerbCall map(String verb, String callId, Object... params) throws CommandRejectedException {
        VerbCall v = metasec.map(command(verb, callId, params));
        assertEquals(Repeat.ONCE, v.repeat(), verb);
        return v;
    }

    @Test
    void theVerbs() throws Exception {
        assertTrue(CommandVerbs.NEUTRAL.containsAll(List.of("pickup", "conference", "agent.login", "agent.logout",
                "dtmf", "relay.set", "prio")));
        VerbCall dial = map("dial", null, "from", "1004", "to", "1001");
        assertEquals(MetasecOperation.call, dial.operation());
        assertEquals(Map.of("src", "1004", "dst", "1001"), dial.inputs());
        assertEquals(Map.of("callId", "1358704647.90"), map("hangup", "1358704647.90").inputs());
        assertEquals(MetasecOperation.call_hangup, map("hangup", "x").operation());
        assertEquals(Map.of("chan", "SIP/1004-00000010"), map("hangup", "x", "channel", "SIP/1004-00000010")
                .inputs(), "params.channel names the channel itself");
        assertEquals(Map.of("callId", "x", "leg", "b", "dst", "1002"), map("transfer", "x", "leg", "b", "to", "1002")
                .inputs());
        assertEquals(MetasecOperation.call_pick, map("transfer", "x", "to", "1002").operation());
        assertEquals(MetasecOperation.call_pick, map("pickup", "x", "to", "1003").operation());
        assertEquals(Map.of("stations", List.of("1001", "1002"), "breakCalls", true), map("conference", null,
                "stations", List.of("1001", "1002"), "break", true).inputs());
        assertEquals(MetasecOperation.call_create_conf, map("conference", null, "stations", "1001,1002").operation());
        assertEquals(Map.of("callId", "x", "monitorFile", "crm-1"), map("record.start", "x", "filename", "crm-1")
                .inputs());
        assertEquals(MetasecOperation.call_record_stop, map("record.stop", "x").operation());
        assertEquals(Map.of("queue", "VMX"), map("agent.login", null, "queue", "VMX").inputs());
        assertEquals(MetasecOperation.agent_logout, map("agent.logout", null, "queue", "VMX").operation());
        assertEquals(Map.of("callId", "x", "tone", "12#"), map("dtmf", "x", "digits", "12#").inputs());
        assertEquals(Map.of("relayId", "17", "relayStatus", 1), map("relay.set", null, "relay", "17", "status", 1)
                .inputs());
        assertEquals(MetasecOperation.relay_status_set, map("relay.set", null, "relay", "17", "status", 1)
                .operation());
        assertEquals(Map.of("dst", "1002"), map("prio", null, "to", "1002").inputs());
        assertEquals(MetasecOperation.call_prio, map("prio", null, "to", "1002").operation());
        assertEquals(MetasecOperation.q_list, metasec.map(command("operation", null, "operation", "q_list"))
                .operation());
    }

    @Test
    void whatIsWrongIsRejectedBeforeSending() {
        assertEquals("hangup needs the call: callId (the subject of the call's events) or params.channel",
                assertThrows(CommandRejectedException.class, () -> metasec.map(command("hangup", null))).getMessage());
        assertTrue(assertThrows(CommandRejectedException.class, () -> metasec.map(command("agent.login", null,
                "queue", "VMX", "agent", "1002"))).getMessage().contains("has no parameter 'agent'"));
        assertTrue(assertThrows(CommandRejectedException.class, () -> metasec.map(command("relay.set", null,
                "status", 1))).getMessage().contains("needs parameter 'relayId'"));
        assertEquals("unsupported", assertThrows(CommandRejectedException.class, () -> metasec.map(command("sms",
                null, "to", "1"))).status().name().toLowerCase());
        assertThrows(CommandRejectedException.class, () -> metasec.map(command("operation", null, "operation",
                "events")), "a consumer is no operation");
    }
}
