package io.pbxbridge.cdr;

import java.time.Instant;

/**
 * What a vendor gives the harvest: the call records of a window, a page at a time, from a cursor that only the
 * vendor reads (Monema: the last call id; Escaux: an extension and a start date). Records come in any order; the
 * harvest keeps those inside the window and drops the repeats by key.
 */
public interface CallRecordPages {

    /** The page at {@code cursor}, or the window's first page when it is null. */
    CallRecordPage fetch(HarvestWindow window, String cursor) throws Exception;

    /**
     * Whether one window may list the same record more than once (Escaux lists a call in the history of every
     * watched extension it touched): the harvest then remembers the run's keys to let each out once.
     */
    default boolean mayRepeatWithinWindow() {
        return false;
    }

    /**
     * The start of the earliest call whose record is not written yet but will be, or null (the default: a vendor
     * whose records are written once they are complete). A source that writes a call's record only when the call
     * ends (PortaSIP's derived records) says here when its call in progress started: a live run's window then ends
     * before it, so that the record, written later with that start, still falls in a window to come.
     */
    default Instant pendingSince() throws Exception {
        return null;
    }
}
