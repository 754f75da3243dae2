package io.pbxbridge.bench;

import java.lang.reflect.Method;

/**
 * {@code -Dbench.profile=<file>}: an async-profiler CPU profile (collapsed stacks per thread, for flame graphs) of
 * the part of a benchmark between {@link #start} and {@link #stop}, so warm-up and setup stay out of it. The
 * profiler comes with the {@code bench} Maven profile; without the property both calls do nothing.
 */
final class Profiler {

    private static final String FILE = System.getProperty("bench.profile");

    private Profiler() {
    }

    static void start() {
        // -Dbench.profileEvent=wall: where threads wait, not only where they run
        execute("start,event=" + System.getProperty("bench.profileEvent", "cpu") + ",interval=1ms,threads");
    }

    static void stop() {
        if (FILE != null) {
            execute("stop,collapsed,file=" + FILE);
            System.out.println("[bench] CPU profile written to " + FILE);
        }
    }

    private static void execute(String command) {
        if (FILE == null) {
            return;
        }
        try {
            Class<?> type = Class.forName("one.profiler.AsyncProfiler");
            Object profiler = type.getMethod("getInstance").invoke(null);
            Method execute = type.getMethod("execute", String.class);
            execute.invoke(profiler, command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("async-profiler not available (run with -Pbench): " + e, e);
        }
    }
}
