package io.pbxbridge.portasip;

import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import io.pbxbridge.vendor.VendorEndpoint;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorProducer;

/**
 * One method of PortaSIP: the path names it ({@code getMenuList} or its wire name {@code get_menu_list},
 * {@code originateAdvancedCall}, ...), options and headers carry its inputs, the body its typed result. The JSON API's
 * methods go over HTTP with the component's session for the address and login; Call Control's over the one WebSocket
 * the component keeps for them ({@link PortaSipCallControl}).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "portasip", title = "PortaSIP", syntax = "portasip:operation",
             category = { Category.CLOUD, Category.API }, headersClass = PortaSipConstants.class)
public class PortaSipEndpoint extends VendorEndpoint implements EndpointServiceLocation {

    @UriPath(description = "The method to call: its name here (getVmSettings) or on the wire (get_vm_settings)")
    @Metadata(required = true)
    private final PortaSipOperation operation;
    @UriParam
    private final PortaSipConfiguration configuration;

    private volatile PortaSipClient client;
    private volatile PortaSipCallControl callControl;

    public PortaSipEndpoint(String uri, PortaSipComponent component, PortaSipOperation operation,
                            PortaSipConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public PortaSipComponent getComponent() {
        return (PortaSipComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        if (operation.isConsumerOnly()) {
            throw new UnsupportedOperationException("portasip:" + operation + " is consumer only; call an operation "
                    + "instead");
        }
        return new VendorProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (operation == PortaSipOperation.cdr) {
            return createCallRecordConsumer(processor, new PortaSipCallRecordPages(
                    getComponent().journal(java.nio.file.Path.of(configuration.getCdrJournal())), source()));
        }
        if (operation != PortaSipOperation.events) {
            throw new UnsupportedOperationException("portasip:" + operation + " has no consumer; consume "
                    + "portasip:events for the live call events, portasip:cdr for their call records, or call the "
                    + "operation");
        }
        PortaSipEventConsumer consumer = new PortaSipEventConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * The live calls of this endpoint's server and login, as its {@code portasip:events} consumer keeps them: a live
     * call's legs ({@code call {id, tag}}, {@code transport_id}, state) by pbx-bridge's call id.
     */
    public PortaSipCallLookup callLookup() {
        return callControl().calls();
    }

    @Override
    protected String timeZoneOption() {
        return configuration.getTimeZone() == null ? "" : configuration.getTimeZone();
    }

    @Override
    public PortaSipOperation getOperation() {
        return operation;
    }

    @Override
    public PortaSipConfiguration configuration() {
        return configuration;
    }

    public PortaSipConfiguration getConfiguration() {
        return configuration;
    }

    /** The JSON API client of this endpoint's server and login. */
    PortaSipClient client() {
        PortaSipClient c = client;
        if (c == null) {
            c = getComponent().client(configuration);
            client = c;
        }
        return c;
    }

    /** The Call Control socket of this endpoint's server and login, shared by the component's endpoints. */
    public PortaSipCallControl callControl() {
        PortaSipCallControl c = callControl;
        if (c == null) {
            c = getComponent().callControl(configuration);
            callControl = c;
        }
        return c;
    }

    /** Whether a live call can be looked up here: the events consumer's table is bound, or scopes are configured. */
    boolean canLookUpCalls() {
        return getComponent().canLookUpCalls(configuration);
    }

    /** Before a call is placed: the call lookup subscribes its scopes, so the new call is listed from the start. */
    void prepareCallLookup() {
        getComponent().prepareCallLookup(configuration);
    }

    /**
     * The live leg a call id names: a leg's own id ({@code ...~10}), or pbx-bridge's call id (without the suffix) and
     * which leg ({@code legB}), or with {@code tag} the leg with that id and tag.
     *
     * @throws PortaSipValidationException no live call has it (nothing was sent)
     */
    PortaSipCallLookup.Leg findLeg(String id, String tag, boolean legB,
                                   io.pbxbridge.vendor.operation.OperationInputs in) {
        String key = new SipCallIdentifier(id, null).callKey();
        if (!getComponent().canLookUpCalls(configuration)) {
            throw in.invalid("the call " + id + " is given without its tag and transport: give callTag and "
                    + "transportId (from a notification or getSipCallsList), or let the leg be looked up: run "
                    + "portasip:events, or configure a scope to list (iAccount, iCustomer, iMainOffice or iIvrAn)");
        }
        java.util.List<PortaSipCallLookup.Leg> legs = getComponent().callLookup(configuration).find(key)
                .orElse(java.util.List.of()).stream()
                .filter(l -> l.call() != null && l.call().id() != null && !"terminated".equalsIgnoreCase(l.state()))
                .toList();
        if (legs.isEmpty()) {
            throw in.invalid("no live call " + id + " (it ended, or was never seen on " + source() + ")");
        }
        java.util.Optional<PortaSipCallLookup.Leg> leg;
        if (tag != null && !tag.isBlank()) {
            leg = legs.stream().filter(l -> l.call().id().equals(id) && tag.equals(l.call().tag())).findFirst();
        } else if (!key.equals(id)) {
            leg = legs.stream().filter(l -> l.call().id().equals(id)).findFirst();
        } else if (legB) {
            leg = legs.stream().filter(l -> !l.call().id().equals(key)).findFirst();
        } else {
            leg = legs.stream().filter(l -> l.call().id().equals(key)).findFirst();
        }
        return leg.orElseThrow(() -> in.invalid("the live call " + key + " has no " + (tag != null && !tag.isBlank()
                ? "leg " + id + " with tag " + tag : !key.equals(id) ? "leg " + id : legB ? "leg B" : "leg A")
                + " (its legs: " + String.join(", ", legs.stream().map(l -> l.call().id() + ";tag="
                        + l.call().tag()).toList()) + ")"));
    }

    /** Calls this endpoint's JSON API method. */
    JsonNode http(ObjectNode params, PortaSipClient.Upload upload) {
        try {
            JsonNode result = client().call(operation, params, upload);
            PortaSipDryRun.check(params, result);
            return result;
        } finally {
            if (upload != null) {
                upload.release();
            }
        }
    }

    /** Calls this endpoint's audio-reading JSON API method. */
    PortaSipAudio audio(ObjectNode params) {
        return client().callForAudio(operation, params);
    }

    /** Calls this endpoint's Call Control method; the reply may take callControlTimeout. */
    JsonNode callControl(ObjectNode params) {
        return callControl().call(operation.wireName(), params, Duration.ofMillis(configuration.getCallControlTimeout()));
    }

    @Override
    protected VendorException invalidRequest(String op, String message) {
        return new PortaSipValidationException(op, message);
    }

    /** The server's host and the login ({@code host/login}), the {@code source} of results and events. */
    @Override
    public String source() {
        String host;
        try {
            host = URI.create(configuration.baseAddress()).getHost();
        } catch (RuntimeException e) {
            host = "unknown";
        }
        return host + "/" + configuration.getLogin();
    }

    @Override
    public String getServiceUrl() {
        try {
            return operation.isCallControl() ? PortaSipComponent.callControlUri(configuration).toString()
                    : configuration.baseAddress() + configuration.normalizedBasePath();
        } catch (RuntimeException e) {
            return configuration.getAddress();
        }
    }

    @Override
    public String getServiceProtocol() {
        return operation.isCallControl() ? "websocket" : "http";
    }
}
