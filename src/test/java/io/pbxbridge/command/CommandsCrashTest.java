package io.pbxbridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pbxbridge.command.CommandApp.Cmd;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.Postgres;

/**
 * A crash between the vendor call and the recorded result (issue 13 §3): pbx-bridge as it is run (the application
 * in a JVM of its own, settings from its environment, the commands from Kafka, the ledger in PostgreSQL) is killed
 * with SIGKILL while the Escaux simulator holds back its reply to a click-to-dial it has carried out. Started again,
 * it reads the command again (its offset was not committed) and answers it {@code unknown} without dialling again;
 * after an orderly restart the ledger still answers every duplicate. The children's output is kept in
 * {@code target/command-e2e/}.
 */
@Tag("kafka")
class CommandsCrashTest {

    static final String ESCAUX = "escaux/main";
    static final String ROLE = "bridge";
    static final String ROLE_PASSWORD = "cmd-e2e-s3cret";

    @RegisterExtension
    static final Postgres pg = Postgres.perTestClass();
    @TempDir
    Path tmp;
    KafkaBroker kafka;
    CommandTopics topics;
    EscauxSimulator escaux;
    CommandApp app;

    @BeforeEach
    void setUp() throws Exception {
        kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start();
        topics = new CommandTopics(kafka, 1);
        escaux = EscauxSimulator.builder().start();
        pg.createRole(ROLE, ROLE_PASSWORD);
        app = new CommandApp(tmp.resolve("app")).escaux(escaux).kafka(kafka, 1)
                .postgres(pg.jdbcUrl(), ROLE, ROLE_PASSWORD)
                .with("events.ndjson.enabled", "false");
    }

    @AfterEach
    void tearDown(TestInfo test) throws Exception {
        app.close();
        app.keepLogs(test.getTestMethod().orElseThrow().getName());
        escaux.faults().reset();
        escaux.close();
        topics.close();
        kafka.close();
    }

    /** The restarted consumer takes the place of the killed one at once (static membership), not after its session. */
    ChildJvm start() throws Exception {
        return app.startChild("-Dcamel.component.kafka.group-instance-id=pbx-bridge-e2e");
    }

    @Test
    void killedWhileTheSopDialsTheCommandIsAnsweredUnknownAndNeverDialledAgain() throws Exception {
        start();
        // an ordinary dial first: executed and recorded
        Cmd ok = Cmd.of("crash-ok", "dial", ESCAUX).param("from", "SDC30015").param("to", "102");
        topics.send(ESCAUX, ok);
        String okAnswer = topics.results(ok.id, 1).get(0);
        assertEquals("ok", topics.result(ok.id).path("status").asText(), okAnswer);
        assertEquals(1, escaux.requestCount("ccOriginate"));

        // the SOP places the next call but is slow to say so; pbx-bridge dies meanwhile
        escaux.faults().delayNext("ccOriginate", Duration.ofSeconds(60));
        Cmd dial = Cmd.of("crash-dial", "dial", ESCAUX).param("from", "SDB20001").param("to", "104");
        topics.send(ESCAUX, dial);
        Await.until(CommandApp.WAIT, "the SOP has the dial", () -> escaux.requestCount("ccOriginate") == 2);
        app.child.kill();
        escaux.faults().releaseHeldReplies(); // to nobody
        assertEquals(List.of(), topics.results.byKey(dial.id), "no result before the crash");
        assertEquals("RUNNING", pg.query("SELECT state FROM pbx_command WHERE id = 'crash-dial'"), "claimed, no result");

        // started again: Kafka delivers the command again, the ledger knows it was under way
        start();
        JsonNode unknown = topics.result(dial.id);
        assertEquals("unknown", unknown.path("status").asText(), unknown.toString());
        assertTrue(unknown.path("message").asText().contains("this instance stopped or crashed"), unknown.toString());
        assertEquals(2, escaux.requestCount("ccOriginate"), "the SOP was asked once for that dial");
        assertEquals("DONE", pg.query("SELECT state FROM pbx_command WHERE id = 'crash-dial'"));

        // the sender tries again: the same answer
        topics.send(ESCAUX, dial);
        List<String> answers = topics.results(dial.id, 2);
        assertEquals(answers.get(0), answers.get(1), "a duplicate gets the recorded unknown, byte for byte");
        assertEquals(2, escaux.requestCount("ccOriginate"));

        // an orderly restart: PostgreSQL still answers both commands' duplicates
        app.child.stop();
        start();
        int before = topics.results.byKey(dial.id).size();
        topics.send(ESCAUX, ok);
        topics.send(ESCAUX, dial);
        List<String> okAnswers = topics.results(ok.id, 2);
        answers = topics.results(dial.id, before + 1);
        assertEquals(1, okAnswers.stream().distinct().count(), "the recorded ok, every time: " + okAnswers);
        assertEquals(okAnswer, okAnswers.get(0));
        assertEquals(1, answers.stream().distinct().count(), "the recorded unknown, every time: " + answers);
        assertEquals(2, escaux.requestCount("ccOriginate"), "two dials in all");
        assertTrue(app.child.lines().stream().anyMatch(l -> l.contains("Command crash-dial (dial on escaux/main) was "
                + "answered before")), app.child.tail());
    }
}
