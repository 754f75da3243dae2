package io.pbxbridge.metasec;

import java.time.Instant;
import java.util.function.Supplier;

import io.pbxbridge.cdr.CallRecordPage;
import io.pbxbridge.cdr.CallRecordPages;
import io.pbxbridge.cdr.HarvestWindow;

/**
 * METASEC's call records for the harvest ({@code metasec:cdr}): the WebTAPI has none, so they are <b>derived</b> from
 * the polled calls by {@code metasec:events} ({@link MetasecTracker}) and read here from its journal
 * ({@link MetasecCallJournal}), a page per day of the window. The journal may hold a record twice (after a crash):
 * the harvest drops the repeat by key.
 */
public final class MetasecCallRecordPages implements CallRecordPages {

    private final MetasecCallJournal journal;
    private final Supplier<Instant> pendingSince;

    /**
     * @param pendingSince the start of the earliest call still going on, whose record is still to come (or null)
     */
    public MetasecCallRecordPages(MetasecCallJournal journal, Supplier<Instant> pendingSince) {
        this.journal = journal;
        this.pendingSince = pendingSince;
    }

    @Override
    public CallRecordPage fetch(HarvestWindow window, String cursor) throws Exception {
        return journal.page(window, cursor);
    }

    @Override
    public boolean mayRepeatWithinWindow() {
        return true;
    }

    /**
     * The start of the earliest call still going on, or null: a record is written when its call ends, with the start
     * it had, so a live window must end before that start.
     */
    public Instant pendingSince() {
        return pendingSince.get();
    }
}
