package io.pbxbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a benchmark's CPU went: the CPU time of every thread of this JVM between two snapshots, grouped by thread
 * name (digits folded), read from {@code /proc/self/task} so that the JIT compiler and GC threads count too.
 * Linux only; elsewhere the report is empty.
 */
final class ThreadCpu {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux we run on

    private final Map<String, Long> ticksByTid;
    private final long nanos = System.nanoTime();

    private ThreadCpu(Map<String, Long> ticksByTid) {
        this.ticksByTid = ticksByTid;
    }

    static ThreadCpu snapshot() {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("\\d+", "N");
                    String[] f = stat.substring(close + 2).split(" ");
                    // fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name
                    ticks.put(task.getFileName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException e) {
            return new ThreadCpu(Map.of());
        }
        return new ThreadCpu(ticks);
    }

    /** CPU seconds used by all threads since {@code before}. */
    double cpuSeconds(ThreadCpu before) {
        long ticks = 0;
        for (Map.Entry<String, Long> e : ticksByTid.entrySet()) {
            ticks += e.getValue() - before.ticksByTid.getOrDefault(e.getKey(), 0L);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** CPU seconds used since {@code before} by the threads whose name does not contain {@code excluded}. */
    double cpuSecondsWithout(ThreadCpu before, String excluded) {
        long ticks = 0;
        for (Map.Entry<String, Long> e : ticksByTid.entrySet()) {
            if (!e.getKey().contains(excluded)) {
                ticks += e.getValue() - before.ticksByTid.getOrDefault(e.getKey(), 0L);
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** Cores used since {@code before}, per thread group, busiest first, e.g. "escaux-events-N 0.98, ...". */
    String since(ThreadCpu before, int top) {
        double seconds = (nanos - before.nanos) / 1e9;
        Map<String, Double> byGroup = new HashMap<>();
        double total = 0;
        for (Map.Entry<String, Long> e : ticksByTid.entrySet()) {
            long delta = e.getValue() - before.ticksByTid.getOrDefault(e.getKey(), 0L);
            String group = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            double cores = delta / TICKS_PER_SECOND / seconds;
            byGroup.merge(group, cores, Double::sum);
            total += cores;
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        StringBuilder b = new StringBuilder(String.format("%.2f cores:", total));
        sorted.forEach((k, v) -> b.append(String.format(" %s %.2f,", k, v)));
        return b.substring(0, b.length() - 1);
    }
}
