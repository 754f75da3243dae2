package io.pbxbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.monema.MonemaSimulator;

/**
 * Runs one vendor's simulator alone, so a benchmark's JVM measures only the client. The first argument names the
 * vendor:
 * <ul>
 * <li>{@code monema <data folder> [calls [maxPerAnswer [hours]]]}: then optionally a number of calls for the
 * {@code demo} account (for call record harvests: then they are its only calls), the most calls one C_getCalls
 * answer lists (0: all) and over how many hours before now the calls are spread (default 24);</li>
 * <li>{@code escaux}: the Escaux SOP, its HTTP API and its event socket on free ports;</li>
 * <li>{@code portasip [callStepMillis]}: PortaSIP, its JSON API and Call Control socket on a free port (calls move
 * every callStepMillis, default 100, and are answered by their UAs).</li>
 * </ul>
 * Prints {@code EVENTS <port>} (Escaux: the event socket) and then {@code ADDRESS <url>}. Then answers lines on its
 * stdin: {@code count <operation>} with {@code COUNT <operation> <requests received>}; for PortaSIP also
 * {@code flood <calls>} (the simulator's floodCalls: 8 notifications a call, sent to every subscribed socket),
 * {@code drop} (every socket dropped), {@code drop-hangup <call id>} (the sockets dropped, then the call hung up, in
 * one go), {@code call <from> <to>} and {@code hangup <call id>}, each answered {@code ANSWER <command> <result>}
 * ({@link #ask}); it stops when the parent closes its stdin. {@link #start} runs one and talks to it.
 */
public final class SimulatorProcess implements AutoCloseable {

    private static io.pbxbridge.sandbox.portasip.PortaSipSimulator portasip;

    public static void main(String[] args) throws Exception {
        ToIntFunction<String> counts;
        Runnable stop;
        if (args[0].equals("escaux")) {
            EscauxSimulator sim = EscauxSimulator.builder().httpPort(0).eventPort(0).start();
            System.out.println("EVENTS " + sim.eventPort());
            System.out.println("ADDRESS " + sim.address());
            counts = sim::requestCount;
            stop = sim::stop;
        } else if (args[0].equals("monema")) {
            MonemaSimulator.Builder builder = MonemaSimulator.builder().port(0).dataDir(Path.of(args[1]))
                    .maxCallsPerAnswer(args.length > 3 ? Integer.parseInt(args[3]) : 0);
            if (args.length > 2) {
                builder.initialCalls(0); // a harvest benchmark counts exactly the calls it asked for
            }
            MonemaSimulator sim = builder.build().start();
            if (args.length > 2) {
                Instant now = Instant.now();
                long hours = args.length > 4 ? Long.parseLong(args[4]) : 24;
                sim.addCalls("demo", Integer.parseInt(args[2]), now.minus(Duration.ofHours(hours)),
                        now.minusSeconds(120));
            }
            System.out.println("ADDRESS " + sim.address());
            counts = sim::requestCount;
            stop = sim::stop;
        } else if (args[0].equals("portasip")) {
            io.pbxbridge.sandbox.portasip.PortaSipSimulator sim = io.pbxbridge.sandbox.portasip.PortaSipSimulator
                    .builder().port(0).callStepDelay(Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 100))
                    .start();
            System.out.println("ADDRESS " + sim.address());
            counts = op -> {
                String[] w = op.split(" ", 2);
                return sim.requestCount(w[0], w[1]);
            };
            stop = sim::close;
            portasip = sim;
        } else {
            throw new IllegalArgumentException("the first argument is the vendor, monema, escaux or portasip: "
                    + args[0]);
        }
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null;) { // until the parent closes our stdin
            if (line.startsWith("count ")) {
                String op = line.substring(6).trim();
                System.out.println("COUNT " + op + " " + counts.applyAsInt(op));
                System.out.flush();
            } else if (portasip != null) {
                String[] w = line.trim().split(" ");
                String result = switch (w[0]) {
                    case "flood" -> Integer.toString(portasip.floodCalls(Integer.parseInt(w[1])));
                    case "drop" -> {
                        portasip.faults().dropSockets();
                        yield "ok";
                    }
                    case "drop-hangup" -> {
                        portasip.faults().dropSockets();
                        yield Boolean.toString(portasip.hangUp(w[1]));
                    }
                    case "call" -> portasip.incomingCall(w[1], w[2], false);
                    case "hangup" -> Boolean.toString(portasip.hangUp(w[1]));
                    default -> "unknown";
                };
                System.out.println("ANSWER " + w[0] + " " + result);
                System.out.flush();
            }
        }
        stop.run();
    }

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final String address;
    private final int eventPort;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private SimulatorProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        int events = -1;
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ADDRESS ")) {
            if (line.startsWith("EVENTS ")) {
                events = Integer.parseInt(line.substring(7).trim());
            }
        }
        if (line == null) {
            throw new IllegalStateException("the simulator did not start");
        }
        this.address = line.substring(8).trim();
        this.eventPort = events;
        Thread drain = new Thread(() -> {
            try {
                for (String l; (l = out.readLine()) != null;) {
                    if (l.startsWith("COUNT ")) {
                        answers.add(l);
                    } else if (l.startsWith("ANSWER ")) {
                        replies.add(l);
                    }
                }
            } catch (IOException e) {
                // the simulator is gone
            }
        }, "simulator-stdout");
        drain.setDaemon(true); // its log must never fill the pipe and block it
        drain.start();
    }

    /** A simulator in a JVM of its own ({@code heap}: its -Xmx), its arguments as {@link #main}'s. */
    public static SimulatorProcess start(String heap, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
                SimulatorProcess.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new SimulatorProcess(p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public String address() {
        return address;
    }

    /** Escaux: the event socket's port on 127.0.0.1. */
    public int eventPort() {
        return eventPort;
    }

    public long pid() {
        return process.pid();
    }

    /** How many requests of {@code operation} the simulator received so far. */
    public synchronized int requestCount(String operation) throws IOException {
        answers.clear();
        in.write("count " + operation + "\n");
        in.flush();
        try {
            String line = answers.poll(30, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("COUNT " + operation + " ")) {
                throw new IllegalStateException("the simulator did not answer count " + operation + ": " + line);
            }
            return Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * PortaSIP: sends {@code command} (see the class comment) without waiting; its answer is read by
     * {@link #answer}.
     */
    public synchronized void send(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
    }

    /** The next answer to a command {@link #send sent}: its result. */
    public String answer(String command) throws IOException {
        try {
            String line = replies.poll(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("ANSWER " + command + " ")) {
                throw new IllegalStateException("the simulator did not answer " + command + ": " + line);
            }
            return line.substring(("ANSWER " + command + " ").length());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** PortaSIP: sends {@code command} and waits for its answer's result. */
    public String ask(String command) throws IOException {
        send(command);
        return answer(command.split(" ")[0]);
    }

    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
