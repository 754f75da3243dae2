package io.pbxbridge.cdr;

import io.pbxbridge.model.CallRecord;

/**
 * One entry of a page of call records: a record, or what the vendor sent for one that could not be read (its raw
 * text and the reason), which goes to the dead letters and does not stop the harvest.
 */
public record HarvestEntry(CallRecord record, String raw, String problem) {

    public static HarvestEntry of(CallRecord record) {
        return new HarvestEntry(record, null, null);
    }

    public static HarvestEntry rejected(String raw, String problem) {
        return new HarvestEntry(null, raw, problem);
    }

    public boolean isRejected() {
        return record == null;
    }
}
