package io.pbxbridge.portasip;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;

import org.apache.camel.Endpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

import io.pbxbridge.vendor.VendorComponent;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpSettings;
import io.pbxbridge.vendor.session.SessionKey;
import io.pbxbridge.vendor.session.SessionManager;
import io.pbxbridge.vendor.session.SessionToken;

/**
 * PortaSIP Media Applications: the JSON API (Session, Voicemail, SMPreferences, AutoAttendant, Conference,
 * DialDirectory) over HTTP, and Call Control (JSON-RPC) over a WebSocket. Keeps the sessions (one per address and
 * login, logged out when the component shuts down), the HTTP transports and one Call Control socket per server and
 * login, all shared by its endpoints.
 */
@Component(PortaSipComponent.SCHEME)
public class PortaSipComponent extends VendorComponent {

    public static final String SCHEME = "portasip";

    @Metadata
    private PortaSipConfiguration configuration = new PortaSipConfiguration();

    /** The JSON API's sessions; a session is logged out through the client that made it. */
    private final SessionManager<SessionToken> sessions;
    private final Map<SessionKey, PortaSipClient> clientsBySession = new ConcurrentHashMap<>();
    /** The events consumer's call tables, by Call Control connection. */
    private final Map<Object, PortaSipCallLookup> callTables = new ConcurrentHashMap<>();
    /** The listing lookups, by Call Control connection and scopes. */
    private final Map<Object, PortaSipListedCalls> listedCalls = new ConcurrentHashMap<>();
    /** The call-record journals the cdr endpoints opened themselves (none bound in the registry), by folder. */
    private final Map<java.nio.file.Path, PortaSipCallJournal> journals = new ConcurrentHashMap<>();
    /** The first Call Control socket of each (Call Control URI, login), for {@link #callLookup}. */
    private final Map<String, PortaSipCallControl> callControlsByAccount = new ConcurrentHashMap<>();

    public PortaSipComponent() {
        sessions = new SessionManager<>(SCHEME, PortaSipFaults.EXPIRY, (key, session) -> {
            PortaSipClient c = clientsBySession.get(key);
            if (c != null) {
                c.logout(session);
            }
        });
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PortaSipOperation op = PortaSipOperation.lookup(remaining);
        if (op == null) {
            op = operation(PortaSipOperation.class, remaining); // throws, listing the operations
        }
        PortaSipEndpoint endpoint = new PortaSipEndpoint(uri, this, op, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public PortaSipConfiguration getConfiguration() {
        return configuration;
    }

    /** Options shared by every endpoint: address, login, TLS, timeouts. Endpoint options override them. */
    public void setConfiguration(PortaSipConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The sessions of the JSON API (one per address and login). */
    SessionManager<SessionToken> sessions() {
        return sessions;
    }

    /** The JSON API client for an endpoint's configuration, shared by every endpoint with the same connection. */
    PortaSipClient client(PortaSipConfiguration c) {
        VendorHttpClient transport = httpClient(c);
        Object connection = Arrays.asList("json-api", c.baseAddress(), c.normalizedBasePath(), c.getLogin(),
                c.getDomain(), c.getPassword(), transport.settings());
        PortaSipClient client = client(connection, () -> new PortaSipClient(c, transport, sessions));
        clientsBySession.putIfAbsent(client.key(), client);
        return client;
    }

    /** The HTTP transport for an endpoint's configuration, shared by every endpoint with the same settings. */
    VendorHttpClient httpClient(PortaSipConfiguration c) {
        VendorHttpSettings settings = c.httpSettings();
        return client(settings, () -> PortaSipClient.transport(settings));
    }

    /** The Call Control socket of an endpoint's server and login: one per (address, path, login, TLS settings). */
    PortaSipCallControl callControl(PortaSipConfiguration c) {
        URI uri = callControlUri(c);
        PortaSipCallControl cc = client(c.callControlConnection(), () -> new PortaSipCallControl(this::vertx, uri,
                c.getLogin(), c.getDomain(), c.getPassword(), c.trustStore(), Duration.ofMillis(c.getConnectTimeout()),
                Duration.ofMillis(c.getCallControlTimeout())));
        callControlsByAccount.putIfAbsent(accountKey(uri, c.getLogin()), cc);
        return cc;
    }

    /**
     * The live calls of the server at {@code address} (as the {@code address} option gives it, the realm's port
     * added as for an endpoint) and {@code login}: what its {@code portasip:events} consumer knows, by pbx-bridge's
     * call id (the PortaSIP call id without its {@code ~N} leg suffix). Resolved at each {@code find}, so it may be
     * asked for before the consumer starts; empty while no Call Control socket of that server and login exists.
     * The same as {@link PortaSipEndpoint#callLookup()} of an endpoint with that address and login.
     */
    public PortaSipCallLookup callLookup(String address, String login) {
        PortaSipConfiguration c = configuration.copy();
        c.setAddress(address);
        c.setLogin(login);
        String key = accountKey(callControlUri(c), login);
        return callId -> {
            PortaSipCallControl cc = callControlsByAccount.get(key);
            return cc == null ? java.util.Optional.empty() : cc.calls().find(callId);
        };
    }

    private static String accountKey(URI uri, String login) {
        return uri + "|" + login;
    }

    /**
     * Binds the live-call table the events consumer keeps for a connection ({@code c}'s server and login): the
     * live-call methods find a call's {@code call {id, tag}} and {@code transport_id} there first.
     */
    public void bindCallLookup(PortaSipConfiguration c, PortaSipCallLookup table) {
        callTables.put(c.callControlConnection(), java.util.Objects.requireNonNull(table, "table"));
    }

    /** Unbinds {@code table} (when it is the one bound for {@code c}'s connection). */
    public void unbindCallLookup(PortaSipConfiguration c, PortaSipCallLookup table) {
        callTables.remove(c.callControlConnection(), table);
    }

    /**
     * The live calls of {@code c}'s connection: the events consumer's table when bound ({@link #bindCallLookup}) and
     * it knows the call, else the calls {@code get_sip_calls_list} lists for the scopes configured on {@code c}
     * ({@code iAccount}, {@code iCustomer}, {@code iMainOffice}, {@code iIvrAn}: each one set is a scope); empty when
     * neither has the call.
     */
    public PortaSipCallLookup callLookup(PortaSipConfiguration c) {
        return callId -> {
            PortaSipCallLookup table = callTables.get(c.callControlConnection());
            if (table != null) {
                java.util.Optional<java.util.List<PortaSipCallLookup.Leg>> legs = table.find(callId);
                if (legs.isPresent() && !legs.get().isEmpty()) {
                    return legs;
                }
            }
            PortaSipListedCalls listed = listedCalls(c);
            return listed == null ? java.util.Optional.empty() : listed.find(callId);
        };
    }

    /** Whether {@code c}'s connection has a bound table or scopes to list. */
    boolean canLookUpCalls(PortaSipConfiguration c) {
        return callTables.containsKey(c.callControlConnection()) || !scopes(c).isEmpty();
    }

    /**
     * Before a call is placed: subscribes the listing's scopes (no table bound), so the new call is listed from its
     * first state.
     */
    void prepareCallLookup(PortaSipConfiguration c) {
        if (callTables.containsKey(c.callControlConnection())) {
            return;
        }
        PortaSipListedCalls listed = listedCalls(c);
        if (listed != null) {
            listed.prepare();
        }
    }

    /** The listing lookup of {@code c}'s connection and scopes, or null without scopes. */
    private PortaSipListedCalls listedCalls(PortaSipConfiguration c) {
        java.util.List<PortaSipCallControl.Scope> scopes = scopes(c);
        if (scopes.isEmpty()) {
            return null;
        }
        return listedCalls.computeIfAbsent(java.util.List.of(c.callControlConnection(), scopes),
                k -> new PortaSipListedCalls(callControl(c), scopes, Duration.ofMillis(c.getCallControlTimeout())));
    }

    private static java.util.List<PortaSipCallControl.Scope> scopes(PortaSipConfiguration c) {
        java.util.List<PortaSipCallControl.Scope> out = new java.util.ArrayList<>();
        if (c.getIAccount() != null) {
            out.add(PortaSipCallControl.Scope.account(c.getIAccount()));
        }
        if (c.getICustomer() != null) {
            out.add(PortaSipCallControl.Scope.customer(c.getICustomer()));
        }
        if (c.getIMainOffice() != null) {
            out.add(PortaSipCallControl.Scope.mainOffice(c.getIMainOffice()));
        }
        if (c.getIIvrAn() != null) {
            out.add(PortaSipCallControl.Scope.ivrAccessNumber(c.getIIvrAn()));
        }
        return out;
    }

    /**
     * The call-record journal in {@code folder}: the one bound in the registry for that folder (bean
     * {@code portasipCallJournal}, which the event stream feeds), else one of this component's own.
     */
    PortaSipCallJournal journal(java.nio.file.Path folder) {
        java.nio.file.Path f = folder.toAbsolutePath().normalize();
        for (PortaSipCallJournal j : getCamelContext().getRegistry().findByType(PortaSipCallJournal.class)) {
            if (j.directory().toAbsolutePath().normalize().equals(f)) {
                return j;
            }
        }
        return journals.computeIfAbsent(f, x -> new PortaSipCallJournal(folder));
    }

    /** {@code wss://host:port<callControlPath>} ({@code ws://} for an http address). */
    static URI callControlUri(PortaSipConfiguration c) {
        URI base = URI.create(c.baseAddress());
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        String path = c.getCallControlPath() == null || c.getCallControlPath().isBlank() ? "/ws"
                : c.getCallControlPath().startsWith("/") ? c.getCallControlPath() : "/" + c.getCallControlPath();
        return URI.create(scheme + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort()) + path);
    }

    /**
     * The Vert.x instance of camel-vertx-websocket (the one bound in the registry, else the one it manages), for the
     * Call Control sockets.
     */
    Vertx vertx() {
        return getCamelContext().getComponent("vertx-websocket", VertxWebsocketComponent.class).getVertx();
    }

    /** Logs the sessions out (best effort) before the transports close. */
    @Override
    protected void doShutdown() throws Exception {
        sessions.logoutAll();
        clientsBySession.clear();
        journals.values().forEach(PortaSipCallJournal::close);
        journals.clear();
        listedCalls.clear();
        callControlsByAccount.clear();
        super.doShutdown();
    }
}
