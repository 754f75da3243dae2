package io.pbxbridge.escaux;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

import static io.pbxbridge.escaux.EscauxConstants.*;

/** Calls the endpoint's operation with inputs from headers (first) or endpoint options; the body is the result. */
public class EscauxProducer extends DefaultProducer {

    private final EscauxEndpoint endpoint;
    private final EscauxConfiguration cfg;

    public EscauxProducer(EscauxEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.cfg = endpoint.getConfiguration();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        EscauxClient client = endpoint.getClient();
        Message in = exchange.getIn();
        EscauxOperation op = endpoint.getOperation();
        Object result = switch (op) {
            case dbGetDirectoryInfo -> client.dbGetDirectoryInfo(directoryFilters(in),
                    in.getHeader(WILDCARDS, cfg.getWildcards(), Wildcards.class),
                    bool(in, SHOW_INVISIBLE, cfg.isShowInvisible()),
                    bool(in, SHOW_PROFILE_PARAMETERS, cfg.isShowProfileParameters()));
            case dbGetCallflow -> client.dbGetCallflow(required(in, EXT, cfg.getExt(), "ext"),
                    str(in, LANG, cfg.getLang()));
            case dbGetNextStatus -> client.dbGetNextStatus(required(in, EXT, cfg.getExt(), "ext"));
            case dbSetProfile -> {
                String ext = required(in, EXT, cfg.getExt(), "ext");
                String profileName = str(in, PROFILE_NAME, cfg.getProfileName());
                String status = str(in, STATUS, cfg.getStatus());
                if (blank(profileName) && blank(status)) {
                    throw new EscauxValidationException(op.name(), "needs profileName or status (the "
                            + PROFILE_NAME + " or " + STATUS + " header)");
                }
                yield client.dbSetProfile(ext, profileName, status);
            }
            case dbGetProfileParameters -> client.dbGetProfileParameters(required(in, EXT, cfg.getExt(), "ext"),
                    bool(in, SHOW_ADMIN, cfg.isShowAdmin()), str(in, LANG, cfg.getLang()));
            case dbSetProfileParameters -> client.dbSetProfileParameters(required(in, EXT, cfg.getExt(), "ext"),
                    profileParameters(in));
            case dbGetPhoneState -> client.dbGetPhoneState(phoneFilters(in));
            case dbCheckPincode -> client.dbCheckPincode(required(in, EXT, cfg.getExt(), "ext"),
                    required(in, PINCODE, cfg.getPincode(), "pincode"));
            case dbGetCallHistory -> {
                Integer limit = in.getHeader(LIMIT, cfg.getLimit(), Integer.class);
                if (limit == null || limit < 1) {
                    throw new EscauxValidationException(op.name(), "needs limit > 0 (the limit option or the "
                            + LIMIT + " header)");
                }
                yield client.dbGetCallHistory(required(in, EXT, cfg.getExt(), "ext"), limit, startDate(in));
            }
            case dbGetParkedChannels -> client.dbGetParkedChannels(str(in, CHANNEL_ID, cfg.getChannelId()));
            case dbGetQueueInfo -> client.dbGetQueueInfo();
            case dbAuthenticate -> {
                AuthenticateCommand command = in.getHeader(COMMAND, cfg.getCommand(), AuthenticateCommand.class);
                if (command == null) {
                    throw new EscauxValidationException(op.name(), "needs command check or set");
                }
                yield client.dbAuthenticate(required(in, EXT, cfg.getExt(), "ext"), command,
                        str(in, PASSWORD, cfg.getPassword()), str(in, NEW_PASSWORD, cfg.getNewPassword()),
                        str(in, PARAMETER, cfg.getParameter()));
            }
            case dbGetRegistration -> client.dbGetRegistration();
            case ccOriginate -> {
                String phoneId = required(in, PHONE_ID, cfg.getPhoneId(), "phoneId");
                String to = required(in, TO, cfg.getTo(), "to");
                Technology technology = in.getHeader(TECHNOLOGY, cfg.getTechnology(), Technology.class);
                String ext = str(in, EXT, cfg.getExt());
                if (technology == Technology.Local && blank(ext)) {
                    throw new EscauxValidationException(op.name(), "ext is mandatory with technology Local");
                }
                Object var = in.getHeader(VAR) != null ? in.getHeader(VAR) : cfg.getVar();
                yield client.ccOriginate(phoneId, to, ext, technology,
                        in.getHeader(ASYNC, cfg.getAsync(), Boolean.class),
                        in.getHeader(LOCAL_OPTIMIZATION, cfg.getLocalOptimization(), Boolean.class),
                        EscauxMapping.originateVars(var));
            }
            case ccHangup -> client.ccHangup(channel(in));
            case ccRedirect -> client.ccRedirect(channel(in), required(in, TO, cfg.getTo(), "to"),
                    str(in, EXT, cfg.getExt()));
            case ccHold -> client.ccHold(channel(in));
            case ccPark -> client.ccPark(channel(in), str(in, CHANNEL_ID2, cfg.getChannelId2()));
            case ccJoinPark -> client.ccJoinPark(channel(in), required(in, TO, cfg.getTo(), "to (the park slot)"));
            case ccPing -> client.ccPing();
            case ccGetChannels -> client.ccGetChannels(bool(in, PARKED_ONLY, cfg.isParkedOnly()),
                    bool(in, HOLD_ONLY, cfg.isHoldOnly()), str(in, SHOW_VARS, cfg.getShowVars()));
            case ccGetQueueMembers -> client.ccGetQueueMembers(str(in, QUEUE, cfg.getQueue()),
                    str(in, PHONE, cfg.getPhone()));
            case ccQueueAdd -> client.ccQueueAdd(queue(in), phone(in));
            case fusionQueuesSet -> client.fusionQueuesSet(queue(in), phone(in));
            case ccQueueRemove -> client.ccQueueRemove(queue(in), phone(in));
            case fusionQueuesRemove -> client.fusionQueuesRemove(queue(in), phone(in));
            case ccGetQueueStatus -> client.ccGetQueueStatus(queue(in));
            case ccQueuePause -> client.ccQueuePause(queue(in), phone(in), paused(in));
            case ccQueuePauseAll -> client.ccQueuePauseAll(phone(in), paused(in));
            case ccRecord -> {
                String mailbox = str(in, MAILBOX, cfg.getMailbox());
                String filename = str(in, FILENAME, cfg.getFilename());
                if (blank(mailbox) == blank(filename)) {
                    throw new EscauxValidationException(op.name(), "needs exactly one of mailbox or filename");
                }
                RecordAction action = in.getHeader(ACTION, cfg.getAction(), RecordAction.class);
                if (action == null) {
                    throw new EscauxValidationException(op.name(), "needs action start or stop");
                }
                yield client.ccRecord(channel(in), mailbox, filename, action, str(in, CALLER_ID, cfg.getCallerId()));
            }
            case ccSetVar -> client.ccSetVar(channel(in), required(in, VARIABLE, cfg.getVariable(), "variable"),
                    str(in, VALUE, cfg.getValue()));
            case ccGetVar -> client.ccGetVar(channel(in), required(in, VARIABLE, cfg.getVariable(), "variable"));
            case pumLogin, pumLogout -> pum(in, client, op);
            case events -> throw new UnsupportedOperationException("escaux:events is consumer only");
        };
        Message out = exchange.getMessage();
        out.setHeader(SOURCE, endpoint.source());
        out.setBody(result);
    }

    private PumResult pum(Message in, EscauxClient client, EscauxOperation op) {
        String ext = required(in, EXT, cfg.getExt(), "ext");
        String phone = op == EscauxOperation.pumLogin ? phone(in) : null;
        EscauxComponent component = endpoint.getComponent();
        Long previous = component.reservePumCall(op.name(), client.address(), ext,
                Duration.ofMillis(cfg.getPumMinInterval()));
        try {
            return op == EscauxOperation.pumLogin ? client.pumLogin(ext, phone) : client.pumLogout(ext);
        } catch (EscauxConnectionException e) {
            if (e.getCause() instanceof java.net.ConnectException) {
                component.releasePumCall(client.address(), ext, previous); // never reached the SOP
            }
            throw e;
        }
    }

    private Map<String, String> directoryFilters(Message in) {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "admin", str(in, ADMIN, cfg.getAdmin()));
        put(f, "company", str(in, COMPANY, cfg.getCompany()));
        put(f, "context_id", str(in, CONTEXT_ID, cfg.getContextId()));
        put(f, "context_name", str(in, CONTEXT_NAME, cfg.getContextName()));
        put(f, "dp", str(in, DP, cfg.getDp()));
        put(f, "login", str(in, LOGIN, cfg.getLogin()));
        put(f, "fn", str(in, FN, cfg.getFn()));
        put(f, "ln", str(in, LN, cfg.getLn()));
        put(f, "ext", str(in, EXT, cfg.getExt()));
        put(f, "grp", str(in, GRP, cfg.getGrp()));
        put(f, "mobile", str(in, MOBILE, cfg.getMobile()));
        put(f, "home", str(in, HOME, cfg.getHome()));
        put(f, "fax", str(in, FAX, cfg.getFax()));
        put(f, "email", str(in, EMAIL, cfg.getEmail()));
        put(f, "profile", str(in, PROFILE, cfg.getProfile()));
        put(f, "office", str(in, OFFICE, cfg.getOffice()));
        put(f, "outgoing_number", str(in, OUTGOING_NUMBER, cfg.getOutgoingNumber()));
        put(f, "site", str(in, SITE, cfg.getSite()));
        put(f, "sop1", str(in, SOP1, cfg.getSop1()));
        put(f, "sop1_ip", str(in, SOP1_IP, cfg.getSop1Ip()));
        put(f, "sop2", str(in, SOP2, cfg.getSop2()));
        put(f, "sop2_ip", str(in, SOP2_IP, cfg.getSop2Ip()));
        put(f, "source", str(in, SOURCE_SYSTEM, cfg.getSourceSystem()));
        put(f, "sp", str(in, SP, cfg.getSp()));
        put(f, "status", str(in, STATUS, cfg.getStatus()));
        return f;
    }

    private Map<String, String> phoneFilters(Message in) {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "phone_id", str(in, PHONE_ID, cfg.getPhoneId()));
        put(f, "phone_state", str(in, PHONE_STATE, cfg.getPhoneState()));
        put(f, "phone_mac", str(in, PHONE_MAC, cfg.getPhoneMac()));
        put(f, "localchannel", str(in, LOCAL_CHANNEL, cfg.getLocalChannel()));
        put(f, "remotechannel", str(in, REMOTE_CHANNEL, cfg.getRemoteChannel()));
        return f;
    }

    private Map<String, String> profileParameters(Message in) {
        Object v = in.getHeader(PROFILE_PARAMETERS);
        if (v == null && in.getBody() instanceof Map<?, ?> body) {
            v = body;
        }
        if (v == null) {
            v = cfg.getProfileParameters();
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, val) -> out.put(String.valueOf(k), val == null ? "" : String.valueOf(val)));
        } else if (v != null) {
            out.putAll(EscauxMapping.pairs(v.toString(), "|"));
        }
        out.remove("ext");
        if (out.isEmpty()) {
            throw new EscauxValidationException("dbSetProfileParameters", "needs at least one name=value pair (the "
                    + "profileParameters option, the " + PROFILE_PARAMETERS + " header or a Map body)");
        }
        return out;
    }

    private LocalDateTime startDate(Message in) {
        Object v = in.getHeader(START_DATE);
        if (v instanceof LocalDateTime d) {
            return d;
        }
        String s = v != null ? v.toString() : cfg.getStartDate();
        if (blank(s)) {
            throw new EscauxValidationException("dbGetCallHistory", "needs startDate (yyyy-MM-dd HH:mm:ss)");
        }
        try {
            return EscauxClient.parseDate(s);
        } catch (RuntimeException e) {
            throw new EscauxValidationException("dbGetCallHistory", "startDate '" + s
                    + "' is not yyyy-MM-dd HH:mm:ss");
        }
    }

    private String channel(Message in) {
        return required(in, CHANNEL_ID, cfg.getChannelId(), "channelId");
    }

    private String queue(Message in) {
        return required(in, QUEUE, cfg.getQueue(), "queue");
    }

    private String phone(Message in) {
        return required(in, PHONE, cfg.getPhone(), "phone");
    }

    private boolean paused(Message in) {
        Boolean p = in.getHeader(PAUSED, cfg.getPaused(), Boolean.class);
        if (p == null) {
            throw new EscauxValidationException(endpoint.getOperation().name(), "needs paused true or false");
        }
        return p;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (!blank(v)) {
            m.put(k, v);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean bool(Message in, String header, boolean option) {
        Boolean b = in.getHeader(header, Boolean.class);
        return b != null ? b : option;
    }

    static String str(Message in, String header, String option) {
        Object v = in.getHeader(header);
        if (v instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return v != null ? v.toString() : option;
    }

    private String required(Message in, String header, String option, String name) {
        String v = str(in, header, option);
        if (blank(v)) {
            throw new EscauxValidationException(endpoint.getOperation().name(), "needs " + name
                    + ": set the option or the " + header + " header");
        }
        return v;
    }
}
