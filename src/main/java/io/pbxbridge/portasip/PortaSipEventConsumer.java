package io.pbxbridge.portasip;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.model.CallEvent;
import io.pbxbridge.portasip.PortaSipCallControl.Scope;
import io.pbxbridge.portasip.PortaSipCallTable.Reconciled;
import io.pbxbridge.vendor.VendorException.Kind;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.source.Backoff;
import io.pbxbridge.vendor.source.EventSourceMonitor;
import io.pbxbridge.vendor.source.KeyOrderedDispatcher;
import io.pbxbridge.vendor.source.LivenessCheck;
import io.pbxbridge.vendor.source.Reconnector;
import io.pbxbridge.vendor.source.UnreadableInputDeadLetter;

/**
 * {@code portasip:events}: the live calls of the subscribed scopes as {@link CallEvent}s, from the
 * {@code sip.call_control_notifications} frames of the component's one Call Control socket for the endpoint's server
 * and login ({@link PortaSipCallControl}, shared with the Call Control producers). What every event source needs comes
 * from {@code io.pbxbridge.vendor.source}; this class adds the subscriptions, the reconciliation and the call table.
 *
 * <p><b>Connection.</b> A {@link Reconnector} opens the socket (its login is the socket's own) at start and after
 * every close, with a backoff from {@code reconnectDelay} doubling to {@code maxReconnectDelay}, also when PortaSIP is
 * down at start. The socket may also be reopened by a producer's request; either way, after every (re)connect and
 * before anything else is sent on the new socket (the socket's connection listener), every scope is subscribed
 * again ({@code enable_api_notifications}: PortaSIP keeps subscriptions per socket) and then <b>reconciled</b>: the
 * {@code get_sip_calls_list} of each scope is compared with the call table ({@link PortaSipCallTable#reconcile}). A
 * leg listed that the table does not have, or in another state, becomes its state's event, marked {@code reconciled}.
 * A leg the table has and the list does not show is <b>held unconfirmed</b>, no event: PortaSIP lists a call only from
 * its first change after the subscription on, so the list of a fresh subscription cannot tell a call that ended while
 * the socket was down from one still in progress that has not changed since. A notification (or a later list) that
 * shows it confirms it: it goes on as before, and its {@code terminated} ends it with its real duration and reason.
 * One that nothing confirms within {@code unconfirmedCallTimeout} is ended then: a {@code call.ended} marked
 * {@code reconciled} and {@code endUnknown} (no duration; the reason says why).
 *
 * <p><b>Subscriptions that take no effect.</b> PortaSIP may answer {@code enable_api_notifications} with success and
 * deliver nothing; its calls list then says {@code not_subscribed}. Found at the reconciliation (and at each liveness
 * check), it is said at WARN, the scope is subscribed once more, and if that does not help either it is said again,
 * kept in the health details ({@code subscriptionProblems}) and not tried again until the next reconnect (no loop).
 * The liveness check also finds changes no notification reported (the list shows a leg in a state the table does
 * not, or no longer shows a leg it has been telling of, which has ended): they are emitted (reconciled, an end at
 * once), said at WARN, and the scopes are subscribed once more. A list that follows a subscription made again is a
 * fresh subscription's: the legs it misses are held unconfirmed as after a reconnect.
 *
 * <p><b>Liveness.</b> Every {@code pingInterval} ms a {@link LivenessCheck} asks {@code get_sip_calls_list} of each
 * scope (a cheap call whose answer proves the socket alive, and whose list is reconciled as above) and expects the
 * answer within {@code pingTimeout} ms; frames read meanwhile count as alive too. A dead socket is closed and the
 * reconnector opens a new one.
 *
 * <p><b>Frames</b> are read by {@link PortaSipNotifications} (the spec's damaged forms included, each repair listed in
 * the event's {@code details.repairs}); a frame that is no notification goes to an
 * {@link UnreadableInputDeadLetter} ({@code deadLetterUri}, header {@link PortaSipConstants#REJECT_REASON}) with its
 * raw text, and the stream goes on. Events are routed by a {@link KeyOrderedDispatcher} by call id: with
 * {@code workers=1} on the socket's event loop (or the reconciling thread), each call's events in order; with
 * {@code maxBatchSize} above 1 the events of one socket read go as one exchange with a {@code List<CallEvent>} body.
 *
 * <p>One consumer per server and login (every frame of the socket reaches every listener): list every scope in one.
 */
public class PortaSipEventConsumer extends DefaultConsumer implements PortaSipCallControl.ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(PortaSipEventConsumer.class);

    private final PortaSipEndpoint endpoint;
    private final PortaSipConfiguration cfg;
    private final String source;
    private final String name;
    private final String target;
    private volatile List<Scope> scopes = List.of();
    private final Duration requestTimeout;
    private final Duration pingTimeout;
    private final Duration unconfirmedHold;
    private final Reconnector reconnector;
    private final LivenessCheck<PortaSipCallControl> liveness;
    private final EventSourceMonitor monitor;
    private final UnreadableInputDeadLetter deadLetter;
    private final Consumer<String> frames = this::onFrame;
    /** Held while subscribing, reconciling or checking: one of those at a time. */
    private final ReentrantLock subscribing = new ReentrantLock();

    private KeyOrderedDispatcher<CallEvent> dispatcher;
    private ScheduledExecutorService scheduler;
    private volatile PortaSipCallControl callControl;
    private volatile PortaSipCallTable table;
    private volatile ZoneId zone;

    /** The socket (its number) whose subscriptions are made, -1 for none; written under {@link #subscribing}. */
    private volatile long subscribedSocket = -1;
    /** Scopes subscribed a second time on the current socket (at most once each). Under {@link #subscribing}. */
    private final Set<Scope> resubscribed = new HashSet<>();
    /** Scopes whose calls list failed (other than not subscribed) on the current socket, said once. */
    private final Set<Scope> listFailures = new HashSet<>();
    /** What is wrong with a scope's subscription on the current socket. */
    private final Map<Scope, String> scopeProblems = new ConcurrentHashMap<>();
    /** Scopes whose subscription PortaSIP refused on the current socket (none of their calls are in the table). */
    private final Set<Scope> refused = ConcurrentHashMap.newKeySet();

    private final AtomicLong reconciliations = new AtomicLong();
    private final AtomicLong reconciledEvents = new AtomicLong();
    private final AtomicLong repairedFrames = new AtomicLong();
    private final AtomicLong repeatedFrames = new AtomicLong();
    private final AtomicLong missedChanges = new AtomicLong();
    private final AtomicLong resubscriptions = new AtomicLong();
    private final AtomicLong endsUnknown = new AtomicLong();
    private volatile Instant lastReconciliation;

    // the reader's state, under the table's monitor
    private boolean flushScheduled;
    private int eventsInRead;

    public PortaSipEventConsumer(PortaSipEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.cfg = endpoint.getConfiguration();
        this.source = endpoint.source();
        this.target = "PortaSIP Call Control " + endpoint.getServiceUrl() + " as " + cfg.getLogin();
        this.name = "portasip-events-" + source;
        this.requestTimeout = Duration.ofMillis(Math.max(1, cfg.getCallControlTimeout()));
        this.pingTimeout = Duration.ofMillis(Math.max(1, cfg.getPingTimeout()));
        this.unconfirmedHold = Duration.ofMillis(Math.max(0, cfg.getUnconfirmedCallTimeout()));
        this.reconnector = new Reconnector(target, new Backoff(cfg.getReconnectDelay(), cfg.getMaxReconnectDelay()),
                this::connect);
        this.liveness = new LivenessCheck<>(target, cfg.getPingInterval(), cfg.getPingTimeout(), this::openSocket,
                this::probe, cc -> cc.disconnect());
        this.monitor = new EventSourceMonitor(PortaSipComponent.SCHEME, source, reconnector,
                Duration.ofMillis(cfg.getUnhealthyAfter()));
        this.deadLetter = new UnreadableInputDeadLetter(endpoint.getCamelContext(),
                "PortaSIP notifications from " + source, cfg.getDeadLetterUri(), PortaSipConstants.REJECT_REASON,
                Map.of(PortaSipConstants.SOURCE, source));
    }

    @Override
    public PortaSipEndpoint getEndpoint() {
        return endpoint;
    }

    /**
     * Checked at start, not when the route is made: a route of a vendor that is off is made (not started) too.
     */
    @Override
    protected void doStart() throws Exception {
        List<Scope> configured = cfg.scopes();
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("portasip:events of " + source + " has no scope to subscribe to: set "
                    + "accounts, customers, mainOffices or ivrAccessNumbers (comma lists of ids; in pbx-bridge "
                    + "PORTASIP_ACCOUNTS=1001 or PORTASIP_CUSTOMERS=30, ...): PortaSIP's login does not say the "
                    + "account's own i_account");
        }
        scopes = configured;
        super.doStart();
        PortaSipCallControl cc = endpoint.callControl();
        if (!cc.claimEvents(this)) {
            throw new IllegalStateException("portasip:events: another portasip:events consumer listens to " + source
                    + " already; one consumer per address and login (list every scope in it)");
        }
        callControl = cc;
        table = cc.calls();
        // commands acting on a live call of this connection look its legs up here first
        endpoint.getComponent().bindCallLookup(endpoint.getConfiguration(), table);
        zone = endpoint.timeZone();
        scheduler = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newScheduledThreadPool(this, "PortaSipEventSupervisor", 2);
        ServiceHelper.startService(deadLetter);
        dispatcher = new KeyOrderedDispatcher<>(name, cfg.getWorkers(), cfg.getMaxBatchSize(), CallEvent::subject,
                this::route, this::routeBatch, getExceptionHandler());
        dispatcher.start();
        monitor.moreDetails(this::details);
        monitor.gauge("pbx_source_unconfirmed_calls", "calls in progress before a reconnect that nothing has "
                + "confirmed since (held, not ended)", () -> table.unconfirmedCallCount());
        monitor.start(getEndpoint().getCamelContext());
        cc.addNotificationListener(frames);
        cc.addConnectionListener(this);
        LOG.info("{}: events of {} ({})", target, scopes, source);
        reconnector.start(scheduler);
        liveness.start(scheduler);
    }

    @Override
    protected void doStop() throws Exception {
        reconnector.stop();
        liveness.stop();
        PortaSipCallControl cc = callControl;
        if (cc != null) {
            cc.removeNotificationListener(frames);
            cc.removeConnectionListener(this);
            unsubscribe(cc);
        }
        if (dispatcher != null) {
            PortaSipCallTable t = table;
            if (t != null) {
                synchronized (t) {
                    dispatcher.endOfRead();
                }
            }
            // what was read is routed before the consumer stops
            dispatcher.stop();
        }
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        if (cc != null) {
            endpoint.getComponent().unbindCallLookup(endpoint.getConfiguration(), cc.calls());
            // nothing keeps it up to date any more: an empty table rather than a stale one
            cc.calls().clear();
            cc.releaseEvents(this);
        }
        subscribedSocket = -1;
        ServiceHelper.stopService(deadLetter);
        monitor.stop();
        super.doStop();
    }

    /** Ends the subscriptions (best effort, briefly): the socket stays, shared with the producers. */
    private void unsubscribe(PortaSipCallControl cc) {
        if (!cc.isConnected() || subscribedSocket != cc.connectionCount()) {
            return;
        }
        for (Scope s : scopes) {
            try {
                cc.disableNotifications(s, Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.debug("{}: disable_api_notifications of {}: {}", target, s, VendorFailures.rootMessage(e));
                if (!cc.isConnected()) {
                    return;
                }
            }
        }
    }

    // ---- connection -----------------------------------------------------------------------------------------

    /** An attempt of the reconnector: opens the socket (the listener subscribes) unless it is open and subscribed. */
    private void connect() {
        PortaSipCallControl cc = callControl;
        if (cc == null || !reconnector.isRunning()) {
            return;
        }
        cc.connect();
        if (cc.isConnected() && subscribedSocket != cc.connectionCount()) {
            // opened by a request before this consumer listened, or its subscription failed: subscribe now
            subscribe(cc);
        }
    }

    @Override
    public void onConnected(PortaSipCallControl cc) {
        if (cc != callControl || !isRunAllowed()) {
            return;
        }
        try {
            subscribe(cc);
        } catch (RuntimeException e) {
            LOG.warn("{}: subscribing after the connect failed: {}", target, VendorFailures.rootMessage(e));
        }
    }

    @Override
    public void onDisconnected(PortaSipCallControl cc, String reason) {
        if (cc == callControl && isRunAllowed()) {
            reconnector.disconnected();
        }
    }

    /** The socket while it is open, else null (nothing to check). */
    private PortaSipCallControl openSocket() {
        PortaSipCallControl cc = callControl;
        return cc != null && cc.isConnected() ? cc : null;
    }

    /**
     * Subscribes every scope on the socket now open and reconciles, unless that was done for this socket. A socket
     * that does not answer is closed (the reconnector opens another).
     */
    private void subscribe(PortaSipCallControl cc) {
        long socket;
        subscribing.lock();
        try {
            socket = cc.connectionCount();
            if (subscribedSocket == socket || !cc.isConnected()) {
                return;
            }
            resubscribed.clear();
            listFailures.clear();
            scopeProblems.clear();
            refused.clear();
            long asked = table.sequence();
            List<Scope> active = enable(cc);
            Listing listing = list(cc, active, requestTimeout, false);
            subscribedSocket = socket;
            reconcile(listing, asked, false);
        } catch (PortaSipConnectionException e) {
            if (cc.isConnected()) {
                LOG.warn("{}: no answer while subscribing ({}); closing the socket to open another", target,
                        VendorFailures.rootMessage(e));
                cc.disconnect();
            }
            throw e;
        } finally {
            subscribing.unlock();
        }
        liveness.connected();
        reconnector.connected();
    }

    /** {@code enable_api_notifications} for every scope; returns those PortaSIP did not refuse. */
    private List<Scope> enable(PortaSipCallControl cc) {
        List<Scope> active = new ArrayList<>(scopes.size());
        for (Scope s : scopes) {
            try {
                cc.enableNotifications(s, requestTimeout);
                active.add(s);
            } catch (PortaSipCallControlException e) {
                refused.add(s);
                scopeProblems.put(s, "subscription refused: " + e.getCode());
                LOG.warn("{}: PortaSIP refused the subscription of {}: {}; its calls are not reported", target, s,
                        e.getMessage());
            }
        }
        return active;
    }

    // ---- calls lists and reconciliation ---------------------------------------------------------------------

    /**
     * The legs the calls lists of {@code active} show, by leg key, with each entry's text; {@code complete} when
     * every scope answered its list (only then are legs missing from it ended); {@code fresh} when a list follows a
     * subscription just made (it misses the calls that have not changed since: they are held unconfirmed).
     */
    private record Listing(Map<String, PortaSipNotifications.Read> legs, Map<String, String> raw, boolean complete,
                           boolean fresh) {

        PortaSipCallTable.Missing missing() {
            return fresh ? PortaSipCallTable.Missing.HOLD : complete ? PortaSipCallTable.Missing.END
                    : PortaSipCallTable.Missing.KEEP;
        }
    }

    /**
     * Lists every scope of {@code active} that has no problem; a scope whose list says {@code not_subscribed} is
     * subscribed once more (once per socket). The lists of a subscription ({@code check} false) are fresh.
     */
    private Listing list(PortaSipCallControl cc, List<Scope> active, Duration timeout, boolean check) {
        Map<String, PortaSipNotifications.Read> legs = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        boolean complete = true;
        boolean fresh = !check;
        for (Scope s : active) {
            if (refused.contains(s)) {
                continue; // never subscribed: none of the table's legs came from it
            }
            if (scopeProblems.containsKey(s)) {
                complete = false; // its legs cannot be told from ended ones
                continue;
            }
            JsonNode reply;
            try {
                reply = cc.call("get_sip_calls_list", s.params(), timeout);
            } catch (PortaSipCallControlException e) {
                reply = notListed(cc, s, e, timeout, check);
                if (reply == null) {
                    complete = false;
                    continue;
                }
                fresh = true; // subscribed again just now
            }
            complete &= add(s, reply, legs, raw);
        }
        return new Listing(legs, raw, complete, fresh);
    }

    /** A scope's list failed with {@code e}: subscribes again once if PortaSIP says not subscribed; the new list. */
    private JsonNode notListed(PortaSipCallControl cc, Scope s, PortaSipCallControlException e, Duration timeout,
                               boolean check) {
        if (!isNotSubscribed(e)) {
            // not kept as a problem of the scope: the next check lists it again
            if (listFailures.add(s)) {
                LOG.warn("{}: the calls list of {} failed ({}); not reconciled this time (said once for this socket)",
                        target, s, e.getMessage());
            } else {
                LOG.debug("{}: the calls list of {} failed ({})", target, s, e.getMessage());
            }
            return null;
        }
        if (resubscribed.add(s)) {
            resubscriptions.incrementAndGet();
            LOG.warn("{}: {} (get_sip_calls_list of {}: {}); subscribing once more", target, check
                    ? "PortaSIP no longer knows the subscription of " + s
                    : "the subscription of " + s + " answered success but took no effect", s, e.getCode());
            try {
                cc.enableNotifications(s, timeout);
                JsonNode reply = cc.call("get_sip_calls_list", s.params(), timeout);
                LOG.info("{}: the subscription of {} is in effect after subscribing again", target, s);
                return reply;
            } catch (PortaSipCallControlException again) {
                e = again;
            }
        }
        scopeProblems.put(s, "subscription not in effect: enable_api_notifications answered success but "
                + "get_sip_calls_list says " + e.getCode() + " after subscribing twice; no notification comes for "
                + "its calls; not subscribed again until the socket reconnects");
        LOG.warn("{}: the subscription of {} takes no effect even after subscribing again ({}): its calls are not "
                + "reported; not subscribing again until the socket reconnects", target, s, e.getCode());
        return null;
    }

    private static boolean isNotSubscribed(PortaSipCallControlException e) {
        String code = e.getCode() == null ? "" : e.getCode().toLowerCase(java.util.Locale.ROOT);
        return code.contains("not_subscribed") || code.contains("not subscribed");
    }

    /** The legs of one list reply; false when an entry could not be read. */
    private boolean add(Scope s, JsonNode reply, Map<String, PortaSipNotifications.Read> legs,
                        Map<String, String> raw) {
        JsonNode list = reply.get("calls_list");
        if (list == null) {
            list = reply.get("calls list");
        }
        if (list == null || list.isNull()) {
            return true;
        }
        boolean ok = true;
        for (JsonNode entry : list.isArray() ? list : List.of(list)) {
            try {
                PortaSipNotifications.Read read = PortaSipNotifications.readListed(entry);
                String key = PortaSipCallTable.legKey(read.info().call());
                legs.put(key, read);
                raw.put(key, entry.toString());
            } catch (PortaSipNotifications.Unreadable u) {
                ok = false;
                LOG.warn("{}: an entry of the calls list of {} cannot be read ({}: {}); legs missing from the list "
                        + "are not ended this time", target, s, u.reason(), u.getMessage());
            }
        }
        return ok;
    }

    /** Brings the table up to date with {@code listing} and emits what changed, marked reconciled. */
    private void reconcile(Listing listing, long asked, boolean check) {
        Instant now = Instant.now();
        PortaSipCallTable t = table;
        List<Reconciled> changes;
        int unconfirmed;
        synchronized (t) {
            changes = t.reconcile(listing.legs(), listing.raw(), asked, listing.missing(), now);
            unconfirmed = t.unconfirmedLegCount();
            emit(changes, listing.legs(), now);
        }
        reconciliations.incrementAndGet();
        reconciledEvents.addAndGet(changes.size());
        lastReconciliation = now;
        if (listing.fresh() && unconfirmed > 0 && !unconfirmedHold.isZero()) {
            LOG.info("{}: {} leg(s) in progress before the {} not listed by the new subscription (PortaSIP lists a "
                    + "call from its first change after it): held unconfirmed, ended with their end unknown unless a "
                    + "notification comes within {} ms", target, unconfirmed,
                    check ? "subscription made again" : "connect", unconfirmedHold.toMillis());
        }
        if (listing.fresh() && unconfirmed > 0) {
            scheduleExpiry();
        }
        if (changes.isEmpty()) {
            LOG.debug("{}: reconciled, nothing missed", target);
            return;
        }
        long ended = changes.stream().filter(c -> PortaSipCallTable.ENDED.equals(c.type())).count();
        if (!check) {
            LOG.info("{}: reconciled after the connect: {} change(s) missed while disconnected ({} leg(s) ended, "
                    + "{} changed or appeared), emitted as reconciled events", target, changes.size(), ended,
                    changes.size() - ended);
            return;
        }
        missedChanges.addAndGet(changes.size());
        List<Scope> again = new ArrayList<>();
        for (Scope s : scopes) {
            if (!scopeProblems.containsKey(s) && resubscribed.add(s)) {
                again.add(s);
            }
        }
        LOG.warn("{}: the calls list shows {} change(s) no notification reported ({} leg(s) ended, {} changed or "
                + "appeared), emitted as reconciled events; {}", target, changes.size(), ended, changes.size() - ended,
                again.isEmpty() ? "already subscribed again once on this socket" : "subscribing " + again
                        + " once more");
        PortaSipCallControl cc = callControl;
        for (Scope s : again) {
            try {
                resubscriptions.incrementAndGet();
                cc.enableNotifications(s, pingTimeout);
            } catch (RuntimeException e) {
                LOG.warn("{}: subscribing {} again failed: {}", target, s, VendorFailures.rootMessage(e));
            }
        }
    }

    /** Under the table's monitor: hands the changes a reconciliation found to the route, as one read. */
    private void emit(List<Reconciled> changes, Map<String, PortaSipNotifications.Read> listed, Instant now) {
        for (Reconciled c : changes) {
            PortaSipNotifications.Read read = listed.get(PortaSipCallTable.legKey(c.info().call()));
            List<String> repairs = read == null || c.raw() == null ? List.of() : read.repairs();
            dispatcher.offer(PortaSipEvents.toCallEvent(c, source, now, repairs));
        }
        dispatcher.endOfRead();
        monitor.events(changes.size());
    }

    /** Ends the unconfirmed legs once their hold is over (a hold of 0: now). */
    private void scheduleExpiry() {
        ScheduledExecutorService s = scheduler;
        if (s == null || unconfirmedHold.isZero()) {
            expireUnconfirmed();
            return;
        }
        try {
            s.schedule(this::expireUnconfirmed, unconfirmedHold.toMillis() + 1, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: stopping, the unconfirmed legs are not ended", target);
        }
    }

    /**
     * Ends the legs no notification confirmed within the hold: {@code call.ended}, reconciled, its end unknown (it
     * came after the leg's last event, before now).
     */
    private void expireUnconfirmed() {
        PortaSipCallTable t = table;
        if (t == null || !isRunAllowed()) {
            return;
        }
        Instant now = Instant.now();
        List<Reconciled> ends;
        synchronized (t) {
            ends = t.expireUnconfirmed(now, unconfirmedHold);
            if (ends.isEmpty()) {
                return;
            }
            emit(ends, Map.of(), now);
        }
        reconciledEvents.addAndGet(ends.size());
        endsUnknown.addAndGet(ends.size());
        LOG.warn("{}: {} leg(s) in progress before a reconnect had no notification within {} ms: ended, their end "
                + "unknown (call.ended reconciled, endUnknown, no duration)", target, ends.size(),
                unconfirmedHold.toMillis());
    }

    /**
     * The liveness probe: the calls list of every scope, on the supervisor's thread. Its answer (an error too) proves
     * the socket alive; the list is reconciled. Without an answer within pingTimeout the check declares the socket
     * dead (unless frames came meanwhile).
     */
    private void probe(PortaSipCallControl cc) {
        if (!subscribing.tryLock()) {
            liveness.answered(); // a subscription is under way on this socket: its own requests check it
            return;
        }
        try {
            if (subscribedSocket != cc.connectionCount()) {
                liveness.answered(); // not subscribed yet: the reconnector's attempt is about to
                return;
            }
            long asked = table.sequence();
            List<Scope> active = new ArrayList<>(scopes);
            Listing listing = list(cc, active, pingTimeout, true);
            liveness.answered();
            reconcile(listing, asked, true);
            expireUnconfirmed(); // also here: a task timed by another clock than the hold's may have come too early
        } catch (PortaSipConnectionException e) {
            if (e.getKind() != Kind.NO_ANSWER) {
                liveness.answered(); // closed before it was sent: the close is handled already
            }
            LOG.debug("{}: liveness check: {}", target, VendorFailures.rootMessage(e));
        } finally {
            subscribing.unlock();
        }
    }

    // ---- frames ---------------------------------------------------------------------------------------------

    /** A frame without cseq, on the socket's event loop. */
    private void onFrame(String text) {
        Instant at = Instant.now();
        liveness.readStarted();
        PortaSipCallTable t = table;
        PortaSipNotifications.Read read;
        try {
            read = PortaSipNotifications.read(text);
        } catch (PortaSipNotifications.Unreadable u) {
            deadLetter.reject(u.reason(), u.getMessage(), text, text.length());
            synchronized (t) {
                endOfReadLater();
            }
            return;
        }
        if (!read.repairs().isEmpty()) {
            repairedFrames.incrementAndGet();
        }
        synchronized (t) {
            String type = t.apply(read.info());
            if (type == null) {
                repeatedFrames.incrementAndGet();
            } else {
                eventsInRead++;
                dispatcher.offer(PortaSipEvents.toCallEvent(type, read.info(), text, source, at, false,
                        read.repairs()));
            }
            endOfReadLater();
        }
    }

    /**
     * Under the table's monitor: the end of the socket read is a task queued on the socket's context, which runs
     * once the frames of this read are handled (Vert.x hands frames one by one and does not say when a read
     * ends); from another thread, now.
     */
    private void endOfReadLater() {
        if (flushScheduled) {
            return;
        }
        Context context = Vertx.currentContext();
        if (context == null) {
            endOfRead();
            return;
        }
        flushScheduled = true;
        PortaSipCallTable t = table;
        context.runOnContext(v -> {
            synchronized (t) {
                endOfRead();
            }
        });
    }

    /** Under the table's monitor. */
    private void endOfRead() {
        flushScheduled = false;
        dispatcher.endOfRead();
        liveness.readFinished(eventsInRead > 0);
        monitor.events(eventsInRead);
        eventsInRead = 0;
    }

    private void routeBatch(List<CallEvent> batch) {
        route((Object) batch);
    }

    private void route(CallEvent event) {
        route((Object) event);
    }

    /** Routes an event or a batch (a list); the route's asynchronous parts finish on their own threads. */
    private void route(Object body) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(body);
        exchange.getIn().setHeader(PortaSipConstants.SOURCE, source);
        ZoneId z = zone;
        if (z != null) {
            exchange.getIn().setHeader(PortaSipConstants.TIME_ZONE, z);
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing PortaSIP event", exchange,
                        exchange.getException());
            }
            releaseExchange(exchange, false);
        });
    }

    // ---- health and statistics --------------------------------------------------------------------------------

    private void details(Map<String, Object> d) {
        d.put("scopes", scopes.toString());
        d.put("subscribed", isSubscribed());
        if (!scopeProblems.isEmpty()) {
            List<String> problems = new ArrayList<>();
            scopeProblems.forEach((s, p) -> problems.add(s + ": " + p));
            d.put("subscriptionProblems", String.join("; ", problems));
        }
        PortaSipCallTable t = table;
        if (t != null) {
            d.put("liveCalls", t.callCount());
            d.put("liveLegs", t.legCount());
            d.put("unconfirmedCalls", t.unconfirmedCallCount());
            d.put("unconfirmedLegs", t.unconfirmedLegCount());
        }
        d.put("endsUnknown", endsUnknown.get());
        d.put("reconciliations", reconciliations.get());
        d.put("reconciledEvents", reconciledEvents.get());
        Instant last = lastReconciliation;
        if (last != null) {
            d.put("lastReconciliation", last.toString());
        }
        d.put("missedChanges", missedChanges.get());
        d.put("resubscriptions", resubscriptions.get());
        d.put("repairedFrames", repairedFrames.get());
        d.put("repeatedFrames", repeatedFrames.get());
        d.put("rejectedFrames", deadLetter.getRejectedCount());
    }

    /** Whether the open socket has this consumer's subscriptions. */
    public boolean isSubscribed() {
        PortaSipCallControl cc = callControl;
        return cc != null && cc.isConnected() && subscribedSocket == cc.connectionCount();
    }

    /** The scopes subscribed to. */
    public List<Scope> getScopes() {
        return scopes;
    }

    /** What is wrong with the subscriptions on the current socket, by scope (empty when nothing). */
    public Map<Scope, String> getSubscriptionProblems() {
        return Map.copyOf(scopeProblems);
    }

    /** Successful connections (subscribed) so far. */
    public long getConnectCount() {
        return reconnector.getConnectCount();
    }

    /** Events handed to the route (live and reconciled). */
    public long getEventCount() {
        return monitor.getEventCount();
    }

    /** Events made by reconciliations. */
    public long getReconciledEventCount() {
        return reconciledEvents.get();
    }

    /** Legs ended with their end unknown: nothing confirmed them within the hold after a reconnect. */
    public long getEndUnknownCount() {
        return endsUnknown.get();
    }

    /** Reconciliations done (after each connect, at each liveness check). */
    public long getReconciliationCount() {
        return reconciliations.get();
    }

    /** Frames that needed a repair to be read. */
    public long getRepairedFrameCount() {
        return repairedFrames.get();
    }

    /** Frames rejected (dead-lettered). */
    public long getRejectedCount() {
        return deadLetter.getRejectedCount();
    }

    /** Liveness checks that found the socket dead. */
    public long getLivenessMisses() {
        return liveness.getMissCount();
    }

    /** Subscriptions made a second time (a subscription without effect, forgotten, or notifications missing). */
    public long getResubscriptionCount() {
        return resubscriptions.get();
    }

    /** The live call table this consumer keeps. */
    public PortaSipCallLookup getCallLookup() {
        return table;
    }
}
