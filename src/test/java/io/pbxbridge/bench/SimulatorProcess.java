package io.pbxbridge.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.pbxbridge.sandbox.monema.MonemaSimulator;

/**
 * Runs the Monema simulator alone, so a benchmark's JVM measures only the client. Prints its address. Arguments: the
 * data folder, then optionally a number of calls added to the {@code demo} account over the last 24 hours (for call
 * record harvests) and the most calls one C_getCalls answer lists (0: all).
 */
public final class SimulatorProcess {

    private SimulatorProcess() {
    }

    public static void main(String[] args) throws Exception {
        MonemaSimulator sim = MonemaSimulator.builder().port(0).dataDir(Path.of(args[0]))
                .maxCallsPerAnswer(args.length > 2 ? Integer.parseInt(args[2]) : 0).build().start();
        if (args.length > 1) {
            Instant now = Instant.now();
            sim.addCalls("demo", Integer.parseInt(args[1]), now.minus(Duration.ofHours(24)), now.minusSeconds(120));
        }
        System.out.println("ADDRESS " + sim.address());
        System.out.flush();
        System.in.read(); // until the parent closes our stdin
        sim.stop();
    }
}
