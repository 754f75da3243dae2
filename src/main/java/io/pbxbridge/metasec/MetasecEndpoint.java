package io.pbxbridge.metasec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import io.pbxbridge.cdr.CallRecordConsumer;
import io.pbxbridge.vendor.VendorEndpoint;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorProducer;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.operation.OperationInputs;

/**
 * One action of the METASEC WebTAPI: the path names the action as on the wire ({@code call}, {@code call_list_all},
 * {@code relay_status_set}, ... and {@code login}), options and headers carry its inputs, the body its typed result
 * ({@link MetasecAck}, {@link MetasecList} of rows, {@link MetasecFile} streams...). The WebTAPI pushes nothing: the
 * path {@code events} polls it and emits {@link io.pbxbridge.model.CallEvent}s of what changed
 * ({@link MetasecEventConsumer}), the path {@code cdr} harvests the call records derived from the polled calls.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "metasec", title = "METASEC WebTAPI", syntax = "metasec:operation",
             category = { Category.CLOUD, Category.API }, headersClass = MetasecConstants.class)
public class MetasecEndpoint extends VendorEndpoint {

    @UriPath(description = "The WebTAPI action to call, as on the wire (call, call_list_all, relay_status_set...), or "
            + "login; events to poll the WebTAPI for call events, cdr to harvest the derived call records")
    @Metadata(required = true)
    private final MetasecOperation operation;
    @UriParam
    private final MetasecConfiguration configuration;

    private volatile MetasecClient client;

    public MetasecEndpoint(String uri, MetasecComponent component, MetasecOperation operation,
                           MetasecConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public MetasecComponent getComponent() {
        return (MetasecComponent) super.getComponent();
    }

    /** Calls started this long ago or longer do not hold the harvest's window back (a channel that never ends). */
    static final Duration HOLD_BACK_LIMIT = Duration.ofHours(6);

    @Override
    public Producer createProducer() {
        if (!operation.producer()) {
            throw new UnsupportedOperationException("metasec:" + operation + " is consumer only; call an action "
                    + "instead");
        }
        return new VendorProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (operation == MetasecOperation.events) {
            MetasecEventConsumer consumer = new MetasecEventConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
        if (operation == MetasecOperation.cdr) {
            MetasecStateFiles files = stateFiles();
            MetasecCallRecordPages pages = new MetasecCallRecordPages(getComponent().journal(files.journal(),
                    Duration.ofMillis(configuration.getCdrJournalRetention())), () -> pendingSince(files));
            // the calls still in progress hold its live windows back (CallRecordPages.pendingSince)
            return createCallRecordConsumer(processor, pages);
        }
        throw new UnsupportedOperationException("metasec:" + operation + " has no consumer: consume metasec:events "
                + "for call events (polled), metasec:cdr for the derived call records, or call a list on a schedule");
    }

    /** This connection's files in the state directory. */
    MetasecStateFiles stateFiles() {
        return new MetasecStateFiles(Path.of(configuration.getStateDirectory()), source());
    }

    /**
     * The start of the earliest call still going on (the events consumer's snapshot, else the saved one), unless it
     * started {@link #HOLD_BACK_LIMIT} ago or longer.
     */
    private Instant pendingSince(MetasecStateFiles files) {
        MetasecTracker t = getComponent().tracker(source());
        Instant since = t != null ? t.pendingSince() : files.pendingSince();
        return since == null || since.isBefore(Instant.now().minus(HOLD_BACK_LIMIT)) ? null : since;
    }

    /**
     * The channel an action acts on: {@code chan}, else the channel of the call {@code callId} (its {@code leg}: a,
     * b or a unique id), from the events consumer's snapshot, else from call_list_all.
     */
    String channel(OperationInputs in) {
        String chan = in.string("chan");
        if (chan != null && !chan.isBlank()) {
            return chan.trim();
        }
        String callId = in.string("callId");
        if (callId == null || callId.isBlank()) {
            throw in.invalid("needs chan (the channel, e.g. SIP/1004-00000010) or callId (the call's unique id, as "
                    + "the metasec events name it): set the option or the " + in.headerName("chan") + " or "
                    + in.headerName("callId") + " header");
        }
        String leg = in.string("leg");
        String l = leg == null || leg.isBlank() ? "a" : leg.trim();
        MetasecTracker t = getComponent().tracker(source());
        Optional<List<MetasecTracker.LiveLeg>> legs = t == null ? Optional.empty() : t.find(callId.trim());
        if (legs.isEmpty()) {
            // not in the snapshot (no events consumer, or a call newer than its last poll): the server's list
            MetasecTracker lookup = new MetasecTracker(source(), configuration.getOriginateContext(),
                    Duration.ofSeconds(1));
            lookup.apply(MetasecPoll.calls(Instant.now(), getClient().callListAll()));
            legs = lookup.find(callId.trim());
        }
        if (legs.isEmpty()) {
            throw new MetasecRefusedException(getOperation().wireName(), "NO_CALL", getOperation().wireName()
                    + ": no call " + callId + " is going on (not in call_list_all)", false);
        }
        return pick(legs.get(), l, callId);
    }

    private String pick(List<MetasecTracker.LiveLeg> legs, String leg, String callId) {
        MetasecTracker.LiveLeg a = legs.get(0);
        if (leg.equalsIgnoreCase("a")) {
            return a.channel();
        }
        if (leg.equalsIgnoreCase("b")) {
            for (MetasecTracker.LiveLeg x : legs) {
                if (x != a && x.channel().equals(a.bridged())) {
                    return x.channel();
                }
            }
            if (legs.size() > 1) {
                return legs.get(legs.size() - 1).channel();
            }
            throw new MetasecRefusedException(getOperation().wireName(), "NO_LEG", getOperation().wireName()
                    + ": call " + callId + " has no B channel now", false);
        }
        for (MetasecTracker.LiveLeg x : legs) {
            if (x.uniqueId().equals(leg)) {
                return x.channel();
            }
        }
        throw new MetasecValidationException(getOperation().wireName(), "leg '" + leg + "' is neither a, b nor the "
                + "unique id of a channel of call " + callId);
    }

    /** call_record_start went through: the events can tell whose call the file is. */
    void recordingStarted(RecordingStarted started) {
        MetasecTracker t = getComponent().tracker(source());
        if (t != null && started.fileName() != null) {
            t.recordingStarted(started.fileName(), started.channel());
        }
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        MetasecOperation.wireNames(configuration.getWireNames()); // a bad wireNames fails here, not at the first call
    }

    @Override
    public MetasecOperation getOperation() {
        return operation;
    }

    @Override
    public MetasecConfiguration configuration() {
        return configuration;
    }

    public MetasecConfiguration getConfiguration() {
        return configuration;
    }

    /** The WebTAPI's client, shared by the endpoints of this component with the same connection settings. */
    MetasecClient getClient() {
        MetasecClient c = client;
        if (c == null) {
            // the transport first: both are kept in the component's one map, whose factories must not nest
            VendorHttpClient transport = getComponent().httpClient(configuration);
            c = getComponent().client(configuration.connection(),
                    () -> new MetasecClient(configuration.copy(), transport, getComponent().sessions()));
            client = c;
        }
        return c;
    }

    @Override
    protected VendorException invalidRequest(String op, String message) {
        return new MetasecValidationException(op, message);
    }

    /** {@code <host>/<user>}: the {@code source} of results, events and call records. */
    @Override
    public String source() {
        String host;
        try {
            host = URI.create(configuration.getAddress()).getHost();
        } catch (RuntimeException e) {
            host = null;
        }
        String user = configuration.getUser();
        return (host != null ? host : "unknown") + "/" + (user == null || user.isBlank() ? "-" : user.trim());
    }
}
