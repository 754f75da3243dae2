package io.pbxbridge.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.metasec.ChannelLine;
import io.pbxbridge.metasec.MetasecComponent;
import io.pbxbridge.metasec.MetasecEventConsumer;
import io.pbxbridge.metasec.MetasecLines;
import io.pbxbridge.metasec.MetasecList;
import io.pbxbridge.metasec.MetasecPoll;
import io.pbxbridge.metasec.MetasecTracker;
import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.sandbox.metasec.SimChannel;
import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * Not a test: what one poll of {@code metasec:events} costs with 5,000 active channels (2,500 calls of two channels
 * each, on the METASEC simulator in a JVM of its own, so this JVM measures only the client), and how many events per
 * second its diff makes, next to a plain HTTP GET of the same list (HttpURLConnection, the body read as a string,
 * split into lines and fields: the least a poller must do) in the same run. Time and allocations (this thread's:
 * the HTTP client, the parse, the diff, the route and the files all run on the polling thread) per poll:
 * <ol>
 * <li>a poll with nothing changed: {@code MetasecEventConsumer.poll()} (call_list_all, read line by line into typed
 * rows, the diff); then its parts: the list through the producer, the diff alone, the snapshot saved;</li>
 * <li>the plain GET + split;</li>
 * <li>the diff alone on lists made here, {@code bench.churn} (250) calls starting, answered and ending per step
 * (4 x churn events a step): events per second of diffing;</li>
 * <li>full polls with that churn made on the simulator between them: the events through a route, the ended calls
 * into the journal, the snapshot saved (forced to disk): events per second of polling.</li>
 * </ol>
 * {@code mvn -Pbench test -Dtest=MetasecPollBench -Dbench.argLine=-Xmx512m}; {@code -Dbench.calls=} (2500),
 * {@code -Dbench.rounds=} (30), {@code -Dbench.churn=} (250). Figures printed and written to
 * {@code target/bench-metasec-poll.txt}.
 */
@Tag("bench")
class MetasecPollBench {

    static final int CALLS = Integer.getInteger("bench.calls", 2500);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 30);
    static final int WARMUP = Integer.getInteger("bench.warmup", 20);
    static final int CHURN = Integer.getInteger("bench.churn", 250);

    @TempDir
    Path tmp;

    /** The simulator in its own JVM: CALLS ringing calls; "churn K" on stdin answers K, hangs up K, adds K. */
    public static final class Sim {
        public static void main(String[] args) throws Exception {
            int calls = Integer.parseInt(args[0]);
            MetasecSimulator sim = MetasecSimulator.builder().ringTime(null).start();
            for (int i = 0; i < calls; i++) {
                sim.incomingCall("+4930" + (1_000_000 + i), Integer.toString(1001 + i % 6));
            }
            System.out.println("ADDRESS " + sim.address());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int next = calls;
            for (String line; (line = in.readLine()) != null;) {
                if (line.startsWith("churn ")) {
                    int k = Integer.parseInt(line.substring(6).trim());
                    List<SimChannel> all = sim.channels();
                    int hung = 0;
                    for (SimChannel c : all) {
                        if (hung < k && c.device().equals("sps2") && c.isUp() && c.bridged() != null) {
                            sim.hangup(c.name());
                            hung++;
                        }
                    }
                    int answered = 0;
                    for (SimChannel c : all) {
                        if (answered < k && "Ringing".equals(c.state()) && sim.answer(c.name())) {
                            answered++;
                        }
                    }
                    for (int i = 0; i < k; i++, next++) {
                        sim.incomingCall("+4930" + (1_000_000 + next), Integer.toString(1001 + next % 6));
                    }
                    System.out.println("CHURNED " + hung + " " + answered + " " + k);
                    System.out.flush();
                }
            }
            sim.stop();
        }
    }

    /** One measured run: wall time, this thread's CPU time, this thread's allocations. */
    record Sample(long nanos, long cpu, long bytes) {
    }

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    interface Action {
        void run() throws Exception;
    }

    static List<Sample> measure(int warmup, int rounds, Action a) throws Exception {
        for (int i = 0; i < warmup; i++) {
            a.run();
        }
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            out.add(sample(a));
        }
        return out;
    }

    static Sample sample(Action a) throws Exception {
        long b = allocated();
        long c = THREADS.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        a.run();
        return new Sample(System.nanoTime() - t, THREADS.getCurrentThreadCpuTime() - c, allocated() - b);
    }

    /** Two actions measured in turns, round by round, so that the machine's slow spells touch both alike. */
    static List<List<Sample>> measurePair(int warmup, int rounds, Action x, Action y) throws Exception {
        for (int i = 0; i < warmup; i++) {
            x.run();
            y.run();
        }
        List<Sample> xs = new ArrayList<>();
        List<Sample> ys = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            xs.add(sample(x));
            ys.add(sample(y));
        }
        return List.of(xs, ys);
    }

    static double cpuMs(List<Sample> s) {
        long[] n = s.stream().mapToLong(Sample::cpu).sorted().toArray();
        return n[n.length / 2] / 1e6;
    }

    static double medianMs(List<Sample> s) {
        long[] n = s.stream().mapToLong(Sample::nanos).sorted().toArray();
        return n[n.length / 2] / 1e6;
    }

    static double p90Ms(List<Sample> s) {
        long[] n = s.stream().mapToLong(Sample::nanos).sorted().toArray();
        return n[(int) Math.min(n.length - 1, Math.round(n.length * 0.9))] / 1e6;
    }

    static double mb(List<Sample> s) {
        long[] b = s.stream().mapToLong(Sample::bytes).sorted().toArray();
        return b[b.length / 2] / 1e6;
    }

    final List<String> report = new ArrayList<>();

    void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        report.add(line);
    }

    @Test
    void pollCycle() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), Sim.class.getName(),
                Integer.toString(CALLS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ADDRESS ")) {
            // its log
        }
        if (line == null) {
            throw new IllegalStateException("the simulator did not start");
        }
        String address = line.substring(8).trim();
        AtomicLong routed = new AtomicLong();
        CamelContext camel = new DefaultCamelContext();
        try {
            MetasecComponent metasec = new MetasecComponent();
            metasec.getConfiguration().setAddress(address);
            metasec.getConfiguration().setUser(MetasecSimulator.DEFAULT_USER);
            metasec.getConfiguration().setPassword(MetasecSimulator.DEFAULT_PASSWORD);
            metasec.getConfiguration().setRequestTimeout(30_000);
            metasec.getConfiguration().setStateDirectory(tmp.resolve("state").toString());
            camel.addComponent("metasec", metasec);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("metasec:events?pollInterval=3600000&watch=calls").routeId("events").process(e -> {
                        Object body = e.getIn().getBody();
                        routed.addAndGet(body instanceof List<?> l ? l.size() : 1);
                    });
                }
            });
            camel.start();
            MetasecEventConsumer consumer = (MetasecEventConsumer) camel.getRoute("events").getConsumer();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.getPollCount() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            int channels = consumer.tracker().channelCount();
            say("METASEC poll benchmark: %d active channels (%d calls) on the simulator in its own JVM; %d rounds "
                    + "after %d to warm up; medians, and p90 of the time", channels, consumer.tracker().callCount(),
                    ROUNDS, WARMUP);

            // 1. a poll with nothing changed, next to 2. the plain GET of the same list, in turns
            String sid = login(address);
            URI list = URI.create(address + MetasecSimulator.DEFAULT_PATH + "?action=call_list_all&SID=" + sid);
            int[] lines = new int[1];
            List<List<Sample>> pair = measurePair(WARMUP, ROUNDS, () -> {
                if (!consumer.poll()) {
                    throw new IllegalStateException("a poll failed");
                }
            }, () -> lines[0] = plainGetAndSplit(list));
            List<Sample> poll = pair.get(0);
            List<Sample> plain = pair.get(1);
            ProducerTemplate template = camel.createProducerTemplate();
            @SuppressWarnings("unchecked")
            MetasecList<ChannelLine> sample = template.requestBody("metasec:call_list_all?synchronous=true",
                    (Object) null, MetasecList.class);
            List<Sample> fetch = measure(WARMUP, ROUNDS, () -> template.requestBody(
                    "metasec:call_list_all?synchronous=true", (Object) null, MetasecList.class));
            MetasecTracker diffOnly = new MetasecTracker("bench/1004", "Callme", Duration.ofSeconds(2));
            Instant[] at = { Instant.now() };
            diffOnly.apply(MetasecPoll.calls(at[0], sample));
            List<Sample> diff = measure(WARMUP, ROUNDS, () -> {
                at[0] = at[0].plusSeconds(2);
                if (!diffOnly.apply(MetasecPoll.calls(at[0], sample)).events().isEmpty()) {
                    throw new IllegalStateException("events from an unchanged list");
                }
            });
            Path snapshot = tmp.resolve("snapshot.json");
            long[] size = new long[1];
            List<Sample> save = measure(5, 10, () -> {
                byte[] json = Json.MAPPER.writeValueAsBytes(consumer.tracker().state());
                size[0] = json.length;
                AtomicFiles.write(snapshot, json, false);
            });
            List<Sample> forced = measure(5, 10, () -> AtomicFiles.write(snapshot,
                    Json.MAPPER.writeValueAsBytes(consumer.tracker().state()), true));
            say("metasec:events poll, nothing changed: %.1f ms (p90 %.1f), %.1f ms CPU of the polling thread, %.1f MB "
                    + "allocated", medianMs(poll), p90Ms(poll), cpuMs(poll), mb(poll));
            say("  call_list_all through the producer (HTTP, lines read into typed rows): %.1f ms, %.1f ms CPU, "
                    + "%.1f MB", medianMs(fetch), cpuMs(fetch), mb(fetch));
            say("  the diff alone: %.2f ms, %.2f ms CPU, %.2f MB", medianMs(diff), cpuMs(diff), mb(diff));
            say("  the snapshot saved (%d KB; at each change): %.1f ms, %.1f ms CPU, %.1f MB; forced to disk too (at "
                    + "most every 10 s): %.1f ms", size[0] / 1024, medianMs(save), cpuMs(save), mb(save),
                    medianMs(forced));

            say("plain HTTP GET + split of the same list (%d lines), in turns with the polls: %.1f ms (p90 %.1f), "
                    + "%.1f ms CPU, %.1f MB allocated", lines[0], medianMs(plain), p90Ms(plain), cpuMs(plain),
                    mb(plain));
            say("  the poll costs %.1fx the plain GET's time, %.1fx its CPU and %.1fx its allocations (the plain GET "
                    + "keeps no state, types nothing, diffs nothing)", medianMs(poll) / medianMs(plain),
                    cpuMs(poll) / cpuMs(plain), mb(poll) / mb(plain));

            // 3. the diff alone on churning lists
            MetasecTracker churn = new MetasecTracker("bench/1004", "Callme", Duration.ofSeconds(2));
            Instant t0 = Instant.now();
            churn.apply(MetasecPoll.calls(t0, window(0, CALLS / CHURN)));
            long events = 0;
            long nanos = 0;
            long cpu = 0;
            long bytes = 0;
            int steps = WARMUP + ROUNDS;
            if (System.getProperty("bench.profileDiff") != null) {
                Profiler.start();
            }
            for (int s = 1; s <= steps; s++) {
                MetasecList<ChannelLine> l = window(s, CALLS / CHURN);
                Instant when = t0.plusSeconds(2L * s);
                MetasecTracker.Result[] r = new MetasecTracker.Result[1];
                Sample x = sample(() -> r[0] = churn.apply(MetasecPoll.calls(when, l)));
                if (s > WARMUP) {
                    events += r[0].events().size();
                    nanos += x.nanos();
                    cpu += x.cpu();
                    bytes += x.bytes();
                }
            }
            if (System.getProperty("bench.profileDiff") != null) {
                Profiler.stop();
            }
            say("the diff alone, %d calls starting, answered and ending per step (%d channels): %d events a step, "
                    + "%.2f ms (%.2f ms CPU) and %.2f MB a step: %,.0f events/s (%,.0f per CPU second)", CHURN,
                    2 * CALLS, events / ROUNDS, nanos / 1e6 / ROUNDS, cpu / 1e6 / ROUNDS, bytes / 1e6 / ROUNDS,
                    events / (nanos / 1e9), events / (cpu / 1e9));

            // 4. full polls with that churn on the simulator
            long before = routed.get();
            nanos = 0;
            cpu = 0;
            bytes = 0;
            int polls = Math.max(5, ROUNDS / 3);
            for (int i = 0; i < polls + 2; i++) {
                in.write("churn " + CHURN + "\n");
                in.flush();
                String ack = out.readLine();
                while (ack != null && !ack.startsWith("CHURNED")) {
                    ack = out.readLine();
                }
                if (i == 2) {
                    before = routed.get();
                }
                Sample x = sample(consumer::poll);
                if (i >= 2) {
                    nanos += x.nanos();
                    cpu += x.cpu();
                    bytes += x.bytes();
                }
            }
            long full = routed.get() - before;
            say("full polls with that churn made on the simulator: %d events a poll through a route, the ended calls "
                    + "journalled (forced to disk), the snapshot written: %.1f ms (%.1f ms CPU) and %.1f MB a poll: %,.0f "
                    + "events/s", full / polls, nanos / 1e6 / polls, cpu / 1e6 / polls, bytes / 1e6 / polls,
                    full / (nanos / 1e9));
            say("  precision: every event is at most one poll interval (2 s by default) plus a poll (%.0f ms here) "
                    + "late", medianMs(poll));
        } finally {
            camel.close();
            in.close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            Path target = Path.of(System.getProperty("basedir", "."), "target");
            Files.createDirectories(target);
            Files.write(target.resolve("bench-metasec-poll.txt"), report);
        }
    }

    /** The channels of step {@code s}: calls [s*CHURN, s*CHURN + CALLS), the newest ringing, the others talking. */
    static MetasecList<ChannelLine> window(int s, int generations) {
        List<ChannelLine> rows = new ArrayList<>(2 * CALLS);
        int first = s * CHURN;
        for (int j = first; j < first + CALLS; j++) {
            boolean up = (j / CHURN) < s + generations - 1;
            String a = String.format("SIP/sps2-%08x", 2 * j);
            String b = String.format("SIP/%d-%08x", 1001 + j % 6, 2 * j + 1);
            String ext = Integer.toString(1001 + j % 6);
            String cid = "+4930" + (1_000_000 + j);
            rows.add(MetasecLines.channel(String.join("!", a, "from-trunk", ext, up ? "Up" : "Ring", "Dial",
                    "SIP/" + ext + ",30,tT", cid, cid, "sps2", "3", "5", up ? b : "(None)", "1700000000." + (2 * j))));
            rows.add(MetasecLines.channel(String.join("!", b, "from-internal", ext, up ? "Up" : "Ringing", "AppDial",
                    "(Outgoing Line)", cid, cid, ext, "3", "5", up ? a : "(None)", "1700000000." + (2 * j + 1))));
        }
        return new MetasecList<>(rows, List.of());
    }

    static String login(String address) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(address + MetasecSimulator.DEFAULT_PATH).toURL()
                .openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream o = c.getOutputStream()) {
            o.write(("action=login&" + URLEncoder.encode("AUTH[user]", StandardCharsets.UTF_8) + "="
                    + MetasecSimulator.DEFAULT_USER + "&" + URLEncoder.encode("AUTH[pass]", StandardCharsets.UTF_8)
                    + "=" + MetasecSimulator.DEFAULT_PASSWORD).getBytes(StandardCharsets.US_ASCII));
        }
        try (InputStream i = c.getInputStream()) {
            return new String(i.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    /** GET, the body as a string, split into lines and each into its fields; the lines. */
    static int plainGetAndSplit(URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
        try (InputStream i = c.getInputStream()) {
            i.transferTo(body);
        }
        int n = 0;
        int fields = 0;
        for (String l : body.toString(StandardCharsets.UTF_8).split("\n")) {
            fields += l.split("!").length;
            n++;
        }
        if (fields < n) {
            throw new IllegalStateException(Arrays.toString(new int[] { n, fields }));
        }
        return n;
    }
}
