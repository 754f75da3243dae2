package io.pbxbridge.mor;

import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cdr.CallRecordPage;
import io.pbxbridge.cdr.CallRecordPages;
import io.pbxbridge.cdr.HarvestEntry;
import io.pbxbridge.cdr.HarvestWindow;

/**
 * MOR's call records for the harvest ({@code mor:cdr}): the call list of the window ({@code POST /stats/call_list},
 * {@code period_start} and {@code period_end} in epoch seconds, every direction, type and device), one page per
 * window, read call by call as it streams in (a reader thread hands the calls over through a small queue, so a page
 * of any size is never whole in memory).
 *
 * <p>The page asked for is the window widened to whole seconds (from the second of its start, to one second after
 * its end, whether MOR reads the ends inclusively or not); the harvest drops what is outside. Every call of a second
 * is on the same page, so the occurrence numbers of identical calls ({@link MorCallRecords}) are the same on every
 * page that lists that second: the overlap's repeats have the keys the checkpoint remembers. Within one page no key
 * repeats, so {@link #mayRepeatWithinWindow()} stays false.
 *
 * <p>The spec gives the call list no paging: if a server lists fewer calls than its {@code total_calls}, the list
 * was cut and the run says so at WARN (shorten the window: a more frequent cron, a smaller overlap).
 */
final class MorCallRecordPages implements CallRecordPages {

    private static final Logger LOG = LoggerFactory.getLogger(MorCallRecordPages.class);
    /** Calls read ahead of the harvest at most. */
    private static final int QUEUE = 256;

    private final Supplier<MorClient> client;
    private final Executor executor;
    private final ZoneId zone;
    private final String source;

    /**
     * @param client   the account's client (resolved at each fetch: the endpoint makes it when it starts)
     * @param executor where the page is read
     * @param zone     MOR's time zone
     * @param source   {@code host/username}, as the records name their source
     */
    MorCallRecordPages(Supplier<MorClient> client, Executor executor, ZoneId zone, String source) {
        this.client = client;
        this.executor = executor;
        this.zone = zone;
        this.source = source;
    }

    @Override
    public CallRecordPage fetch(HarvestWindow window, String cursor) {
        CallQuery query = CallQuery.of(Instant.ofEpochSecond(window.from().getEpochSecond()),
                Instant.ofEpochSecond(window.to().getEpochSecond() + 1));
        Page page = new Page(client.get(), query);
        executor.execute(page::read);
        return page;
    }

    private static final Object END = new Object();

    /** What the reader thread ends with: the page's fields, or why it could not be read. */
    private record Outcome(CallList page, RuntimeException failure) {
    }

    /** Thrown into the reader by the sink when the harvest closed the page before its end. */
    private static final class Closed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("the harvest closed the page", null, false, false);
        }
    }

    /** One window's call list: the reader thread puts, the harvest takes. */
    private final class Page implements CallRecordPage {

        private final MorClient mor;
        private final CallQuery query;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        private final CountDownLatch finished = new CountDownLatch(1);
        private final MorValues values = new MorValues(MorOperation.cdr.name(), MorOperation.cdr.path());
        private final MorCallRecords.Occurrences occurrences = new MorCallRecords.Occurrences();
        private volatile boolean closed;
        private volatile Outcome outcome;
        private long taken;

        Page(MorClient mor, CallQuery query) {
            this.mor = mor;
            this.query = query;
        }

        /** The reader thread: the page, call by call, into the queue. */
        void read() {
            CallList page = null;
            RuntimeException failure = null;
            try {
                page = mor.callRows(query, (call, root) -> put(entry(call, root)));
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException("mor:cdr: reading the call list failed: " + e, e);
            } finally {
                outcome = new Outcome(page, failure);
                finished.countDown();
                if (!closed) {
                    try {
                        put(END);
                    } catch (Closed ignored) {
                        // closed meanwhile
                    }
                }
            }
        }

        /** The record of a call, or why it cannot be one (its XML goes to the dead letters). */
        private HarvestEntry entry(MorElement call, MorElement root) {
            MorCall c;
            try {
                c = MorPages.call(call, values);
            } catch (MorResponseException e) {
                return HarvestEntry.rejected(MorCallRecords.xml(call), e.getMessage());
            }
            if (c.date() == null) {
                return HarvestEntry.rejected(MorCallRecords.xml(call), "mor:cdr: a call without <date>");
            }
            String currency = root.field("currency");
            currency = currency == null || currency.isBlank() ? null : currency.strip();
            String id = occurrences.next(MorCallRecords.hash(c));
            return HarvestEntry.of(MorCallRecords.toCallRecord(c, id, source, zone, currency,
                    MorCallRecords.fields(call, currency)));
        }

        private void put(Object item) {
            try {
                while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        throw new Closed();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Closed();
            }
            if (closed) {
                throw new Closed();
            }
        }

        @Override
        public HarvestEntry next() throws Exception {
            Object item = queue.take();
            if (item != END) {
                taken++;
                return (HarvestEntry) item;
            }
            queue.offer(END); // a further next() ends at once too
            Outcome o = outcome;
            if (o.failure() != null) {
                throw o.failure();
            }
            CallList page = o.page();
            if (page.totalCalls() != null && page.callCount() < page.totalCalls()) {
                LOG.warn("mor:cdr {}: MOR listed {} calls of the {} its call list counts (total_calls) for {} to {}: "
                        + "the list looks cut; calls may be missing. Shorten the window (a more frequent cron)",
                        source, page.callCount(), page.totalCalls(), query.periodStart(), query.periodEnd());
            }
            return null;
        }

        /** One page per window. */
        @Override
        public String nextCursor() {
            return null;
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            queue.clear(); // a reader waiting to put sees closed within 100 ms
            if (!finished.await(30, TimeUnit.SECONDS)) {
                LOG.warn("mor:cdr {}: the reader of the call list did not stop within 30 s of the page's close", source);
            }
        }

        @Override
        public String toString() {
            return "mor:cdr page " + query.periodStart() + ".." + query.periodEnd() + " (" + taken + " taken)";
        }
    }
}
