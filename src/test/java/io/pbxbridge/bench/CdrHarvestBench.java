package io.pbxbridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.testsupport.ChildJvm;
import io.pbxbridge.testsupport.KafkaBroker;
import io.pbxbridge.testsupport.Postgres;

/**
 * Not a test: one million Monema call records harvested by the real {@code monema:cdr} consumer into each CDR sink
 * (CSV, PostgreSQL, Kafka), each next to a plain baseline without Camel in the same round ({@link PlainCdrHarvest}:
 * the same C_getCalls by hand, StAX, a buffered CSV writer / JDBC batches / a KafkaProducer). Prints records/s, the
 * ratio to the baseline (target at least 80 %) and the peak heap of each harvest (target under 256 MB), PASS or FAIL
 * per line; the figures go to {@code target/bench-cdr-harvest.txt} too.
 *
 * <p>Every server has a process of its own, so that the harvesting JVM ({@link CdrHarvestChild}, heap capped at
 * {@code bench.harvesterHeap}, 256 MB) holds only the harvest: the simulator ({@link SimulatorProcess}, the calls
 * spread over the last {@code bench.hours}, 20), an embedded PostgreSQL; the Kafka broker runs in this JVM. A warm-up
 * round (the last {@code bench.warmupHours}, 2: a tenth of the calls), then {@code bench.rounds} (3) measured rounds,
 * baseline and sink taking turns to go first; the medians are reported, the ratio as the median of each round's.
 * Every phase's output is checked: every record once, the sink's the same as the baseline's.
 *
 * <p>Run with {@code mvn -B -o -Pbench test -Dtest=CdrHarvestBench}; further {@code -Dbench.calls=},
 * {@code -Dbench.pageSize=} (calls per C_getCalls answer; default 0, every call at once, as the simulator answers),
 * {@code -Dbench.batch=} ({@code cdrBatchSize}), {@code -Dbench.sinks=csv,postgres,kafka}, and
 * {@code -Dbench.profile=<file> -Dbench.profilePhase=kafka-camel} for a CPU profile of one phase of the last round.
 */
@Tag("bench")
class CdrHarvestBench {

    static final int CALLS = Integer.getInteger("bench.calls", 1_000_000);
    static final int PAGE_SIZE = Integer.getInteger("bench.pageSize", 0);
    static final String HEAP = System.getProperty("bench.harvesterHeap", "256m");
    static final double RATIO_TARGET = 0.80;
    static final double HEAP_TARGET_MB = 256;
    /** Passed on to the harvesting JVM. */
    static final List<String> SETTINGS = List.of("bench.rounds", "bench.hours", "bench.warmupHours", "bench.batch",
            "bench.sinks", "bench.profile", "bench.profileEvent", "bench.profilePhase");

    @TempDir
    Path tmp;

    @Test
    void harvestAMillionCallRecordsIntoEachSink() throws Exception {
        Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), SimulatorProcess.class.getName(), "monema",
                tmp.resolve("sim").toString(), Integer.toString(CALLS), Integer.toString(PAGE_SIZE),
                Integer.toString(CdrHarvestChild.HOURS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines;
        int exit;
        try (Postgres pg = Postgres.start(tmp.resolve("pg"));
             KafkaBroker kafka = KafkaBroker.inProcess(tmp.resolve("kafka")).start()) {
            String address = MonemaFaxBench.readAddress(sim.getInputStream());
            ChildJvm.Builder builder = ChildJvm.builder(CdrHarvestChild.class).heap(HEAP)
                    .jvmArg("-XX:TieredStopAtLevel=4").jvmArg("-XX:+UseG1GC");
            for (String key : SETTINGS) {
                if (System.getProperty(key) != null) {
                    builder.jvmArg("-D" + key + "=" + System.getProperty(key));
                }
            }
            ChildJvm harvester = builder.args(address, pg.jdbcUrl(), kafka.bootstrapServers(),
                    tmp.resolve("harvest").toString()).start();
            exit = follow(harvester);
            lines = harvester.lines();
        } finally {
            sim.getOutputStream().close();
            sim.destroy();
        }
        String report = report(lines);
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "bench-cdr-harvest.txt"), report);
        assertEquals(0, exit, "the harvesting JVM failed:\n" + String.join("\n", lines.subList(
                Math.max(0, lines.size() - 40), lines.size())));
        assertTrue(lines.contains("DONE"), "the harvesting JVM did not finish");
        assertTrue(lines.stream().filter(l -> l.startsWith("CHECK ")).allMatch(l -> l.contains(" ok=true: ")),
                "a sink did not store exactly what the baseline stored: see the CHECK lines of the report");
    }

    /** Echoes the harvester's progress as it comes; its exit code. */
    private static int follow(ChildJvm harvester) throws Exception {
        int shown = 0;
        long deadline = System.nanoTime() + 3 * 3600 * 1_000_000_000L;
        while (harvester.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            List<String> l = harvester.lines();
            for (; shown < l.size(); shown++) {
                if (l.get(shown).matches("(START|PHASE|CHECK|RUN) .*")) {
                    System.out.println("[bench] " + l.get(shown));
                }
            }
        }
        return harvester.awaitExit(60);
    }

    /** One PHASE line. */
    record Phase(int round, String sink, String kind, long records, double rate, double peakMb, double liveMb,
                 double cpuUs, long gcMs) {

        static Phase parse(String line) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String kv : line.substring(6).split(" ")) {
                f.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            return new Phase(Integer.parseInt(f.get("round")), f.get("sink"), f.get("kind"),
                    Long.parseLong(f.get("records")), Double.parseDouble(f.get("rate")),
                    Double.parseDouble(f.get("peakMB")), Double.parseDouble(f.get("liveMB")),
                    Double.parseDouble(f.get("cpuUs")), Long.parseLong(f.get("gcMs")));
        }

        String figures() {
            return String.format(Locale.ROOT, "%,9.0f rec/s (heap peak %5.1f MB, live %5.1f MB; CPU %4.1f us/rec, GC "
                    + "%4d ms)", rate, peakMb, liveMb, cpuUs, gcMs);
        }
    }

    static String report(List<String> lines) {
        List<Phase> phases = lines.stream().filter(l -> l.startsWith("PHASE ")).map(Phase::parse).toList();
        StringBuilder out = new StringBuilder();
        String start = lines.stream().filter(l -> l.startsWith("START ")).findFirst().orElse("START ?");
        out.append(String.format(Locale.ROOT, "%n=== CDR harvest benchmark: %,d Monema call records (%s), harvested "
                + "by monema:cdr into each sink next to a plain baseline without Camel; harvesting JVM: %s; "
                + "%d cores, load average now %.1f ===%n", CALLS, PAGE_SIZE == 0 ? "all in one C_getCalls answer"
                        : PAGE_SIZE + " calls per C_getCalls answer", start.substring(6),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        out.append("rates from the C_getCalls request to the last record stored (committed, acknowledged, on disk); "
                + "heap: the most used at once / the most left after a GC; CPU: the harvesting JVM's, all threads\n");
        List<String> sinks = phases.stream().map(Phase::sink).distinct().toList();
        boolean allPass = !sinks.isEmpty();
        for (String sink : sinks) {
            out.append(String.format("%n%s sink%n", sink));
            List<Double> camel = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            double peak = 0;
            double live = 0;
            for (Phase c : phases) {
                if (!c.sink.equals(sink) || !c.kind.equals("camel")) {
                    continue;
                }
                Phase p = phases.stream().filter(x -> x.sink.equals(sink) && x.kind.equals("plain")
                        && x.round == c.round).findFirst().orElseThrow();
                double ratio = c.rate / p.rate;
                out.append(String.format(Locale.ROOT, "  %s %,d records: monema:cdr %s | plain %s | %3.0f %%%n",
                        c.round == 0 ? "warm-up" : "round " + c.round, c.records, c.figures(), p.figures(),
                        100 * ratio));
                if (c.round > 0) {
                    camel.add(c.rate);
                    plain.add(p.rate);
                    ratios.add(ratio);
                    peak = Math.max(peak, c.peakMb);
                    live = Math.max(live, c.liveMb);
                }
            }
            if (ratios.isEmpty()) {
                continue;
            }
            double ratio = median(ratios);
            boolean ratioOk = ratio >= RATIO_TARGET;
            boolean heapOk = peak < HEAP_TARGET_MB;
            allPass &= ratioOk && heapOk;
            out.append(String.format(Locale.ROOT, "  %-8s median monema:cdr %,.0f records/s, plain %,.0f records/s; "
                    + "ratio (median of the rounds') %.0f %% (target >= 80 %%) %s%n", sink, median(camel),
                    median(plain), 100 * ratio, ratioOk ? "PASS" : "FAIL"));
            out.append(String.format(Locale.ROOT, "  %-8s peak heap of the monema:cdr harvests %.1f MB, at most %.1f MB"
                    + " left after a GC (target < 256 MB) %s%n", sink, peak, live, heapOk ? "PASS" : "FAIL"));
        }
        out.append('\n');
        lines.stream().filter(l -> l.startsWith("CHECK ")).forEach(l -> out.append(l).append('\n'));
        out.append(String.format("%noverall: %s%n", allPass ? "PASS" : "FAIL"));
        return out.toString();
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
