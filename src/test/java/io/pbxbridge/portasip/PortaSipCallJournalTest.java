package io.pbxbridge.portasip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.pbxbridge.portasip.PortaSipTestEvents.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.portasip.PortaSipCallJournal.CrashPoint;
import io.pbxbridge.portasip.PortaSipCallJournal.SimulatedCrash;
import io.pbxbridge.portasip.PortaSipCallRecords.Observation;
import io.pbxbridge.sandbox.portasip.PortaSipSimulator;
import io.pbxbridge.support.Await;
import io.pbxbridge.support.Json;
import io.pbxbridge.testsupport.ChildJvm;

/**
 * The journal of PortaSIP's derived call records: a simulator call's events become one record with the right times
 * and disposition; a crash at any step, a torn line, a killed process, repeated and late events neither lose nor
 * double a record.
 */
class PortaSipCallJournalTest {

    static final String SOURCE = "pbx.example.com/123001";

    @TempDir
    Path tmp;

    /** Every record in the day files of {@code source} under {@code dir}. */
    static List<CallRecord> records(Path dir, String source) {
        Path folder = PortaSipCallJournal.folder(dir, source).resolve(PortaSipCallJournal.RECORDS);
        List<CallRecord> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(Json.MAPPER.readValue(line, CallRecord.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A call's six events: both legs ringing, answered, ended. */
    static List<CallEvent> call(String source, String callId, Instant t0, int talk) {
        String start = PortaSipCallJournalTest.time(t0);
        String connect = PortaSipCallJournalTest.time(t0.plusSeconds(2));
        return List.of(
                event(source, "call.ringing", callId, "A", "ta", t0, "123001", "123002",
                        Map.of("startTime", start)),
                event(source, "call.answered", callId, "A", "ta", t0.plusSeconds(2), "123001", "123002",
                        Map.of("connectTime", connect)),
                event(source, "call.ringing", callId, "B", "tb", t0.plusSeconds(2), "123001", "123002",
                        Map.of("startTime", connect)),
                event(source, "call.answered", callId, "B", "tb", t0.plusSeconds(3), "123001", "123002",
                        Map.of("connectTime", time(t0.plusSeconds(3)))),
                event(source, "call.ended", callId, "B", "tb", t0.plusSeconds(3 + talk), "123001",
                        "123002", Map.of("duration", talk, "reason", "normal clearing", "reasonCode", 16)),
                event(source, "call.ended", callId, "A", "ta", t0.plusSeconds(3 + talk), "123001",
                        "123002", Map.of("duration", talk + 1, "reason", "normal clearing", "reasonCode", 16)));
    }

    static String time(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
    }

    /** The record the journal must write for {@code events}, without {@code raw}. */
    static CallRecord expected(String source, String callId, List<CallEvent> events) {
        List<Observation> seen = events.stream().map(Observation::of).toList();
        return withoutRaw(PortaSipCallRecords.record(source, callId, seen, ZoneOffset.UTC, true));
    }

    static CallRecord withoutRaw(CallRecord r) {
        return new CallRecord(r.key(), r.vendor(), r.source(), r.callId(), r.start(), r.answer(), r.end(),
                r.duration(), r.billsec(), r.from(), r.to(), r.direction(), r.disposition(), r.cost(), r.currency(),
                r.recording(), null);
    }

    // ---- a simulator's call ------------------------------------------------------------------------------------

    @Test
    void aSimulatorCallsEventsBecomeOneRecordWithItsTimesAndDisposition() throws Exception {
        ZoneId zone = ZoneId.of("Asia/Kolkata");
        try (PortaSipSimulator sim = PortaSipSimulator.builder().callStepDelay(Duration.ofMillis(30)).timeZone(zone)
                .start(); CamelContext camel = new DefaultCamelContext()) {
            PortaSipComponent component = new PortaSipComponent();
            PortaSipConfiguration c = component.getConfiguration();
            c.setAddress(sim.address());
            c.setLogin("123001");
            c.setDomain("sip.example.com");
            c.setPassword("secret001");
            c.setTimeZone(zone.getId());
            camel.addComponent("portasip", component);
            PortaSipCallJournal journal = new PortaSipCallJournal(tmp.resolve("journal"));
            journal.setTimeZone(zone.getId());
            List<CallEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("portasip:events?customers=30").routeId("events")
                            .process(e -> seen.add(e.getIn().getBody(CallEvent.class))).process(journal);
                }
            });
            camel.start();
            String source = camel.getEndpoint("portasip:cdr", PortaSipEndpoint.class).source();
            assertEquals("127.0.0.1/123001", source);
            PortaSipEventConsumer consumer = (PortaSipEventConsumer) camel.getRoute("events").getConsumer();
            Await.until(Duration.ofSeconds(10), "subscribed", consumer::isSubscribed);
            java.util.function.Function<String, List<CallEvent>> events = id -> seen.stream()
                    .filter(e -> id.equals(e.callId())).toList();
            ProducerTemplate template = camel.createProducerTemplate();

            // a call placed by originate_advanced_call, talked for a while, hung up by pbx-bridge (leg A, by call id)
            OriginateResult placed = template.requestBodyAndHeaders("portasip:originateAdvancedCall", null, Map.of(
                    PortaSipConstants.BILL_ID, "123001", PortaSipConstants.CALLER_ID, "123001",
                    PortaSipConstants.CALLEE_ID, "123003"), OriginateResult.class);
            String id = placed.callId();
            Await.until(Duration.ofSeconds(10), "both legs connected", () -> events.apply(id).stream()
                    .filter(e -> e.type().equals("call.answered")).count() == 2);
            assertNotNull(journal.pendingSince(source), "a call in progress");
            Thread.sleep(1100);
            template.requestBodyAndHeaders("portasip:terminateCall", null, Map.of(PortaSipConstants.CALL_ID, id));
            Await.until(Duration.ofSeconds(10), "the record", () -> records(journal.directory(), source).size() == 1);

            // a call to the IVR that rings until the caller gives up
            String ivr = sim.ivrCall("+3222000000", 77);
            Await.until(Duration.ofSeconds(10), "the IVR call ringing", () -> events.apply(ivr).stream()
                    .anyMatch(e -> e.type().equals("call.ringing")));
            sim.hangUp(ivr);
            Await.until(Duration.ofSeconds(10), "the second record", () -> records(journal.directory(), source)
                    .size() == 2);
            assertNull(journal.pendingSince(source), "no call in progress");

            List<CallRecord> all = records(journal.directory(), source);
            CallRecord r = all.get(0);
            List<CallEvent> ev = events.apply(id);
            assertEquals("portasip:127.0.0.1/123001:" + id, r.key());
            Instant start = ev.stream().map(e -> (String) e.details().get("startTime")).filter(s -> s != null)
                    .map(s -> PortaSipCallRecords.time(s, zone)).min(Instant::compareTo).orElseThrow();
            Instant answer = ev.stream().map(e -> (String) e.details().get("connectTime")).filter(s -> s != null)
                    .map(s -> PortaSipCallRecords.time(s, zone)).min(Instant::compareTo).orElseThrow();
            Instant end = ev.stream().filter(e -> e.type().equals("call.ended")).map(CallEvent::timestamp)
                    .max(Instant::compareTo).orElseThrow();
            long billsec = ev.stream().filter(e -> e.type().equals("call.ended"))
                    .mapToLong(e -> ((Number) e.details().get("duration")).longValue()).max().orElseThrow();
            assertEquals(start, r.start(), "start_time of the first leg, in the server's zone");
            assertEquals(answer, r.answer());
            assertEquals(end, r.end());
            assertEquals(billsec, r.billsec());
            assertTrue(billsec >= 1, "talked for over a second: " + billsec);
            assertEquals(java.time.Duration.between(start, end).getSeconds(), r.duration());
            assertEquals(Disposition.ANSWERED, r.disposition());
            assertEquals(ev.get(0).from(), r.from());
            assertEquals(ev.get(0).to(), r.to());
            assertEquals(PortaSipCallRecords.DERIVED_FROM, ((Map<?, ?>) r.raw()).get("derivedFrom"));

            CallRecord missed = all.get(1);
            assertEquals(ivr, missed.callId());
            assertEquals(Disposition.CANCELLED, missed.disposition(), "the simulator's 487 before an answer");
            assertNull(missed.answer());
            assertEquals(0L, missed.billsec());
            assertEquals("+3222000000", missed.from());
            journal.close();
        }
    }

    // ---- crashes -------------------------------------------------------------------------------------------------

    @Test
    void aCrashAtEachStepNeitherLosesNorDoublesTheRecord() {
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(120);
        for (CrashPoint at : CrashPoint.values()) {
            Path dir = tmp.resolve(at.name());
            List<CallEvent> events = call(SOURCE, "crash-" + at + "@192.168.243.133", t0, 30);
            PortaSipCallJournal first = new PortaSipCallJournal(dir);
            for (CallEvent e : events.subList(0, 5)) {
                first.accept(List.of(e));
            }
            first.crashPoint = at;
            assertThrows(SimulatedCrash.class, () -> first.accept(List.of(events.get(5))), at.name());
            first.close();

            PortaSipCallJournal second = new PortaSipCallJournal(dir);
            assertNull(second.pendingSince(SOURCE), at + ": the call ended before the crash");
            List<CallRecord> after = records(dir, SOURCE);
            assertEquals(1, after.size(), at + ": one record, " + after);
            assertEquals(expected(SOURCE, "crash-" + at + "@192.168.243.133", events), withoutRaw(after.get(0)),
                    at.name());
            // the source delivers the ending event again, and a late one: nothing more
            second.accept(List.of(events.get(5)));
            second.accept(List.of(events.get(4)));
            assertEquals(1, records(dir, SOURCE).size(), at + ": still one record");
            assertEquals(0, second.openCalls(SOURCE));
            // and it goes on
            second.accept(call(SOURCE, "next@192.168.243.133", t0.plusSeconds(5), 10));
            assertEquals(2, records(dir, SOURCE).size(), at.name());
            second.close();
            PortaSipCallJournal third = new PortaSipCallJournal(dir);
            assertNull(third.pendingSince(SOURCE));
            assertEquals(2, records(dir, SOURCE).size(), at + ": a restart writes nothing again");
            third.close();
        }
    }

    @Test
    void aTornEventLineIsCutAndTheJournalGoesOn() throws Exception {
        Path dir = tmp.resolve("torn");
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(60);
        List<CallEvent> events = call(SOURCE, "torn@192.168.243.133", t0, 5);
        PortaSipCallJournal first = new PortaSipCallJournal(dir);
        first.accept(events.subList(0, 3));
        first.close();
        Path log = PortaSipCallJournal.folder(dir, SOURCE).resolve(PortaSipCallJournal.OPEN_LOG);
        Files.write(log, "{\"source\":\"pbx.example.com/123001\",\"callId\":\"torn@1".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        PortaSipCallJournal second = new PortaSipCallJournal(dir);
        assertEquals(t0, second.pendingSince(SOURCE), "the call is open again, from its first event");
        second.accept(events.subList(3, 6));
        List<CallRecord> all = records(dir, SOURCE);
        assertEquals(List.of(expected(SOURCE, "torn@192.168.243.133", events)), all.stream()
                .map(PortaSipCallJournalTest::withoutRaw).toList());
        second.close();
    }

    @Test
    void aCallInProgressHoldsTheWindowAndOneWhoseEndNeverComesIsRecordedWithoutIt() {
        Path dir = tmp.resolve("pending");
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        PortaSipCallJournal journal = new PortaSipCallJournal(dir);
        journal.setClock(Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC));
        journal.setMaxCallAge("1h");
        List<CallEvent> events = call(SOURCE, "long@192.168.243.133", t0, 5);
        journal.accept(events.subList(0, 4));
        assertEquals(t0, journal.pendingSince(SOURCE));
        journal.accept(call(SOURCE, "short@192.168.243.133", t0.plusSeconds(10), 2));
        assertEquals(t0, journal.pendingSince(SOURCE), "the earliest call still in progress");
        assertEquals(1, records(dir, SOURCE).size());

        journal.setClock(Clock.fixed(t0.plus(Duration.ofMinutes(61)), ZoneOffset.UTC));
        assertNull(journal.pendingSince(SOURCE), "silent for over maxCallAge: recorded");
        CallRecord late = records(dir, SOURCE).stream().filter(r -> r.callId().startsWith("long")).findFirst()
                .orElseThrow();
        assertNull(late.end());
        assertEquals(Disposition.ANSWERED, late.disposition());
        assertEquals("not seen", ((Map<?, ?>) late.raw()).get("ended"));
        // its end comes after all: dropped
        journal.accept(events.subList(4, 6));
        assertEquals(2, records(dir, SOURCE).size());
        assertEquals(0, journal.openCalls(SOURCE));
        journal.close();
    }

    @Test
    void theLogIsRewrittenWithoutTheRecordedCalls() throws Exception {
        Path dir = tmp.resolve("compact");
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(3600);
        PortaSipCallJournal journal = new PortaSipCallJournal(dir);
        List<CallEvent> open = call(SOURCE, "open@192.168.243.133", t0, 5).subList(0, 3);
        journal.accept(open);
        for (int i = 0; i < 400; i++) {
            journal.accept(call(SOURCE, "c" + i + "@192.168.243.133", t0.plusSeconds(i), 1 + i % 7));
        }
        Path log = PortaSipCallJournal.folder(dir, SOURCE).resolve(PortaSipCallJournal.OPEN_LOG);
        long lines = Files.readAllLines(log).size();
        assertTrue(lines < 2000, "rewritten: " + lines + " lines");
        journal.close();
        PortaSipCallJournal again = new PortaSipCallJournal(dir);
        assertEquals(t0, again.pendingSince(SOURCE), "the open call survived the rewrite");
        assertEquals(400, records(dir, SOURCE).size());
        again.close();
    }

    // ---- a killed process ------------------------------------------------------------------------------------------

    /**
     * The journal in a child JVM killed ({@code kill -9}) twice at random while it takes the events of 240
     * calls, each run resumed from the last event it said it took (so the events in flight at the kill come again,
     * as a source delivers them again); then a run to the end. Each call has one record, the record of its events.
     */
    @Test
    void aKilledProcessNeitherLosesNorDoublesARecord() throws Exception {
        Path dir = tmp.resolve("killed");
        int calls = JournalKillProcess.CALLS;
        int next = 0;
        java.util.Random random = new java.util.Random();
        long base = Instant.now().minusSeconds(3600).getEpochSecond();
        List<String> logs = new ArrayList<>();
        for (int round = 0; round < 3 && next < calls * 6; round++) {
            ChildJvm child = ChildJvm.builder(JournalKillProcess.class).heap("96m").args(dir.toString(),
                    Integer.toString(next), Long.toString(base)).start();
            if (round < 2) {
                int until = next + 50 + random.nextInt(350);
                child.awaitLines(l -> taken(l) > until, 30, "events taken");
                Thread.sleep(random.nextInt(150));
                child.kill();
            } else {
                child.awaitExit(60);
            }
            logs.addAll(child.lines());
            int taken = taken(child.lines());
            assertTrue(taken >= next - 1, "round " + round);
            next = taken + 1;
        }
        assertEquals(calls * 6, next, "every event taken: " + String.join("\n", logs.subList(Math.max(0,
                logs.size() - 20), logs.size())));
        List<CallRecord> all = records(dir, JournalKillProcess.SOURCE);
        Map<String, CallRecord> byKey = new LinkedHashMap<>();
        for (CallRecord r : all) {
            CallRecord before = byKey.put(r.key(), r);
            assertNull(before, "twice: " + r.key());
        }
        assertEquals(calls, byKey.size(), "every call");
        Map<String, List<CallEvent>> events = new HashMap<>();
        for (CallEvent e : JournalKillProcess.events(Instant.ofEpochSecond(base))) {
            events.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add(e);
        }
        for (CallRecord r : byKey.values()) {
            assertEquals(expected(JournalKillProcess.SOURCE, r.callId(), events.get(r.callId())), withoutRaw(r));
        }
    }

    /** The index of the last event the child said it took, -1 for none. */
    private static int taken(List<String> lines) {
        int last = -1;
        for (String l : lines) {
            if (l.startsWith("took ") && l.endsWith(" $")) {
                last = Math.max(last, Integer.parseInt(l.substring(5, l.length() - 2)));
            }
        }
        return last;
    }
}
