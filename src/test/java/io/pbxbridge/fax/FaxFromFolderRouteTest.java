package io.pbxbridge.fax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.Application;
import io.pbxbridge.monema.TestPdfs;
import io.pbxbridge.sandbox.monema.Faults.Failure;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.sandbox.monema.SentFax;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.Ndjson;
import io.pbxbridge.testsupport.LogCapture;

/** The fax-from-folder job end to end: Camel Main, routes/fax-from-folder.camel.yaml, the simulator over HTTP. */
class FaxFromFolderRouteTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    Path outbox;
    Path sent;
    Path failed;
    Path events;
    MonemaSimulator sim;
    Main main;

    @BeforeEach
    void setUp() {
        outbox = tmp.resolve("outbox");
        sent = tmp.resolve("sent");
        failed = tmp.resolve("failed");
        events = tmp.resolve("events/fax-events.ndjson");
        sim = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("sim")).seed(3)
                .account("demo", "demo-secret", new BigDecimal("100.00")).build().start();
    }

    /** Runs the application as configured in application.properties, with folders, server and timings overridden. */
    static Main startApp(Path tmp, String address, Map<String, String> extra) throws Exception {
        Main main = Application.newMain();
        for (Map.Entry<String, String> e : appProperties(tmp, address, extra).entrySet()) {
            main.addOverrideProperty(e.getKey(), e.getValue());
        }
        main.start();
        return main;
    }

    static Map<String, String> appProperties(Path tmp, String address, Map<String, String> extra) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("sandbox.enabled", "false");
        p.put("camel.management.port", io.pbxbridge.testsupport.FreePort.managementPort());
        p.put("camel.main.routes-include-pattern", "file:routes/fax-from-folder.camel.yaml");
        p.put("camel.component.monema.address", address);
        p.put("camel.component.monema.login", "demo");
        p.put("camel.component.monema.password", "demo-secret");
        p.put("camel.component.monema.receive-timeout", "5000");
        p.put("fax.outbox", tmp.resolve("outbox").toString());
        p.put("fax.sent", tmp.resolve("sent").toString());
        p.put("fax.failed", tmp.resolve("failed").toString());
        p.put("fax.state", tmp.resolve("state").toString());
        p.put("fax.events-uri", "file:" + tmp.resolve("events") + "?fileName=fax-events.ndjson&fileExist=Append");
        p.put("fax.events-forward-uri", "log:fax-forward?level=OFF");
        p.put("fax.poll-delay", "200");
        p.put("fax.settle-millis", "300");
        p.put("fax.sidecar-grace-millis", "3000");
        p.put("fax.retry.delay", "300");
        p.put("fax.retry.max-delay", "1000");
        p.putAll(extra);
        return p;
    }

    void start(Map<String, String> extra) throws Exception {
        main = startApp(tmp, sim.address(), extra);
    }

    @AfterEach
    void tearDown() {
        if (main != null) {
            main.stop();
        }
        sim.stop();
    }

    void drop(String name, byte[] content) throws Exception {
        drop(outbox, name, content);
    }

    static void drop(Path outbox, String name, byte[] content) throws Exception {
        Files.createDirectories(outbox);
        Path part = outbox.resolve("." + name + ".part"); // written under a hidden name, then renamed: no half files
        Files.write(part, content);
        Files.move(part, outbox.resolve(name));
    }

    static JsonNode json(Path file) throws Exception {
        return Json.MAPPER.readTree(file.toFile());
    }

    List<JsonNode> events() throws Exception {
        return Ndjson.read(events);
    }

    @Test
    void pdfsWithSidecarAndWithFileNameDestinationsAreSent() throws Exception {
        start(Map.of());
        Path big = TestPdfs.write(tmp.resolve("contract.pdf"), 5 * 1024 * 1024 + 77, 11);
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("contract.json"), """
                {"destinations": ["+15550001", "15550002"], "modem": "modem-2",
                 "cover": {"name": "Ann", "company": "ACME", "location": "Madrid", "voicePhone": "+34910000000",
                           "subject": "Contract", "comments": "Please sign"}}""");
        Files.copy(big, outbox.resolve(".contract.pdf.part"));
        Files.move(outbox.resolve(".contract.pdf.part"), outbox.resolve("contract.pdf"));
        byte[] small = TestPdfs.bytes(40_000, 12);
        drop("15550003,15550004__invoice-17.pdf", small);

        Await.until(WAIT, "both faxes in sent/", () -> Files.exists(sent.resolve("contract.pdf"))
                && Files.exists(sent.resolve("15550003,15550004__invoice-17.pdf")));
        assertEquals(2, sim.sentFaxes().size());
        SentFax contract = sim.sentFaxes().stream().filter(f -> f.destinations().contains("+15550001")).findFirst()
                .orElseThrow();
        assertEquals(TestPdfs.sha256(big), contract.sha256());
        assertEquals("modem-2", contract.modem());
        assertTrue(contract.useCover());
        assertEquals("ACME", contract.cover().get("coverDestCompany"));
        SentFax invoice = sim.sentFaxes().stream().filter(f -> f.destinations().contains("15550003")).findFirst()
                .orElseThrow();
        assertEquals(TestPdfs.sha256(small), invoice.sha256());
        assertFalse(invoice.useCover());

        JsonNode receipt = json(sent.resolve("contract.receipt.json"));
        assertEquals(contract.sessionId(), receipt.get("sessionId").asText());
        assertEquals("modem-2", receipt.get("modem").asText());
        assertEquals(Files.size(big), receipt.get("bytes").asLong());
        assertEquals(21, receipt.get("chunks").asInt());
        assertEquals("+15550001", receipt.get("destinations").get(0).asText());
        for (String field : List.of("receivedAt", "uploadedAt", "sentAt")) {
            assertTrue(receipt.hasNonNull(field), field);
        }
        assertTrue(Files.exists(sent.resolve("contract.json")), "the sidecar is filed with the document");
        assertTrue(Files.exists(sent.resolve("15550003,15550004__invoice-17.receipt.json")));
        try (var left = Files.list(outbox)) {
            assertEquals(0, left.count());
        }

        Await.until(WAIT, "fax.sent events", () -> eventTypes("contract").contains("fax.sent"));
        assertEquals(List.of("fax.received", "fax.uploaded", "fax.sent"), eventTypes("contract"));
    }

    List<String> eventTypes(String jobId) {
        return eventTypes(events, jobId);
    }

    /** The types of the status events of {@code jobId} in the events file, in order. */
    static List<String> eventTypes(Path events, String jobId) {
        try {
            return Ndjson.read(events).stream().filter(e -> e.get("jobId").asText().equals(jobId))
                    .map(e -> e.get("type").asText()).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badDocumentsAndNumbersFailAtOnceWithClearReasons() throws Exception {
        start(Map.of("fax.max-size", "100000"));
        drop("15550001__letter.pdf", "Dear Sir, this is plain text.".getBytes());
        drop("15550001__empty.pdf", new byte[0]);
        drop("15550001__huge.pdf", TestPdfs.bytes(200_000, 1));
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("badnumber.json"), "{\"destinations\": [\"call-me-maybe\"]}");
        drop("badnumber.pdf", TestPdfs.bytes(10_000, 2));
        Files.writeString(outbox.resolve("brokenjson.json"), "{\"destinations\": [\"1555");
        Files.setLastModifiedTime(outbox.resolve("brokenjson.json"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        drop("brokenjson.pdf", TestPdfs.bytes(10_000, 2));
        Files.setLastModifiedTime(outbox.resolve("brokenjson.pdf"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000));

        Files.writeString(outbox.resolve("nomodem.json"), "{\"destinations\": [\"15550001\"], \"modem\": \"modem-9\"}");
        drop("nomodem.pdf", TestPdfs.bytes(10_000, 3));
        Files.writeString(outbox.resolve("wrongtype.json"), "{\n  \"destinations\": \"15550001\"\n}");
        drop("wrongtype.pdf", TestPdfs.bytes(10_000, 4));

        // name -> a part of the reason, the code and the operation of its error report
        Map<String, List<String>> expected = Map.of(
                "15550001__letter", List.of("not a PDF", "NOT_PDF", "fax"),
                "15550001__empty", List.of("empty", "EMPTY_DOCUMENT", "fax"),
                "15550001__huge", List.of("over the limit", "DOCUMENT_TOO_LARGE", "fax"),
                "badnumber", List.of("'call-me-maybe' is not a fax number", "BAD_DESTINATION", "fax"),
                "brokenjson", List.of("the sidecar brokenjson.json is not valid JSON: unexpected end of the document",
                        "BAD_SIDECAR", "sidecar"),
                "wrongtype", List.of("the sidecar wrongtype.json is not a valid sidecar: \"destinations\" must be a"
                        + " list, not a string, at line 2, column 19", "BAD_SIDECAR", "sidecar"),
                "nomodem", List.of("'modem-9' is not one of the account's fax modems", "UNKNOWN_MODEM", "fax"));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            Path report = failed.resolve(e.getKey() + ".error.json");
            Await.until(WAIT, report::toString, () -> Files.exists(failed.resolve(e.getKey() + ".pdf")));
            JsonNode r = json(report);
            assertTrue(r.get("reason").asText().contains(e.getValue().get(0)), e.getKey() + ": " + r);
            assertEquals(e.getValue().get(1), r.path("code").asText(), e.getKey() + ": " + r);
            assertEquals(e.getValue().get(2), r.path("operation").asText(), e.getKey() + ": " + r);
            assertFalse(r.path("transient").asBoolean(true), e.getKey() + ": " + r);
            assertEquals(1, r.get("attempts").asInt(), e.getKey() + " must fail without retries");
        }
        String broken = json(failed.resolve("brokenjson.error.json")).get("reason").asText();
        assertTrue(broken.matches(".*at line 1, column \\d+$"), "says where: " + broken);
        for (String internal : List.of("Source", "REDACTED", "StreamReadFeature", "VALUE_STRING", "java.")) {
            assertFalse(broken.contains(internal), "Jackson's internals in: " + broken);
        }
        assertTrue(Files.exists(failed.resolve("badnumber.json")));
        assertEquals(0, sim.requestCount("C_startFaxUpload"), "nothing bad was uploaded");
        assertTrue(sim.sentFaxes().isEmpty());
        Await.until(WAIT, "fax.failed event", () -> eventTypes("badnumber").contains("fax.failed"));
    }

    @Test
    void chunkFailureRetriesWithANewUploadSession() throws Exception {
        start(Map.of("fax.chunk-size", "65536"));
        sim.faults().failChunk(3, Failure.HTTP_500_HTML);
        byte[] doc = TestPdfs.bytes(500_000, 6);
        drop("15550001__flaky.pdf", doc);
        Await.until(WAIT, "the fax in sent/", () -> Files.exists(sent.resolve("15550001__flaky.pdf")));
        assertEquals(1, sim.sentFaxes().size());
        assertEquals(TestPdfs.sha256(doc), sim.sentFaxes().get(0).sha256());
        assertEquals(2, sim.requestCount("C_startFaxUpload"));
        assertEquals(2, json(sent.resolve("15550001__flaky.receipt.json")).get("attempts").asInt());
    }

    @Test
    void wrongPasswordFailsWithoutRetries() throws Exception {
        start(Map.of("camel.component.monema.password", "not-the-password"));
        drop("15550001__secret.pdf", TestPdfs.bytes(10_000, 7));
        Await.until(WAIT, "the fax in failed/", () -> Files.exists(failed.resolve("15550001__secret.pdf")));
        JsonNode r = json(failed.resolve("15550001__secret.error.json"));
        assertTrue(r.get("reason").asText().contains("Invalid login or password"), r.toString());
        assertEquals(1, r.get("attempts").asInt());
        assertEquals(1, sim.requestCount("C_getFaxModems"));
        assertFalse(Files.readString(failed.resolve("15550001__secret.error.json")).contains("not-the-password"));
    }

    @Test
    void insufficientCreditFailsAtOnce() throws Exception {
        sim.stop();
        sim = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("sim2"))
                .account("demo", "demo-secret", new BigDecimal("0.05")).build().start();
        start(Map.of());
        drop("15550001__poor.pdf", TestPdfs.bytes(10_000, 8));
        Await.until(WAIT, "the fax in failed/", () -> Files.exists(failed.resolve("15550001__poor.pdf")));
        JsonNode r = json(failed.resolve("15550001__poor.error.json"));
        assertTrue(r.get("reason").asText().contains("Insufficient credit"), r.toString());
        assertEquals(1, r.get("attempts").asInt());
    }

    @Test
    void sidecarArrivingWithinTheGracePeriodIsUsedAndMissingOneFailsAfterIt() throws Exception {
        start(Map.of());
        drop("late.pdf", TestPdfs.bytes(10_000, 9));
        drop("never.pdf", TestPdfs.bytes(10_000, 9));
        Thread.sleep(1000);
        assertTrue(Files.exists(outbox.resolve("late.pdf")), "waits for its sidecar");
        Files.writeString(outbox.resolve("late.json"), "{\"destinations\": [\"15550001\"]}");
        Await.until(WAIT, "late.pdf sent", () -> Files.exists(sent.resolve("late.pdf")));
        Await.until(WAIT, "never.pdf failed", () -> Files.exists(failed.resolve("never.pdf")));
        JsonNode never = json(failed.resolve("never.error.json"));
        assertTrue(never.get("reason").asText().contains("no destination"), never.toString());
        assertEquals("NO_DESTINATION", never.path("code").asText());
        assertEquals("sidecar", never.path("operation").asText());
        assertFalse(never.path("transient").asBoolean(true));
    }

    @Test
    void sidecarGraceCountsFromArrivalNotFromTheFilesTime() throws Exception {
        start(Map.of("fax.sidecar-grace-millis", "6000"));
        Files.createDirectories(outbox);
        Path part = outbox.resolve(".copied.pdf.part");
        Files.write(part, TestPdfs.bytes(10_000, 13));
        Files.setLastModifiedTime(part, FileTime.from(Instant.now().minus(Duration.ofDays(3)))); // cp -p, unzip...
        Files.move(part, outbox.resolve("copied.pdf"));
        Thread.sleep(4000);
        assertTrue(Files.exists(outbox.resolve("copied.pdf")), "still waits for its sidecar 4 s after it arrived");
        Files.writeString(outbox.resolve("copied.json"), "{\"destinations\": [\"15550001\"]}");
        Await.until(WAIT, "copied.pdf sent", () -> Files.exists(sent.resolve("copied.pdf")));
        assertEquals(1, sim.sentFaxes().size());
    }

    @Test
    void sidecarGraceCountsFromTheFirstSightingAlsoAcrossARestart() throws Exception {
        Map<String, String> grace = Map.of("fax.sidecar-grace-millis", "6000");
        start(grace);
        drop("orphan.pdf", TestPdfs.bytes(10_000, 14));
        Path state = tmp.resolve("state/orphan.state.json");
        Await.until(WAIT, "the first sighting written down", () -> Files.exists(state));
        JsonNode seen = json(state);
        assertEquals("ARRIVED", seen.get("status").asText());
        Instant firstSeen = Instant.parse(seen.get("firstSeenAt").asText());
        main.stop();
        main = null;
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), firstSeen.plusMillis(6500)).toMillis()));

        start(grace); // the grace period has run out while pbx-bridge was stopped: no new 6 s from the restart
        Await.until(Duration.ofSeconds(4), "orphan.pdf failed soon after the restart",
                () -> Files.exists(failed.resolve("orphan.pdf")));
        assertTrue(json(failed.resolve("orphan.error.json")).get("reason").asText().contains("no destination"));
        Await.until(WAIT, "its state forgotten (right after the filing)", () -> !Files.exists(state));
    }

    @Test
    void filesThatWaitAreLoggedOnceEachSayingWhy() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            start(Map.of("fax.sidecar-grace-millis", "20000"));
            Files.createDirectories(outbox);
            Files.writeString(outbox.resolve("notes.txt"), "call Ann back");
            Files.writeString(outbox.resolve("early.json"), "{\"destinations\": [\"15550001\"]}");
            drop("nosidecar.pdf", TestPdfs.bytes(10_000, 15));
            Files.writeString(outbox.resolve("half.json"), "{\"destinations\": [\"155");
            drop("half.pdf", TestPdfs.bytes(10_000, 16));
            Thread.sleep(3000); // about 15 polls

            List<String> lines = log.messages(Level.INFO, "FaxOutboxFilter");
            for (String expected : List.of(
                    "Outbox file notes.txt is not faxed: only NAME.pdf documents are",
                    "Sidecar early.json waits for its document early.pdf",
                    "Fax job nosidecar waits for its sidecar nosidecar.json: its name has no destinations",
                    "Fax job half waits for its sidecar half.json to be complete JSON")) {
                assertEquals(1, lines.stream().filter(l -> l.startsWith(expected)).count(), expected + " in " + lines);
            }
            assertEquals(4, lines.size(), lines.toString());
            assertTrue(lines.get(2).contains("if none comes by 20") || lines.get(3).contains("if none comes by 20"),
                    "says until when: " + lines);
        }
    }

    @Test
    void fileStillBeingWrittenIsNotTakenEarly() throws Exception {
        start(Map.of());
        Files.createDirectories(outbox);
        byte[] doc = TestPdfs.bytes(300_000, 10);
        Path target = outbox.resolve("15550001__slow.pdf");
        try (var out = Files.newOutputStream(target)) {
            for (int i = 0; i < doc.length; i += 30_000) {
                out.write(doc, i, Math.min(30_000, doc.length - i));
                out.flush();
                Thread.sleep(150); // 1.5 s of writing, longer than poll and settle time
            }
        }
        Await.until(WAIT, "the fax in sent/", () -> Files.exists(sent.resolve("15550001__slow.pdf")));
        assertEquals(1, sim.sentFaxes().size());
        assertEquals(TestPdfs.sha256(doc), sim.sentFaxes().get(0).sha256());
    }

    @Test
    void jobSentBeforeARestartIsCompletedNotResent() throws Exception {
        Files.createDirectories(tmp.resolve("state"));
        drop("15550001__done.pdf", TestPdfs.bytes(10_000, 11));
        Files.writeString(tmp.resolve("state/15550001__done.state.json"), """
                {"jobId":"15550001__done","document":"15550001__done.pdf","status":"SENT",
                 "destinations":["15550001"],"modem":"modem-1","sessionId":"s-before-restart","bytes":10000,
                 "chunks":1,"attempts":1,"receivedAt":"2026-01-01T10:00:00Z","uploadedAt":"2026-01-01T10:00:01Z",
                 "sentAt":"2026-01-01T10:00:02Z"}""");
        drop("15550001__sending.pdf", TestPdfs.bytes(10_000, 12));
        Files.writeString(tmp.resolve("state/15550001__sending.state.json"), """
                {"jobId":"15550001__sending","document":"15550001__sending.pdf","status":"SENDING",
                 "destinations":["15550001"],"modem":"modem-1","sessionId":"s-unknown","attempts":1}""");
        start(Map.of());
        Await.until(WAIT, "done in sent/", () -> Files.exists(sent.resolve("15550001__done.pdf")));
        assertEquals("s-before-restart", json(sent.resolve("15550001__done.receipt.json")).get("sessionId").asText());
        Await.until(WAIT, "sending in failed/", () -> Files.exists(failed.resolve("15550001__sending.pdf")));
        JsonNode sending = json(failed.resolve("15550001__sending.error.json"));
        assertTrue(sending.get("reason").asText().contains("not resent automatically"), sending.toString());
        assertEquals("SEND_OUTCOME_UNKNOWN", sending.path("code").asText());
        assertEquals("C_sendFax", sending.path("operation").asText());
        assertEquals(0, sim.requestCount("C_sendFax"));
        Await.until(WAIT, "done's state forgotten (right after the filing)",
                () -> !Files.exists(tmp.resolve("state/15550001__done.state.json")));
    }
}
