package io.pbxbridge.metasec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.sandbox.metasec.SimChannel;
import io.pbxbridge.support.Await;

/**
 * {@code metasec:events} against the simulator over HTTP: a scripted sequence of calls, queue changes, agent logins,
 * relay changes and a recording gives exactly the expected events in order; a poll that fails, or reads a list with
 * broken lines, ends no call; a restart from the saved snapshot does not announce running calls again. The polls are
 * made by the test ({@code pollInterval} an hour: the consumer's own first poll, then the test's), so each step's
 * events are those of one poll.
 */
@Timeout(60)
class MetasecEventsTest {

    @TempDir
    Path dir;

    MetasecSimulator sim;
    CamelContext camel;
    final List<CallEvent> events = new CopyOnWriteArrayList<>();
    int seen;

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    void startSimulator() {
        sim = MetasecSimulator.builder().ringTime(null).prioCloseTime(Duration.ofMillis(10)).start();
    }

    /** A context with the events route; waits for the consumer's first poll (the baseline, or the reconciliation). */
    void startEvents() throws Exception {
        camel = new DefaultCamelContext();
        MetasecComponent component = new MetasecComponent();
        component.getConfiguration().setAddress(sim.address());
        component.getConfiguration().setUser(MetasecSimulator.DEFAULT_USER);
        component.getConfiguration().setPassword(MetasecSimulator.DEFAULT_PASSWORD);
        component.getConfiguration().setRequestTimeout(3000);
        component.getConfiguration().setStateDirectory(dir.resolve("state").toString());
        camel.addComponent("metasec", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("metasec:events?pollInterval=3600000&extensions=1001,1004").routeId("events").process(e -> {
                    Object body = e.getIn().getBody();
                    if (body instanceof List<?> l) {
                        l.forEach(x -> events.add((CallEvent) x));
                    } else {
                        events.add((CallEvent) body);
                    }
                });
            }
        });
        camel.start();
        Await.until(Duration.ofSeconds(10), "the first poll", () -> consumer().getPollCount() >= 1);
        seen = events.size();
    }

    MetasecEventConsumer consumer() {
        return (MetasecEventConsumer) camel.getRoute("events").getConsumer();
    }

    /** Polls now; the events of that poll as "type subject". */
    List<String> poll() {
        consumer().poll();
        List<CallEvent> fresh = new ArrayList<>(events.subList(seen, events.size()));
        seen = events.size();
        return fresh.stream().map(e -> e.type() + " " + e.subject()).toList();
    }

    CallEvent last(String type) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).type().equals(type)) {
                return events.get(i);
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }

    Object call(String uri, Map<String, Object> headers) {
        Exchange ex = camel.createProducerTemplate().request("metasec:" + uri,
                e -> e.getIn().setHeaders(new HashMap<>(headers)));
        if (ex.getException() != null) {
            throw new AssertionError(uri + " failed", ex.getException());
        }
        return ex.getMessage().getBody();
    }

    SimChannel only(String device) {
        List<SimChannel> c = sim.channelsOf(device);
        assertEquals(1, c.size(), device + ": " + c);
        return c.get(0);
    }

    List<CallRecord> journal() throws Exception {
        return new MetasecCallJournal(dir.resolve("state").resolve(MetasecStateFiles.folderName("127.0.0.1/1004"))
                .resolve("calls"), Duration.ofDays(30)).all();
    }

    @Test
    void aScriptedDayGivesExactlyTheExpectedEventsInOrder() throws Exception {
        startSimulator();
        startEvents();
        assertEquals(0, seen, "the baseline: relay 19 on, agent 1001 in VMX, no event");

        // 1. click-to-dial 1004 -> 1001
        call("call?src=1004&dst=1001", Map.of());
        SimChannel a = only("1004");
        SimChannel b = only("1001");
        String c1 = a.uniqueId();
        assertEquals(List.of("call.dialing " + c1, "call.ringing " + c1, "extension.changed extension:1001",
                "extension.changed extension:1004"), poll());
        assertEquals(b.uniqueId(), events.get(1).legId());
        assertEquals("RINGING", events.get(2).state());

        // 2. 1001 answers
        assertTrue(sim.answer(b.name()));
        assertEquals(List.of("call.answered " + c1, "call.connected " + c1, "extension.changed extension:1001"),
                poll());

        // 3. an outside caller waits in queue VMX (its agent 1001 is busy)
        SimChannel q = sim.incomingCall("+4930111222", "7777");
        String c2 = q.uniqueId();
        assertEquals(List.of("call.ringing " + c2, "queue.joined " + c2), poll());
        assertEquals("+4930111222", last("queue.joined").from());
        assertEquals("VMX", last("queue.joined").details().get("queue"));

        // 4. the user logs in as an agent of VMX
        call("agent_login?queue=VMX", Map.of());
        assertEquals(List.of("agent.logged_in agent:SIP/1004"), poll());

        // 5. the first call is hung up, by its call id (the component finds its channel in the snapshot)
        call("call_hangup", Map.of(MetasecConstants.CALL_ID, c1));
        assertEquals(List.of(), sim.channelsOf("1001"));
        assertEquals(List.of("call.ended " + c1, "extension.changed extension:1001", "extension.changed extension:1004"),
                poll());
        assertEquals("Down", last("call.ended").state());

        // 6. the queue hands the caller to its free agent 1001
        assertTrue(sim.answer(q.name()));
        assertEquals(List.of("queue.left " + c2, "call.answered " + c2, "call.connected " + c2,
                "extension.changed extension:1001"), poll());
        assertEquals("answered", last("queue.left").details().get("outcome"));

        // 7. the door opens
        call("relay_status_set?relayId=17&relayStatus=1", Map.of());
        assertEquals(List.of("relay.changed relay:17"), poll());
        assertEquals(1, last("relay.changed").details().get("status"));
        assertEquals(0, last("relay.changed").details().get("previous"));

        // 8. the queue call is recorded: announced once the call has ended (its file is complete then)
        RecordingStarted rec = (RecordingStarted) call("call_record_start", Map.of(MetasecConstants.CALL_ID, c2));
        assertEquals(q.name(), rec.channel(), "the call's A channel");
        assertEquals(List.of(), poll());

        // 9. the caller hangs up
        call("call_hangup", Map.of(MetasecConstants.CALL_ID, c2));
        assertEquals(List.of("call.ended " + c2, "recording.available " + c2, "extension.changed extension:1001"),
                poll());
        assertEquals(rec.fileName(), last("recording.available").details().get("file"));

        // 10. the user logs out of VMX
        call("agent_logout?queue=VMX", Map.of());
        assertEquals(List.of("agent.logged_out agent:SIP/1004"), poll());
        assertEquals(List.of(), poll(), "nothing more");

        for (CallEvent e : events) {
            assertEquals("metasec", e.vendor());
            assertEquals("127.0.0.1/1004", e.source());
            assertNull(e.details().get("reconciled"), e.toString());
        }
        // the derived call records, in the journal metasec:cdr reads
        List<CallRecord> records = journal();
        assertEquals(List.of(c1, c2), records.stream().map(CallRecord::callId).toList());
        CallRecord first = records.get(0);
        assertEquals("metasec:127.0.0.1/1004:" + c1, first.key());
        assertEquals(Disposition.ANSWERED, first.disposition());
        assertEquals(events.get(0).timestamp(), first.start(), "first seen");
        assertNotNull(first.answer());
        CallRecord queued = records.get(1);
        assertEquals(rec.fileName(), queued.recording());
        assertEquals("+4930111222", queued.from());
        assertEquals("7777", queued.to());
    }

    @Test
    void aFailedPollOrAListWithBrokenLinesEndsNoCall() throws Exception {
        startSimulator();
        startEvents();
        call("call?src=1004&dst=1002", Map.of());
        String c = only("1004").uniqueId();
        sim.answer(only("1002").name());
        assertEquals(List.of("call.dialing " + c, "call.ringing " + c, "call.answered " + c, "call.connected " + c,
                "extension.changed extension:1004"), poll());

        call("call_hangup", Map.of(MetasecConstants.CALL_ID, c));
        sim.faults().failNext("call_list_all", 503);
        assertEquals(List.of("extension.changed extension:1004"), poll(), "call_list_all failed: no call.ended");
        sim.faults().malformedLines(true);
        assertEquals(List.of(), poll(), "a list with broken lines: no call.ended");
        sim.faults().malformedLines(false);
        assertEquals(List.of("call.ended " + c), poll(), "the first whole list reconciles");
        assertEquals(Boolean.TRUE, last("call.ended").details().get("reconciled"));

        // the server away: polls fail, nothing is announced; back, the changes meanwhile are reconciled
        call("call?src=1004&dst=1003", Map.of());
        String d = only("1004").uniqueId();
        assertEquals(List.of("call.dialing " + d, "call.ringing " + d, "extension.changed extension:1004"), poll());
        sim.stop();
        long failed = consumer().getFailedPollCount();
        assertEquals(List.of(), poll());
        assertEquals(failed + 1, consumer().getFailedPollCount());
        sim.start();
        sim.answer(only("1003").name());
        assertEquals(List.of("call.answered " + d, "call.connected " + d), poll());
        assertEquals(Boolean.TRUE, last("call.connected").details().get("reconciled"));
    }

    @Test
    void aRestartDoesNotAnnounceRunningCallsAgain() throws Exception {
        startSimulator();
        startEvents();
        call("call?src=1004&dst=1001", Map.of());
        String running = only("1004").uniqueId();
        sim.answer(only("1001").name());
        SimChannel queued = sim.incomingCall("+4930555", "7777");
        // the calls' starts, then the queue's changes, then the answers: each call's events in order
        assertEquals(List.of("call.dialing " + running, "call.ringing " + running, "call.ringing " + queued.uniqueId(),
                "queue.joined " + queued.uniqueId(), "call.answered " + running, "call.connected " + running,
                "extension.changed extension:1001", "extension.changed extension:1004"), poll());
        camel.close(); // the snapshot is saved at the stop
        assertTrue(Files.isRegularFile(dir.resolve("state/127.0.0.1_1004/snapshot.json")));

        // while pbx-bridge is down: the queue caller hangs up, a new call rings 1005
        camel = new DefaultCamelContext();
        events.clear();
        SimChannel fresh = sim.incomingCall("+4930777", "1005");
        MetasecComponent lookup = new MetasecComponent();
        lookup.getConfiguration().setAddress(sim.address());
        lookup.getConfiguration().setUser(MetasecSimulator.DEFAULT_USER);
        lookup.getConfiguration().setPassword(MetasecSimulator.DEFAULT_PASSWORD);
        camel.addComponent("metasec", lookup);
        camel.start();
        call("call_hangup?chan=" + queued.name(), Map.of());
        camel.close();

        startEvents();
        List<String> first = events.stream().map(e -> e.type() + " " + e.subject()).toList();
        assertEquals(List.of("call.ringing " + fresh.uniqueId(), "queue.left " + queued.uniqueId(),
                "call.ended " + queued.uniqueId()), first, "only what changed while it was down, once");
        for (CallEvent e : events) {
            assertEquals(Boolean.TRUE, e.details().get("reconciled"), e.toString());
        }
        assertFalse(first.stream().anyMatch(x -> x.endsWith(running)), "the running call is not new");
        call("call_hangup", Map.of(MetasecConstants.CALL_ID, running));
        assertEquals(List.of("call.ended " + running, "extension.changed extension:1001",
                "extension.changed extension:1004"), poll());
        CallRecord r = journal().stream().filter(x -> x.callId().equals(running)).findFirst().orElseThrow();
        assertEquals(Disposition.ANSWERED, r.disposition());
    }
}
