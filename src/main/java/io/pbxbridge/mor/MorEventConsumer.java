package io.pbxbridge.mor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.model.Direction;
import io.pbxbridge.vendor.VendorCallHealth;
import io.pbxbridge.vendor.VendorFailures;

/**
 * MOR's pages that list what happened, polled for what is new, each new item once as a {@link CallEvent} (MOR pushes
 * nothing): {@code mor:missedCalls} ({@code call.missed}), {@code mor:newCalls} ({@code call.ended}),
 * {@code mor:faxes} ({@code fax.inbound}). Camel's polling consumer: its schedule ({@code delay}, or
 * {@code scheduler=quartz}), its backoff after failed polls, its consumer health check; each poll's call to MOR also
 * feeds the component's readiness check ({@code vendor-mor}).
 *
 * <p>Each item has a key (the missed call's {@code call_id}; a new call's record id, the same as in its call record;
 * a fax's device, receive time and sender), kept in the endpoint's {@code idempotentRepository} once its exchange
 * has completed, the way camel-file keeps the names of the files it took: an item whose exchange failed comes again
 * at the next poll, an item whose key is kept never again (a durable repository, {@code SeenKeys}, keeps them across
 * restarts). Items are handed over in MOR's order, one exchange each; a failed exchange ends the poll there.
 *
 * <p>Missed calls: the period {@code (now - maxAge, now]} of the missed calls page; a call already marked processed at
 * MOR (someone dealt with it there) is not announced. With {@code markProcessed}, each announced call is marked
 * processed at MOR ({@code processMissedCall}) once its exchange has completed: the event is on the stream first. A
 * mark that fails is tried again at each poll, as long as MOR lists the call as not processed. Faxes: the faxes
 * received within {@code maxAge} ({@code status} Received). New calls: what the New calls page lists (MOR says which
 * calls are new; no age limit).
 */
public class MorEventConsumer extends ScheduledPollConsumer {

    public static final String MISSED = "call.missed";
    public static final String ENDED = "call.ended";
    public static final String FAX = "fax.inbound";

    private static final Logger LOG = LoggerFactory.getLogger(MorEventConsumer.class);

    private final MorEndpoint endpoint;
    private final MorOperation page;
    private final String source;
    private final VendorCallHealth health;
    private IdempotentRepository seen;
    private Clock clock = Clock.systemUTC();

    /** @param page missedCalls, newCalls or faxes */
    MorEventConsumer(MorEndpoint endpoint, Processor processor, MorOperation page) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.page = page;
        this.source = endpoint.source();
        this.health = endpoint.getComponent().callHealth();
    }

    /** For tests that move time. */
    void setClock(Clock clock) {
        this.clock = clock;
    }

    /** The repository of the keys of the items announced. */
    public IdempotentRepository seen() {
        return seen;
    }

    @Override
    protected void doStart() throws Exception {
        seen = endpoint.getConfiguration().getIdempotentRepository();
        if (seen == null) {
            LOG.warn("mor:{} {}: no idempotentRepository: the keys of the items announced are kept in memory, so a "
                    + "restart announces the items MOR still lists again (set idempotentRepository, e.g. a "
                    + "io.pbxbridge.support.SeenKeys bean)", page, source);
            seen = new MemoryIdempotentRepository();
        }
        ServiceHelper.startService(seen);
        super.doStart();
    }

    /**
     * One WARN line per failure, no stack trace (MOR away is an outage, not a bug): a poll that could not read its
     * page, an item whose exchange failed.
     */
    ExceptionHandler exceptionHandler() {
        return new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                handleException(null, null, exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handleException(message, null, exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                String why = (VendorFailures.isTransient(exception) ? "MOR did not answer: " : "")
                        + VendorFailures.rootMessage(exception).replaceAll("\\s*\\R\\s*", " ");
                if (exchange == null) {
                    LOG.warn("mor:{} {}: not read: {}; tried again at the next poll", page, source, why);
                } else {
                    LOG.warn("{}: {}", message, why);
                }
            }
        };
    }

    /** What a poll found to announce: the key kept once delivered, the event, the missed call to mark. */
    private record Item(String key, CallEvent event, String markCallId) {
    }

    @Override
    protected int poll() throws Exception {
        List<Item> items = new ArrayList<>();
        List<String> unmarked = new ArrayList<>();
        MorClient mor = endpoint.client();
        try {
            switch (page) {
                case missedCalls -> readMissedCalls(mor, items, unmarked);
                case newCalls -> readNewCalls(mor, items);
                case faxes -> readFaxes(mor, items);
                default -> throw new IllegalStateException("mor:" + page + " has no consumer");
            }
            health.succeeded(page.name());
        } catch (RuntimeException e) {
            health.failed(page.name(), e);
            throw e;
        }
        for (String callId : unmarked) {
            mark(callId);
        }
        int n = 0;
        for (Item item : items) {
            if (!isRunAllowed()) {
                break;
            }
            Exchange exchange = createExchange(false);
            try {
                exchange.getMessage().setBody(item.event());
                exchange.getMessage().setHeader(endpoint.sourceHeader(), source);
                exchange.getMessage().setHeader(endpoint.timeZoneHeader(), endpoint.timeZone().getId());
                exchange.getExchangeExtension().addOnCompletion(new Delivered(item));
                getProcessor().process(exchange);
                n++;
                if (exchange.getException() != null) {
                    // the next poll offers it again, and what came after it
                    getExceptionHandler().handleException("mor:" + page + " " + source + ": " + item.key()
                            + " not delivered; offered again at the next poll", exchange, exchange.getException());
                    break;
                }
            } finally {
                releaseExchange(exchange, false);
            }
        }
        return n;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private void readMissedCalls(MorClient mor, List<Item> items, List<String> unmarked) {
        Instant now = now();
        boolean markProcessed = endpoint.getConfiguration().isMarkProcessed();
        ZoneId zone = endpoint.timeZone();
        mor.missedCallsPeriod(now.minusMillis(endpoint.getConfiguration().getMaxAge()), now, c -> {
            if (c.callId() == null || c.callId().isBlank()) {
                return; // nothing to know it by: MOR's page always has call_id
            }
            String id = "mor:" + source + ":missed:" + c.callId().strip();
            if (seen.contains(id)) {
                if (markProcessed && !c.processed()) {
                    unmarked.add(c.callId().strip());
                }
                return;
            }
            if (c.processed()) {
                return; // dealt with at MOR already
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("hangupCause", c.hangupCause());
            details.put("duration", c.duration() == null ? null : Long.toString(c.duration().toSeconds()));
            details.put("processed", "false");
            CallEvent e = new CallEvent(id, MorCallRecords.VENDOR, source, MISSED, c.callId().strip(),
                    c.callId().strip(), c.calledFrom(), c.calledTo(), Direction.INBOUND, "missed",
                    instant(c.date(), zone), details, null);
            items.add(new Item(id, e, markProcessed ? c.callId().strip() : null));
        });
    }

    private void readNewCalls(MorClient mor, List<Item> items) {
        ZoneId zone = endpoint.timeZone();
        MorCallRecords.Occurrences occurrences = new MorCallRecords.Occurrences();
        for (MorCall c : mor.newCalls().calls()) {
            String recordId = occurrences.next(MorCallRecords.hash(c));
            String id = "mor:" + source + ":ended:" + recordId;
            if (c.date() == null || seen.contains(id)) {
                continue;
            }
            Instant start = instant(c.date(), zone);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("start", start.toString());
            details.put("duration", c.duration() == null ? null : Long.toString(c.duration().toSeconds()));
            details.put("hangupCause", c.hangupCause());
            details.put("disposition", MorCallRecords.disposition(c.hangupCause()).name());
            details.put("recordKey", io.pbxbridge.model.CallRecord.key(MorCallRecords.VENDOR, source, recordId));
            CallEvent e = new CallEvent(id, MorCallRecords.VENDOR, source, ENDED, recordId, recordId, c.calledFrom(),
                    c.calledTo(), MorCallRecords.direction(c.calledFrom(), c.calledTo()), c.hangupCause(),
                    c.duration() == null ? start : start.plus(c.duration()), details, null);
            items.add(new Item(id, e, null));
        }
    }

    private void readFaxes(MorClient mor, List<Item> items) {
        Instant now = now();
        ZoneId zone = endpoint.timeZone();
        Faxes faxes = mor.faxesPeriod(now.minusMillis(endpoint.getConfiguration().getMaxAge()), now, null, null);
        MorCallRecords.Occurrences occurrences = new MorCallRecords.Occurrences();
        for (Faxes.Fax f : faxes.faxes()) {
            if (f.status() == null || !f.status().strip().equalsIgnoreCase("Received") || f.receiveTime() == null) {
                continue; // a failed fax, or one still coming in: announced once received
            }
            String faxId = occurrences.next(faxHash(f));
            String id = "mor:" + source + ":fax:" + faxId;
            if (seen.contains(id)) {
                continue;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("device", f.device());
            details.put("filename", f.filename());
            details.put("status", f.status());
            CallEvent e = new CallEvent(id, MorCallRecords.VENDOR, source, FAX, "fax-" + faxId, null, f.sender(),
                    f.device(), Direction.INBOUND, "received", instant(f.receiveTime(), zone), details, null);
            items.add(new Item(id, e, null));
        }
    }

    /** A fax's key: its device, receive time and sender (what tells two faxes apart; the page gives no id). */
    static String faxHash(Faxes.Fax f) {
        return MorCallRecords.hash(f.receiveTime(), f.sender(), f.device(), Duration.ZERO, "fax");
    }

    private static Instant instant(LocalDateTime local, ZoneId zone) {
        return local == null ? null : local.atZone(zone).toInstant();
    }

    /** Marks a missed call processed at MOR; a failure is said in one line and tried again at the next poll. */
    private void mark(String callId) {
        try {
            endpoint.client().processMissedCall(callId);
            health.succeeded(MorOperation.processMissedCall.name());
        } catch (RuntimeException e) {
            health.failed(MorOperation.processMissedCall.name(), e);
            LOG.warn("mor:missedCalls {}: missed call {} announced but not marked processed at MOR ({}): tried again at "
                    + "the next poll", source, callId, VendorFailures.rootMessage(e).replaceAll("\\s*\\R\\s*", " "));
        }
    }

    /** Once the item's exchange has completed: its key kept, and the missed call marked processed at MOR. */
    private final class Delivered extends SynchronizationAdapter {

        private final Item item;

        Delivered(Item item) {
            this.item = item;
        }

        @Override
        public void onComplete(Exchange exchange) {
            seen.add(item.key());
            if (item.markCallId() != null) {
                mark(item.markCallId());
            }
        }
    }
}
