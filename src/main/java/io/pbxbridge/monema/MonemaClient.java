package io.pbxbridge.monema;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLStreamException;
import javax.xml.transform.dom.DOMSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.cxf.common.CxfPayload;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.jaxws.CxfComponent;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapHeader;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPConduitFactory;
import org.apache.cxf.transport.http.URLConnectionHTTPConduit;
import org.apache.cxf.transport.http.HTTPException;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.http.VendorHttpClient;
import io.pbxbridge.vendor.http.VendorHttpRequest;
import io.pbxbridge.vendor.http.VendorHttpSettings;

/**
 * Typed calls to a Monema server, one method per operation. SOAP goes through camel-cxf in PAYLOAD mode: the
 * request wrapper is built from the operation table in the style the server's WSDL declares (rpc/encoded as PHP
 * servers publish, or document/literal), so no JAX-WS code generation is involved. The call-record harvest's
 * C_getCalls ({@link #getCallsAnswer}) goes through the vendor HTTP transport instead and is read as it arrives.
 * Thread-safe.
 */
public class MonemaClient extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MonemaClient.class);

    private final CamelContext camelContext;
    private final MonemaConfiguration configuration;
    private volatile Service service;
    private volatile Binding binding;
    private volatile VendorHttpClient transport;

    /**
     * What the server speaks and where requests go: the WSDL facts, their codec and the address to POST to, read on
     * first use (the server may be down at start).
     */
    record Service(MonemaWsdl wsdl, SoapCodec codec, String target) {
    }

    /** The service and the CXF producer that calls it. */
    private record Binding(Service service, CxfEndpoint endpoint, Producer producer) {
    }

    public MonemaClient(CamelContext camelContext, MonemaConfiguration configuration) {
        this.camelContext = camelContext;
        this.configuration = configuration;
    }

    public BigDecimal getCredit() {
        String v = call(MonemaOperation.getCredit).scalar("credit");
        try {
            return new BigDecimal(v.trim());
        } catch (RuntimeException e) {
            throw new MonemaResponseException("C_getCredit", "C_getCredit response: credit '" + v + "' is not a number");
        }
    }

    public List<Calls> getCalls(String dateStart, String dateEnd, String fromId, CallType type) {
        return call(MonemaOperation.getCalls, dateStart, dateEnd, fromId, type != null ? type.name() : "")
                .structs("calls", "Calls").stream().map(Calls::from).toList();
    }

    public List<CallsTags> getCallTags(String callId) {
        return call(MonemaOperation.getCallTags, callId).structs("calltags", "CallsTags").stream()
                .map(CallsTags::from).toList();
    }

    public boolean makeCall(String sourceExt, String destExt, String variables) {
        return ok(MonemaOperation.makeCall, call(MonemaOperation.makeCall, sourceExt, destExt, variables));
    }

    public MakeCallResult makeCallResponse(String sourceExt, String destExt, String variables) {
        SoapStruct s = call(MonemaOperation.makeCallResponse, sourceExt, destExt, variables).fields();
        MakeCallStatus status;
        try {
            status = MakeCallStatus.parse(s.required("status"));
        } catch (IllegalArgumentException e) {
            throw new MonemaResponseException("C_makeCallResponse", "C_makeCallResponse response: " + e.getMessage());
        }
        return new MakeCallResult(s.bool("ok"), status, s.string("uniqueid"));
    }

    public String getCallDownloadLink(long callId) {
        return call(MonemaOperation.getCallDownloadLink, callId).scalar("url");
    }

    public List<Extensions> getExtensions() {
        return call(MonemaOperation.getExtensions).structs("extensions", "Extensions").stream()
                .map(Extensions::from).toList();
    }

    public boolean enableExtensionTransfer(long extensionId, String dstNumber, boolean external) {
        return ok(MonemaOperation.enableExtensionTransfer,
                call(MonemaOperation.enableExtensionTransfer, extensionId, dstNumber, external));
    }

    public boolean disableExtensionTransfer(long extensionId) {
        return ok(MonemaOperation.disableExtensionTransfer,
                call(MonemaOperation.disableExtensionTransfer, extensionId));
    }

    public ExtensionTransferStatus getExtensionTransferStatus(long extensionId) {
        SoapStruct s = call(MonemaOperation.getExtensionTransferStatus, extensionId).fields();
        return new ExtensionTransferStatus(s.bool("enabled"), s.string("number"), s.bool("is_external"));
    }

    public boolean sendSMS(String callerId, String dstNumber, String message) {
        return ok(MonemaOperation.sendSMS, call(MonemaOperation.sendSMS, callerId, dstNumber, message));
    }

    public List<String> getFaxModems() {
        return call(MonemaOperation.getFaxModems).strings("modems");
    }

    public String startFaxUpload() {
        String id = call(MonemaOperation.startFaxUpload).scalar("sessionId");
        if (id == null || id.isBlank()) {
            throw new MonemaResponseException("C_startFaxUpload", "C_startFaxUpload response: empty session id");
        }
        return id.trim();
    }

    /** Uploads the first {@code length} bytes of {@code chunk}; returns the size the server holds so far. */
    public long uploadFaxChunk(String sessionId, byte[] chunk, int length) {
        String v = invoke(MonemaOperation.uploadFaxChunk, new Object[] { sessionId, chunk }, length).scalar("file_size");
        try {
            return Long.parseLong(v.trim());
        } catch (RuntimeException e) {
            throw new MonemaResponseException("C_uploadFaxChunk",
                    "C_uploadFaxChunk response: file_size '" + v + "' is not an integer");
        }
    }

    public boolean sendFax(String sessionId, String faxModem, List<String> destNumbers, FaxCover cover) {
        FaxCover c = cover != null ? cover : new FaxCover("", "", "", "", "", "");
        return ok(MonemaOperation.sendFax, call(MonemaOperation.sendFax, sessionId, faxModem,
                String.join(",", destNumbers), cover != null, c.name(), c.company(), c.location(), c.voicePhone(),
                c.subject(), c.comments()));
    }

    /**
     * C_getCalls, its answer handed over unread, to be read call by call as it arrives (the caller closes it). Sent
     * through the vendor HTTP transport, not CXF: CXF's PAYLOAD mode parses the whole answer into a DOM before
     * handing it over, and a server may answer with every call it has (a million calls are some 700 MB of XML).
     */
    CallsAnswer getCallsAnswer(String dateStart, String dateEnd, String fromId, CallType type) {
        MonemaOperation op = MonemaOperation.getCalls;
        Service s = service();
        VendorHttpRequest request = VendorHttpRequest.post(s.target(), "").operation(op.wireName())
                .header("SOAPAction", "\"" + s.wsdl().soapAction(op.wireName()) + "\"")
                .body(s.codec().envelope(op, withAccount(dateStart, dateEnd, fromId, type != null ? type.name() : "")),
                        "text/xml; charset=utf-8")
                .build();
        return CallsAnswer.read(transport().sendStreaming(request), op.wireName(),
                s.wsdl().responseElement(op.wireName()));
    }

    private SoapCodec.Reply call(MonemaOperation op, Object... args) {
        return invoke(op, args, 0);
    }

    private SoapCodec.Reply invoke(MonemaOperation op, Object[] args, int length) {
        Binding b = binding();
        Element request = b.service().codec().request(op, withAccount(args), length);

        Exchange exchange = b.endpoint().createExchange();
        exchange.getIn().setBody(new CxfPayload<SoapHeader>(new ArrayList<>(), List.of(new DOMSource(request)), null));
        exchange.getIn().setHeader("SOAPAction", b.service().wsdl().soapAction(op.wireName()));
        try {
            b.producer().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            throw translate(op.wireName(), exchange);
        }
        CxfPayload<?> payload = exchange.getMessage().getBody(CxfPayload.class);
        if (payload == null) {
            throw new MonemaResponseException(op.wireName(), op.wireName() + ": the server answered without a SOAP body");
        }
        return b.service().codec().reply(op, payload.getBody());
    }

    /** The request values of an operation: the account's login and password, then {@code args}. */
    private Object[] withAccount(Object... args) {
        Object[] values = new Object[args.length + 2];
        values[0] = configuration.getLogin();
        values[1] = configuration.getPassword();
        System.arraycopy(args, 0, values, 2, args.length);
        return values;
    }

    private static boolean ok(MonemaOperation op, SoapCodec.Reply reply) {
        String v = reply.scalar(op.resultPart());
        String t = v == null ? "" : v.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("1")) {
            return true;
        }
        if (t.equals("false") || t.equals("0") || t.isEmpty()) {
            throw new MonemaFaultException(op.wireName(), "FALSE",
                    "the Monema server answered false to " + op.wireName() + " (the request was not carried out)");
        }
        throw new MonemaResponseException(op.wireName(),
                op.wireName() + " response: ok '" + SoapStruct.abbreviate(v) + "' is not a boolean");
    }

    /** Sorts a failed exchange into refusal, transient failure or malformed reply. */
    static MonemaException translate(String op, Exchange exchange) {
        Throwable failure = exchange.getException();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SoapFault fault && fault.getCause() == null) {
                String code = fault.getFaultCode() != null ? fault.getFaultCode().getLocalPart() : null;
                return new MonemaFaultException(op, code, "the Monema server refused " + op + ": " + fault.getMessage()
                        + (code != null ? " (fault code " + code + ")" : ""));
            }
            if (t instanceof HTTPException http) {
                status = http.getResponseCode();
            }
        }
        String reason = VendorFailures.rootMessage(failure);
        if (status != null && status >= 400 && !VendorFailures.isTransientStatus(status)) {
            return new MonemaFaultException(op, "HTTP " + status,
                    "the Monema server answered HTTP " + status + " to " + op + ": " + reason);
        }
        if (status != null && status >= 400) {
            return new MonemaConnectionException(op, "HTTP " + status,
                    "the Monema server failed with HTTP " + status + " on " + op + ": " + reason, failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof XMLStreamException) {
                return new MonemaConnectionException(op, t.getClass().getSimpleName(),
                        "could not get an answer from the Monema server for " + op + ": " + reason, failure);
            }
        }
        if (status != null && status < 300) {
            return new MonemaResponseException(op, op + ": the server's reply is not a SOAP response: " + reason);
        }
        return new MonemaConnectionException(op, null, "calling " + op + " failed: " + reason, failure);
    }

    Service service() {
        Service s = service;
        if (s == null) {
            synchronized (this) {
                s = service;
                if (s == null) {
                    s = resolve();
                    service = s;
                }
            }
        }
        return s;
    }

    private Service resolve() {
        String address = configuration.getAddress();
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("monema: the address of the server is not configured");
        }
        MonemaWsdl wsdl = configuration.getStyle() == MonemaSoapStyle.AUTO
                ? MonemaWsdl.parse(fetchWsdl(address), URI.create(address))
                : MonemaWsdl.of(configuration.getStyle(), configuration.getNamespace());
        if (configuration.getNamespace() != null && configuration.getStyle() == MonemaSoapStyle.AUTO) {
            wsdl = new MonemaWsdl(wsdl.style(), configuration.getNamespace(), wsdl.serviceAddress(), wsdl.soapActions(),
                    wsdl.outputElements());
        }
        String target = configuration.getServiceAddress() != null ? configuration.getServiceAddress()
                : wsdl.serviceAddress() != null ? wsdl.serviceAddress() : stripWsdlQuery(address);
        LOG.info("Monema server {} speaks {}", target, wsdl);
        return new Service(wsdl, new SoapCodec(wsdl), target);
    }

    private Binding binding() {
        Binding b = binding;
        if (b == null) {
            synchronized (this) {
                b = binding;
                if (b == null) {
                    b = bind(service());
                    binding = b;
                }
            }
        }
        return b;
    }

    private Binding bind(Service service) {
        try {
            CxfEndpoint endpoint = (CxfEndpoint) camelContext.getComponent("cxf", CxfComponent.class)
                    .createEndpoint("cxf://" + service.target());
            endpoint.setDataFormat(DataFormat.PAYLOAD);
            endpoint.setCxfConfigurer(new TimeoutConfigurer(configuration));
            Producer producer = endpoint.createProducer();
            ServiceHelper.startService(endpoint, producer);
            return new Binding(service, endpoint, producer);
        } catch (Exception e) {
            throw new IllegalStateException("monema: cannot create the SOAP client for " + service.target(), e);
        }
    }

    /** The HTTP transport of streamed answers, made on first use: only call-record harvests need one. */
    private VendorHttpClient transport() {
        VendorHttpClient t = transport;
        if (t == null) {
            synchronized (this) {
                t = transport;
                if (t == null) {
                    t = VendorHttpClient.builder(MonemaComponent.SCHEME)
                            .settings(VendorHttpSettings.of(Duration.ofMillis(configuration.getConnectTimeout()),
                                    Duration.ofMillis(configuration.getReceiveTimeout())))
                            .failures(MonemaHttpFailures.INSTANCE).build();
                    transport = t;
                }
            }
        }
        return t;
    }

    private byte[] fetchWsdl(String address) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(configuration.getConnectTimeout()))
                .version(HttpClient.Version.HTTP_1_1).build();
        String[] candidates = address.contains("?") ? new String[] { address } : new String[] { address, address + "?wsdl" };
        String problem = null;
        for (String candidate : candidates) {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(candidate))
                        .timeout(Duration.ofMillis(configuration.getReceiveTimeout())).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200 && looksLikeWsdl(r.body())) {
                    return r.body();
                }
                problem = "GET " + candidate + " answered HTTP " + r.statusCode()
                          + (r.statusCode() == 200 ? " without a WSDL" : "");
                if (r.statusCode() >= 500) {
                    throw new MonemaConnectionException("WSDL", "HTTP " + r.statusCode(),
                            "cannot read the Monema WSDL: " + problem, null);
                }
            } catch (IOException e) {
                throw new MonemaConnectionException("WSDL", e.getClass().getSimpleName(),
                        "cannot read the Monema WSDL at " + candidate + ": " + VendorFailures.rootMessage(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MonemaConnectionException("WSDL", "INTERRUPTED", "interrupted reading the WSDL", e);
            }
        }
        throw new MonemaResponseException("WSDL", "cannot read the Monema WSDL: " + problem);
    }

    private static boolean looksLikeWsdl(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 2048), java.nio.charset.StandardCharsets.UTF_8);
        return head.contains("definitions");
    }

    private static String stripWsdlQuery(String address) {
        return address.replaceFirst("(?i)\\?wsdl$", "");
    }

    @Override
    protected void doStop() throws Exception {
        Binding b = binding;
        binding = null;
        if (b != null) {
            ServiceHelper.stopService(b.producer(), b.endpoint());
        }
        VendorHttpClient t = transport;
        transport = null;
        if (t != null) {
            t.close();
        }
    }

    /**
     * The HTTP conduit: CXF's HttpURLConnection one (CXF 4 defaults to a java.net.http one that buffers and hands
     * each request to another thread; measured 30 % slower for chunked fax uploads), timeouts, HTTP/1.1 for legacy
     * PHP servers, chunking only when allowed.
     */
    private record TimeoutConfigurer(MonemaConfiguration configuration) implements CxfConfigurer {
        @Override
        public void configure(AbstractWSDLBasedEndpointFactory factoryBean) {
        }

        @Override
        public void configureClient(Client client) {
            client.getEndpoint().getEndpointInfo().setProperty(HTTPConduitFactory.class.getName(),
                    (HTTPConduitFactory) (factory, bus, info, target) -> new URLConnectionHTTPConduit(bus, info, target));
            HTTPClientPolicy policy = new HTTPClientPolicy();
            policy.setConnectionTimeout(configuration.getConnectTimeout());
            policy.setReceiveTimeout(configuration.getReceiveTimeout());
            policy.setAllowChunking(configuration.isAllowChunking());
            policy.setVersion("1.1");
            ((HTTPConduit) client.getConduit()).setClient(policy);
        }

        @Override
        public void configureServer(Server server) {
        }
    }
}
