package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.pbxbridge.mor.MorRepair.Kind;

/**
 * The tolerant reader on the spec's own samples (copied literally from mor-xml-api.txt into
 * {@code src/test/resources/io/pbxbridge/mor/spec/}) and on the faults a real server plausibly adds: each is read,
 * and each repair is reported with what it was and where.
 */
class MorXmlReaderTest {

    static String sample(String name) {
        try (InputStream in = MorXmlReaderTest.class.getResourceAsStream("spec/" + name + ".xml")) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MorDocument read(String xml) {
        return MorXmlReader.read(xml, "test", "/test");
    }

    static Map<Kind, Integer> kinds(List<MorRepair> repairs) {
        Map<Kind, Integer> m = new EnumMap<>(Kind.class);
        repairs.forEach(r -> m.put(r.kind(), r.count()));
        return m;
    }

    static MorRepair repair(List<MorRepair> repairs, Kind kind) {
        return repairs.stream().filter(r -> r.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + repairs));
    }

    /** Every sample of the spec and what reading it takes. */
    static Object[][] samples() {
        return new Object[][] {
            { "login-form", Map.of() },
            { "login-ok", Map.of(Kind.DECLARATION_WITHOUT_QUESTION_MARK, 1) },
            { "login-failed", Map.of(Kind.DECLARATION_WITHOUT_QUESTION_MARK, 1) },
            { "main-page", Map.of() },
            { "personal-details", Map.of() },
            { "edit-personal-ok", Map.of() },
            { "edit-personal-failed", Map.of() },
            // & quot;101& quot; & lt;101& gt; twice
            { "devices", Map.of(Kind.ENTITY_WITH_SPACE, 8) },
            { "callflow", Map.of() },
            // 4 banners among the actions, an ellipsis in each of the two device lists
            { "callflow-edit", Map.of(Kind.BANNER, 6) },
            { "rates", Map.of(Kind.BANNER, 1) },
            { "destinations", Map.of() },
            { "payments", Map.of() },
            { "invoices", Map.of(Kind.BANNER, 1) },
            { "subscriptions", Map.of(Kind.BANNER, 1) },
            { "calls", Map.of(Kind.BANNER, 1) },
            { "new-calls", Map.of(Kind.BANNER, 1) },
            { "missed-calls", Map.of(Kind.DOUBLED_LESS_THAN, 1, Kind.BANNER, 1) },
            { "statistics", Map.of() },
            { "clis", Map.of(Kind.ATTRIBUTE_FORM, 2, Kind.BANNER, 1) },
            { "add-cli-ok", Map.of() },
            { "add-cli-failed", Map.of() },
            { "phonebook", Map.of(Kind.BANNER, 1) },
            { "add-entry-ok", Map.of() },
            { "add-entry-failed", Map.of() },
            { "delete-entry-ok", Map.of() },
            { "delete-entry-failed", Map.of() },
            { "faxes", Map.of(Kind.BANNER, 1) },
            { "callback-ok", Map.of(Kind.DECLARATION_WITHOUT_QUESTION_MARK, 1) },
            { "callback-failed", Map.of(Kind.DECLARATION_WITHOUT_QUESTION_MARK, 1) } };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleOfTheSpecIsReadWithItsRepairsReported(String name, Map<Kind, Integer> expected) {
        MorDocument doc = read(sample(name));
        assertTrue(List.of("page", "action").contains(doc.root().name()), name);
        // the mapping reads lists through MorDocument.items, which reports an ellipsis in an empty list: read them all
        touchLists(doc, doc.root());
        assertEquals(expected, kinds(doc.repairs()), name + ": " + doc.repairs());
    }

    private static void touchLists(MorDocument doc, MorElement e) {
        doc.banner(e);
        e.children().forEach(c -> touchLists(doc, c));
    }

    @Test
    void theDeclarationWithoutItsQuestionMark() {
        String xml = sample("login-ok");
        MorDocument doc = read(xml);
        assertEquals("login", doc.root().field("name"));
        assertEquals("ok", doc.root().field("status"));
        assertEquals("Succesfully logged in", doc.root().field("status_message"));
        MorRepair r = repair(doc.repairs(), Kind.DECLARATION_WITHOUT_QUESTION_MARK);
        assertEquals(1, r.line());
        assertEquals(xml.indexOf('>') + 1, r.column());
        assertTrue(r.toString().startsWith("XML declaration without its closing '?', added"), r.toString());
    }

    @Test
    void entitiesWithASpaceInTheDevicesPage() {
        String xml = sample("devices");
        MorDocument doc = read(xml);
        List<MorElement> devices = doc.items(doc.root(), "devices", "device");
        assertEquals(2, devices.size());
        assertEquals("\"101\" <101>", devices.get(0).field("cid"));
        assertEquals("\"102\" <102>", devices.get(1).field("cid"));
        MorRepair r = repair(doc.repairs(), Kind.ENTITY_WITH_SPACE);
        assertEquals(8, r.count());
        assertEquals("& quot;", r.sample());
        assertEquals(14, r.line()); // <cid> of the first device: line 161 of the spec, 14 of the page
        assertEquals(6, r.column());
        assertEquals(lineOf(xml, "<cid>"), r.line());
        assertEquals("entity written with a space after '&', space removed: '& quot;' x8, first at line 14, column 6",
                r.toString());
    }

    @Test
    void theDoubledLessThanOfProcessed() {
        String xml = sample("missed-calls");
        MorDocument doc = read(xml);
        List<MorElement> calls = doc.path("calls_stat", "calls", "call");
        assertEquals(1, calls.size());
        assertEquals("855", calls.get(0).field("call_id"));
        assertEquals("0", calls.get(0).field("processed"));
        MorRepair r = repair(doc.repairs(), Kind.DOUBLED_LESS_THAN);
        assertEquals(lineOf(xml, "<<processed>"), r.line());
        assertEquals(1, r.column());
        assertEquals("<<", r.sample());
    }

    @Test
    void bannersBetweenElementsAreIgnoredAndReportedWhereTheyStart() {
        String xml = sample("callflow-edit");
        MorDocument doc = read(xml);
        MorElement callflow = doc.root().child("callflow");
        List<MorElement> actions = doc.items(callflow, "actions", "action");
        assertEquals(List.of("2", "3", "4"), actions.stream().map(a -> a.field("action_id")).toList());
        List<MorElement> targets = doc.items(actions.get(0), "aval_devices", "device");
        assertEquals(1, targets.size());
        assertEquals("SIP/103", targets.get(0).field("device_name"));
        assertEquals("", callflow.child("actions").text(), "a container's text is not kept");
        MorRepair r = repair(doc.repairs(), Kind.BANNER);
        assertEquals(6, r.count());
        assertEquals(lineOf(xml, "++++"), r.line());
        assertEquals(1, r.column());
        assertTrue(r.sample().startsWith("++++++++"), r.sample());
    }

    @Test
    void anEllipsisInAListWithoutItemsIsAnEmptyList() {
        MorDocument doc = read("<page><calls_stat><calls>\n...........\n</calls></calls_stat></page>");
        assertEquals(List.of(), doc.path("calls_stat", "calls", "call"));
        MorRepair r = repair(doc.repairs(), Kind.BANNER);
        assertEquals(2, r.line());
        assertEquals(1, r.column());
    }

    @Test
    void theAttributeFormOfTheClisPage() {
        MorDocument doc = read(sample("clis"));
        List<MorElement> devices = doc.items(doc.root(), "aval_devices", "device");
        assertEquals("1", devices.get(0).field("device_id", "id"));
        assertEquals("IAX2/101", devices.get(0).text());
        assertEquals("2", devices.get(1).field("device_id", "id"));
        assertEquals("FAX/102", devices.get(1).text());
        MorRepair r = repair(doc.repairs(), Kind.ATTRIBUTE_FORM);
        assertEquals(2, r.count());
        assertEquals("<device id=\"...\">", r.sample(), "the value is not quoted");
        assertEquals(lineOf(sample("clis"), "<device id=\"1\">"), r.line());
    }

    // ---- faults a real server plausibly adds --------------------------------------------------------------

    @Test
    void aDoctypeIsDroppedUnreadAndNoEntityIsEverResolved() {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE page [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
                + "<!ENTITY big \"lots\">]>\n<page><username>&xxe;&big;</username></page>";
        MorDocument doc = read(xxe);
        assertEquals("&xxe;&big;", doc.root().field("username"), "read as the text it is");
        Map<Kind, Integer> kinds = kinds(doc.repairs());
        assertEquals(1, kinds.get(Kind.DOCTYPE));
        assertEquals(2, kinds.get(Kind.BARE_AMPERSAND));
        assertEquals(2, repair(doc.repairs(), Kind.DOCTYPE).line());
    }

    @Test
    void bareAmpersandsStrayLessThansAndUnknownEntitiesAreText() {
        MorDocument doc = read("<page><a>AT&T</a><b>1 < 2</b><c>&nbsp;&amp;&#65;&#x42;</c><d>x &</d></page>");
        assertEquals("AT&T", doc.root().field("a"));
        assertEquals("1 < 2", doc.root().field("b"));
        assertEquals("&nbsp;&AB", doc.root().field("c"));
        assertEquals("x &", doc.root().field("d"));
        assertEquals(Map.of(Kind.BARE_AMPERSAND, 3, Kind.STRAY_LESS_THAN, 1), kinds(doc.repairs()));
        assertEquals(12, repair(doc.repairs(), Kind.BARE_AMPERSAND).column()); // the & of AT&T
    }

    @Test
    void textOutsideTheRootAndBeforeTheDeclarationIsDropped() {
        MorDocument doc = read("\n  <?xml version=\"1.0\"?>\n<page><a>1</a></page>\n<!-- 12 ms -->trailing junk");
        assertEquals("1", doc.root().field("a"));
        assertEquals(Map.of(Kind.TEXT_BEFORE_DECLARATION, 1, Kind.TEXT_OUTSIDE_ROOT, 1), kinds(doc.repairs()));

        MorDocument warning = read("Warning: mysql_connect() failed\n<page><a>2</a></page>");
        assertEquals("2", warning.root().field("a"));
        MorRepair r = repair(warning.repairs(), Kind.TEXT_OUTSIDE_ROOT);
        assertEquals(1, r.line());
        assertEquals("Warning: mysql_connect() failed", r.sample());
    }

    @Test
    void secretsInTheSamplesOfRepairsAreMasked() {
        MorDocument doc = read("Started POST /api/login?u=demo&p=demo-secret\n<page><a>1</a></page>");
        doc.mask(List.of("demo-secret"));
        MorRepair r = repair(doc.repairs(), Kind.TEXT_OUTSIDE_ROOT);
        assertEquals("Started POST /api/login?u=demo&p=xxxxxx", r.sample());
    }

    @Test
    void unquotedAttributesAndControlCharactersAreRepaired() {
        MorDocument doc = read("<page><aval_devices><device id=7>SIP/7</device><device id='8'/></aval_devices>"
                + "<a>x\u0001y\u001b</a></page>");
        List<MorElement> devices = doc.items(doc.root(), "aval_devices", "device");
        assertEquals("7", devices.get(0).attribute("id"));
        assertEquals("8", devices.get(1).attribute("id"));
        assertEquals("xy", doc.root().field("a"));
        Map<Kind, Integer> kinds = kinds(doc.repairs());
        assertEquals(1, kinds.get(Kind.UNQUOTED_ATTRIBUTE));
        assertEquals(2, kinds.get(Kind.INVALID_CHARACTER));
        assertEquals("U+0001", repair(doc.repairs(), Kind.INVALID_CHARACTER).sample());
    }

    @Test
    void commentsCdataAndProcessingInstructionsPassUntouched() {
        MorDocument doc = read("<?xml version=\"1.0\"?><!-- <<x & y --><page><a><![CDATA[a < b & c]]></a>"
                + "<?php echo 1 ?><b>&lt;ok&gt;</b></page>");
        assertEquals("a < b & c", doc.root().field("a"));
        assertEquals("<ok>", doc.root().field("b"));
        assertTrue(doc.repairs().isEmpty(), doc.repairs().toString());
    }

    @Test
    void manyFaultsAreCountedNotListed() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\">\n<page><calls_stat><calls>\n");
        for (int i = 0; i < 5000; i++) {
            b.append("<call><call_id>").append(i).append("</call_id><<processed>0</processed></call>\n");
        }
        b.append("</calls></calls_stat></page>");
        List<MorElement> streamed = new ArrayList<>();
        MorDocument doc;
        try {
            doc = MorXmlReader.read(new java.io.ByteArrayInputStream(b.toString().getBytes()), null, "test", "/test", MorPages.CALLS_PATH,
                    streamed::add);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(5000, streamed.size());
        assertEquals("4999", streamed.get(4999).field("call_id"));
        assertEquals(List.of(), doc.path("calls_stat", "calls", "call"), "streamed calls are not kept");
        assertEquals(2, doc.repairs().size());
        assertEquals(5000, repair(doc.repairs(), Kind.DOUBLED_LESS_THAN).count());
        assertEquals(3, repair(doc.repairs(), Kind.DOUBLED_LESS_THAN).line());
    }

    @Test
    void otherAlphabetsAndEncodings() throws IOException {
        MorDocument utf8 = read("\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\">\n<page><a>Müller & Söhne</a>"
                + "<b>Łódź & quot;x& quot;</b></page>");
        assertEquals("Müller & Söhne", utf8.root().field("a"));
        assertEquals("Łódź \"x\"", utf8.root().field("b"));
        // columns count characters, not bytes
        assertEquals("<page><a>Müller ".length() + 1, repair(utf8.repairs(), Kind.BARE_AMPERSAND).column());
        assertEquals("<page><a>Müller & Söhne</a><b>Łódź ".length() + 1,
                repair(utf8.repairs(), Kind.ENTITY_WITH_SPACE).column());
        assertEquals(2, repair(utf8.repairs(), Kind.ENTITY_WITH_SPACE).line());

        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<page><a>Café & crème</a></page>"
                .getBytes(StandardCharsets.ISO_8859_1);
        MorDocument declared = MorXmlReader.read(new java.io.ByteArrayInputStream(latin1), null, "test", "/test",
                null, null);
        assertEquals("Café & crème", declared.root().field("a"));
        MorDocument byHeader = MorXmlReader.read(new java.io.ByteArrayInputStream(latin1), "ISO-8859-1", "test",
                "/test", null, null);
        assertEquals("Café & crème", byHeader.root().field("a"));
    }

    @Test
    void positionsOnALineWithOtherAlphabetsAreInCharacters() {
        MorUnreadablePageException clean = assertThrows(MorUnreadablePageException.class,
                () -> read("<page>\n<cid>Łódź &quot;101&quot; x</cidx>\n</page>"));
        MorUnreadablePageException repaired = assertThrows(MorUnreadablePageException.class,
                () -> read("<page>\n<cid>Łódź & quot;101& quot; x</cidx>\n</page>"));
        assertEquals(clean.getColumn() + 2, repaired.getColumn(), clean.getMessage() + " / " + repaired.getMessage());
    }

    // ---- pages that cannot be read ------------------------------------------------------------------------

    @Test
    void aPageCutShortIsATypedErrorNamingThePageAndThePosition() {
        String xml = sample("calls");
        String cut = xml.substring(0, xml.indexOf("<hangup_cause>") + 5);
        MorUnreadablePageException e = assertThrows(MorUnreadablePageException.class,
                () -> MorXmlReader.read(cut, "calls", "/stats/call_list"));
        assertEquals("/stats/call_list", e.getPage());
        assertEquals(lineOf(xml, "<hangup_cause>"), e.getLine());
        assertTrue(e.getColumn() >= 1, e.getMessage());
        assertTrue(e.getMessage().startsWith("mor:calls: the page /stats/call_list cannot be read at line "
                + e.getLine() + ", column " + e.getColumn() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("[row,col"), e.getMessage());
        assertEquals(MorResponseException.CODE, e.getCode());
    }

    @Test
    void positionsAfterARepairOnTheSameLineAreThePagesOwn() {
        MorUnreadablePageException clean = assertThrows(MorUnreadablePageException.class,
                () -> read("<page>\n<cid>&quot;101&quot; x</cidx>\n</page>"));
        MorUnreadablePageException repaired = assertThrows(MorUnreadablePageException.class,
                () -> read("<page>\n<cid>& quot;101& quot; x</cidx>\n</page>"));
        assertEquals(2, repaired.getLine());
        assertEquals(clean.getColumn() + 2, repaired.getColumn(), clean.getMessage() + " / " + repaired.getMessage());
    }

    @Test
    void anEmptyReplyOrOneWithoutElementsCannotBeRead() {
        MorUnreadablePageException empty = assertThrows(MorUnreadablePageException.class, () -> read(""));
        assertTrue(empty.getMessage().contains("empty reply") || empty.getMessage().contains("cannot be read"),
                empty.getMessage());
        assertThrows(MorUnreadablePageException.class, () -> read("   just text, no XML at all"));
        assertThrows(MorUnreadablePageException.class, () -> read("<page><a></b></page>"));
    }

    /**
     * The hand-written repairs on every prefix of every sample, and on samples with random faults inserted: a page is
     * read or is a MorUnreadablePageException, never another exception, never a hang.
     */
    @Test
    void everyCutAndRandomFaultIsReadOrATypedError() {
        java.util.Random random = new java.util.Random(15);
        String[] faults = { "<", "&", "\"", "'", ">", "\u0000", "<<", "& ", "=", "</", "<!", "<?", "]]>", "\n", "é" };
        int read = 0;
        int unreadable = 0;
        for (Object[] s : samples()) {
            String xml = sample((String) s[0]);
            List<String> variants = new ArrayList<>();
            for (int cut = 0; cut <= xml.length(); cut++) {
                variants.add(xml.substring(0, cut));
            }
            for (int i = 0; i < 200; i++) {
                int at = random.nextInt(xml.length() + 1);
                variants.add(xml.substring(0, at) + faults[random.nextInt(faults.length)] + xml.substring(at));
            }
            for (String v : variants) {
                try {
                    read(v);
                    read++;
                } catch (MorUnreadablePageException e) {
                    unreadable++;
                    assertTrue(e.getLine() >= 0 && e.getColumn() >= 0, e.getMessage());
                }
            }
        }
        assertTrue(read > 1000 && unreadable > 1000, read + " read, " + unreadable + " unreadable");
    }

    private static int lineOf(String text, String what) {
        int at = text.indexOf(what);
        assertTrue(at >= 0, what);
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    @SuppressWarnings("unused")
    private static String describe(List<MorRepair> repairs) {
        return repairs.stream().map(MorRepair::toString).collect(Collectors.joining("\n"));
    }
}
