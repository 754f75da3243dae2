package io.pbxbridge.cdr;

/**
 * One page of a vendor's call records, read entry by entry so that a page of any size is never held whole in memory
 * (a vendor may answer with every record of the window at once). A page that cannot be read (broken XML, an error
 * answer) throws; the run then fails and its checkpoint stays.
 */
public interface CallRecordPage extends AutoCloseable {

    /** The next entry, or null at the end of the page. */
    HarvestEntry next() throws Exception;

    /**
     * Where the next page starts, or null when this page was the window's last. Read once the page has been read to
     * its end.
     */
    String nextCursor();

    @Override
    void close() throws Exception;
}
