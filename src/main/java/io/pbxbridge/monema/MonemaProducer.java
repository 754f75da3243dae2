package io.pbxbridge.monema;

import java.util.Collection;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Calls the endpoint's operation with inputs from headers (first) or endpoint options; the body is the result. */
public class MonemaProducer extends DefaultProducer {

    private final MonemaEndpoint endpoint;
    private final MonemaConfiguration cfg;
    private final MonemaFaxSender faxSender;

    public MonemaProducer(MonemaEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.cfg = endpoint.getConfiguration();
        this.faxSender = new MonemaFaxSender(cfg);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        MonemaClient client = endpoint.getClient();
        Message in = exchange.getIn();
        Object result = switch (endpoint.getOperation()) {
            case getCredit -> client.getCredit();
            case getCalls -> client.getCalls(
                    input(in, MonemaConstants.DATE_START, cfg.getDateStart()),
                    input(in, MonemaConstants.DATE_END, cfg.getDateEnd()),
                    input(in, MonemaConstants.FROM_ID, cfg.getFromId()),
                    in.getHeader(MonemaConstants.TYPE, cfg.getType(), CallType.class));
            case getCallTags -> client.getCallTags(required(in, MonemaConstants.CALL_ID, cfg.getCallId(), "callId"));
            case makeCall -> client.makeCall(
                    required(in, MonemaConstants.SOURCE_EXT, cfg.getSourceExt(), "sourceExt"),
                    required(in, MonemaConstants.DEST_EXT, cfg.getDestExt(), "destExt"),
                    input(in, MonemaConstants.VARIABLES, cfg.getVariables()));
            case makeCallResponse -> client.makeCallResponse(
                    required(in, MonemaConstants.SOURCE_EXT, cfg.getSourceExt(), "sourceExt"),
                    required(in, MonemaConstants.DEST_EXT, cfg.getDestExt(), "destExt"),
                    input(in, MonemaConstants.VARIABLES, cfg.getVariables()));
            case getCallDownloadLink -> client.getCallDownloadLink(
                    Long.parseLong(required(in, MonemaConstants.CALL_ID, cfg.getCallId(), "callId")));
            case getExtensions -> client.getExtensions();
            case enableExtensionTransfer -> client.enableExtensionTransfer(extensionId(in),
                    required(in, MonemaConstants.DST_NUMBER, cfg.getDstNumber(), "dstNumber"),
                    in.getHeader(MonemaConstants.EXTERNAL, cfg.isExternal(), Boolean.class));
            case disableExtensionTransfer -> client.disableExtensionTransfer(extensionId(in));
            case getExtensionTransferStatus -> client.getExtensionTransferStatus(extensionId(in));
            case sendSMS -> client.sendSMS(
                    input(in, MonemaConstants.CALLER_ID, cfg.getCallerId()),
                    required(in, MonemaConstants.DST_NUMBER, cfg.getDstNumber(), "dstNumber"),
                    message(in));
            case getFaxModems -> client.getFaxModems();
            case startFaxUpload -> {
                String sessionId = client.startFaxUpload();
                in.setHeader(MonemaConstants.SESSION_ID, sessionId);
                yield sessionId;
            }
            case uploadFaxChunk -> {
                byte[] chunk = in.getMandatoryBody(byte[].class);
                long size = client.uploadFaxChunk(
                        required(in, MonemaConstants.SESSION_ID, cfg.getSessionId(), "sessionId"), chunk, chunk.length);
                in.setHeader(MonemaConstants.FILE_SIZE, size);
                yield size;
            }
            case sendFax -> client.sendFax(
                    required(in, MonemaConstants.SESSION_ID, cfg.getSessionId(), "sessionId"),
                    required(in, MonemaConstants.FAX_MODEM, cfg.getFaxModem(), "faxModem"),
                    MonemaFaxSender.destinations(in.getHeader(MonemaConstants.DEST_NUMBERS, cfg.getDestNumbers())),
                    MonemaFaxSender.cover(in, cfg));
            case fax -> faxSender.send(client, exchange);
        };
        Message out = exchange.getMessage();
        out.setHeader(MonemaConstants.SOURCE, endpoint.source());
        out.setBody(result);
    }

    private long extensionId(Message in) {
        Long id = in.getHeader(MonemaConstants.EXTENSION_ID, cfg.getExtensionId(), Long.class);
        if (id == null) {
            throw new IllegalArgumentException(missing("extensionId", MonemaConstants.EXTENSION_ID));
        }
        return id;
    }

    private String message(Message in) {
        String text = input(in, MonemaConstants.MESSAGE, cfg.getMessage());
        if (text == null) {
            text = in.getBody(String.class);
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("monema:sendSMS needs the SMS text: the message option, the "
                    + MonemaConstants.MESSAGE + " header or the body");
        }
        return text;
    }

    static String input(Message in, String header, String option) {
        Object v = in.getHeader(header);
        if (v instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return v != null ? v.toString() : option;
    }

    private String required(Message in, String header, String option, String name) {
        String v = input(in, header, option);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(missing(name, header));
        }
        return v;
    }

    private String missing(String name, String header) {
        return "monema:" + endpoint.getOperation() + " needs " + name + ": set the option or the " + header + " header";
    }

    static List<String> list(String csv) {
        return csv == null ? List.of() : java.util.Arrays.stream(csv.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}
