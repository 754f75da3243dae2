package io.pbxbridge.sandbox.monema;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;

import io.pbxbridge.sandbox.SimulatorHttpServer;
import io.pbxbridge.sandbox.monema.MonemaBackend.AccountSpec;
import io.pbxbridge.sandbox.monema.SoapWriter.Part;

/**
 * An in-process Monema SOAP server ({@code urn:pb_tamtam}, the 15 operations of the client API) on a real socket,
 * bound to 127.0.0.1, with real state (accounts and credit, call logs, extensions and their transfers, fax upload
 * sessions reassembled on disk) and {@link Faults fault injection}.
 *
 * <p>GET on {@value #PATH} (with or without {@code ?wsdl}) returns the WSDL of the configured {@link Style} with the
 * simulator's address in {@code soap:address}; POST is a SOAP 1.1 request, answered the way PHP's ext/soap
 * {@code SoapServer} answers (see {@link SoapWriter}). Recorded calls can be downloaded from the URL
 * {@code C_getCallDownloadLink} returns ({@code /recordings/<uniqueid>.wav}, a short silent WAV).
 *
 * <p>For call-record harvests: call logs of millions ({@link #addCalls}, kept by column), calls written late
 * ({@link #addCall}) or broken ({@link #addCorruptCall}), an optional cap on the calls of one C_getCalls answer
 * ({@link Builder#maxCallsPerAnswer}); C_getCalls answers are written as they are made, never held whole.
 *
 * <pre>{@code
 * try (MonemaSimulator sim = MonemaSimulator.builder().account("acme", "s3cret", new BigDecimal("10")).start()) {
 *     String wsdl = sim.address() + "?wsdl";
 *     ...
 * }
 * }</pre>
 */
public final class MonemaSimulator implements AutoCloseable {

    /** The path of the API (and its WSDL), as on a real Monema server. */
    public static final String PATH = "/public_api/pb_tamtam_wsdl.php";

    private static final Logger LOG = LoggerFactory.getLogger(MonemaSimulator.class);
    private static final String TEXT_XML = "text/xml; charset=utf-8";
    private static final String TEXT_HTML = "text/html; charset=UTF-8";
    /** What PHP with display_errors on writes before the answer. */
    private static final String PHP_WARNING = "<br />\n<b>Warning</b>:  Undefined variable $modem in "
            + "<b>/var/www/html/public_api/pb_tamtam_wsdl.php</b> on line <b>412</b><br />\n";

    /** The SOAP binding style served (and the WSDL published). */
    public enum Style {
        RPC_ENCODED("pb_tamtam-rpc-encoded.wsdl", "rpc/encoded"),
        DOCUMENT_LITERAL("pb_tamtam-document-literal.wsdl", "document/literal");

        private final String wsdlResource;
        private final String label;

        Style(String wsdlResource, String label) {
            this.wsdlResource = wsdlResource;
            this.label = label;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a simulator; every one has a default. */
    public static final class Builder {
        private int port;
        private Style style = Style.RPC_ENCODED;
        private final List<AccountSpec> accounts = new ArrayList<>();
        private List<String> modems = List.of("modem-1", "modem-2");
        private Path dataDir;
        private Duration callTrickle;
        private long seed = 20_240_601L;
        private int initialCalls = 25;
        private ZoneId zone = ZoneOffset.UTC;
        private int maxCallsPerAnswer;

        private Builder() {
        }

        /** The port to listen on; 0 (default) = a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** rpc/encoded (default, what Monema publishes) or document/literal wrapped. */
        public Builder style(Style style) {
            this.style = Objects.requireNonNull(style, "style");
            return this;
        }

        /**
         * Adds an account. Without any call to this method the simulator has one account, {@code demo} /
         * {@code demo-secret} with 100.00 of credit; with calls, exactly the accounts added.
         */
        public Builder account(String login, String password, BigDecimal credit) {
            accounts.add(new AccountSpec(Objects.requireNonNull(login, "login"),
                    Objects.requireNonNull(password, "password"), Objects.requireNonNull(credit, "credit")));
            return this;
        }

        /** The fax modems of every account (default {@code modem-1}, {@code modem-2}); none is allowed. */
        public Builder modems(String... ids) {
            this.modems = List.of(ids);
            return this;
        }

        /** Where upload sessions are reassembled. Default: a temporary directory, deleted by {@link #close()}. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Appends a new call to every account's log every {@code interval}; null (default) = off. */
        public Builder callTrickle(Duration interval) {
            if (interval != null && (interval.isZero() || interval.isNegative())) {
                throw new IllegalArgumentException("callTrickle interval must be positive: " + interval);
            }
            this.callTrickle = interval;
            return this;
        }

        /** Seed of the generated data (numbers, dispositions, durations, tags...). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Calls generated in each account's log at construction, spread over the last 7 days (default 25). */
        public Builder initialCalls(int initialCalls) {
            if (initialCalls < 0) {
                throw new IllegalArgumentException("initialCalls " + initialCalls);
            }
            this.initialCalls = initialCalls;
            return this;
        }

        /** Time zone in which C_getCalls reads {@code dateStart}/{@code dateEnd} date strings (default UTC). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * Calls in one C_getCalls answer at most, the first ones by id, as a server that caps its answers without
         * saying so (the client pages on with {@code fromId}); 0 (default) = every matching call.
         */
        public Builder maxCallsPerAnswer(int maxCallsPerAnswer) {
            if (maxCallsPerAnswer < 0) {
                throw new IllegalArgumentException("maxCallsPerAnswer " + maxCallsPerAnswer);
            }
            this.maxCallsPerAnswer = maxCallsPerAnswer;
            return this;
        }

        public MonemaSimulator build() {
            return new MonemaSimulator(this);
        }

        /** {@code build().start()}. */
        public MonemaSimulator start() {
            return build().start();
        }
    }

    private final Style style;
    private final int requestedPort;
    private final Duration callTrickle;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final String wsdlTemplate;
    private final MonemaBackend backend;
    private final Faults faults = new Faults(this);
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostInFlight = new ConcurrentHashMap<>();

    // guarded by this
    private final SimulatorHttpServer http = new SimulatorHttpServer("monema-sim");
    private boolean started;
    private boolean refusing;
    private volatile int port = -1;

    private MonemaSimulator(Builder b) {
        this.style = b.style;
        this.requestedPort = b.port;
        this.callTrickle = b.callTrickle;
        try {
            if (b.dataDir != null) {
                this.dataDir = Files.createDirectories(b.dataDir);
                this.deleteDataDir = false;
            } else {
                this.dataDir = Files.createTempDirectory("monema-sim-");
                this.deleteDataDir = true;
            }
            try (InputStream in = MonemaSimulator.class.getResourceAsStream(style.wsdlResource)) {
                if (in == null) {
                    throw new IllegalStateException("WSDL resource missing: " + style.wsdlResource);
                }
                this.wsdlTemplate = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<AccountSpec> accounts = b.accounts.isEmpty()
                ? List.of(new AccountSpec("demo", "demo-secret", new BigDecimal("100.00")))
                : b.accounts;
        this.backend = new MonemaBackend(accounts, b.modems, dataDir, b.seed, b.initialCalls, b.zone,
                b.maxCallsPerAnswer, () -> "http://127.0.0.1:" + port);
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------------

    /** Starts listening (idempotent); after {@link #stop()} it listens again on the same port. */
    public synchronized MonemaSimulator start() {
        if (started) {
            return this;
        }
        bind(port > 0 ? port : requestedPort);
        started = true;
        if (refusing) {
            http.stopListening();
        }
        if (callTrickle != null) {
            http.trickle(callTrickle, ms -> backend.trickle());
        }
        LOG.info("Monema simulator ({}) listening on {}", style.label, address());
        return this;
    }

    /** Stops listening and the call trickle. State is kept; {@link #start()} resumes on the same port. */
    public synchronized void stop() {
        if (!started) {
            return;
        }
        started = false;
        http.stop();
        LOG.debug("Monema simulator on port {} stopped", port);
    }

    /** {@link #stop()}, and deletes the data directory if it was the default temporary one. */
    @Override
    public void close() {
        stop();
        if (deleteDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.debug("Cannot delete {}: {}", dataDir, e.toString());
            }
        }
    }

    synchronized void refuseConnections(boolean refuse) {
        refusing = refuse;
        if (!started) {
            return;
        }
        if (refuse) {
            http.stopListening();
        } else if (!http.listening()) {
            bind(port);
        }
    }

    private void bind(int p) {
        port = http.listen(p, s -> {
            s.createContext(PATH, this::handleApi);
            s.createContext("/recordings/", this::handleRecording);
            s.createContext("/", ex -> {
                try (ex) {
                    send(ex, 404, TEXT_HTML, html("404 Not Found", "The requested URL was not found on this server."));
                }
            });
        });
    }

    // ---- public API ---------------------------------------------------------------------------------------------

    /** The port listened on (also while connections are refused). */
    public int port() {
        int p = port;
        if (p <= 0) {
            throw new IllegalStateException("Monema simulator not started");
        }
        return p;
    }

    /** {@code http://127.0.0.1:<port>/public_api/pb_tamtam_wsdl.php}: the endpoint; append {@code ?wsdl} for the WSDL. */
    public String address() {
        return "http://127.0.0.1:" + port() + PATH;
    }

    public Style style() {
        return style;
    }

    public Faults faults() {
        return faults;
    }

    /** Where uploads are reassembled. */
    public Path dataDir() {
        return dataDir;
    }

    public List<SentFax> sentFaxes() {
        return backend.sentFaxes();
    }

    public List<SentSms> sentSms() {
        return backend.sentSms();
    }

    /** The account's current credit; IllegalArgumentException for an unknown login. */
    public BigDecimal credit(String login) {
        return backend.credit(login);
    }

    /**
     * The account's call log, ordered by id; IllegalArgumentException for an unknown login. One object per call: for
     * a log of millions, use {@link #callCount}.
     */
    public List<SimCall> calls(String login) {
        return backend.calls(login);
    }

    /** The number of calls in the account's log. */
    public int callCount(String login) {
        return backend.callCount(login);
    }

    /**
     * Adds {@code n} realistic calls (no tags) to the account's log, with increasing ids and calldates spread evenly
     * from {@code from} to {@code to}: a million take a second or two and about 50 MB.
     */
    public void addCalls(String login, int n, Instant from, Instant to) {
        if (n < 0 || to.isBefore(from)) {
            throw new IllegalArgumentException("addCalls: " + n + " calls from " + from + " to " + to);
        }
        backend.addCalls(login, n, from.getEpochSecond(), to.getEpochSecond());
    }

    /**
     * Adds a realistic call made at {@code calldate} with the next id. A calldate older than the latest call's is a
     * call written late, as a PBX does when a long call ends: C_getCalls with {@code fromId} finds it, a client that
     * only asks for dates after its last harvest misses it.
     */
    public SimCall addCall(String login, Instant calldate) {
        return backend.addCall(login, calldate.getEpochSecond());
    }

    /**
     * {@link #addCall}, but C_getCalls answers with {@code wireValues} as the text of those fields (by their names in
     * the {@code Calls} type, e.g. {@code duration} -> {@code "abc"}, {@code id} -> {@code ""}; a null value leaves
     * the field out), as a broken server would. The call itself, and its place among ids and dates, is the returned
     * one.
     */
    public SimCall addCorruptCall(String login, Instant calldate, Map<String, String> wireValues) {
        return backend.addCorruptCall(login, calldate.getEpochSecond(), wireValues);
    }

    /** Open (not yet sent) upload sessions: sessionId -> bytes received so far. */
    public Map<String, Long> uploadSessions() {
        return backend.uploadSessions();
    }

    /**
     * SOAP requests received for {@code operation} (local name of the Body's first child, e.g.
     * {@code C_uploadFaxChunk}), whatever their outcome; requests that could not be parsed count as
     * {@code "(unparsable)"}.
     */
    public int requestCount(String operation) {
        AtomicInteger n = requestCounts.get(operation);
        return n == null ? 0 : n.get();
    }

    /**
     * The most requests of {@code operation} the simulator was handling at one time, from their arrival to the end of
     * their answer (delays included): 1 when clients never asked at once, e.g. only one of several harvests ran.
     */
    public int mostConcurrent(String operation) {
        AtomicInteger n = mostInFlight.get(operation);
        return n == null ? 0 : n.get();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private void handleApi(HttpExchange ex) {
        try (ex) {
            if (!PATH.equals(ex.getRequestURI().getPath())) {
                send(ex, 404, TEXT_HTML, html("404 Not Found", "The requested URL was not found on this server."));
                return;
            }
            switch (ex.getRequestMethod()) {
                case "GET", "HEAD" -> {
                    sleep(faults.delayFor(null));
                    send(ex, 200, TEXT_XML, wsdlTemplate.replace("@ADDRESS@", address()));
                }
                case "POST" -> handleSoap(ex);
                default -> {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD, POST");
                    send(ex, 405, TEXT_HTML, html("405 Method Not Allowed", "Method not allowed."));
                }
            }
        } catch (IOException e) {
            LOG.debug("Exchange with {} failed: {}", ex.getRemoteAddress(), e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Monema simulator failed on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
        }
    }

    private void handleSoap(HttpExchange ex) throws IOException {
        InputStream body = ex.getRequestBody();
        SoapRequest req = null;
        SimFault parseFault = null;
        try {
            req = SoapRequest.parse(body);
        } catch (SimFault f) {
            parseFault = f;
        }
        body.transferTo(OutputStream.nullOutputStream()); // keep-alive needs the whole request read
        String op = req == null ? null : req.operation;
        String counted = op == null ? "(unparsable)" : op;
        requestCounts.computeIfAbsent(counted, k -> new AtomicInteger()).incrementAndGet();
        AtomicInteger handling = inFlight.computeIfAbsent(counted, k -> new AtomicInteger());
        mostInFlight.computeIfAbsent(counted, k -> new AtomicInteger()).accumulateAndGet(handling.incrementAndGet(),
                Math::max);
        try {
            answer(ex, req, parseFault, op);
        } finally {
            handling.decrementAndGet();
        }
    }

    private void answer(HttpExchange ex, SoapRequest req, SimFault parseFault, String op) throws IOException {
        sleep(faults.delayFor(op));
        long index = faults.arrived(op);
        Faults.Failure failure = faults.takeFailure(op, index);
        if (failure != null) {
            LOG.debug("Injecting {} into {}", failure, op);
            sendFailure(ex, failure);
            return;
        }
        if (parseFault != null) {
            sendFault(ex, parseFault);
            return;
        }
        List<Part> out;
        try {
            out = backend.invoke(req);
        } catch (SimFault f) {
            LOG.debug("{} -> fault {}: {}", op, f.code, f.getMessage());
            sendFault(ex, f);
            return;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", op, e);
            sendFault(ex, SimFault.server("Internal error: " + e));
            return;
        }
        Faults.Malformed malformed = faults.takeMalformed(op, index);
        if (malformed != null) {
            LOG.debug("Garbling the response to {} ({})", op, malformed);
        }
        if ("C_getCalls".equals(op)) {
            stream(ex, op, out, malformed);
            return;
        }
        String xml = render(op, out);
        send(ex, 200, TEXT_XML, malformed == null ? xml : garble(op, xml, malformed));
    }

    private String render(String op, List<Part> parts) {
        return style == Style.RPC_ENCODED ? SoapWriter.rpcResponse(op, parts) : SoapWriter.docResponse(op, parts);
    }

    /**
     * Writes the answer as it is made (chunked): a C_getCalls answer may list a million calls, some 700 MB of XML. A
     * truncated one ends after half its calls.
     */
    private void stream(HttpExchange ex, String op, List<Part> parts, Faults.Malformed malformed) throws IOException {
        if (malformed == Faults.Malformed.WRONG_ELEMENT) {
            send(ex, 200, TEXT_XML, garble(op, "", malformed));
            return;
        }
        List<Part> answer = malformed == Faults.Malformed.TRUNCATED ? cutHalfway(parts) : parts;
        if (answer == null) { // no list of calls to cut: a short answer, cut as text
            send(ex, 200, TEXT_XML, garble(op, render(op, parts), malformed));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", TEXT_XML);
        ex.getResponseHeaders().set("X-Powered-By", "PHP/5.6.40");
        ex.sendResponseHeaders(200, 0);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8),
                64 * 1024)) {
            if (malformed == Faults.Malformed.PHP_WARNING) {
                out.write(PHP_WARNING);
            }
            try {
                if (style == Style.RPC_ENCODED) {
                    SoapWriter.writeRpcResponse(out, op, answer);
                } else {
                    SoapWriter.writeDocResponse(out, op, answer);
                }
            } catch (Cut cut) {
                // the answer ends here, in the middle of the document
            }
        }
    }

    /** The parts with their first list of two or more items ending (by {@link Cut}) after half of them; or null. */
    private static List<Part> cutHalfway(List<Part> parts) {
        List<Part> out = new ArrayList<>(parts.size());
        boolean cut = false;
        for (Part p : parts) {
            if (!cut && p.value() instanceof SoapWriter.ArrayOf a && a.items().size() >= 2) {
                List<? extends SoapWriter.Value> items = a.items();
                int half = items.size() / 2;
                out.add(SoapWriter.part(p.name(), new SoapWriter.ArrayOf(a.itemType(), a.arrayType(),
                        new AbstractList<SoapWriter.Value>() {
                            @Override
                            public SoapWriter.Value get(int index) {
                                if (index >= half) {
                                    throw new Cut();
                                }
                                return items.get(index);
                            }

                            @Override
                            public int size() {
                                return items.size();
                            }
                        })));
                cut = true;
            } else {
                out.add(p);
            }
        }
        return cut ? out : null;
    }

    /** Ends a streamed answer where it is. */
    private static final class Cut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cut() {
            super(null, null, false, false);
        }
    }

    private String garble(String op, String xml, Faults.Malformed kind) {
        return switch (kind) {
            case WRONG_ELEMENT -> "C_getCredit".equals(op)
                    ? render("C_sendSMS", List.of(SoapWriter.part("ok", SoapWriter.bool(true))))
                    : render("C_getCredit", List.of(SoapWriter.part("credit", SoapWriter.dbl(BigDecimal.ZERO))));
            case TRUNCATED -> xml.substring(0, xml.length() / 2);
            case PHP_WARNING -> PHP_WARNING + xml;
        };
    }

    private void sendFault(HttpExchange ex, SimFault f) throws IOException {
        send(ex, 500, TEXT_XML, SoapWriter.fault(f.code, f.getMessage()));
    }

    private void sendFailure(HttpExchange ex, Faults.Failure failure) throws IOException {
        switch (failure) {
            case SOAP_FAULT_SERVER -> sendFault(ex, SimFault.server("Internal Server Error"));
            case HTTP_500_HTML -> send(ex, 500, TEXT_HTML, html("500 Internal Server Error",
                    "The server encountered an internal error or misconfiguration and was unable to complete your request."));
            case HTTP_503 -> send(ex, 503, TEXT_HTML, html("503 Service Unavailable",
                    "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."));
            case DROP_CONNECTION -> {
                // closing an exchange before any response header is sent closes the TCP connection: the client
                // has sent its whole request and reads EOF instead of a status line
            }
        }
    }

    private void handleRecording(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String name = path.substring("/recordings/".length());
            SimCall call = name.endsWith(".wav") ? backend.recordedCall(name.substring(0, name.length() - 4)) : null;
            if (call == null || !("GET".equals(ex.getRequestMethod()) || "HEAD".equals(ex.getRequestMethod()))) {
                send(ex, 404, TEXT_HTML, html("404 Not Found", "The requested URL was not found on this server."));
                return;
            }
            byte[] wav = silentWav(Math.max(1, Math.min(call.duration(), 5)));
            ex.getResponseHeaders().set("Content-Type", "audio/x-wav");
            sendBytes(ex, 200, wav);
        } catch (IOException e) {
            LOG.debug("Recording download failed: {}", e.toString());
        }
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        sendBytes(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("X-Powered-By", "PHP/5.6.40");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String html(String title, String text) {
        return "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>" + title
                + "</title>\n</head><body>\n<h1>" + title.substring(4) + "</h1>\n<p>" + text
                + "</p>\n<hr>\n<address>Apache Server at 127.0.0.1</address>\n</body></html>\n";
    }

    /** 8 kHz, 16-bit mono PCM silence. */
    private static byte[] silentWav(int seconds) {
        int dataLen = seconds * 8000 * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataLen)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataLen);
        return b.array();
    }

    private static void sleep(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
