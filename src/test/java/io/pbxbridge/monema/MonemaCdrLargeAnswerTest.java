package io.pbxbridge.monema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.sandbox.monema.MonemaSimulator;
import io.pbxbridge.testsupport.ChildJvm;

/**
 * A server that answers C_getCalls with every call at once: {@value #CALLS} calls, some 670 MB of XML, harvested by a
 * JVM whose whole heap is {@value #HEAP}: the answer is read as it arrives, never held. (Some 25 s on two cores.)
 */
class MonemaCdrLargeAnswerTest {

    static final int CALLS = 1_000_000;
    static final String HEAP = "96m";

    @TempDir
    Path tmp;

    @Test
    void harvestsAMillionCallsInOneAnswerWithASmallHeap() throws Exception {
        try (MonemaSimulator sim = MonemaSimulator.builder().account("big", "big-secret", BigDecimal.ONE)
                .initialCalls(0).dataDir(tmp.resolve("sim")).start()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            long t0 = System.nanoTime();
            sim.addCalls("big", CALLS, now.minus(24, ChronoUnit.HOURS), now.minus(1, ChronoUnit.MINUTES));
            System.out.printf("%d calls added in %d ms%n", CALLS, (System.nanoTime() - t0) / 1_000_000);

            ChildJvm child = ChildJvm.builder(MonemaCdrHarvestChild.class).heap(HEAP)
                    .jvmArg("-XX:TieredStopAtLevel=4")
                    .args(sim.address(), "big", "big-secret", tmp.resolve("harvest").toString()).start();
            t0 = System.nanoTime();
            assertEquals(0, child.awaitExit(600), child.tail());
            List<String> lines = child.lines();
            System.out.println(String.join("\n", lines));
            System.out.printf("harvested in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            String result = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
            String[] f = result.split(" ");
            assertEquals(CALLS, Long.parseLong(f[1]), result);
            assertEquals("true", f[2], "in id order: " + result);
            assertEquals("true", f[3], "committed: " + result);
            assertEquals(2, sim.requestCount("C_getCalls"), "every call in one answer, then an empty one");
        }
    }
}
