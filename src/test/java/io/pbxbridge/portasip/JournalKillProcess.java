package io.pbxbridge.portasip;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.pbxbridge.model.CallEvent;

/**
 * The child JVM of {@link PortaSipCallJournalTest#aKilledProcessNeitherLosesNorDoublesARecord}: feeds the events of
 * {@link #CALLS} calls to a journal one at a time from index {@code start}, printing {@code took <index> $} once the
 * journal has taken each, until the last or until killed. Arguments: journal folder, start index, base time (epoch
 * seconds).
 */
public final class JournalKillProcess {

    static final int CALLS = 240;
    static final String SOURCE = "127.0.0.1/123001";

    public static void main(String[] args) throws Exception {
        PortaSipCallJournal journal = new PortaSipCallJournal(Path.of(args[0]));
        int start = Integer.parseInt(args[1]);
        List<CallEvent> events = events(Instant.ofEpochSecond(Long.parseLong(args[2])));
        for (int i = start; i < events.size(); i++) {
            journal.accept(List.of(events.get(i)));
            System.out.print("took " + i + " $\n"); // one write: the " $" tells a whole line
            System.out.flush();
            if (i % 4 == 0) {
                Thread.sleep(1); // a pace at which a kill lands mid-way
            }
        }
        journal.close();
    }

    /** The events of the calls, four calls at a time interleaved (each step of the four, then the next step). */
    static List<CallEvent> events(Instant base) {
        List<CallEvent> out = new ArrayList<>();
        for (int block = 0; block < CALLS; block += 4) {
            List<List<CallEvent>> calls = new ArrayList<>();
            for (int c = block; c < Math.min(CALLS, block + 4); c++) {
                calls.add(PortaSipCallJournalTest.call(SOURCE, "k" + c + "@192.168.243.133", base.plusSeconds(2L * c),
                        1 + c % 9));
            }
            for (int step = 0; step < 6; step++) {
                for (List<CallEvent> call : calls) {
                    out.add(call.get(step));
                }
            }
        }
        return out;
    }
}
