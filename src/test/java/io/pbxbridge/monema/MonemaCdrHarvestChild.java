package io.pbxbridge.monema;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.pbxbridge.cdr.CallRecordHarvests;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestRun;
import io.pbxbridge.model.CallRecord;

/**
 * Harvests one Monema account through {@code monema:cdr} in a JVM of its own (a small heap: see
 * {@link MonemaCdrLargeAnswerTest}) and prints {@code RESULT <records> <ids ascending> <committed> <peak heap MB>}.
 * Arguments: address, login, password, folder.
 */
public final class MonemaCdrHarvestChild {

    private MonemaCdrHarvestChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[3]);
        long[] seen = new long[2]; // records, last id
        boolean[] ascending = { true };
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("checkpoints", new FileHarvestCheckpoints(dir.resolve("checkpoints")));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("monema:cdr?address=" + args[0] + "&login=" + args[1] + "&password=RAW(" + args[2] + ")"
                            + "&timeZone=UTC&cdrCheckpoints=#checkpoints&cdrDeadLetterDirectory=" + dir.resolve("dead")
                            + "&cdrFirstRunLookback=25h&cdrLag=1s&initialDelay=3600000&delay=3600000"
                            + "&receiveTimeout=60000")
                            .process(e -> {
                                @SuppressWarnings("unchecked")
                                List<CallRecord> batch = e.getMessage().getBody(List.class);
                                for (CallRecord r : batch) {
                                    long id = Long.parseLong(r.key().substring(r.key().lastIndexOf(':') + 1));
                                    ascending[0] &= id > seen[1];
                                    seen[1] = id;
                                    seen[0]++;
                                }
                            });
                }
            });
            camel.start();
            HarvestRun run = CallRecordHarvests.of(camel).now("monema");
            System.out.println("RUN " + run.line());
            System.out.println("RESULT " + seen[0] + " " + ascending[0] + " " + run.isCommitted() + " "
                    + peakHeapMegabytes());
        }
    }

    private static long peakHeapMegabytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
