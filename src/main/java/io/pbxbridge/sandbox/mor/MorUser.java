package io.pbxbridge.sandbox.mor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MOR user of a {@link MorSimulator} and everything its pages show: personal details, balance and credit,
 * devices and their call flows, display currency, payments, invoices, subscriptions, the call list (missed calls and
 * their processed flags among them), CLIs, phonebook, faxes and the callbacks it asked for. Thread-safe.
 *
 * <p>Money is kept in USD and shown in the user's currency ({@link #currency()}, changed by the Change currency
 * page, which MOR keeps per user here, not per session). An outgoing answered call costs its direction's rate per
 * minute times its duration (per second, to 4 decimals), taken from the balance; a payment adds to it. A callback
 * is refused when the balance is used up ({@code balance + credit <= 0}; a credit of "No Limit" never refuses).
 */
public final class MorUser {

    /** The 18 editable fields of the personal details page, in its order (other_details, then registration). */
    static final List<String> EDITABLE_DETAILS = List.of("username", "surname", "personalid", "agreement_number",
            "agreement_date", "taxation_country", "vat_reg_number", "vat_percent", "reg_address", "reg_postcode",
            "reg_city", "reg_country", "reg_state", "reg_direction", "reg_phone", "reg_mobile", "reg_fax",
            "reg_email");

    /** Call-flow types ({@code cft}) and the call states the Call Flow page shows for them, in its order. */
    static final Map<String, String> CALL_STATES = new LinkedHashMap<>();

    static {
        CALL_STATES.put("before_call", "Before call");
        CALL_STATES.put("call", "Call");
        CALL_STATES.put("hangup", "Answered");
        CALL_STATES.put("noanswer", "No answer");
        CALL_STATES.put("busy", "Busy");
        CALL_STATES.put("failed", "Failed");
    }

    /**
     * A device of the Devices page.
     *
     * @param id the device's id ({@code acc}, the {@code %device_id%} of the call-flow pages)
     * @param type {@code SIP}, {@code IAX2} or {@code FAX}
     * @param password the SIP/IAX2 secret the Devices page shows (a secret: never logged)
     */
    public record Device(int id, String type, String extension, String description, String username,
                         String password, Instant lastRegistered) {

        /** {@code IAX2/101}: the name the call-flow and CLI pages give it. */
        public String name() {
            return type + "/" + extension;
        }

        public boolean fax() {
            return "FAX".equals(type);
        }

        String icon() {
            return fax() ? "fax.png" : "phone.png";
        }
    }

    /** What a call state of a device's call flow does. */
    public enum FlowAction {
        /** Nothing set: the state's default ({@code -}, {@code Dial(...)} for Call, {@code Hangup} for Answered). */
        EMPTY,
        FORWARD,
        VOICEMAIL,
        FAXDETECT
    }

    /**
     * One call state of a device's call flow.
     *
     * @param targetDevice the device forwarded to (FORWARD to a local device, FAXDETECT), or 0
     * @param externalNumber the number forwarded to (FORWARD to an external number), or null
     */
    public record Flow(FlowAction action, int targetDevice, String externalNumber) {
        static final Flow EMPTY = new Flow(FlowAction.EMPTY, 0, null);
    }

    /** A CLI (caller id) of the CallerIDs page. */
    public record Cli(int id, int deviceId, String number, String description, Instant addedAt) {
    }

    /** A phonebook entry; the page shows no id ({@code /phonebooks/destroy/%entryid%} takes it or the number). */
    public record PhonebookEntry(int id, String number, String name, Instant added) {
    }

    /** A payment of the Payments page. */
    public record Payment(Instant date, Instant confirmed, String type, BigDecimal amount, BigDecimal vatPercent,
                          String currency, boolean completed) {
        BigDecimal amountWithVat() {
            return amount.multiply(BigDecimal.ONE.add(vatPercent.movePointLeft(2))).setScale(2, RoundingMode.HALF_UP)
                    .stripTrailingZeros();
        }
    }

    /** An invoice of the Invoices page ({@code paidDate} null while not paid). */
    public record Invoice(String number, Instant periodStart, Instant periodEnd, Instant issued, Instant paidDate,
                          BigDecimal price, BigDecimal vatPercent) {
        BigDecimal priceWithVat() {
            return price.multiply(BigDecimal.ONE.add(vatPercent.movePointLeft(2))).setScale(2, RoundingMode.HALF_UP)
                    .stripTrailingZeros();
        }
    }

    /** A subscription of the User subscriptions page ({@code price} in USD). */
    public record Subscription(String service, Instant added, Instant activationStart, Instant activationEnd,
                               BigDecimal price) {
    }

    /** What a user's data is made with. */
    record Env(Clock clock, ZoneId zone, AtomicLong callIds, AtomicInteger deviceIds, Random random) {
    }

    private final int id;
    private final String username;
    private final String password;
    private final Env env;
    private final CallStore calls;

    // guarded by this
    private final Map<String, String> details = new LinkedHashMap<>();
    private String alias;
    private String account;
    private BigDecimal balanceUsd;
    private BigDecimal creditUsd; // null = No Limit
    private String currency = "USD";
    private final List<Device> devices = new ArrayList<>();
    private final Map<Integer, Map<String, Flow>> flows = new LinkedHashMap<>();
    private final List<Payment> payments = new ArrayList<>();
    private final List<Invoice> invoices = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Set<Long> processed = new HashSet<>();
    private final List<Cli> clis = new ArrayList<>();
    private int nextCliId = 1;
    private final List<PhonebookEntry> phonebook = new ArrayList<>();
    private int nextEntryId = 1;
    private final List<MorFax> faxes = new ArrayList<>();
    private long nextFaxId = 1;
    private final List<MorCallback> callbacks = new ArrayList<>();

    MorUser(int id, String username, String password, int index, Env env, int initialCalls) {
        this.id = id;
        this.username = username;
        this.password = password;
        this.env = env;
        this.calls = new CallStore(id);
        sample(index, initialCalls);
    }

    // ---- sample data --------------------------------------------------------------------------------------------

    private void sample(int index, int initialCalls) {
        Instant now = now();
        boolean demo = index == 0;
        String first = demo ? "Demo" : capitalize(username);
        String ext = Integer.toString(100 * (index + 1));
        alias = Integer.toString(100 * (index + 1) + 1);
        account = "Postpaid";
        balanceUsd = new BigDecimal("100");
        creditUsd = new BigDecimal("50");
        String[] values = {first, demo ? "User" : "Sandbox", "", String.format(Locale.ROOT, "%07d", id),
                "2024-01-15", "Lithuania", "", "15.0", "Gedimino pr. " + (index + 1), "01103", "Vilnius",
                "Lithuania", "", "Lithuania", "3705212" + ext + "1", "3706123" + ext + "1", "3705212" + ext + "9",
                username + "@example.com"};
        for (int i = 0; i < values.length; i++) {
            details.put(EDITABLE_DETAILS.get(i), values[i]);
        }
        Instant registered = now.minus(Duration.ofMinutes(17)).truncatedTo(ChronoUnit.SECONDS);
        int base = 100 * (index + 1);
        devices.add(new Device(env.deviceIds().incrementAndGet(), "SIP", Integer.toString(base + 1), "Office phone",
                Integer.toString(base + 1), secret(8), registered));
        devices.add(new Device(env.deviceIds().incrementAndGet(), "FAX", Integer.toString(base + 2), "Fax machine",
                Integer.toString(base + 2), secret(8), registered.minus(Duration.ofHours(3))));
        devices.add(new Device(env.deviceIds().incrementAndGet(), "IAX2", Integer.toString(base + 3),
                "Softphone", Integer.toString(base + 3), secret(8), registered.minus(Duration.ofDays(2))));
        for (Device d : devices) {
            Map<String, Flow> f = new LinkedHashMap<>();
            CALL_STATES.keySet().forEach(cft -> f.put(cft, Flow.EMPTY));
            if (!d.fax()) {
                f.put("busy", new Flow(FlowAction.VOICEMAIL, 0, null));
            }
            flows.put(d.id(), f);
        }
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        payments.add(new Payment(day.minus(Duration.ofDays(40)).plusSeconds(20491),
                day.minus(Duration.ofDays(40)).plusSeconds(31320), "Manual", new BigDecimal("10"),
                new BigDecimal("15.0"), "USD", true));
        payments.add(new Payment(day.minus(Duration.ofDays(9)).plusSeconds(20491),
                day.minus(Duration.ofDays(9)).plusSeconds(31320), "Paypal", new BigDecimal("20"),
                new BigDecimal("15.0"), "EUR", true));
        for (int m = 2; m >= 1; m--) {
            Instant start = day.minus(Duration.ofDays(30L * m));
            Instant end = start.plus(Duration.ofDays(30)).minusSeconds(1);
            invoices.add(new Invoice(String.format(Locale.ROOT, "INV%04d%02d", id, 3 - m), start, end,
                    end.plusSeconds(3600), m == 2 ? end.plus(Duration.ofDays(5)) : null,
                    new BigDecimal(m == 2 ? "10" : "12.4"), new BigDecimal("15.0")));
        }
        subscriptions.add(new Subscription("Call recording", day.minus(Duration.ofDays(60)),
                day.minus(Duration.ofDays(60)), day.plus(Duration.ofDays(305)), new BigDecimal("5")));
        subscriptions.add(new Subscription("Virtual fax number", day.minus(Duration.ofDays(20)),
                day.minus(Duration.ofDays(20)), day.plus(Duration.ofDays(345)), new BigDecimal("10")));
        clis.add(new Cli(nextCliId++, devices.get(0).id(), "3705212" + ext + "0", "Main line",
                day.minus(Duration.ofDays(100)).plusSeconds(49867)));
        clis.add(new Cli(nextCliId++, devices.get(2).id(), "3706123" + ext + "0", "Mobile",
                day.minus(Duration.ofDays(50)).plusSeconds(40000)));
        phonebook.add(new PhonebookEntry(nextEntryId++, "12125551234", "New York office",
                day.minus(Duration.ofDays(30)).plusSeconds(56645)));
        phonebook.add(new PhonebookEntry(nextEntryId++, "442071234567", "London office",
                day.minus(Duration.ofDays(20)).plusSeconds(36000)));
        phonebook.add(new PhonebookEntry(nextEntryId++, "37061111111", "Support",
                day.minus(Duration.ofDays(2)).plusSeconds(50000)));

        // calls spread over the last 7 days, the last one a minute ago; never "new" (arrived at epoch 0)
        if (initialCalls > 0) {
            long from = now.minus(Duration.ofDays(7)).getEpochSecond();
            long to = now.minusSeconds(60).getEpochSecond();
            List<CallStore.NewCall> list = new ArrayList<>(initialCalls);
            for (int i = 0; i < initialCalls; i++) {
                long date = initialCalls == 1 ? to : from + (to - from) * i / (initialCalls - 1);
                CallStore.NewCall c = randomCall(date, 0);
                list.add(c);
                charge(c);
            }
            calls.addAll(list);
            // the older missed calls were seen to already
            CallStore.Snapshot s = calls.snapshot();
            long today = startOfDay(now).getEpochSecond();
            for (int k = 0; k < s.size; k++) {
                int i = s.at(k);
                if (s.missed(i) && s.date(i) < today && (s.id(i) & 1) == 0) {
                    processed.add(s.id(i));
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            Instant t = now.minus(Duration.ofDays(6 - 2L * i)).truncatedTo(ChronoUnit.SECONDS);
            addFaxAt(t, i == 1 ? "" : MorData.randomNumber(env.random()), i == 2 ? "Failed" : "Received");
        }
    }

    private String secret(int n) {
        String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(env.random().nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private Instant now() {
        return env.clock().instant();
    }

    private Instant startOfDay(Instant t) {
        return LocalDate.ofInstant(t, env.zone()).atStartOfDay(env.zone()).toInstant();
    }

    // ---- identity -----------------------------------------------------------------------------------------------

    /** The user's id ({@code user_id}, the pages' {@code userid}). */
    public int id() {
        return id;
    }

    /** The login name. */
    public String username() {
        return username;
    }

    String password() {
        return password;
    }

    /** "First Last" from the personal details: the Main and Calls pages' {@code username}. */
    public synchronized String displayName() {
        return (details.get("username") + " " + details.get("surname")).trim();
    }

    // ---- money --------------------------------------------------------------------------------------------------

    /** The balance in USD. */
    public synchronized BigDecimal balance() {
        return balanceUsd;
    }

    public synchronized void setBalance(BigDecimal usd) {
        this.balanceUsd = Objects.requireNonNull(usd, "usd");
    }

    /** The credit in USD; null = "No Limit". */
    public synchronized BigDecimal credit() {
        return creditUsd;
    }

    /** Sets the credit in USD; null = "No Limit". */
    public synchronized void setCredit(BigDecimal usd) {
        this.creditUsd = usd;
    }

    /** "Postpaid" or "Prepaid". */
    public synchronized String account() {
        return account;
    }

    public synchronized void setAccount(String account) {
        this.account = Objects.requireNonNull(account, "account");
    }

    /** The display currency of the user's pages (USD or EUR). */
    public synchronized String currency() {
        return currency;
    }

    /** Sets the display currency; false (and nothing changed) for a currency the server does not know. */
    synchronized boolean changeCurrency(String code) {
        String c = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
        if (!MorData.CURRENCIES.containsKey(c)) {
            return false;
        }
        currency = c;
        return true;
    }

    /** Records a completed manual payment of {@code amount} (in {@code currency}) and adds it to the balance. */
    public synchronized Payment addPayment(BigDecimal amount, String currency) {
        BigDecimal perUsd = MorData.CURRENCIES.get(currency);
        if (perUsd == null) {
            throw new IllegalArgumentException("Unknown currency " + currency);
        }
        Instant t = now().truncatedTo(ChronoUnit.SECONDS);
        Payment p = new Payment(t, t, "Manual", amount, vatPercent(), currency, true);
        payments.add(p);
        balanceUsd = balanceUsd.add(amount.divide(perUsd, 4, RoundingMode.HALF_UP));
        return p;
    }

    synchronized BigDecimal vatPercent() {
        try {
            return new BigDecimal(details.getOrDefault("vat_percent", "0"));
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    synchronized String alias() {
        return alias;
    }

    // ---- details ------------------------------------------------------------------------------------------------

    /** The 18 editable personal details, by their element names (a copy). */
    public synchronized Map<String, String> personalDetails() {
        return new LinkedHashMap<>(details);
    }

    /** Sets the details given (unknown names ignored); the failure's message, or null when done. */
    synchronized String updateDetails(Map<String, String> values) {
        String email = values.get("reg_email");
        if (email != null && !email.isEmpty() && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            return "Email is not valid";
        }
        String vat = values.get("vat_percent");
        if (vat != null && !vat.isEmpty()) {
            try {
                new BigDecimal(vat);
            } catch (NumberFormatException e) {
                return "VAT percent is not a number";
            }
        }
        String first = values.get("username");
        if (first != null && first.isBlank()) {
            return "First name cannot be empty";
        }
        for (String name : EDITABLE_DETAILS) {
            if (values.containsKey(name)) {
                details.put(name, values.get(name));
            }
        }
        return null;
    }

    // ---- devices and call flows ---------------------------------------------------------------------------------

    public synchronized List<Device> devices() {
        return List.copyOf(devices);
    }

    /** The user's device with this id, or null. */
    public synchronized Device device(int deviceId) {
        for (Device d : devices) {
            if (d.id() == deviceId) {
                return d;
            }
        }
        return null;
    }

    synchronized Device deviceByExtension(String extension) {
        for (Device d : devices) {
            if (d.extension().equals(extension)) {
                return d;
            }
        }
        return null;
    }

    /** The call flow of a call state ({@code cft}: before_call, call, hangup, noanswer, busy, failed), or null. */
    public synchronized Flow flow(int deviceId, String cft) {
        Map<String, Flow> f = flows.get(deviceId);
        return f == null ? null : f.get(cft);
    }

    synchronized void setFlow(int deviceId, String cft, Flow flow) {
        flows.get(deviceId).put(cft, flow);
    }

    /** What the Call Flow page shows as the {@code callflow_action} of a state. */
    public synchronized String flowText(int deviceId, String cft) {
        Device d = device(deviceId);
        Flow f = flow(deviceId, cft);
        if (d == null || f == null) {
            return null;
        }
        return switch (f.action()) {
            case EMPTY -> "call".equals(cft) ? "Dial(" + d.name() + ")" : "hangup".equals(cft) ? "Hangup" : "-";
            case VOICEMAIL -> "Voicemail";
            case FORWARD -> f.externalNumber() != null ? "Forward(" + f.externalNumber() + ")"
                    : f.targetDevice() != 0 && device(f.targetDevice()) != null
                            ? "Forward(" + device(f.targetDevice()).name() + ")" : "Forward";
            case FAXDETECT -> f.targetDevice() != 0 && device(f.targetDevice()) != null
                    ? "Fax detect(" + device(f.targetDevice()).name() + ")" : "Fax detect";
        };
    }

    // ---- calls --------------------------------------------------------------------------------------------------

    CallStore store() {
        return calls;
    }

    /** Every call of the list, in date order (calls of the same second in the order they were added). */
    public List<MorCall> calls() {
        return calls.calls();
    }

    public int callCount() {
        return calls.size();
    }

    /** The call with this id, or null. */
    public MorCall call(long callId) {
        return calls.find(callId);
    }

    /** A realistic call (random direction, number, outcome, duration) made at {@code date}. */
    public MorCall addCall(Instant date) {
        synchronized (this) {
            CallStore.NewCall c = randomCall(date.getEpochSecond(), arrival(date));
            charge(c);
            return calls.add(c);
        }
    }

    /**
     * Adds a call. It is outgoing when {@code from} is the extension of one of the user's devices (that device made
     * it), incoming when {@code to} is (that device took it), else outgoing from the first device (a call with a
     * CLI as {@code from}). The destination and the price come from the external number's direction; only an
     * answered outgoing call costs anything. A date older than the latest call's is a call written late: it takes
     * its place by date, after the calls of the same second.
     */
    public MorCall addCall(Instant date, String from, String to, int durationSeconds, String hangupCause) {
        synchronized (this) {
            CallStore.NewCall c = call(date.getEpochSecond(), arrival(date), from, to, durationSeconds, hangupCause);
            charge(c);
            return calls.add(c);
        }
    }

    /** An incoming call from {@code from} to the first device, not answered (No Answer, 25 s of ringing). */
    public MorCall addMissedCall(Instant date, String from) {
        return addCall(date, from, devices().get(0).extension(), 25, MorCall.NO_ANSWER);
    }

    /** Adds {@code n} realistic calls with dates spread evenly from {@code from} to {@code to} (both included). */
    public void addCalls(int n, Instant from, Instant to) {
        if (n < 0 || to.isBefore(from)) {
            throw new IllegalArgumentException("addCalls: " + n + " calls from " + from + " to " + to);
        }
        long a = from.getEpochSecond();
        long b = to.getEpochSecond();
        long arrived = now().getEpochSecond();
        synchronized (this) {
            // in chunks, so that a million calls never exist as a million objects at once
            int chunk = 8192;
            List<CallStore.NewCall> list = new ArrayList<>(Math.min(n, chunk));
            for (int i = 0; i < n; i++) {
                long date = n == 1 ? a : a + (b - a) * i / (n - 1);
                CallStore.NewCall c = randomCall(date, arrived);
                charge(c);
                list.add(c);
                if (list.size() == chunk) {
                    calls.addAll(list);
                    list.clear();
                }
            }
            calls.addAll(list);
        }
    }

    private long arrival(Instant date) {
        return Math.max(now().getEpochSecond(), date.getEpochSecond());
    }

    private CallStore.NewCall randomCall(long date, long arrived) {
        Random r = env.random();
        List<Device> phones = devices.stream().filter(d -> !d.fax()).toList();
        Device device = phones.get(r.nextInt(phones.size()));
        String number = MorData.randomNumber(r);
        boolean out = r.nextInt(100) < 60;
        int p = r.nextInt(100);
        String cause;
        int duration;
        if (out) {
            cause = p < 80 ? MorCall.ANSWERED : p < 90 ? MorCall.NO_ANSWER : p < 96 ? MorCall.BUSY : MorCall.FAILED;
        } else {
            cause = p < 70 ? MorCall.ANSWERED : p < 95 ? MorCall.NO_ANSWER : MorCall.BUSY;
        }
        duration = switch (cause) {
            case MorCall.ANSWERED -> 5 + r.nextInt(900);
            case MorCall.NO_ANSWER -> 5 + r.nextInt(36);
            default -> r.nextInt(4);
        };
        return out ? call(date, arrived, device.extension(), number, duration, cause)
                : call(date, arrived, number, device.extension(), duration, cause);
    }

    private CallStore.NewCall call(long date, long arrived, String from, String to, int duration, String cause) {
        if (duration < 0) {
            throw new IllegalArgumentException("duration " + duration);
        }
        Device byFrom = deviceByExtension(from);
        Device byTo = deviceByExtension(to);
        boolean out = byFrom != null || byTo == null;
        Device device = byFrom != null ? byFrom : byTo != null ? byTo : devices.get(0);
        String external = out ? to : from;
        BigDecimal price = out && MorCall.ANSWERED.equals(cause)
                ? MorData.rateUsd(external).multiply(BigDecimal.valueOf(duration))
                        .divide(BigDecimal.valueOf(60), CallStore.PRICE_SCALE, RoundingMode.HALF_UP)
                : BigDecimal.ZERO;
        return new CallStore.NewCall(env.callIds().incrementAndGet(), date, arrived, from, to,
                MorData.destinationText(external), duration, cause, price, device.id(), out);
    }

    private void charge(CallStore.NewCall c) {
        balanceUsd = balanceUsd.subtract(c.priceUsd());
    }

    /** The missed calls (incoming, not answered), in date order. */
    public List<MorCall> missedCalls() {
        return calls().stream().filter(MorCall::missed).toList();
    }

    /** Whether the missed call is marked processed. */
    public synchronized boolean processed(long callId) {
        return processed.contains(callId);
    }

    synchronized Set<Long> processedIds() {
        return new HashSet<>(processed);
    }

    /** Marks a missed call processed or not; false when the user has no such missed call. */
    synchronized boolean setProcessed(long callId, boolean value) {
        MorCall c = calls.find(callId);
        if (c == null || !c.missed()) {
            return false;
        }
        if (value) {
            processed.add(callId);
        } else {
            processed.remove(callId);
        }
        return true;
    }

    /**
     * A random call or missed call at the current time (the sandbox trickle), now and then a fax. When the calls
     * have used the balance up to less than 10 USD of what the credit allows, a 100 USD "Paypal" payment comes in,
     * so that a sandbox running for days can still call back.
     */
    void trickle() {
        Instant now = now().truncatedTo(ChronoUnit.SECONDS);
        addCall(now);
        if (env.random().nextInt(10) == 0) {
            addFax(now, MorData.randomNumber(env.random()));
        }
        synchronized (this) {
            BigDecimal left = creditUsd == null ? null : balanceUsd.add(creditUsd);
            if (left != null && left.compareTo(BigDecimal.TEN) < 0) {
                Payment p = new Payment(now, now, "Paypal", new BigDecimal("100"), vatPercent(), "USD", true);
                payments.add(p);
                balanceUsd = balanceUsd.add(p.amount());
            }
        }
    }

    // ---- CLIs, phonebook, faxes, callbacks ----------------------------------------------------------------------

    public synchronized List<Cli> clis() {
        return List.copyOf(clis);
    }

    /** Adds a CLI; null when it cannot be (no such device, no digits, already there). */
    synchronized Cli addCli(int deviceId, String number, String description) {
        if (device(deviceId) == null || number == null || !number.matches("\\+?[0-9]{3,20}")) {
            return null;
        }
        for (Cli c : clis) {
            if (c.number().equals(number)) {
                return null;
            }
        }
        Cli c = new Cli(nextCliId++, deviceId, number, description == null ? "" : description,
                now().truncatedTo(ChronoUnit.SECONDS));
        clis.add(c);
        return c;
    }

    public synchronized List<PhonebookEntry> phonebook() {
        return List.copyOf(phonebook);
    }

    synchronized PhonebookEntry addPhonebookEntry(String number, String name) {
        PhonebookEntry e = new PhonebookEntry(nextEntryId++, number, name, now().truncatedTo(ChronoUnit.SECONDS));
        phonebook.add(e);
        return e;
    }

    /** Deletes the entry with this id, else the first with this number; false when there is none. */
    synchronized boolean deletePhonebookEntry(String idOrNumber) {
        if (idOrNumber == null || idOrNumber.isEmpty()) {
            return false;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < phonebook.size(); i++) {
                PhonebookEntry e = phonebook.get(i);
                if (pass == 0 ? Integer.toString(e.id()).equals(idOrNumber) : e.number().equals(idOrNumber)) {
                    phonebook.remove(i);
                    return true;
                }
            }
        }
        return false;
    }

    /** The faxes, by receive time. */
    public synchronized List<MorFax> faxes() {
        return List.copyOf(faxes);
    }

    /** A fax received now or at {@code time} by the first FAX device from {@code sender}. */
    public synchronized MorFax addFax(Instant time, String sender) {
        return addFaxAt(time.truncatedTo(ChronoUnit.SECONDS), sender, "Received");
    }

    private MorFax addFaxAt(Instant time, String sender, String status) {
        Device fax = devices.stream().filter(Device::fax).findFirst().orElseThrow();
        long faxId = nextFaxId++;
        MorFax f = new MorFax(faxId, fax.id(), fax.name(),
                "Received".equals(status) ? "fax_" + id + "_" + faxId + ".pdf" : "", time, sender, status);
        int at = faxes.size();
        while (at > 0 && faxes.get(at - 1).receiveTime().isAfter(time)) {
            at--;
        }
        faxes.add(at, f);
        return f;
    }

    public synchronized List<MorCallback> callbacks() {
        return Collections.unmodifiableList(new ArrayList<>(callbacks));
    }

    /** Activates a callback: a call from {@code src} to {@code dst} on {@code acc}; the failure's text or null. */
    synchronized String callback(String src, String dst, String accText) {
        if (src == null || src.isEmpty()) {
            return "Source number is empty";
        }
        if (dst == null || dst.isEmpty()) {
            return "Destination number is empty";
        }
        if (!src.matches("\\+?[0-9]{2,20}") || !dst.matches("\\+?[0-9]{2,20}")) {
            return "Invalid number";
        }
        int acc;
        try {
            acc = Integer.parseInt(accText == null ? "" : accText.trim());
        } catch (NumberFormatException e) {
            return "Device was not found";
        }
        Device d = device(acc);
        if (d == null || d.fax()) {
            return "Device was not found";
        }
        if (creditUsd != null && balanceUsd.add(creditUsd).signum() <= 0) {
            return "Insufficient balance";
        }
        Instant at = now().truncatedTo(ChronoUnit.SECONDS);
        int duration = 20 + env.random().nextInt(220);
        CallStore.NewCall c = call(at.getEpochSecond(), at.getEpochSecond(), src, dst, duration, MorCall.ANSWERED);
        // the device's account pays: an outgoing call of that device, whatever src is
        c = new CallStore.NewCall(c.id(), c.date(), c.arrived(), src, dst, MorData.destinationText(dst), duration,
                MorCall.ANSWERED, MorData.rateUsd(dst).multiply(BigDecimal.valueOf(duration))
                        .divide(BigDecimal.valueOf(60), CallStore.PRICE_SCALE, RoundingMode.HALF_UP), acc, true);
        charge(c);
        MorCall call = calls.add(c);
        callbacks.add(new MorCallback(id, src, dst, acc, at, call.id()));
        return null;
    }

    // ---- read by the pages --------------------------------------------------------------------------------------

    synchronized List<Payment> payments() {
        return List.copyOf(payments);
    }

    synchronized List<Invoice> invoices() {
        return List.copyOf(invoices);
    }

    synchronized List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }
}
