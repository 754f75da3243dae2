package io.pbxbridge.metasec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The list readers on the spec's own samples, Asterisk's concise lines, and broken lines. */
class MetasecLinesTest {

    /** metasec-webtapi.txt L367-379, as the spec writes the q_call_list answer: one field a line, annotated. */
    static final String SPEC_Q_CALL_LIST = """
            SIP/1004-0000003a	= ChannelID
            Callme	= irrelevant
            7777	= called internal extensin
            Up	= channel state
            Queue	= irrelevant
            VMX,i	= q_name
            1004	= callerID
            1004	= callerIDName
            1004	= irrelevant
            3	= irrelevant
            534	= waittime
            SIP/1001-0000003b!	= channelID of the connected agent
            1358704647.94	= internal ID
            """;

    /** The annotated sample's values joined by the separator, as the line they were taken from. */
    static String specLine() {
        List<String> values = new ArrayList<>();
        for (String row : SPEC_Q_CALL_LIST.split("\n")) {
            values.add(row.substring(0, row.indexOf('\t')));
        }
        return String.join("!", values);
    }

    static void assertSpecSample(ChannelLine l) {
        assertNotNull(l);
        assertEquals("SIP/1004-0000003a", l.channel());
        assertEquals("Callme", l.context());
        assertEquals("7777", l.extension());
        assertNull(l.priority());
        assertEquals("Up", l.state());
        assertEquals("Queue", l.application());
        assertEquals("VMX,i", l.data());
        assertEquals("1004", l.callerIdNumber());
        assertEquals("1004", l.callerIdName());
        assertEquals("1004", l.accountCode());
        assertEquals(534, l.durationSeconds());
        assertEquals("SIP/1001-0000003b", l.bridgedChannel());
        assertEquals("1358704647.94", l.uniqueId());
        assertEquals("1004", l.device());
    }

    @Test
    void theSpecsAnnotatedSampleWithItsStraySeparator() {
        String line = specLine();
        assertEquals("SIP/1004-0000003a!Callme!7777!Up!Queue!VMX,i!1004!1004!1004!3!534!SIP/1001-0000003b!!1358704647.94",
                line);
        assertSpecSample(MetasecLines.channel(line));
    }

    @Test
    void theSampleAsALineWithATrailingSeparatorOrCarriageReturn() {
        String clean = "SIP/1004-0000003a!Callme!7777!Up!Queue!VMX,i!1004!1004!1004!3!534!SIP/1001-0000003b!1358704647.94";
        assertSpecSample(MetasecLines.channel(clean));
        assertSpecSample(MetasecLines.channel(clean + "!"));
        assertSpecSample(MetasecLines.channel(clean + "!\r"));
        assertSpecSample(MetasecLines.channel("  " + clean + "  "));
    }

    @Test
    void asterisksConciseLinesWithThePriorityAndExtraFields() {
        // Asterisk's CONCISE_FORMAT_STRING: channel!context!exten!priority!state!appl!data!cid_num!accountcode!
        // peeraccount!amaflags!duration!bridged!uniqueid
        ChannelLine l = MetasecLines.channel(
                "SIP/1004-0000003a!Callme!7777!2!Up!Queue!VMX,i!1004!acct!!3!534!SIP/1001-0000003b!1358704647.94");
        assertNotNull(l);
        assertEquals(2, l.priority());
        assertEquals("Up", l.state());
        assertEquals("1004", l.callerIdNumber());
        assertNull(l.callerIdName());
        assertEquals("acct", l.accountCode());
        assertEquals(534, l.durationSeconds());
        assertEquals("1358704647.94", l.uniqueId());

        ChannelLine none = MetasecLines.channel(
                "SIP/sps2-00000023!from-trunk!1001!1!Ringing!AppDial!(Outgoing Line)!+4930123!!!3!00:01:05!(None)!1358704650.96!x!1358704650.95");
        assertNotNull(none);
        assertNull(none.bridgedChannel());
        assertEquals(65, none.durationSeconds());
        assertEquals("1358704650.96", none.uniqueId());
        assertEquals(List.of("x", "1358704650.95"), none.extra());
        assertEquals("sps2", none.device());

        ChannelLine noBridge = MetasecLines.channel("SIP/1002-00000011!Callme!1003!Ring!Dial!SIP/1003,30!1002!Vertrieb!1002!3!4!!1358704700.1");
        assertNotNull(noBridge);
        assertNull(noBridge.bridgedChannel());
        assertEquals("Vertrieb", noBridge.callerIdName());
        assertEquals(4, noBridge.durationSeconds());
    }

    @Test
    void malformedChannelLines() {
        assertNull(MetasecLines.channel(""));
        assertNull(MetasecLines.channel("<br />"));
        assertNull(MetasecLines.channel("<b>Notice</b>:  Undefined offset: 12 in <b>/var/www/webtapi/webtapi.php</b>"));
        assertNull(MetasecLines.channel("SIP/1009-000000ff!Callme!7777"), "cut short");
        assertNull(MetasecLines.channel("SIP/1004-0000003a!Callme!7777!Up!Queue!VMX,i!1004!1004!1004!3!534!SIP/1001-0000003b"),
                "no unique id");
        assertNull(MetasecLines.channel("nochannel!Callme!7777!Up!Queue!VMX,i!1004!1004!1004!3!534!!1358704647.94"));
        assertNull(MetasecLines.channel("SIP/1004-0000003a!Callme!7777!Up!Queue!VMX,i!1004!1004!1004!3!soon!!1358704647.94"),
                "no duration");
        assertNull(MetasecLines.channel("0"));
    }

    @Test
    void theSpecsRecordingFileNameAndOtherLists() {
        // L258: monitor_file=ff787e129af19513f4f1fdb360294452_1358699701.wav
        RecordingFile f = MetasecLines.recordingFile("ff787e129af19513f4f1fdb360294452_1358699701.wav");
        assertEquals(Instant.ofEpochSecond(1358699701), f.time());
        assertEquals("lukas_223344.wav", MetasecLines.recordingFile("lukas_223344.wav").name());
        assertNull(MetasecLines.recordingFile("lukas_223344.wav").time());
        assertNull(MetasecLines.recordingFile("../etc/passwd"));
        assertNull(MetasecLines.recordingFile("<br />"));

        assertEquals(new ExtensionStatus("1001", ExtensionState.RINGING), MetasecLines.extensionStatus("1001!8"));
        assertEquals(new ExtensionStatus("1004", ExtensionState.NOT_FOUND), MetasecLines.extensionStatus("1004: -1"));
        assertEquals(new ExtensionStatus("1002", ExtensionState.IN_USE), MetasecLines.extensionStatus("1002 = InUse"));
        assertEquals(new ExtensionStatus("1003", ExtensionState.ON_HOLD), MetasecLines.extensionStatus("1003\t16"));
        assertEquals(ExtensionState.BUSY, MetasecLines.extensionStatus("1005!2!").state());
        assertNull(MetasecLines.extensionStatus("1001!7"), "no such state");
        assertNull(MetasecLines.extensionStatus("8"));

        QueueInfo q = MetasecLines.queue("VMX!7777!ringall!2!1");
        assertEquals(new QueueInfo("VMX", "7777", "ringall", 2, 1, List.of()), q);
        assertEquals(new QueueInfo("VMX", null, null, null, null, List.of()), MetasecLines.queue("VMX"));
        AgentInfo a = MetasecLines.agent("SIP/1001!Empfang!1!0!3!1358704647");
        assertEquals(ExtensionState.IN_USE, a.state());
        assertEquals(false, a.paused());
        assertEquals(Instant.ofEpochSecond(1358704647), a.lastCall());
        assertEquals(new AgentInfo("SIP/1001", null, null, null, null, null), MetasecLines.agent("SIP/1001"));
        WaitingCaller w = MetasecLines.waitingCaller("2!SIP/sps2-00000023!+4930123!!12!1358704650.96");
        assertEquals(new WaitingCaller(2, "SIP/sps2-00000023", "+4930123", null, 12L, "1358704650.96"), w);
        assertNull(MetasecLines.waitingCaller("first!SIP/sps2-00000023"));
        assertEquals(new Camera("44", "Eingang", true, List.of()), MetasecLines.camera("44!Eingang!online"));
        assertEquals(new Relay("17", "Tuer", 0), MetasecLines.relay("17!Tuer!0"));
        assertNull(MetasecLines.relay("17!Tuer!open"));
        assertNull(MetasecLines.relay("<br />"));
    }
}
