package io.pbxbridge.sandbox.portasip;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pbxbridge.sandbox.portasip.PortaSipState.Session;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;

/**
 * The Call Control API on the WebSocket: JSON-RPC frames {@code {cseq, auth_info, service, method, params}}, answered
 * {@code {"cseq":N,"result":{...,"success":1},"success":1}} or with an error in the envelope
 * {@link PortaSipFaults#errorEnvelope} chooses; no answer to a request without {@code cseq} (the spec), nor to a
 * frame that is not a JSON object. {@code Session.login} on the socket authenticates it; a request may also carry its
 * own {@code auth_info} (which then becomes the socket's session). Subscriptions are per socket: a new socket has
 * none.
 *
 * <p>Notifications: every change of a leg goes to each socket with a subscription whose scope covers the leg
 * (i_account of either party, their i_customer and i_main_office, the i_ivr_an called and its customer), once per
 * socket. {@code get_sip_calls_list} answers the live legs that the socket's subscription for that scope has been
 * told of: PortaSIP tracks calls from the moment of subscription, so a call that began before it is not listed until
 * its next change reaches the subscription. Listing a scope without a subscription (or one that
 * {@link PortaSipFaults#silentSubscription()} made) faults {@code Server.CallControl.get_sip_calls_list.not_subscribed};
 * a scope the account may not see (another customer's) faults {@code Server.CallControl.<method>.access_denied}.
 * An account sees the accounts of its customer, its customer, its main office and its customer's IVR access numbers;
 * a call part it may not see is not found.
 */
final class CallControl {

    private static final Logger LOG = LoggerFactory.getLogger(CallControl.class);
    static final List<String> METHODS = List.of("enable_api_notifications", "disable_api_notifications",
            "get_sip_calls_list", "originate_advanced_call", "answer_call", "terminate_call", "hold_call",
            "unhold_call", "transfer_call", "join_calls", "play_prompt", "stop_play_prompt", "start_dtmf_detect",
            "stop_dtmf_detect");
    private static final List<String> SCOPE_KEYS = List.of("i_account", "i_customer", "i_main_office", "i_ivr_an");

    /** A subscription scope: {@code i_account 1001}, {@code i_customer 30}, ... */
    record Scope(String kind, long id) {
        @Override
        public String toString() {
            return kind + " " + id;
        }
    }

    static final class Sub {
        final Scope scope;
        final boolean silent;
        final Set<String> seen = new LinkedHashSet<>();

        Sub(Scope scope, boolean silent) {
            this.scope = scope;
            this.silent = silent;
        }
    }

    static final class SimSocket {
        final ServerWebSocket ws;
        final HttpConnection connection;
        final Context context;
        final Map<Scope, Sub> subs = new LinkedHashMap<>();
        /** Frames to write, in order; one drain task on the socket's context at a time writes them all. */
        private final java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        private boolean draining;
        Session session;
        volatile boolean closed;

        SimSocket(ServerWebSocket ws, HttpConnection connection, Context context) {
            this.ws = ws;
            this.connection = connection;
            this.context = context;
        }
    }

    /** What a method answers, and what it then does (state changes and their notifications). */
    private record Outcome(ObjectNode result, Runnable effect) {
    }

    private final PortaSipSimulator sim;
    private final PortaSipState state;
    private final CallEngine engine;
    private final PortaSipFaults faults;
    private final List<SimSocket> sockets = new ArrayList<>();
    private final Map<String, Set<Scope>> remembered = new HashMap<>();

    CallControl(PortaSipSimulator sim, PortaSipState state, CallEngine engine, PortaSipFaults faults) {
        this.sim = sim;
        this.state = state;
        this.engine = engine;
        this.faults = faults;
        engine.listener(this::changed);
    }

    // ---- sockets ----

    void accept(ServerWebSocket ws, HttpConnection connection) {
        SimSocket s = new SimSocket(ws, connection, io.vertx.core.Vertx.currentContext());
        synchronized (engine) {
            sockets.add(s);
        }
        ws.textMessageHandler(text -> onText(s, text));
        ws.exceptionHandler(e -> LOG.debug("PortaSIP simulator socket: {}", e.toString()));
        ws.closeHandler(v -> closed(s));
    }

    /** The server stopped: every socket is gone, whether or not its close handler has run yet. */
    void stopped() {
        List<SimSocket> all;
        synchronized (engine) {
            all = List.copyOf(sockets);
        }
        all.forEach(this::closed);
    }

    private void closed(SimSocket s) {
        s.closed = true;
        synchronized (engine) {
            if (!sockets.remove(s)) {
                return;
            }
            if (!faults.forgetsSubscriptionsOnReconnect() && s.session != null) {
                Set<Scope> keep = new LinkedHashSet<>();
                s.subs.values().stream().filter(x -> !x.silent).forEach(x -> keep.add(x.scope));
                remembered.put(s.session.account().login(), keep);
            }
        }
    }

    int connections() {
        synchronized (engine) {
            return sockets.size();
        }
    }

    /** Closes every socket's connection at once, without a close frame (the client sees an abnormal closure). */
    void dropAll() {
        List<SimSocket> all;
        synchronized (engine) {
            all = List.copyOf(sockets);
        }
        for (SimSocket s : all) {
            s.context.runOnContext(v -> {
                if (s.connection instanceof io.vertx.core.net.impl.ConnectionBase base
                        && base.channel().pipeline().firstContext() != null) {
                    // the TCP connection from the pipeline's head: the WebSocket handlers would send a close frame
                    base.channel().pipeline().firstContext().close();
                } else {
                    s.connection.close();
                }
            });
        }
    }

    /** Closes every socket properly, with a close frame of {@code code} and {@code reason}. */
    void closeAll(short code, String reason) {
        List<SimSocket> all;
        synchronized (engine) {
            all = List.copyOf(sockets);
        }
        for (SimSocket s : all) {
            s.context.runOnContext(v -> s.ws.close(code, reason));
        }
    }

    /** Forgets every subscription of the open sockets (they stay open). */
    void forgetSubscriptions() {
        synchronized (engine) {
            sockets.forEach(s -> s.subs.clear());
            remembered.clear();
        }
    }

    void sendRaw(String text) {
        synchronized (engine) {
            sockets.forEach(s -> send(s, text));
        }
    }

    /**
     * Writes on the socket's own context, in the order of the calls (replies and notifications alike); frames sent
     * in a burst are written by one task.
     */
    private static void send(SimSocket s, String text) {
        if (s.closed) {
            return;
        }
        synchronized (s.out) {
            s.out.add(text);
            if (s.draining) {
                return;
            }
            s.draining = true;
        }
        s.context.runOnContext(v -> drain(s));
    }

    private static void drain(SimSocket s) {
        while (true) {
            String next;
            synchronized (s.out) {
                next = s.out.poll();
                if (next == null) {
                    s.draining = false;
                    return;
                }
            }
            if (!s.closed) {
                s.ws.writeTextMessage(next);
            }
        }
    }

    // ---- notifications ----

    static Set<Scope> scopes(SimLeg leg) {
        Set<Scope> out = new LinkedHashSet<>();
        for (SimParty p : List.of(leg.caller, leg.callee)) {
            if (p.account() != null) {
                out.add(new Scope("i_account", p.account().iAccount()));
                out.add(new Scope("i_customer", p.account().iCustomer()));
                if (p.account().iMainOffice() != null) {
                    out.add(new Scope("i_main_office", p.account().iMainOffice()));
                }
            }
            if (p.ivr() != null) {
                out.add(new Scope("i_ivr_an", p.ivr().iIvrAn()));
                out.add(new Scope("i_customer", p.ivr().iCustomer()));
            }
        }
        return out;
    }

    private void changed(SimLeg leg, Map<String, Object> extra) {
        Set<Scope> covers = scopes(leg);
        String normal = null;
        String damaged = null;
        for (SimSocket s : sockets) {
            boolean match = false;
            for (Sub sub : s.subs.values()) {
                if (!sub.silent && covers.contains(sub.scope)) {
                    match = true;
                    if (leg.live()) {
                        sub.seen.add(leg.key());
                    } else {
                        sub.seen.remove(leg.key());
                    }
                }
            }
            if (match && !faults.losesNotifications()) {
                if (faults.damagedFrames()) {
                    damaged = damaged != null ? damaged : Frames.damaged(leg, extra);
                    send(s, damaged);
                } else {
                    normal = normal != null ? normal : Frames.notification(leg, extra);
                    send(s, normal);
                }
            }
        }
    }

    // ---- requests ----

    private void onText(SimSocket s, String text) {
        JsonNode req;
        try {
            req = PortaSipSimulator.JSON.readTree(text);
        } catch (IOException e) {
            LOG.debug("PortaSIP simulator: a frame that is not JSON, no answer");
            return;
        }
        if (req == null || !req.isObject()) {
            return;
        }
        JsonNode cseq = req.get("cseq");
        boolean answer = cseq != null && !cseq.isNull();
        String service = PortaSipState.text(req, "service");
        String method = PortaSipState.text(req, "method");
        sim.count(String.valueOf(service), String.valueOf(method));
        synchronized (engine) {
            if (method != null && faults.takeNeverAnswer(method)) {
                answer = false;
            }
            Outcome out;
            try {
                RpcError injected = method == null ? null : faults.takeSocketError(method);
                if (injected != null) {
                    throw injected;
                }
                out = dispatch(s, service, method, req.get("auth_info"), req.get("params"));
            } catch (RpcError e) {
                if (answer) {
                    send(s, errorFrame(cseq, e));
                }
                return;
            } catch (RuntimeException e) {
                LOG.warn("PortaSIP simulator failed on {}.{}", service, method, e);
                if (answer) {
                    send(s, errorFrame(cseq, RpcError.internal(e.toString())));
                }
                return;
            }
            if (answer) {
                ObjectNode o = PortaSipState.NODES.objectNode();
                o.set("cseq", cseq);
                o.set("result", out.result());
                o.put("success", 1);
                send(s, o.toString());
            }
            if (out.effect() != null) {
                out.effect().run();
            }
        }
    }

    private String errorFrame(JsonNode cseq, RpcError e) {
        ObjectNode o = PortaSipState.NODES.objectNode();
        o.set("cseq", cseq);
        if (faults.errorEnvelope() == PortaSipFaults.ErrorEnvelope.SUCCESS_ZERO) {
            o.put("success", 0);
            o.put("code", e.code);
            o.put("message", e.message);
            o.put("details", e.details);
        } else {
            ObjectNode err = o.putObject("error");
            err.put("code", e.code);
            err.put("message", e.message);
            err.put("details", e.details);
        }
        return o.toString();
    }

    private static ObjectNode success() {
        ObjectNode o = PortaSipState.NODES.objectNode();
        o.put("success", 1);
        return o;
    }

    private Outcome dispatch(SimSocket s, String service, String method, JsonNode authInfo, JsonNode paramsNode) {
        if (method == null) {
            throw RpcError.unsupportedMethod("the request names no method");
        }
        ObjectNode params;
        if (paramsNode == null || paramsNode.isNull()) {
            params = PortaSipState.NODES.objectNode();
        } else if (paramsNode.isObject()) {
            params = (ObjectNode) paramsNode;
        } else {
            throw RpcError.wrongParameters("params must be a JSON object");
        }
        if ("Session".equals(service)) {
            return switch (method) {
                case "login" -> login(s, params);
                case "logout" -> {
                    SimAccount who = authenticate(s, authInfo);
                    yield new Outcome(success(), () -> logout(s, authInfo, who));
                }
                default -> throw RpcError.unsupportedMethod("Session." + method + " is not available on the socket");
            };
        }
        if (!"CallControl".equals(service)) {
            throw RpcError.unsupportedMethod("unknown service " + service + " (method " + method + ")");
        }
        if (!METHODS.contains(method)) {
            throw RpcError.unsupportedMethod("unknown method CallControl." + method);
        }
        SimAccount who = authenticate(s, authInfo);
        if (faults.callControlDisabled()) {
            throw RpcError.disabled("CallControl." + method + " is disabled");
        }
        return switch (method) {
            case "enable_api_notifications" -> enable(s, who, params);
            case "disable_api_notifications" -> disable(s, who, params);
            case "get_sip_calls_list" -> list(s, who, params);
            case "originate_advanced_call" -> originate(who, params);
            case "answer_call" -> answer(who, params);
            case "terminate_call" -> {
                SimLeg leg = leg(who, params, "call");
                yield new Outcome(success(), () -> engine.terminate(leg));
            }
            case "hold_call" -> {
                SimLeg leg = leg(who, params, "call");
                if (!SimLeg.CONNECTED.equals(leg.state)) {
                    throw RpcError.wrongParameters("the call part is " + leg.state + ", not connected");
                }
                yield new Outcome(success(), () -> engine.hold(leg));
            }
            case "unhold_call" -> {
                SimLeg leg = leg(who, params, "call");
                if (!SimLeg.HELD.equals(leg.state) && !SimLeg.HOLDING.equals(leg.state)) {
                    throw RpcError.wrongParameters("the call part is " + leg.state + ", not on hold");
                }
                yield new Outcome(success(), () -> engine.unhold(leg));
            }
            case "transfer_call" -> transfer(who, params);
            case "join_calls" -> join(who, params);
            case "play_prompt" -> playPrompt(who, params);
            case "stop_play_prompt" -> {
                SimLeg leg = leg(who, params, "call");
                int order = order(params);
                yield new Outcome(success(), () -> engine.stopPrompt(leg, order));
            }
            case "start_dtmf_detect" -> {
                SimLeg leg = leg(who, params, "call");
                yield new Outcome(success(), () -> leg.dtmfDetect = true);
            }
            case "stop_dtmf_detect" -> {
                SimLeg leg = leg(who, params, "call");
                yield new Outcome(success(), () -> leg.dtmfDetect = false);
            }
            default -> throw new IllegalStateException(method);
        };
    }

    // ---- Session ----

    private Outcome login(SimSocket s, ObjectNode params) {
        String login = PortaSipState.text(params, "login");
        String password = PortaSipState.text(params, "password");
        if (login == null || password == null) {
            throw RpcError.wrongParameters("login and password are required");
        }
        Session session;
        synchronized (state) {
            SimAccount a = state.check(login, PortaSipState.text(params, "domain"), password);
            if (a == null) {
                throw RpcError.loginFailed();
            }
            session = state.newSession(a, false);
        }
        adopt(s, session);
        ObjectNode o = PortaSipState.NODES.objectNode();
        o.put("session_id", session.id());
        return new Outcome(o, null);
    }

    private void logout(SimSocket s, JsonNode authInfo, SimAccount who) {
        synchronized (state) {
            String sid = authInfo != null && authInfo.hasNonNull("session_id") ? authInfo.get("session_id").asText()
                    : s.session == null ? null : s.session.id();
            if (sid != null) {
                state.sessions.remove(sid);
            }
        }
    }

    /** The account a request runs as: its own auth_info if it has one, else the socket's session. */
    private SimAccount authenticate(SimSocket s, JsonNode authInfo) {
        if (authInfo != null && authInfo.isObject() && authInfo.size() > 0) {
            Session session;
            synchronized (state) {
                session = state.authenticate(authInfo);
            }
            if (session == null) {
                throw RpcError.authFailed();
            }
            adopt(s, session);
            return session.account();
        }
        synchronized (state) {
            if (s.session == null || !state.sessions.containsKey(s.session.id())) {
                throw RpcError.authFailed();
            }
            return s.session.account();
        }
    }

    private void adopt(SimSocket s, Session session) {
        boolean first = s.session == null;
        s.session = session;
        if (first && !faults.forgetsSubscriptionsOnReconnect()) {
            Set<Scope> keep = remembered.remove(session.account().login());
            if (keep != null) {
                keep.forEach(sc -> s.subs.putIfAbsent(sc, new Sub(sc, false)));
            }
        }
    }

    // ---- subscriptions ----

    private List<Scope> scopesOf(ObjectNode params, boolean exactlyOne) {
        List<Scope> out = new ArrayList<>();
        for (String k : SCOPE_KEYS) {
            JsonNode v = params.get(k);
            if (v == null || v.isNull() || v.isTextual() && v.asText().isEmpty()) {
                continue;
            }
            long id;
            if (v.isIntegralNumber() && v.asLong() >= 0) {
                id = v.asLong();
            } else if (v.isTextual() && v.asText().matches("\\d{1,18}")) {
                id = Long.parseLong(v.asText());
            } else {
                throw RpcError.wrongParameters(k + " must be an unsignedLong, not " + v);
            }
            out.add(new Scope(k, id));
        }
        if (out.isEmpty()) {
            throw RpcError.wrongParameters("one of i_account, i_customer, i_main_office, i_ivr_an is required");
        }
        if (exactlyOne && out.size() > 1) {
            throw RpcError.wrongParameters("only one of i_account, i_customer, i_main_office, i_ivr_an");
        }
        return out;
    }

    private boolean visible(SimAccount who, Scope sc) {
        synchronized (state) {
            return switch (sc.kind()) {
                case "i_account" -> state.accounts.values().stream()
                        .anyMatch(a -> a.iAccount() == sc.id() && a.iCustomer() == who.iCustomer());
                case "i_customer" -> who.iCustomer() == sc.id();
                case "i_main_office" -> who.iMainOffice() != null && who.iMainOffice() == sc.id();
                case "i_ivr_an" -> {
                    IvrAccessNumber an = state.ivrAccessNumbers.get(sc.id());
                    yield an != null && an.iCustomer() == who.iCustomer();
                }
                default -> false;
            };
        }
    }

    private void checkEvent(ObjectNode params) {
        String event = PortaSipState.text(params, "event");
        if (event == null) {
            throw RpcError.wrongParameters("event is required (sip.call_control_notifications)");
        }
        if (!Frames.EVENT.equals(event)) {
            throw RpcError.wrongParameters("unknown event " + event);
        }
    }

    private Outcome enable(SimSocket s, SimAccount who, ObjectNode params) {
        checkEvent(params);
        List<Scope> scopes = scopesOf(params, false);
        for (Scope sc : scopes) {
            if (!visible(who, sc)) {
                throw RpcError.accessDenied("enable_api_notifications", sc.toString());
            }
        }
        boolean silent = faults.takeSilentSubscription();
        return new Outcome(success(), () -> {
            for (Scope sc : scopes) {
                Sub old = s.subs.get(sc);
                if (old == null || old.silent != silent) {
                    s.subs.put(sc, new Sub(sc, silent));
                }
            }
        });
    }

    private Outcome disable(SimSocket s, SimAccount who, ObjectNode params) {
        checkEvent(params);
        List<Scope> scopes = scopesOf(params, false);
        for (Scope sc : scopes) {
            if (!visible(who, sc)) {
                throw RpcError.accessDenied("disable_api_notifications", sc.toString());
            }
        }
        return new Outcome(success(), () -> scopes.forEach(s.subs::remove));
    }

    private Outcome list(SimSocket s, SimAccount who, ObjectNode params) {
        Scope sc = scopesOf(params, true).get(0);
        if (!visible(who, sc)) {
            throw RpcError.accessDenied("get_sip_calls_list", sc.toString());
        }
        Sub sub = s.subs.get(sc);
        if (sub == null || sub.silent) {
            throw RpcError.notSubscribed("get_sip_calls_list", sc.toString());
        }
        ArrayNode calls = PortaSipState.NODES.arrayNode();
        for (String key : sub.seen) {
            SimLeg leg = engine.legs.get(key);
            if (leg != null && leg.live()) {
                calls.add(Frames.callInfo(leg, null));
            }
        }
        ObjectNode o = PortaSipState.NODES.objectNode();
        o.set("calls_list", calls);
        o.put("success", 1);
        return new Outcome(o, null);
    }

    // ---- calls ----

    private static String requireText(ObjectNode params, String field) {
        String v = PortaSipState.text(params, field);
        if (v == null || v.isBlank()) {
            throw RpcError.wrongParameters(field + " is required");
        }
        return v;
    }

    /** The call part {@code params.<field>} = {id, tag} with {@code params.transport_id}, live and visible. */
    private SimLeg leg(SimAccount who, ObjectNode params, String field) {
        JsonNode call = params.get(field);
        if (call == null || !call.isObject()) {
            throw RpcError.wrongParameters(field + " {id, tag} is required");
        }
        String id = PortaSipState.text(call, "id");
        String tag = PortaSipState.text(call, "tag");
        if (id == null || tag == null) {
            throw RpcError.wrongParameters(field + ".id and " + field + ".tag are required");
        }
        String transport = requireText(params, "transport_id");
        SimLeg leg = engine.find(id, tag);
        if (leg == null || !leg.live()) {
            throw RpcError.callNotFound("no call part " + id + " with tag " + tag);
        }
        if (!leg.transportId.equals(transport)) {
            throw RpcError.callNotFound("no call part " + id + " with tag " + tag + " on transport " + transport);
        }
        boolean seen = false;
        for (Scope sc : scopes(leg)) {
            if (visible(who, sc)) {
                seen = true;
                break;
            }
        }
        if (!seen) {
            throw RpcError.callNotFound("no call part " + id + " with tag " + tag);
        }
        return leg;
    }

    /** A number as a party: a sample account (by login or extension), an IVR access number, or an outside number. */
    SimParty party(String number) {
        synchronized (state) {
            SimAccount a = state.accounts.get(number);
            if (a == null) {
                a = state.accounts.values().stream().filter(x -> x.extension().equals(number)).findFirst()
                        .orElse(null);
            }
            if (a != null) {
                return SimParty.of(a);
            }
            for (IvrAccessNumber an : state.ivrAccessNumbers.values()) {
                if (an.number().equals(number)) {
                    return SimParty.ivr(an);
                }
            }
            return SimParty.outside(number);
        }
    }

    private Outcome originate(SimAccount who, ObjectNode params) {
        String bill = requireText(params, "bill_id");
        String caller = requireText(params, "caller_id");
        String callee = requireText(params, "callee_id");
        String pickup = PortaSipState.text(params, "callee_auto_pickup");
        if (pickup != null && !pickup.equalsIgnoreCase("Y") && !pickup.equalsIgnoreCase("N")) {
            throw RpcError.wrongParameters("callee_auto_pickup must be Y or N, not " + pickup);
        }
        SimAccount billed;
        synchronized (state) {
            billed = state.accounts.get(bill);
        }
        if (billed == null) {
            throw RpcError.wrongParameters("bill_id " + bill + " is no account");
        }
        if (billed.iCustomer() != who.iCustomer()) {
            throw RpcError.accessDenied("originate_advanced_call", "account " + bill);
        }
        SimParty from = party(caller);
        SimParty to = party(callee);
        String id = engine.newCallId();
        ObjectNode o = PortaSipState.NODES.objectNode();
        o.putObject("call").put("id", id);
        o.put("success", 1);
        boolean autoPickup = "Y".equalsIgnoreCase(pickup);
        return new Outcome(o, () -> engine.originate(id, from, to, autoPickup));
    }

    private Outcome answer(SimAccount who, ObjectNode params) {
        SimLeg leg = leg(who, params, "call");
        String mode = PortaSipState.text(params, "callee_answer_mode");
        if (mode != null && !mode.equalsIgnoreCase("notify") && !mode.equalsIgnoreCase("invite")) {
            throw RpcError.wrongParameters("callee_answer_mode must be notify or invite, not " + mode);
        }
        if (!leg.beforeAnswer()) {
            throw RpcError.wrongParameters("the call part is " + leg.state + ", there is nothing to answer");
        }
        return new Outcome(success(), () -> engine.answer(leg));
    }

    private Outcome transfer(SimAccount who, ObjectNode params) {
        SimLeg leg = leg(who, params, "call");
        String cld = requireText(params, "cld");
        if (!leg.answered() || leg.peer == null || !leg.peer.live()) {
            throw RpcError.wrongParameters("the call part is " + leg.state + " and has nobody to transfer");
        }
        SimParty target = party(cld);
        return new Outcome(success(), () -> engine.transfer(leg, target));
    }

    private Outcome join(SimAccount who, ObjectNode params) {
        SimLeg one = leg(who, params, "call");
        SimLeg two = leg(who, params, "to_call");
        // checked now, done after the answer: the same checks as CallEngine.join
        if (one == two || !one.answered() || !two.answered() || one.peer == null || two.peer == null
                || one.peer == two || one.peer == two.peer || !one.peer.live() || !two.peer.live()) {
            throw RpcError.wrongParameters("call and to_call must be two answered calls of the transferor, "
                    + "each with another party");
        }
        return new Outcome(success(), () -> engine.join(one, two));
    }

    private static int order(ObjectNode params) {
        JsonNode v = params.get("order");
        if (v == null || v.isNull()) {
            return 2;
        }
        String t = v.asText();
        if (!t.equals("2") && !t.equals("3")) {
            throw RpcError.wrongParameters("order must be 2 or 3, not " + v);
        }
        return Integer.parseInt(t);
    }

    private Outcome playPrompt(SimAccount who, ObjectNode params) {
        SimLeg leg = leg(who, params, "call");
        String url = requireText(params, "url");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw RpcError.wrongParameters("url must be http or https, not " + url);
        }
        int order = order(params);
        JsonNode r = params.get("repeat");
        int repeat = 1;
        if (r != null && !r.isNull()) {
            String t = r.asText();
            if (!t.matches("-?\\d{1,6}") || Integer.parseInt(t) == 0 || Integer.parseInt(t) < -1) {
                throw RpcError.wrongParameters("repeat must be -1 (forever) or a positive int, not " + r);
            }
            repeat = Integer.parseInt(t);
        }
        int times = repeat;
        return new Outcome(success(), () -> engine.playPrompt(leg, order, times));
    }
}
