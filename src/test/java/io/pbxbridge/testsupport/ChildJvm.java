package io.pbxbridge.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class of the test classpath run in a JVM of its own, its standard output collected line by line, to be
 * killed with SIGKILL (no shutdown hook runs) at a chosen moment: the crash tests' child process.
 */
public final class ChildJvm {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String l;
                while ((l = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (Exception e) {
                // the pipe closes when the child dies
            }
        });
        reader.start();
    }

    /** Starts {@code main} with {@code args} (a small heap, C1 only: it starts fast). */
    public static ChildJvm start(Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Waits until the lines printed so far satisfy {@code condition}; fails if the child dies or times out. */
    public void awaitLines(Predicate<List<String>> condition, long timeoutSeconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.test(lines())) {
            if (!process.isAlive()) {
                throw new AssertionError("the child died on its own before " + what + ": " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + tail());
            }
            Thread.sleep(5);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then everything it printed. */
    public List<String> kill() throws Exception {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        reader.join(10_000);
        return lines();
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    public String tail() {
        List<String> l = lines();
        return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
    }
}
