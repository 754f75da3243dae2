package io.pbxbridge.bench;

import java.nio.file.Path;

import io.pbxbridge.sandbox.monema.MonemaSimulator;

/** Runs the Monema simulator alone, so a benchmark's JVM measures only the client. Prints its address. */
public final class SimulatorProcess {

    private SimulatorProcess() {
    }

    public static void main(String[] args) throws Exception {
        MonemaSimulator sim = MonemaSimulator.builder().port(0).dataDir(Path.of(args[0])).build().start();
        System.out.println("ADDRESS " + sim.address());
        System.out.flush();
        System.in.read(); // until the parent closes our stdin
        sim.stop();
    }
}
