package io.pbxbridge.escaux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.Direction;

/** The frame decoder and the event parser, fed byte by byte, coalesced and with every kind of bad input. */
class EscauxEventFrameDecoderTest {

    static final String RINGING = "<evNewOrigChannel>\n<Channel>SIP/SDC30015-d156</Channel>\n<CallerId>104</CallerId>\n"
            + "<Extension>102</Extension>\n</evNewOrigChannel>";
    static final String PARKED = "<evParked>\n<ParkSlot>1000</ParkSlot>\n<Channel>SIP/SDC30015-d156</Channel>\n</evParked>";
    static final String PONG = "<evPong/>";

    static List<Object> decode(int maxFrame, byte[]... reads) {
        EmbeddedChannel ch = new EmbeddedChannel(new EscauxEventFrameDecoder(maxFrame));
        for (byte[] r : reads) {
            ch.writeInbound(Unpooled.wrappedBuffer(r));
        }
        ch.finish();
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null;) {
            out.add(o);
        }
        return out;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Object> decode(String... reads) {
        byte[][] bs = new byte[reads.length][];
        for (int i = 0; i < reads.length; i++) {
            bs[i] = b(reads[i]);
        }
        return decode(4096, bs);
    }

    @Test
    void oneEventSplitAcrossManyReadsAtEveryBoundary() {
        String stream = RINGING + "\n" + PARKED + "\n" + PONG + "\n";
        byte[] all = b(stream);
        // every single split point
        for (int cut = 1; cut < all.length; cut++) {
            byte[] a = java.util.Arrays.copyOfRange(all, 0, cut);
            byte[] c = java.util.Arrays.copyOfRange(all, cut, all.length);
            assertEquals(List.of(RINGING, PARKED, PONG), decode(4096, a, c), "split at " + cut);
        }
        // one byte per read
        byte[][] singles = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            singles[i] = new byte[] { all[i] };
        }
        assertEquals(List.of(RINGING, PARKED, PONG), decode(4096, singles));
        // random pieces
        Random rnd = new Random(3);
        for (int round = 0; round < 200; round++) {
            List<byte[]> pieces = new ArrayList<>();
            for (int i = 0; i < all.length;) {
                int n = Math.min(all.length - i, 1 + rnd.nextInt(17));
                pieces.add(java.util.Arrays.copyOfRange(all, i, i + n));
                i += n;
            }
            assertEquals(List.of(RINGING, PARKED, PONG), decode(4096, pieces.toArray(byte[][]::new)));
        }
    }

    @Test
    void manyEventsInOneRead() {
        assertEquals(List.of(RINGING, PARKED, PONG, RINGING), decode(RINGING + PARKED + PONG + RINGING));
    }

    @Test
    void whitespaceNewlinesAndNulBetweenEvents() {
        assertEquals(List.of(RINGING, PARKED, PONG),
                decode("\r\n  \t" + RINGING + "\n\n\0" + PARKED + "   \r\n", "\n\n" + PONG + "\n \0"));
    }

    @Test
    void xmlDeclarationAndCommentsBeforeEvents() {
        assertEquals(List.of(RINGING, PARKED),
                decode("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + RINGING + "<?xml version=\"1.0\"?>",
                        "<!-- keepalive -->" + PARKED));
        // split inside the declaration
        assertEquals(List.of(PARKED), decode("<?xm", "l version=\"1.0\"?", ">" + PARKED));
    }

    @Test
    void garbageBetweenEventsIsReportedAndTheStreamGoesOn() {
        List<Object> out = decode(RINGING + "HTTP/1.1 200 OK garbage ##" + PARKED + "</stray>" + PONG + "trailing junk");
        assertEquals(RINGING, out.get(0));
        EscauxRejectedFrame g = assertInstanceOf(EscauxRejectedFrame.class, out.get(1));
        assertEquals(EscauxRejectedFrame.Reason.GARBAGE, g.reason());
        assertEquals("HTTP/1.1 200 OK garbage ##", g.text());
        assertEquals(PARKED, out.get(2));
        assertEquals("</stray>", ((EscauxRejectedFrame) out.get(3)).text());
        assertEquals(PONG, out.get(4));
        EscauxRejectedFrame tail = assertInstanceOf(EscauxRejectedFrame.class, out.get(5));
        assertEquals("trailing junk", tail.text());
        assertEquals(6, out.size());
    }

    @Test
    void brokenTagResynchronisesAtTheNextElement() {
        // a lost '>' : "<evX<Channel>": the broken start is garbage, the next event survives
        List<Object> out = decode("<evBroken<evParked><ParkSlot>1</ParkSlot></evParked>" + PONG);
        assertEquals(EscauxRejectedFrame.Reason.GARBAGE, ((EscauxRejectedFrame) out.get(0)).reason());
        assertEquals("<evBroken", ((EscauxRejectedFrame) out.get(0)).text());
        assertEquals("<evParked><ParkSlot>1</ParkSlot></evParked>", out.get(1));
        assertEquals(PONG, out.get(2));
    }

    @Test
    void oversizeEventIsReportedWithItsFirstBytesAndSkipped() {
        String big = "<evOversize><Data>" + "x".repeat(5000) + "</Data></evOversize>";
        // delivered in pieces, as TCP would
        byte[] all = b(RINGING + big + PARKED);
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < all.length; i += 700) {
            pieces.add(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 700)));
        }
        List<Object> out = decode(1024, pieces.toArray(byte[][]::new));
        assertEquals(RINGING, out.get(0));
        EscauxRejectedFrame r = assertInstanceOf(EscauxRejectedFrame.class, out.get(1));
        assertEquals(EscauxRejectedFrame.Reason.OVERSIZE, r.reason());
        assertEquals(1024, r.bytes().length);
        assertTrue(r.text().startsWith("<evOversize><Data>xxx"));
        assertEquals(PARKED, out.get(2));
        assertEquals(3, out.size());
    }

    @Test
    void endlessGarbageIsReportedInBoundedPieces() {
        List<Object> out = decode(64, b("z".repeat(300)), b(PONG));
        long garbage = out.stream().filter(o -> o instanceof EscauxRejectedFrame).count();
        assertTrue(garbage >= 4, out.toString());
        assertTrue(out.stream().filter(o -> o instanceof EscauxRejectedFrame)
                .allMatch(o -> ((EscauxRejectedFrame) o).bytes().length <= 64));
        assertEquals(PONG, out.get(out.size() - 1));
    }

    /** Every way of feeding {@code stream}: at once, byte by byte, and cut at every point. */
    static void assertDecodes(int maxFrame, String stream, List<Object> expected) {
        byte[] all = b(stream);
        assertEquals(expected, texts(decode(maxFrame, all)), "at once");
        byte[][] singles = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            singles[i] = new byte[] { all[i] };
        }
        assertEquals(expected, texts(decode(maxFrame, singles)), "byte by byte");
        for (int cut = 1; cut < all.length; cut++) {
            assertEquals(expected, texts(decode(maxFrame, java.util.Arrays.copyOfRange(all, 0, cut),
                    java.util.Arrays.copyOfRange(all, cut, all.length))), "cut at " + cut);
        }
    }

    /** Events as they are, rejected bytes as "REASON:text". */
    static List<Object> texts(List<Object> out) {
        return out.stream().map(o -> o instanceof EscauxRejectedFrame r ? r.reason() + ":" + r.text() : o).toList();
    }

    @Test
    void anEventCutShortEndsWhereTheNextEventStarts() {
        // the SOP cut an event in a value: its tags never balance, and the events after it are not nested in it
        String cut = "<evNewOrigChannel>\n<Channel>SIP/cut-1</Channel>\n<CallerId>10";
        assertDecodes(4096, cut + PARKED + "\n" + PONG + "\n" + RINGING,
                List.of("TRUNCATED:" + cut, PARKED, PONG, RINGING));
        // cut inside a child's end tag, right before an evPong
        assertDecodes(4096, "<evParked><ParkSlot>1</ParkSlot></Park" + PONG,
                List.of("GARBAGE:<evParked><ParkSlot>1</ParkSlot></Park", PONG));
    }

    @Test
    void aLessThanSignInAValueEndsTheEventAtTheNextEvent() {
        // Asterisk writes an unknown caller as <unknown>, unescaped: a start tag that is never closed
        String unknown = "<evNewOrigChannel>\n<Channel>SIP/u-1</Channel>\n<CallerId><unknown></CallerId>\n"
                + "<Extension>102</Extension>\n</evNewOrigChannel>\n";
        assertDecodes(4096, unknown + PONG + RINGING + "\n" + PARKED,
                List.of("TRUNCATED:" + unknown, PONG, RINGING, PARKED));
        // an element named like an event inside an event is an event start only with the ev prefix and a capital
        String nested = "<evQueue><event>1</event><eval>2</eval><ev/></evQueue>";
        assertDecodes(4096, nested + PONG, List.of(nested, PONG));
    }

    @Test
    void anOversizeEventThatNeverBalancesIsSkippedOnlyToTheNextEvent() {
        String unknown = "<evNewOrigChannel><CallerId><unknown></CallerId><Data>" + "x".repeat(200)
                + "</Data></evNewOrigChannel>\n";
        assertTrue(b(unknown).length > 128);
        List<Object> out = decode(128, b(unknown + PARKED + PONG));
        EscauxRejectedFrame big = assertInstanceOf(EscauxRejectedFrame.class, out.get(0));
        assertEquals(EscauxRejectedFrame.Reason.OVERSIZE, big.reason());
        assertEquals(List.of(PARKED, PONG), out.subList(1, out.size()));
    }

    @Test
    void maxFrameLengthIsExact() {
        int max = 64;
        String exact = "<evX><Data>" + "y".repeat(max - "<evX><Data></Data></evX>".length()) + "</Data></evX>";
        assertEquals(max, b(exact).length);
        String over = exact.replace("<Data>", "<Data>y");
        assertEquals(max + 1, b(over).length);
        assertDecodes(max, exact + PONG, List.of(exact, PONG));
        List<Object> out = decode(max, b(over + PONG));
        EscauxRejectedFrame r = assertInstanceOf(EscauxRejectedFrame.class, out.get(0));
        assertEquals(EscauxRejectedFrame.Reason.OVERSIZE, r.reason());
        assertEquals(over.substring(0, max), r.text());
        assertEquals(List.of(PONG), out.subList(1, out.size()));
        // the byte right after the limit is a '<': still over the limit, and the stream goes on
        String lt = "<evX><Data>" + "y".repeat(max - "<evX><Data>".length()) + "</Data></evX>";
        out = decode(max, b(lt), b(PONG));
        assertEquals(EscauxRejectedFrame.Reason.OVERSIZE, ((EscauxRejectedFrame) out.get(0)).reason());
        assertEquals(List.of(PONG), out.subList(1, out.size()));
    }

    @Test
    void truncatedEventAtEndOfStreamIsReported() {
        List<Object> out = decode(RINGING + "<evParked><ParkSlot>10");
        assertEquals(RINGING, out.get(0));
        assertEquals(EscauxRejectedFrame.Reason.TRUNCATED, ((EscauxRejectedFrame) out.get(1)).reason());
    }

    @Test
    void attributesQuotesCdataAndNestedElementsAreFramedWhole() {
        String odd = "<evCustom id=\"a>b\" x='1'><Inner><Deep>v</Deep></Inner><![CDATA[ </evCustom> ]]>"
                + "<!-- </evCustom> --><Empty/></evCustom>";
        assertEquals(List.of(odd, PONG), decode(odd.substring(0, 20), odd.substring(20) + PONG));
    }

    @Test
    void doctypeIsRejectedAndItsEntityNeverResolved() throws Exception {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE evNewOrigChannel [\n  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
                + "<evNewOrigChannel><Channel>SIP/x-1</Channel><CallerId>&xxe;</CallerId><Extension>102</Extension>"
                + "</evNewOrigChannel>";
        List<Object> out = decode(xxe.substring(0, 40), xxe.substring(40));
        EscauxRejectedFrame dtd = assertInstanceOf(EscauxRejectedFrame.class, out.get(0));
        assertEquals(EscauxRejectedFrame.Reason.DOCTYPE, dtd.reason());
        assertTrue(dtd.text().contains("ENTITY xxe"));
        String event = (String) out.get(1);
        CallEvent e = EscauxEvents.toCallEvent(event, "sop", "id-1", Instant.EPOCH);
        assertEquals("&xxe;", e.from(), "the entity reference is kept as written, not resolved");
        assertFalse(e.toString().contains("root:"));
        // the careful (StAX) path does not resolve it either: an undeclared entity is an error there
        String nested = "<evX><A><B>&xxe;</B></A></evX>";
        try {
            EscauxEvents.Parsed p = EscauxEvents.parse(nested);
            assertFalse(p.fields().toString().contains("root:"));
        } catch (EscauxEvents.MalformedEventException expected) {
            // refused: fine too
        }
    }

    @Test
    void eventsNormalizeToCallEvents() throws Exception {
        CallEvent ring = EscauxEvents.toCallEvent(RINGING, "sop", "id-1", Instant.EPOCH);
        assertEquals(EscauxEvents.RINGING, ring.type());
        assertEquals("SIP/SDC30015-d156", ring.callId());
        assertEquals("SIP/SDC30015-d156", ring.legId());
        assertEquals("104", ring.from());
        assertEquals("102", ring.to());
        assertEquals(Direction.INTERNAL, ring.direction());
        assertEquals(RINGING, ring.raw());
        assertEquals("escaux", ring.vendor());

        CallEvent parked = EscauxEvents.toCallEvent(PARKED, "sop", "id-2", Instant.EPOCH);
        assertEquals(EscauxEvents.PARKED, parked.type());
        assertEquals("1000", parked.details().get("ParkSlot"));
        assertEquals("SIP/SDC30015-d156", parked.callId());

        assertEquals(EscauxEvents.PONG, EscauxEvents.toCallEvent(PONG, "sop", "id-3", Instant.EPOCH).type());

        CallEvent other = EscauxEvents.toCallEvent("<evHangup><Channel>SIP/a-1</Channel><Cause>16</Cause>"
                + "<Text>a &amp; b &lt;c&gt; &#233;</Text></evHangup>", "sop", "id-4", Instant.EPOCH);
        assertEquals("escaux.evHangup", other.type());
        assertEquals("16", other.details().get("Cause"));
        assertEquals("a & b <c> é", other.details().get("Text"));

        CallEvent nested = EscauxEvents.toCallEvent("<evQueue q=\"1\"><Member><Phone>P1</Phone></Member>"
                + "<Member><Phone>P2</Phone></Member></evQueue>", "sop", "id-5", Instant.EPOCH);
        assertEquals("1", nested.details().get("@q"));
        assertEquals(2, ((List<?>) nested.details().get("Member")).size());

        CallEvent external = EscauxEvents.toCallEvent("<evNewOrigChannel><Channel>IAX2/t-1</Channel>"
                + "<CallerId>+3223456789</CallerId><Extension>102</Extension></evNewOrigChannel>", "s", "i", Instant.EPOCH);
        assertEquals(Direction.INBOUND, external.direction());
    }

    @Test
    void mismatchedTagsAreMalformed() {
        String bad = "<evParked><ParkSlot>1</Channel></evParked>";
        assertEquals(List.of(bad), decode(bad), "framing counts tags; the parser checks them");
        try {
            EscauxEvents.parse(bad);
            throw new AssertionError("expected MalformedEventException");
        } catch (EscauxEvents.MalformedEventException expected) {
            assertTrue(expected.getMessage().contains("well-formed"));
        }
        assertNull(EscauxEvents.parseFlat(bad));
    }
}
