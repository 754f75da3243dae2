package io.pbxbridge.sandbox.monema;

import static io.pbxbridge.sandbox.monema.SoapWriter.bool;
import static io.pbxbridge.sandbox.monema.SoapWriter.dbl;
import static io.pbxbridge.sandbox.monema.SoapWriter.integer;
import static io.pbxbridge.sandbox.monema.SoapWriter.part;
import static io.pbxbridge.sandbox.monema.SoapWriter.str;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.sandbox.monema.SoapWriter.ArrayOf;
import io.pbxbridge.sandbox.monema.SoapWriter.Part;
import io.pbxbridge.sandbox.monema.SoapWriter.Struct;
import io.pbxbridge.sandbox.monema.SoapWriter.Value;

/** The simulated Monema server: accounts, call logs, extensions, upload sessions, and the 15 operations. */
final class MonemaBackend {

    private static final Logger LOG = LoggerFactory.getLogger(MonemaSimulator.class);

    static final BigDecimal SMS_COST = new BigDecimal("0.05");
    static final BigDecimal FAX_COST_PER_DESTINATION = new BigDecimal("0.10");

    private static final List<String> LOGIN2 = List.of("clientLogin", "clientPassword");

    /** Input parts of every operation, as in the WSDL (names and order). */
    static final Map<String, List<String>> OPERATIONS = operations();

    private static Map<String, List<String>> operations() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("C_getCredit", LOGIN2);
        m.put("C_getCalls", List.of("clientLogin", "ClientPassword", "dateStart", "dateEnd", "fromId", "type"));
        m.put("C_getCallTags", List.of("clientLogin", "ClientPassword", "callId"));
        m.put("C_makeCall", List.of("clientLogin", "clientPassword", "SourceExt", "destExt", "variables"));
        m.put("C_makeCallResponse", List.of("clientLogin", "clientPassword", "SourceExt", "destExt", "variables"));
        m.put("C_getCallDownloadLink", List.of("clientLogin", "clientPassword", "callId"));
        m.put("C_getExtensions", LOGIN2);
        m.put("C_enableExtensionTransfer",
                List.of("clientLogin", "clientPassword", "extensionId", "dstNumber", "isExternal"));
        m.put("C_disableExtensionTransfer", List.of("clientLogin", "clientPassword", "extensionId"));
        m.put("C_getExtensionTransferStatus", List.of("clientLogin", "clientPassword", "extensionId"));
        m.put("C_sendSMS", List.of("clientLogin", "clientPassword", "callerId", "dstNumber", "message"));
        m.put("C_getFaxModems", LOGIN2);
        m.put("C_startFaxUpload", LOGIN2);
        m.put("C_uploadFaxChunk", List.of("clientLogin", "clientPassword", "sessionId", "chunk"));
        m.put("C_sendFax", List.of("clientLogin", "clientPassword", "sessionId", "faxModem", "destNumbers",
                "useCover", "coverDestName", "coverDestCompany", "coverDestLocation", "coverDestVoicePhone",
                "coverDestSubject", "coverDestComments"));
        return Collections.unmodifiableMap(m);
    }

    private static final Pattern DESTINATION = Pattern.compile("\\+?\\d{3,20}");
    private static final Pattern VARIABLES = Pattern
            .compile("\\s*(\\{[A-Za-z0-9_.-]+\\}=\"[^\"]*\"(\\s+\\{[A-Za-z0-9_.-]+\\}=\"[^\"]*\")*)?\\s*");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final List<String> TAGS = List.of("sales", "support", "callback", "vip", "complaint",
            "follow-up", "billing", "new-customer", "voicemail", "urgent");
    private static final List<String> COVER_PARTS = List.of("coverDestName", "coverDestCompany",
            "coverDestLocation", "coverDestVoicePhone", "coverDestSubject", "coverDestComments");
    private static final int FIRST_EXTENSION = 100;
    private static final int EXTENSION_COUNT = 20;

    record AccountSpec(String login, String password, BigDecimal credit) {
    }

    record Transfer(boolean enabled, String number, boolean external) {
    }

    static final class Account {
        final String login;
        private final byte[] password;
        final int clientsId;
        final int accountcode;
        final List<String> externalNumbers;
        BigDecimal credit; // guarded by this
        final CallLog log;
        final Map<Integer, Integer> extensionNumbers = new TreeMap<>(); // id -> extnumber, immutable after init
        final Map<Integer, Transfer> transfers = new ConcurrentHashMap<>();

        Account(AccountSpec spec, int index, List<String> externalNumbers, LongSupplier callIds) {
            this.login = spec.login;
            this.password = spec.password.getBytes(StandardCharsets.UTF_8);
            this.credit = spec.credit.setScale(Math.max(2, spec.credit.scale()), RoundingMode.UNNECESSARY);
            this.clientsId = 1001 + index;
            this.accountcode = 7001 + index;
            this.externalNumbers = List.copyOf(externalNumbers);
            this.log = new CallLog(clientsId, accountcode, callIds);
            for (int i = 1; i <= EXTENSION_COUNT; i++) {
                extensionNumbers.put(i, FIRST_EXTENSION + i - 1);
                transfers.put(i, new Transfer(false, "", false));
            }
        }

        boolean hasExtensionNumber(String number) {
            return number != null && extensionNumbers.containsValue(parseIntOr(number, -1));
        }
    }

    static final class Upload {
        final String id;
        final String login;
        final Path file;
        final MessageDigest sha256 = sha256();
        long bytes;
        boolean consumed;

        Upload(String id, String login, Path file) {
            this.id = id;
            this.login = login;
            this.file = file;
        }
    }

    private final Map<String, Account> accounts = new LinkedHashMap<>(); // immutable after construction
    private final List<String> modems;
    private final Path dataDir;
    private final ZoneId zone;
    /** Calls in one C_getCalls answer at most (0: all), as a server that caps its answers without saying so. */
    private final int maxCallsPerAnswer;
    private final Supplier<String> baseUrl;
    private final Random random; // guarded by itself
    private final SecureRandom sessionIds = new SecureRandom();
    private final AtomicLong nextCallId;
    private final AtomicLong nextTagId;
    private final AtomicLong channelSequence;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final List<SentFax> sentFaxes = new ArrayList<>(); // guarded by itself
    private final List<SentSms> sentSms = new ArrayList<>(); // guarded by itself

    MonemaBackend(List<AccountSpec> specs, List<String> modems, Path dataDir, long seed, int initialCalls,
            ZoneId zone, int maxCallsPerAnswer, Supplier<String> baseUrl) {
        this.modems = List.copyOf(modems);
        this.maxCallsPerAnswer = maxCallsPerAnswer;
        this.dataDir = dataDir;
        this.zone = zone;
        this.baseUrl = baseUrl;
        this.random = new Random(seed);
        this.nextCallId = new AtomicLong(10_000 + random.nextInt(40_000));
        this.nextTagId = new AtomicLong(1_000 + random.nextInt(4_000));
        this.channelSequence = new AtomicLong(100 + random.nextInt(900));
        for (int i = 0; i < specs.size(); i++) {
            AccountSpec spec = specs.get(i);
            if (accounts.containsKey(spec.login)) {
                throw new IllegalArgumentException("Duplicate account " + spec.login);
            }
            accounts.put(spec.login, new Account(spec, i, externalNumberPool(), nextCallId::getAndIncrement));
        }
        accounts.get(accounts.keySet().iterator().next()).transfers.put(EXTENSION_COUNT,
                new Transfer(true, "+34600123456", true));
        seedCalls(initialCalls);
    }

    // ---- state inspection (thread-safe snapshots) ----------------------------------------------------------

    List<SentFax> sentFaxes() {
        synchronized (sentFaxes) {
            return List.copyOf(sentFaxes);
        }
    }

    List<SentSms> sentSms() {
        synchronized (sentSms) {
            return List.copyOf(sentSms);
        }
    }

    BigDecimal credit(String login) {
        Account a = account(login);
        synchronized (a) {
            return a.credit;
        }
    }

    List<SimCall> calls(String login) {
        return account(login).log.calls();
    }

    int callCount(String login) {
        return account(login).log.size();
    }

    Map<String, Long> uploadSessions() {
        Map<String, Long> m = new TreeMap<>();
        for (Upload u : uploads.values()) {
            synchronized (u) {
                if (!u.consumed) {
                    m.put(u.id, u.bytes);
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** The recorded call with this uniqueid, if any (for the /recordings/ URLs). */
    SimCall recordedCall(String uniqueid) {
        for (Account a : accounts.values()) {
            SimCall c = a.log.findRecorded(uniqueid);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private Account account(String login) {
        Account a = accounts.get(login);
        if (a == null) {
            throw new IllegalArgumentException("No account " + login);
        }
        return a;
    }

    // ---- dispatch -------------------------------------------------------------------------------------------

    /** Runs the operation; returns the output parts, or throws a {@link SimFault}. */
    List<Part> invoke(SoapRequest req) {
        List<String> parts = OPERATIONS.get(req.operation);
        if (parts == null) {
            throw SimFault.client("Procedure '" + req.operation + "' not present");
        }
        Args in = new Args(req, parts);
        Account acc = authenticate(in.get(0), in.get(1));
        LOG.debug("{} for {}", req.operation, acc.login);
        return switch (req.operation) {
            case "C_getCredit" -> getCredit(acc);
            case "C_getCalls" -> getCalls(acc, in);
            case "C_getCallTags" -> getCallTags(acc, in);
            case "C_makeCall" -> makeCall(acc, in, false);
            case "C_makeCallResponse" -> makeCall(acc, in, true);
            case "C_getCallDownloadLink" -> getCallDownloadLink(acc, in);
            case "C_getExtensions" -> getExtensions(acc);
            case "C_enableExtensionTransfer" -> enableTransfer(acc, in);
            case "C_disableExtensionTransfer" -> disableTransfer(acc, in);
            case "C_getExtensionTransferStatus" -> transferStatus(acc, in);
            case "C_sendSMS" -> sendSms(acc, in);
            case "C_getFaxModems" -> getFaxModems();
            case "C_startFaxUpload" -> startFaxUpload(acc);
            case "C_uploadFaxChunk" -> uploadFaxChunk(acc, in);
            case "C_sendFax" -> sendFax(acc, in);
            default -> throw SimFault.client("Procedure '" + req.operation + "' not present");
        };
    }

    private static final class Args {
        private final SoapRequest req;
        private final List<String> parts;

        Args(SoapRequest req, List<String> parts) {
            this.req = req;
            this.parts = parts;
        }

        String get(int index) {
            return req.get(parts, index);
        }

        String get(String name) {
            return req.get(parts, parts.indexOf(name));
        }

        String trimmed(String name) {
            String v = get(name);
            return v == null ? "" : v.trim();
        }

        boolean bool(String name) {
            String v = trimmed(name);
            return v.equalsIgnoreCase("true") || v.equals("1");
        }
    }

    private Account authenticate(String login, String password) {
        Account a = login == null ? null : accounts.get(login.trim());
        if (a == null || password == null
                || !MessageDigest.isEqual(a.password, password.getBytes(StandardCharsets.UTF_8))) {
            throw SimFault.client("Invalid login or password");
        }
        return a;
    }

    // ---- operations -----------------------------------------------------------------------------------------

    private List<Part> getCredit(Account acc) {
        synchronized (acc) {
            return List.of(part("credit", dbl(acc.credit)));
        }
    }

    private List<Part> getCalls(Account acc, Args in) {
        Long start = parseDate(in.trimmed("dateStart"), false);
        Long end = parseDate(in.trimmed("dateEnd"), true);
        String fromIdText = in.trimmed("fromId");
        long fromId;
        if (fromIdText.isEmpty()) {
            fromId = Long.MIN_VALUE;
        } else {
            try {
                fromId = Long.parseLong(fromIdText);
            } catch (NumberFormatException e) {
                throw SimFault.client("Invalid fromId '" + fromIdText + "'");
            }
        }
        String type = in.trimmed("type").toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.equals("outgoing") && !type.equals("incoming") && !type.equals("internal")) {
            throw SimFault.client("Invalid call type '" + in.trimmed("type")
                    + "': expected outgoing, incoming or internal");
        }
        CallLog.Snapshot log = acc.log.snapshot();
        int[] selected = new int[Math.min(log.size, maxCallsPerAnswer > 0 ? maxCallsPerAnswer : Integer.MAX_VALUE)];
        int n = 0;
        for (int i = log.firstAfter(fromId); i < log.size && n < selected.length; i++) {
            long date = log.calldate(i);
            if ((start == null || date >= start) && (end == null || date <= end)
                    && (type.isEmpty() || type.equals(log.type(i)))) {
                selected[n++] = i;
            }
        }
        int count = n;
        // made one at a time as the answer is written: a million calls are never held as structs or text
        List<Value> items = new AbstractList<>() {
            @Override
            public Value get(int index) {
                return new Struct("Calls", log.fields(selected[Objects.checkIndex(index, count)]));
            }

            @Override
            public int size() {
                return count;
            }
        };
        return List.of(part("calls", new ArrayOf("ns1:Calls", "ArrayOfCalls", items)));
    }

    /** unix seconds for a dateStart/dateEnd value; null = no bound. A date alone as an end bound means its last second. */
    private Long parseDate(String text, boolean end) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.matches("\\d{1,12}")) {
            return Long.parseLong(text);
        }
        String t = text.replace('T', ' ');
        try {
            if (t.length() == 10) {
                LocalDate d = LocalDate.parse(t);
                return end ? d.plusDays(1).atStartOfDay(zone).toEpochSecond() - 1
                        : d.atStartOfDay(zone).toEpochSecond();
            }
            return LocalDateTime.parse(t, DATE_TIME).atZone(zone).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw SimFault.client("Invalid date '" + text + "': expected YYYY-MM-DD HH:MM:SS, YYYY-MM-DD or unix seconds");
        }
    }

    private List<Part> getCallTags(Account acc, Args in) {
        SimCall call = findCall(acc, in.trimmed("callId"));
        List<Value> items = new ArrayList<>();
        for (SimCall.Tag t : call.tags()) {
            items.add(new Struct("CallsTags", List.of(
                    part("id", integer(t.id())),
                    part("calls_id", integer(call.id())),
                    part("clients_id", integer(call.clientsId())),
                    part("tag", str(t.tag())),
                    part("uniqueid", str(call.uniqueid())))));
        }
        return List.of(part("calltags", new ArrayOf("ns1:CallsTags", "ArrayOfCallsTags", items)));
    }

    private SimCall findCall(Account acc, String callId) {
        SimCall c = acc.log.find(parseLongOr(callId, Long.MIN_VALUE));
        if (c == null) {
            throw SimFault.client("Unknown call " + callId);
        }
        return c;
    }

    private List<Part> makeCall(Account acc, Args in, boolean withStatus) {
        String variables = in.get("variables");
        if (variables != null && !VARIABLES.matcher(variables).matches()) {
            throw SimFault.client("Invalid variables '" + variables
                    + "': expected {VAR}=\"VALUE\" separated by spaces");
        }
        String source = in.trimmed("SourceExt");
        String dest = in.trimmed("destExt");
        if (!acc.hasExtensionNumber(source)) {
            if (withStatus) {
                return List.of(part("ok", bool(false)), part("status", str("NO_SUCH_EXTENSION")),
                        part("uniqueid", str("")));
            }
            return List.of(part("ok", bool(false)));
        }
        if (!DESTINATION.matcher(dest).matches()) {
            throw SimFault.client("Invalid destination number '" + dest + "'");
        }
        String status = switch (source) {
            case "113" -> "BUSY";
            case "114" -> "NO_ANSWER";
            case "115" -> "NOT_AVAILABLE";
            default -> "ANSWERED";
        };
        long now = Instant.now().getEpochSecond();
        CallLog.NewCall placed;
        synchronized (random) {
            boolean answered = status.equals("ANSWERED");
            int duration = answered ? 5 + random.nextInt(300) : 0;
            String disposition = switch (status) {
                case "ANSWERED" -> "ANSWERED";
                case "BUSY" -> "BUSY";
                default -> "NO ANSWER";
            };
            placed = new CallLog.NewCall(source, dest, duration, disposition, channelSequence.getAndIncrement(), false,
                    now, cost(source, dest, duration), false, false, List.of());
        }
        SimCall call = acc.log.add(placed);
        if (withStatus) {
            return List.of(part("ok", bool(true)), part("status", str(status)), part("uniqueid", str(call.uniqueid())));
        }
        return List.of(part("ok", bool(true)));
    }

    private List<Part> getCallDownloadLink(Account acc, Args in) {
        String callId = in.trimmed("callId");
        SimCall call = findCall(acc, callId);
        if (!call.recorded()) {
            throw SimFault.client("Call " + callId + " was not recorded");
        }
        return List.of(part("url", str(baseUrl.get() + "/recordings/" + call.uniqueid() + ".wav")));
    }

    private List<Part> getExtensions(Account acc) {
        List<Value> items = new ArrayList<>();
        int userBase = 300 + (acc.clientsId - 1001) * 100;
        acc.extensionNumbers.forEach((id, number) -> items.add(new Struct("Extensions", List.of(
                part("id", integer(id)),
                part("users_id", integer(userBase + id)),
                part("clients_id", integer(acc.clientsId)),
                part("extnumber", integer(number))))));
        return List.of(part("extensions", new ArrayOf("ns1:Extensions", "ArrayOfExtensions", items)));
    }

    private int extensionId(Account acc, Args in) {
        String text = in.trimmed("extensionId");
        int id = parseIntOr(text, -1);
        if (!acc.extensionNumbers.containsKey(id)) {
            throw SimFault.client("Unknown extension " + text);
        }
        return id;
    }

    private List<Part> enableTransfer(Account acc, Args in) {
        int id = extensionId(acc, in);
        String number = in.trimmed("dstNumber");
        if (!DESTINATION.matcher(number).matches()) {
            throw SimFault.client("Invalid destination number '" + number + "'");
        }
        acc.transfers.put(id, new Transfer(true, number, in.bool("isExternal")));
        return List.of(part("ok", bool(true)));
    }

    private List<Part> disableTransfer(Account acc, Args in) {
        int id = extensionId(acc, in);
        acc.transfers.put(id, new Transfer(false, "", false));
        return List.of(part("ok", bool(true)));
    }

    private List<Part> transferStatus(Account acc, Args in) {
        Transfer t = acc.transfers.get(extensionId(acc, in));
        return List.of(part("enabled", bool(t.enabled)), part("number", str(t.number)),
                part("is_external", bool(t.external)));
    }

    private List<Part> sendSms(Account acc, Args in) {
        String dst = in.trimmed("dstNumber");
        if (!DESTINATION.matcher(dst).matches()) {
            throw SimFault.client("Invalid destination number '" + dst + "'");
        }
        String message = in.get("message");
        if (message == null || message.isEmpty()) {
            throw SimFault.client("Empty SMS message");
        }
        String callerId = in.trimmed("callerId");
        synchronized (acc) {
            charge(acc, SMS_COST);
        }
        synchronized (sentSms) {
            sentSms.add(new SentSms(acc.login, callerId, dst, message, Instant.now()));
        }
        return List.of(part("ok", bool(true)));
    }

    /** Caller holds the account's lock. */
    private static void charge(Account acc, BigDecimal amount) {
        requireCredit(acc, amount);
        acc.credit = acc.credit.subtract(amount);
    }

    /** Caller holds the account's lock. */
    private static void requireCredit(Account acc, BigDecimal amount) {
        if (acc.credit.compareTo(amount) < 0) {
            throw SimFault.client("Insufficient credit: " + amount.setScale(2, RoundingMode.HALF_UP).toPlainString()
                    + " needed, " + acc.credit.setScale(2, RoundingMode.HALF_UP).toPlainString() + " available");
        }
    }

    private List<Part> getFaxModems() {
        List<Value> items = new ArrayList<>();
        for (String m : modems) {
            items.add(str(m));
        }
        return List.of(part("modems", new ArrayOf("xsd:string", "ArrayOfstring", items)));
    }

    private List<Part> startFaxUpload(Account acc) {
        byte[] b = new byte[16];
        sessionIds.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        Path file = dataDir.resolve(id + ".upload");
        try {
            Files.createDirectories(dataDir);
            Files.createFile(file);
        } catch (IOException e) {
            throw SimFault.server("Cannot create upload session: " + e.getMessage());
        }
        uploads.put(id, new Upload(id, acc.login, file));
        return List.of(part("sessionId", str(id)));
    }

    private Upload upload(Account acc, String sessionId) {
        Upload u = uploads.get(sessionId);
        if (u == null || !u.login.equals(acc.login)) {
            throw SimFault.client("Unknown upload session " + sessionId);
        }
        return u;
    }

    private List<Part> uploadFaxChunk(Account acc, Args in) {
        String sessionId = in.trimmed("sessionId");
        Upload u = upload(acc, sessionId);
        String chunk = in.get("chunk");
        byte[] data;
        try {
            data = chunk == null ? new byte[0] : Base64.getDecoder().decode(stripWhitespace(chunk));
        } catch (IllegalArgumentException e) {
            throw SimFault.client("Invalid base64 data in chunk: " + e.getMessage());
        }
        synchronized (u) {
            if (u.consumed) {
                throw SimFault.client("Unknown upload session " + sessionId);
            }
            try (OutputStream out = Files.newOutputStream(u.file, StandardOpenOption.APPEND)) {
                out.write(data);
            } catch (IOException e) {
                throw SimFault.server("Cannot store chunk: " + e.getMessage());
            }
            u.sha256.update(data);
            u.bytes += data.length;
            return List.of(part("file_size", integer(u.bytes)));
        }
    }

    private List<Part> sendFax(Account acc, Args in) {
        String sessionId = in.trimmed("sessionId");
        Upload u = upload(acc, sessionId);
        SentFax fax;
        synchronized (u) {
            if (u.consumed) {
                throw SimFault.client("Unknown upload session " + sessionId);
            }
            String modem = in.trimmed("faxModem");
            if (!modems.contains(modem)) {
                throw SimFault.client("Unknown fax modem " + modem);
            }
            List<String> destinations = new ArrayList<>();
            for (String d : in.trimmed("destNumbers").split(",", -1)) {
                String n = d.trim();
                if (!DESTINATION.matcher(n).matches()) {
                    throw SimFault.client("Invalid destination number '" + n + "'");
                }
                destinations.add(n);
            }
            boolean useCover = in.bool("useCover");
            Map<String, String> cover = new LinkedHashMap<>();
            for (String p : COVER_PARTS) {
                String v = in.get(p);
                if (v != null) {
                    cover.put(p, v);
                }
            }
            synchronized (acc) {
                BigDecimal cost = FAX_COST_PER_DESTINATION.multiply(BigDecimal.valueOf(destinations.size()));
                requireCredit(acc, cost);
                if (u.bytes == 0) {
                    throw SimFault.client("Uploaded document is empty");
                }
                if (!startsWithPdfMagic(u.file)) {
                    throw SimFault.client("Uploaded document is not a PDF");
                }
                charge(acc, cost);
            }
            u.consumed = true;
            uploads.remove(sessionId, u);
            fax = new SentFax(sessionId, acc.login, modem, destinations, useCover, cover, u.file, u.bytes,
                    HexFormat.of().formatHex(u.sha256.digest()), Instant.now());
        }
        synchronized (sentFaxes) {
            sentFaxes.add(fax);
        }
        LOG.debug("Fax {} ({} bytes) sent by {} through {} to {}", fax.sessionId(), fax.bytes(), acc.login,
                fax.modem(), fax.destinations());
        return List.of(part("ok", bool(true)));
    }

    private static boolean startsWithPdfMagic(Path file) {
        byte[] magic = "%PDF-".getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(magic.length);
            return java.util.Arrays.equals(head, magic);
        } catch (IOException e) {
            throw SimFault.server("Cannot read uploaded document: " + e.getMessage());
        }
    }

    // ---- call log generation ----------------------------------------------------------------------------------

    private List<String> externalNumberPool() {
        List<String> pool = new ArrayList<>();
        synchronized (random) {
            for (int i = 0; i < 14; i++) {
                int kind = random.nextInt(10);
                String n;
                if (kind < 4) {
                    n = "+3491" + digits(7); // Madrid landline
                } else if (kind < 7) {
                    n = "+346" + digits(8); // Spanish mobile
                } else if (kind < 8) {
                    n = "+3493" + digits(7); // Barcelona landline
                } else if (kind < 9) {
                    n = "+44207" + digits(7); // London
                } else {
                    n = "+1212" + digits(7); // New York
                }
                pool.add(n);
            }
        }
        return pool;
    }

    private String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        sb.append(1 + random.nextInt(9));
        for (int i = 1; i < n; i++) {
            sb.append(random.nextInt(10));
        }
        return sb.toString();
    }

    private void seedCalls(int perAccount) {
        long now = Instant.now().getEpochSecond();
        long window = 7L * 24 * 3600;
        record Slot(Account account, long time) {
        }
        List<Slot> slots = new ArrayList<>();
        synchronized (random) {
            for (Account a : accounts.values()) {
                for (int i = 0; i < perAccount; i++) {
                    slots.add(new Slot(a, now - 120 - (long) (random.nextDouble() * window)));
                }
            }
        }
        slots.sort((x, y) -> Long.compare(x.time, y.time));
        for (Slot s : slots) {
            s.account.log.add(randomCall(s.account, s.time, true));
        }
    }

    /** Appends a new realistic call, dated now, to every account's log (the call trickle). */
    void trickle() {
        long now = Instant.now().getEpochSecond();
        for (Account a : accounts.values()) {
            a.log.add(randomCall(a, now, true));
        }
    }

    /** Appends a realistic call made at {@code calldate} (in the past: a call the PBX writes late) with the next id. */
    SimCall addCall(String login, long calldate) {
        Account a = account(login);
        return a.log.add(randomCall(a, calldate, true));
    }

    /** {@link #addCall}, answered by C_getCalls with the {@code wire} text instead of those fields' values. */
    SimCall addCorruptCall(String login, long calldate, Map<String, String> wire) {
        Account a = account(login);
        return a.log.add(randomCall(a, calldate, true), wire);
    }

    /**
     * Appends {@code n} realistic calls without tags, their calldates spread evenly from {@code from} to {@code to}
     * (UNIX seconds), ids increasing.
     */
    void addCalls(String login, int n, long from, long to) {
        Account a = account(login);
        double step = n > 1 ? (double) (to - from) / (n - 1) : 0;
        for (int i = 0; i < n; i++) {
            a.log.add(randomCall(a, from + (long) (i * step), false));
        }
    }

    private CallLog.NewCall randomCall(Account acc, long calldate, boolean withTags) {
        synchronized (random) {
            String ext1 = String.valueOf(FIRST_EXTENSION + random.nextInt(EXTENSION_COUNT));
            String ext2;
            do {
                ext2 = String.valueOf(FIRST_EXTENSION + random.nextInt(EXTENSION_COUNT));
            } while (ext2.equals(ext1));
            String external = acc.externalNumbers.get(random.nextInt(acc.externalNumbers.size()));
            int kind = random.nextInt(100);
            String src;
            String dst;
            if (kind < 40) {
                src = ext1;
                dst = external;
            } else if (kind < 78) {
                src = external;
                dst = ext1;
            } else {
                src = ext1;
                dst = ext2;
            }
            int d = random.nextInt(100);
            String disposition = d < 62 ? "ANSWERED" : d < 84 ? "NO ANSWER" : d < 94 ? "BUSY" : "CANCEL";
            boolean answered = disposition.equals("ANSWERED");
            int duration = answered ? Math.min(3600, 3 + (int) (-Math.log(1 - random.nextDouble()) * 140)) : 0;
            boolean recorded = answered && random.nextInt(100) < 35;
            boolean extSrcRecorded = false;
            boolean extDstRecorded = false;
            if (recorded && random.nextInt(100) < 60) {
                if (SimCall.isExtension(src) && (!SimCall.isExtension(dst) || random.nextBoolean())) {
                    extSrcRecorded = true;
                } else {
                    extDstRecorded = true;
                }
            }
            List<SimCall.Tag> tags = new ArrayList<>();
            if (withTags && random.nextInt(100) < 35) {
                int n = random.nextInt(100) < 25 ? 2 : 1;
                List<String> pool = new ArrayList<>(TAGS);
                for (int i = 0; i < n; i++) {
                    tags.add(new SimCall.Tag(nextTagId.getAndIncrement(), pool.remove(random.nextInt(pool.size()))));
                }
            }
            return new CallLog.NewCall(src, dst, duration, disposition, channelSequence.getAndIncrement(), recorded,
                    calldate, cost(src, dst, duration), extSrcRecorded, extDstRecorded, tags);
        }
    }

    /** Outgoing calls are billed per started minute; incoming and internal calls are free. */
    private static BigDecimal cost(String src, String dst, int duration) {
        if (duration == 0 || !SimCall.isExtension(src) || SimCall.isExtension(dst)) {
            return BigDecimal.ZERO;
        }
        BigDecimal perMinute;
        if (dst.startsWith("+346")) {
            perMinute = new BigDecimal("0.045");
        } else if (dst.startsWith("+34")) {
            perMinute = new BigDecimal("0.012");
        } else {
            perMinute = new BigDecimal("0.09");
        }
        return perMinute.multiply(BigDecimal.valueOf((duration + 59) / 60)).setScale(4, RoundingMode.HALF_UP);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String stripWhitespace(String s) {
        boolean any = false;
        for (int i = 0; i < s.length() && !any; i++) {
            any = Character.isWhitespace(s.charAt(i));
        }
        if (!any) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static int parseIntOr(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLongOr(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
