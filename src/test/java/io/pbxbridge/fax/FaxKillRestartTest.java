package io.pbxbridge.fax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.Application;
import io.pbxbridge.monema.TestPdfs;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;

/**
 * pbx-bridge as a separate process, killed with SIGKILL in the middle of an upload and started again: the document
 * is neither lost nor faxed twice.
 */
class FaxKillRestartTest {

    @TempDir
    Path tmp;
    MonemaSimulator sim;
    Process app;

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.destroyForcibly();
        }
        if (sim != null) {
            sim.stop();
        }
    }

    Process launch(String log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        Map<String, String> props = FaxFromFolderRouteTest.appProperties(tmp, sim.address(),
                Map.of("fax.chunk-size", "131072"));
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Application.class.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    @Test
    void killedMidUploadThenRestartedSendsExactlyOnce() throws Exception {
        sim = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("sim"))
                .account("demo", "demo-secret", new BigDecimal("100.00")).build().start();
        sim.faults().delayOperation("C_uploadFaxChunk", Duration.ofMillis(150)); // 32 chunks: about 5 s of upload
        Path outbox = Files.createDirectories(tmp.resolve("outbox"));
        Path doc = TestPdfs.write(tmp.resolve("report.pdf"), 4 * 1024 * 1024, 21);
        Files.copy(doc, outbox.resolve(".report.pdf.part"));
        Files.writeString(outbox.resolve("report.json"), "{\"destinations\": [\"+15550001\"]}");
        Files.move(outbox.resolve(".report.pdf.part"), outbox.resolve("report.pdf"));

        app = launch("run1.log");
        Await.until(Duration.ofSeconds(60), () -> "an upload under way; log: " + log("run1.log"),
                () -> sim.uploadSessions().values().stream().anyMatch(bytes -> bytes >= 512 * 1024));
        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        String abandoned = sim.uploadSessions().keySet().iterator().next();
        assertTrue(sim.sentFaxes().isEmpty());
        assertTrue(Files.exists(outbox.resolve("report.pdf")), "the document is still in the outbox");
        assertEquals("UPLOADING", Json.MAPPER.readTree(tmp.resolve("state/report.state.json").toFile())
                .get("status").asText());

        sim.faults().reset();
        app = launch("run2.log");
        Await.until(Duration.ofSeconds(60), () -> "report.pdf in sent/; log: " + log("run2.log"),
                () -> Files.exists(tmp.resolve("sent/report.pdf")));
        assertEquals(1, sim.sentFaxes().size(), "faxed exactly once");
        assertEquals(TestPdfs.sha256(doc), sim.sentFaxes().get(0).sha256());
        var receipt = Json.MAPPER.readTree(tmp.resolve("sent/report.receipt.json").toFile());
        assertTrue(!receipt.get("sessionId").asText().equals(abandoned), "a new upload session was started");
        assertEquals(2, receipt.get("attempts").asInt());
        assertTrue(log("run2.log").contains("was interrupted at UPLOADING"), log("run2.log"));
    }

    String log(String name) {
        try {
            String s = Files.readString(tmp.resolve(name));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
