package io.pbxbridge.cdr;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * A {@code cdr} endpoint over a vendor the test defines ({@link CallRecordPages}), for tests of the harvest's own
 * rules; the vendors' own pages are tested against their simulators. Its schedule never fires: tests drive the runs.
 */
final class PagesEndpoint extends ScheduledPollEndpoint {

    private final String source;
    private final CallRecordPages pages;
    private final HarvestOptions options;

    PagesEndpoint(CamelContext context, String source, CallRecordPages pages, HarvestOptions options) {
        super("test-cdr://" + source, null);
        setCamelContext(context);
        this.source = source;
        this.pages = pages;
        this.options = options;
        setDelay(3_600_000L);
        setInitialDelay(3_600_000L);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CallRecordConsumer c = new CallRecordConsumer(this, processor, source, pages, options);
        configureConsumer(c);
        return c;
    }

    /** A page of {@code entries}, then {@code nextCursor} (null: the window's last). */
    static CallRecordPage page(List<HarvestEntry> entries, String nextCursor) {
        return new CallRecordPage() {
            private int i;

            @Override
            public HarvestEntry next() {
                return i < entries.size() ? entries.get(i++) : null;
            }

            @Override
            public String nextCursor() {
                return nextCursor;
            }

            @Override
            public void close() {
            }
        };
    }
}
