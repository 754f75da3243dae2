package io.pbxbridge.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class of the test classpath run in a JVM of its own, its standard output collected line by line, to be
 * killed with SIGKILL (no shutdown hook runs) at a chosen moment: the crash tests' child process. {@link #builder}
 * also runs one with environment variables of its own, in a chosen folder, logging as the application does.
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
        return builder(main).args(args).start();
    }

    /** A child running {@code main}, to be given environment variables, a folder, arguments, then started. */
    public static Builder builder(Class<?> main) {
        return new Builder(main);
    }

    /** What a child runs with; by default as {@link #start}: this JVM's classpath and folder, a small heap. */
    public static final class Builder {
        private final Class<?> main;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
        private final List<String> args = new ArrayList<>();
        private Path directory;
        private boolean mergeErrors;

        private Builder(Class<?> main) {
            this.main = main;
        }

        /** An environment variable of the child (on top of this JVM's). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder heap(String xmx) {
            jvmArgs.removeIf(a -> a.startsWith("-Xmx"));
            jvmArgs.add("-Xmx" + xmx);
            return this;
        }

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** The child's working folder (the application reads application.properties and routes/ there). */
        public Builder directory(Path folder) {
            this.directory = folder;
            return this;
        }

        /**
         * The application's own log configuration (src/main/resources/log4j2.properties, not the tests'), its
         * console on the collected output, standard error merged into it.
         */
        public Builder applicationLogging() throws Exception {
            Path classes = Path.of(io.pbxbridge.Application.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            jvmArgs.add("-Dlog4j2.configurationFile=" + classes.resolve("log4j2.properties").toUri());
            mergeErrors = true;
            return this;
        }

        public ChildJvm start() throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
            cmd.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(cmd);
            builder.environment().putAll(env);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            if (mergeErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            }
            return new ChildJvm(builder.start());
        }
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

    /**
     * Waits for the child to end on its own; its exit code, or fails (killing it) after {@code timeoutSeconds} with
     * what it printed.
     */
    public int awaitExit(long timeoutSeconds) throws Exception {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("still running after " + timeoutSeconds + " s: " + tail());
        }
        reader.join(10_000);
        return process.exitValue();
    }

    /** SIGTERM (the application's orderly stop), then everything it printed. */
    public List<String> stop() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        return lines();
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
