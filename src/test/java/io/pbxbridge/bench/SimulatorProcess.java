package io.pbxbridge.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.pbxbridge.sandbox.monema.MonemaSimulator;

/**
 * Runs the Monema simulator alone, so a benchmark's JVM measures only the client. Prints its address. Arguments: the
 * data folder, then optionally a number of calls for the {@code demo} account (for call record harvests: then they
 * are its only calls), the most calls one C_getCalls answer lists (0: all) and over how many hours before now the
 * calls are spread (default 24).
 */
public final class SimulatorProcess {

    private SimulatorProcess() {
    }

    public static void main(String[] args) throws Exception {
        MonemaSimulator.Builder builder = MonemaSimulator.builder().port(0).dataDir(Path.of(args[0]))
                .maxCallsPerAnswer(args.length > 2 ? Integer.parseInt(args[2]) : 0);
        if (args.length > 1) {
            builder.initialCalls(0); // a harvest benchmark counts exactly the calls it asked for
        }
        MonemaSimulator sim = builder.build().start();
        if (args.length > 1) {
            Instant now = Instant.now();
            long hours = args.length > 3 ? Long.parseLong(args[3]) : 24;
            sim.addCalls("demo", Integer.parseInt(args[1]), now.minus(Duration.ofHours(hours)), now.minusSeconds(120));
        }
        System.out.println("ADDRESS " + sim.address());
        System.out.flush();
        System.in.read(); // until the parent closes our stdin
        sim.stop();
    }
}
