package io.pbxbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.monema.TestPdfs;
import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.sandbox.monema.SentFax;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.Ndjson;

/**
 * The fax outbox ({@code fax-from-folder}) in the shared folder of two instances of pbx-bridge, each a JVM of its own,
 * Monema's simulator taking the faxes. Ten PDFs are dropped while the leader of the outbox is killed with SIGKILL
 * twice, each time in the middle of an upload (the job's progress, {@code UPLOADING}, is in the shared
 * {@code fax.state}, written after the standby last looked): the new leader resumes the interrupted job with a new
 * upload session, as a restarted single instance does, and each document is faxed once, filed in {@code fax.sent}
 * with its receipt, none in {@code fax.failed}. Then a kill while the server is carrying out {@code C_sendFax} itself:
 * the new leader fails that job ({@code SEND_OUTCOME_UNKNOWN}) and does not send it again, exactly as a single
 * instance restarted after such a kill.
 */
class FaxOutboxFailoverTest {

    static final String ROUTE = "fax-from-folder";
    static final String LOGIN = "demo";
    static final String PASSWORD = "demo-secret";
    static final int CHUNK = 64 * 1024;
    static final int SIZE = 8 * CHUNK;
    static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    @AutoClose
    MonemaSimulator monema;
    @AutoClose
    ClusterInstances cluster;
    Path outbox;
    /** Document name to its SHA-256. */
    final Map<String, String> dropped = new LinkedHashMap<>();

    @Test
    void eachDocumentIsFaxedOnceWhileTheOutboxLeaderIsKilled() throws Exception {
        monema = MonemaSimulator.builder().port(0).dataDir(tmp.resolve("monema"))
                .account(LOGIN, PASSWORD, new BigDecimal("100.00")).build().start();
        // 8 chunks of 150 ms: an upload takes over a second, the kills land in one
        monema.faults().delayOperation("C_uploadFaxChunk", Duration.ofMillis(150));
        cluster = new ClusterInstances(tmp).withMonema(monema, LOGIN, PASSWORD)
                .with("fax.chunk-size", Integer.toString(CHUNK))
                // one job at a time: the job under way when a kill lands is uploading, not between upload and send
                .with("fax.concurrency", "1")
                .with("fax.poll-delay", "200")
                .with("fax.settle-millis", "300")
                .with("fax.retry.delay", "300")
                .with("fax.retry.max-delay", "1000");
        outbox = cluster.shared.resolve("fax/outbox");
        Instance a = cluster.instance("a").start();
        Instance b = cluster.instance("b").start();
        Await.until(WAIT, "one instance leads " + ROUTE + ", both are ready", () -> cluster.leaders(ROUTE).size() == 1
                && a.readiness() == 200 && b.readiness() == 200);

        List<String> takeovers = new ArrayList<>();
        List<String> interrupted = new ArrayList<>();
        Set<String> abandoned = new HashSet<>(); // the upload sessions of the killed leaders, open for ever
        drop(0, 4);
        for (int kill = 0; kill < 2; kill++) {
            Instance leader = cluster.leaders(ROUTE).get(0);
            Instance standby = cluster.other(leader);
            Await.until(WAIT, "an upload under way", () -> monema.uploadSessions().entrySet().stream()
                    .anyMatch(u -> !abandoned.contains(u.getKey()) && u.getValue() >= 2 * CHUNK
                            && u.getValue() <= SIZE - 3 * CHUNK));
            long killed = System.nanoTime();
            leader.kill();
            abandoned.addAll(monema.uploadSessions().keySet());
            interrupted.addAll(jobsIn("UPLOADING"));
            drop(4 + 3 * kill, 3); // while nobody leads the outbox
            Await.until(WAIT, standby + " leads " + ROUTE, () -> standby.leads(ROUTE));
            long leads = (System.nanoTime() - killed) / 1_000_000;
            int sent = monema.sentFaxes().size();
            Await.until(WAIT, standby + " sends", () -> monema.sentFaxes().size() > sent);
            takeovers.add(leader + "->" + standby + " " + leads + "/" + (System.nanoTime() - killed) / 1_000_000);
            assertTrue(leads < TAKEOVER_BOUND.toMillis(), "takeover within " + TAKEOVER_BOUND + ": " + takeovers);
            leader.start(); // back as the standby
            Await.until(WAIT, leader + " back, ready", () -> leader.readiness() == 200);
        }
        // a job is done when its document has left the outbox and its state is gone, both after its receipt
        Await.until(WAIT, () -> "ten documents filed: " + names("fax/sent") + names("fax/failed") + names("fax/state"),
                () -> names("fax/sent").stream().filter(n -> n.endsWith(".pdf")).count() == 10
                        && names("fax/state").isEmpty());

        Map<String, Long> sends = monema.sentFaxes().stream().collect(Collectors.groupingBy(SentFax::sha256,
                Collectors.counting()));
        List<JsonNode> sentEvents = faxEvents("fax.sent");
        List<JsonNode> receivedEvents = faxEvents("fax.received");
        System.out.printf("FaxOutboxFailoverTest: %d documents, %d faxes sent, %d upload sessions; interrupted jobs %s;"
                + " takeovers (kill -> leads, -> a fax sent) %s ms%n", dropped.size(), monema.sentFaxes().size(),
                monema.requestCount("C_startFaxUpload"), interrupted, takeovers);
        assertEquals(1, monema.mostConcurrent("C_uploadFaxChunk"), "one instance at a time took the outbox's jobs");
        assertEquals(List.of(), names("fax/failed"), "none failed");
        assertEquals(List.of(), names("fax/outbox"), "none left");
        assertEquals(List.of(), names("fax/state"), "no job under way");
        assertEquals(2, interrupted.size(), "each kill interrupted an upload: " + interrupted);
        for (Map.Entry<String, String> doc : dropped.entrySet()) {
            String name = doc.getKey();
            assertEquals(1L, sends.get(doc.getValue()), name + " faxed once: " + sends);
            String job = name.substring(0, name.length() - 4);
            assertTrue(Files.exists(cluster.shared.resolve("fax/sent").resolve(name)), name + " filed in sent");
            JsonNode receipt = Json.MAPPER.readTree(cluster.shared.resolve("fax/sent/" + job + ".receipt.json")
                    .toFile());
            SentFax fax = monema.sentFaxes().stream().filter(f -> f.sha256().equals(doc.getValue())).findFirst()
                    .orElseThrow();
            assertEquals(fax.sessionId(), receipt.path("sessionId").asText(), name + ": the receipt of its send");
            assertEquals(interrupted.contains(job) ? 2 : 1, receipt.path("attempts").asInt(), receipt.toString());
            assertEquals(1, sentEvents.stream().filter(e -> e.path("jobId").asText().equals(job)).count(),
                    job + ": one fax.sent event, from the instance that sent it");
            assertEquals(1, receivedEvents.stream().filter(e -> e.path("jobId").asText().equals(job)).count(),
                    job + ": one fax.received event (a resumed job is not received again)");
        }
        for (String job : interrupted) {
            String resumed = "Fax job " + job + " was interrupted at UPLOADING";
            assertTrue(cluster.all().stream().anyMatch(i -> i.logOfAllRuns().stream()
                    .anyMatch(l -> l.contains(resumed))), job + " resumed by the new leader");
        }

        // a kill while the server carries out C_sendFax: the new leader cannot know whether it went out
        Instance leader = cluster.leaders(ROUTE).get(0);
        monema.faults().delayOperation("C_sendFax", Duration.ofSeconds(3));
        int sendRequests = monema.requestCount("C_sendFax");
        drop(10, 1);
        Await.until(WAIT, "the last document in C_sendFax", () -> monema.requestCount("C_sendFax") > sendRequests);
        long killed = System.nanoTime();
        leader.kill();
        monema.faults().delayOperation("C_sendFax", Duration.ZERO);
        Path report = cluster.shared.resolve("fax/failed/doc-10.error.json");
        Await.until(WAIT, "doc-10 failed by the new leader", () -> Files.exists(report));
        System.out.printf("FaxOutboxFailoverTest: killed in C_sendFax, the job failed as SEND_OUTCOME_UNKNOWN by the "
                + "new leader %d ms later%n", (System.nanoTime() - killed) / 1_000_000);
        assertEquals("SEND_OUTCOME_UNKNOWN", Json.MAPPER.readTree(report.toFile()).path("code").asText());
        Thread.sleep(2000); // a resend, were there one, would come now
        assertEquals(1, monema.sentFaxes().stream().filter(f -> f.sha256().equals(dropped.get("doc-10.pdf")))
                .count(), "carried out by the server once, never sent again");
        assertEquals(sendRequests + 1, monema.requestCount("C_sendFax"));
    }

    /** Drops {@code n} documents, numbered from {@code first}, as a writer should: under a dot name, then renamed. */
    void drop(int first, int n) throws Exception {
        Files.createDirectories(outbox);
        for (int i = first; i < first + n; i++) {
            String name = "doc-" + i + ".pdf";
            byte[] pdf = TestPdfs.bytes(SIZE, i);
            Files.writeString(outbox.resolve("doc-" + i + ".json"), "{\"destinations\": [\"+1555000" + i + "\"]}");
            Path part = outbox.resolve("." + name + ".part");
            Files.write(part, pdf);
            Files.move(part, outbox.resolve(name));
            dropped.put(name, TestPdfs.sha256(pdf));
        }
    }

    /** The jobs whose state in the shared fax.state is {@code status}. */
    List<String> jobsIn(String status) throws IOException {
        List<String> jobs = new ArrayList<>();
        try (Stream<Path> states = Files.list(cluster.shared.resolve("fax/state"))) {
            for (Path state : states.toList()) {
                JsonNode s = Json.MAPPER.readTree(state.toFile());
                if (s.path("status").asText().equals(status)) {
                    jobs.add(s.path("jobId").asText());
                }
            }
        }
        return jobs;
    }

    /** The files of a shared folder, by name. */
    List<String> names(String folder) {
        try (Stream<Path> files = Files.list(cluster.shared.resolve(folder))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The fax status events of {@code type} every instance wrote. */
    List<JsonNode> faxEvents(String type) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (Instance i : cluster.all()) {
            Ndjson.read(i.dir.resolve("events/fax-events.ndjson")).stream()
                    .filter(e -> e.path("type").asText().equals(type)).forEach(events::add);
        }
        return events;
    }
}
