package io.pbxbridge.support.spool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The child JVM of {@link EventSpoolTest#killedMidAppendLosesNothing}: appends records with consecutive numeric ids
 * in random batches until it is killed, printing {@code A <id>} for each record once its append has returned; a
 * replayer thread acknowledges from the head (keeping a few hundred in the spool) and prints {@code K <id>} once the
 * acknowledgement up to that id has returned. Arguments: spool dir, dead-letter dir, first id, segment bytes.
 */
public final class SpoolAppenderProcess {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        DeadLetters dead = new DeadLetters(Path.of(args[1]));
        long next = Long.parseLong(args[2]);
        EventSpool spool = EventSpool.open(dir, "kill", 1L << 30, Long.parseLong(args[3]), dead);
        Thread replayer = new Thread(() -> {
            try {
                while (true) {
                    if (spool.count() < 300) {
                        Thread.sleep(2);
                        continue;
                    }
                    List<SpoolRecord> batch = spool.peek(1 + ThreadLocalRandom.current().nextInt(50));
                    spool.acknowledge(batch.size());
                    System.out.println("K " + batch.get(batch.size() - 1).id());
                }
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(3);
            }
        }, "replayer");
        replayer.setDaemon(true);
        replayer.start();
        while (true) {
            int n = 1 + ThreadLocalRandom.current().nextInt(20);
            List<SpoolRecord> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(record(next + i));
            }
            if (n == 1) {
                spool.append(batch.get(0));
            } else {
                spool.appendAll(batch);
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < n; i++) {
                out.append("A ").append(next + i).append('\n');
            }
            System.out.print(out);
            System.out.flush();
            next += n;
        }
    }

    static SpoolRecord record(long id) {
        String pad = "x".repeat((int) (id * 7919 % 300));
        String json = "{\"id\":\"" + id + "\",\"callId\":\"c" + id % 13 + "\",\"pad\":\"" + pad + "\"}";
        return new SpoolRecord(Long.toString(id), "c" + id % 13, json.getBytes(StandardCharsets.UTF_8), 1,
                "sink down", Instant.now());
    }
}
