package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pbxbridge.sandbox.mor.MorSimulator;
import io.pbxbridge.vendor.VendorException.Kind;

/** Every operation of the mor component against the MOR simulator over HTTP: its typed result and its failures. */
class MorComponentTest {

    static MorSim mor;

    @BeforeAll
    static void start() {
        mor = MorSim.start();
    }

    @AfterAll
    static void stop() {
        mor.close();
    }

    @BeforeEach
    void reset() {
        mor.sim.faults().reset();
        mor.sim.requireHash(true);
    }

    static MorFaultException fault(String uri, Map<String, Object> headers, String code, String vendorMessage) {
        MorFaultException f = assertInstanceOf(MorFaultException.class, mor.failure(uri, headers));
        assertEquals(code, f.getCode(), f.getMessage());
        if (vendorMessage != null) {
            assertEquals(vendorMessage, f.getVendorMessage(), f.getMessage());
            assertTrue(f.getMessage().contains(vendorMessage), f.getMessage());
        }
        assertEquals(Kind.REFUSED, f.getKind());
        assertFalse(f.isTransient());
        return f;
    }

    static Map<String, Object> week() {
        Instant now = Instant.now();
        return Map.of(MorConstants.PERIOD_START, now.minus(Duration.ofDays(8)), MorConstants.PERIOD_END,
                now.plusSeconds(60));
    }

    // ---- 1. login page ----

    @Test
    void loginFormAndLogin() {
        LoginForm form = mor.call("loginForm", LoginForm.class);
        assertEquals("en", form.language());
        assertEquals(List.of("en", "ru"), form.availableLanguages());
        assertNull(form.errorMessage());

        MorAction ok = mor.call("login", MorAction.class);
        assertEquals("login", ok.name());
        assertEquals("ok", ok.status());
        assertEquals("Succesfully logged in", ok.statusMessage());

        MorAuthenticationException bad = assertInstanceOf(MorAuthenticationException.class,
                mor.failure("login?password=wrong-password"));
        assertEquals(MorAuthenticationException.LOGIN_FAILED, bad.getCode());
        assertEquals("Invalid username or password", bad.getVendorMessage());
        assertTrue(bad.getMessage().contains("'demo'"), bad.getMessage());
        assertFalse(bad.getMessage().contains("wrong-password"), bad.getMessage());
        assertTrue(bad.provesNotExecuted());
    }

    // ---- 2. main page, 3. details, 4. devices ----

    @Test
    void mainPage() {
        MainPage main = mor.call("mainPage", MainPage.class);
        assertEquals("2", main.userId());
        assertEquals("en", main.language());
        assertEquals(0, mor.sim.balance().setScale(2, java.math.RoundingMode.HALF_UP).compareTo(main.balance().amount()),
                main.balance().toString());
        assertEquals("USD", main.balance().currency());
        assertEquals("50 USD", main.credit().replace(".00", ""));
        assertEquals("Postpaid", main.account());
        assertEquals(List.of("Month", "Day"), main.callHistory().stream().map(MainPage.CallHistory::period).toList());
        assertTrue(main.callHistory().get(0).callCount() >= main.callHistory().get(1).callCount());
        assertNotNull(main.callHistory().get(0).duration());
        assertNotNull(main.missedTotal());
        assertEquals(List.of(), main.repairs());
        assertEquals(List.of(), mor.exchange("mainPage", Map.of()).getMessage().getHeader(MorConstants.REPAIRS));
        Exchange ex = mor.exchange("mainPage", Map.of());
        assertEquals("127.0.0.1/demo", ex.getMessage().getHeader(MorConstants.SOURCE));
        assertEquals("UTC", ex.getMessage().getHeader(MorConstants.TIME_ZONE));
    }

    @Test
    void personalDetailsAndTheirUpdate() {
        PersonalDetails before = mor.call("personalDetails", PersonalDetails.class);
        assertEquals("Demo", before.username());
        assertEquals("Vilnius", before.registration().city());
        assertEquals(new BigDecimal("15.0"), before.vatPercent());
        assertEquals("2024-01-15", before.agreementDate().toString());
        assertEquals("Demo", before.editable().get("username"));

        Map<String, String> change = new LinkedHashMap<>();
        change.put("reg_email", "ops@example.com");
        change.put("surname", "Operator");
        MorAction ok = mor.call("updatePersonalDetails", Map.of(MorConstants.DETAILS, change), MorAction.class);
        assertEquals("Personal details changed", ok.statusMessage());
        MorAction viaOption = mor.call("updatePersonalDetails?details=reg_city=Kaunas|reg_postcode=44280",
                MorAction.class);
        assertEquals("ok", viaOption.status());
        PersonalDetails after = mor.call("personalDetails", PersonalDetails.class);
        assertEquals("Operator", after.surname());
        assertEquals("ops@example.com", after.registration().email());
        assertEquals("Kaunas", after.registration().city());

        fault("updatePersonalDetails", Map.of(MorConstants.DETAILS, Map.of("reg_email", "not-an-email")), "FAILED",
                "Email is not valid");
        MorException unknown = mor.failure("updatePersonalDetails", Map.of(MorConstants.DETAILS, "balance=1000000"));
        assertInstanceOf(MorValidationException.class, unknown);
        assertTrue(unknown.getMessage().contains("'balance' is not a field"), unknown.getMessage());
        assertInstanceOf(MorValidationException.class, mor.failure("updatePersonalDetails"));
    }

    @Test
    void devicesWithTheirSipPasswordsMasked() {
        Devices devices = mor.call("devices", Devices.class);
        assertEquals(3, devices.devices().size());
        Devices.Device sip = devices.devices().get(0);
        assertEquals("1", sip.acc());
        assertEquals("SIP", sip.type());
        assertEquals("101", sip.extension());
        assertEquals("\"101\" <101>", sip.callerId());
        assertEquals(mor.sim.user().devices().get(0).password(), sip.password());
        assertEquals(8, sip.password().length());
        assertFalse(sip.toString().contains(sip.password()), sip.toString());
        assertFalse(devices.toString().contains(sip.password()));
        assertNotNull(sip.lastTimeRegistered());
        assertEquals("FAX", devices.devices().get(1).type());
    }

    // ---- 5. call flow ----

    @Test
    void callflowEditAndEveryUpdate() {
        Callflow flow = mor.call("callflow?deviceId=1", Callflow.class);
        assertEquals("1", flow.deviceId());
        assertEquals(List.of("Before call", "Call", "Answered", "No answer", "Busy", "Failed"),
                flow.states().stream().map(Callflow.State::callState).toList());
        assertEquals("Voicemail", flow.states().get(4).action());

        CallflowEdit edit = mor.call("callflowEdit?deviceId=1&cfType=busy", CallflowEdit.class);
        assertEquals("Busy", edit.callState());
        assertEquals(List.of("2", "3", "4"), edit.actions().stream().map(CallflowEdit.Action::actionId).toList());
        assertEquals(List.of("3"), edit.actions().get(0).availableDevices().stream().map(AvailableDevice::id).toList());
        assertEquals("FAX/102", edit.actions().get(2).availableDevices().get(0).name());

        MorAction forward = mor.call("updateCallflow?deviceId=1&cfType=noanswer&cfAction=forward&targetDeviceId=3",
                MorAction.class);
        assertEquals("update_callflow", forward.name());
        assertEquals("Callflow updated", forward.statusMessage());
        assertEquals("Forward(IAX2/103)", state(1, 3));
        mor.call("updateCallflow", Map.of(MorConstants.DEVICE_ID, "1", MorConstants.CF_TYPE, MorCallflowType.failed,
                MorConstants.CF_ACTION, "forward", MorConstants.EXT_NUMBER, "37060012345"), MorAction.class);
        assertEquals("Forward(37060012345)", state(1, 5));
        mor.call("updateCallflow?deviceId=1&cfType=call&cfAction=faxdetect&targetDeviceId=2", MorAction.class);
        assertEquals("Fax detect(FAX/102)", state(1, 1));
        mor.call("updateCallflow?deviceId=1&cfType=noanswer&cfAction=voicemail", MorAction.class);
        assertEquals("Voicemail", state(1, 3));
        mor.call("updateCallflow?deviceId=1&cfType=noanswer&cfAction=empty", MorAction.class);
        assertEquals("-", state(1, 3));

        fault("callflow?deviceId=99", Map.of(), "ERROR_MSG", "Device was not found");
        fault("updateCallflow?deviceId=1&cfType=call&cfAction=faxdetect&targetDeviceId=3", Map.of(), "FAILED",
                "Fax device was not found");
        assertInstanceOf(MorValidationException.class,
                mor.failure("updateCallflow?deviceId=1&cfType=call&cfAction=forward"));
        assertInstanceOf(MorValidationException.class,
                mor.failure("callflowEdit?deviceId=1", Map.of(MorConstants.CF_TYPE, "sometimes")));
        assertInstanceOf(MorValidationException.class, mor.failure("callflow"));
    }

    private static String state(int device, int index) {
        return mor.call("callflow?deviceId=" + device, Callflow.class).states().get(index).action();
    }

    // ---- 6. rates ----

    @Test
    void ratesDestinationsCurrencyAndExports() throws IOException {
        Rates rates = mor.call("rates", Rates.class);
        assertEquals("USD", rates.currency());
        assertEquals(List.of("USD", "EUR"), rates.availableCurrencies());
        Rates.Rate first = rates.rates().get(0);
        assertEquals("Afghanistan", first.name());
        assertEquals("FIX", first.type());
        assertTrue(first.vatCost().compareTo(first.cost()) > 0);

        Destinations australia = mor.call("destinations?destId=2", Destinations.class);
        assertEquals("Australia", australia.groupName());
        assertEquals("61261", australia.destinations().get(0).prefix());
        assertEquals("FIX", australia.destinations().get(0).code());
        fault("destinations?destId=99", Map.of(), "ERROR_MSG", "Destination group was not found");

        try {
            Rates eur = mor.call("changeCurrency?currency=EUR", Rates.class);
            assertEquals("EUR", eur.currency());
            assertTrue(eur.rates().get(0).cost().compareTo(first.cost()) < 0);
            fault("changeCurrency", Map.of(MorConstants.CURRENCY, "XYZ"), "ERROR_MSG", "Currency XYZ is not available");
        } finally {
            mor.call("changeCurrency?currency=USD", Rates.class);
        }

        Exchange csv = mor.exchange("exportRatesCsv", Map.of());
        assertNull(csv.getException());
        try (MorExport export = csv.getMessage().getBody(MorExport.class)) {
            assertEquals("personal_rates_2.csv", export.fileName());
            assertEquals("text/csv", export.contentType());
            assertEquals("personal_rates_2.csv", csv.getMessage().getHeader(Exchange.FILE_NAME));
            String text = new String(export.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("ratename,ratetype,ratecost,rate_vat_cost\nAfghanistan,FIX,"), text);
            assertEquals(rates.rates().size() + 1, text.lines().count());
        }
        try (InputStream pdf = mor.call("exportRatesPdf", MorExport.class)) {
            assertTrue(new String(pdf.readNBytes(5), StandardCharsets.US_ASCII).startsWith("%PDF-"));
        }
    }

    // ---- 7. payments, 8. invoices, 9. subscriptions ----

    @Test
    void paymentsInvoicesAndSubscriptions() {
        Payments payments = mor.call("payments", Payments.class);
        assertEquals(2, payments.payments().size());
        Payments.Payment p = payments.payments().get(0);
        assertEquals("Manual", p.type());
        assertEquals(0, new BigDecimal("10").compareTo(p.amount()));
        assertEquals(0, new BigDecimal("11.5").compareTo(p.amountWithVat()));
        assertTrue(p.completed());
        assertNotNull(p.date());

        Invoices invoices = mor.call("invoices", Invoices.class);
        assertEquals(2, invoices.invoices().size());
        assertEquals("INV000201", invoices.invoices().get(0).number());
        assertNotNull(invoices.invoices().get(0).paidDate());
        assertNull(invoices.invoices().get(1).paidDate());

        Subscriptions subscriptions = mor.call("subscriptions", Subscriptions.class);
        assertEquals("Call recording", subscriptions.subscriptions().get(0).service());
        assertEquals("USD", subscriptions.subscriptions().get(0).price().currency());
        assertTrue(subscriptions.subscriptions().get(0).activationEnd()
                .isAfter(subscriptions.subscriptions().get(0).activationStart()));
    }

    // ---- 10. calls ----

    @Test
    void callsOfTodayAndOfAPeriodOldestFirstWithFilters() {
        CallList today = mor.call("calls", CallList.class);
        LocalDateTime midnight = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        assertTrue(today.calls().stream().allMatch(c -> !c.date().isBefore(midnight)), today.calls().toString());
        assertEquals(today.calls().size(), today.callCount());

        CallList week = mor.call("callsPeriod", week(), CallList.class);
        assertTrue(week.calls().size() >= 40, "" + week.calls().size());
        assertEquals(week.totalCalls(), week.calls().size());
        assertEquals(week.calls(), week.calls().stream().sorted(Comparator.comparing(MorCall::date)).toList());
        MorCall c = week.calls().get(0);
        assertNotNull(c.calledFrom());
        assertNotNull(c.duration());
        assertNotNull(c.price());
        assertEquals("USD", week.currency());
        assertNotNull(week.periodStart());

        Map<String, Object> answered = new LinkedHashMap<>(week());
        answered.put(MorConstants.CALL_TYPE, "answered");
        CallList onlyAnswered = mor.call("callsPeriod", answered, CallList.class);
        assertFalse(onlyAnswered.calls().isEmpty());
        assertTrue(onlyAnswered.calls().stream().allMatch(x -> "Answered".equals(x.hangupCause())));
        assertEquals("answered", onlyAnswered.status());

        // the period as epoch seconds and as MOR's local time
        long from = Instant.now().minus(Duration.ofDays(8)).getEpochSecond();
        CallList byEpoch = mor.call("callsPeriod?periodStart=" + from + "&periodEnd=" + (from + 9 * 86400),
                CallList.class);
        assertEquals(week.calls().size(), byEpoch.calls().size());
        // formatted, not toString(): that drops ":00" seconds, and MOR's form is yyyy-MM-dd HH:mm:ss
        String local = LocalDateTime.now(ZoneOffset.UTC).minusDays(8)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        CallList byText = mor.call("callsPeriod", Map.of(MorConstants.PERIOD_START, local, MorConstants.PERIOD_END,
                Instant.now().plusSeconds(60)), CallList.class);
        assertEquals(week.calls().size(), byText.calls().size());

        Map<String, Object> device = new LinkedHashMap<>(week());
        device.put(MorConstants.DEVICE_ID, "3");
        device.put(MorConstants.DIRECTION, "outgoing");
        CallList ofDevice = mor.call("callsPeriod", device, CallList.class);
        assertEquals("3", ofDevice.showDevice());
        assertEquals("outgoing", ofDevice.direction());

        Map<String, Object> bad = new LinkedHashMap<>(week());
        bad.put(MorConstants.CALL_TYPE, "sideways");
        fault("callsPeriod", bad, "ERROR_MSG", "Invalid calltype");
        assertInstanceOf(MorValidationException.class, mor.failure("callsPeriod",
                Map.of(MorConstants.PERIOD_START, "last tuesday", MorConstants.PERIOD_END, "now")));
        assertInstanceOf(MorValidationException.class, mor.failure("callsPeriod"));
        assertInstanceOf(MorValidationException.class, mor.failure("callsPeriod",
                Map.of(MorConstants.PERIOD_START, Instant.now(), MorConstants.PERIOD_END, Instant.now().minusSeconds(5))));
    }

    @Test
    void callsStreamedToAConsumer() {
        MorClient client = ((MorEndpoint) mor.camel.getEndpoint("mor:calls")).client();
        Instant now = Instant.now();
        java.util.List<MorCall> seen = new java.util.ArrayList<>();
        CallList page = client.callsPeriod(CallQuery.of(now.minus(Duration.ofDays(8)), now.plusSeconds(60)), seen::add);
        assertEquals(List.of(), page.calls());
        assertEquals(seen.size(), page.callCount());
        assertEquals(page.totalCalls(), seen.size());
    }

    @Test
    void callExports() throws IOException {
        CallList week = mor.call("callsPeriod", week(), CallList.class);
        Exchange ex = mor.exchange("exportCallsCsv", week());
        assertNull(ex.getException());
        try (MorExport csv = ex.getMessage().getBody(MorExport.class)) {
            assertTrue(csv.fileName().startsWith("calls_2_") && csv.fileName().endsWith(".csv"), csv.fileName());
            String text = new String(csv.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("date,called_from,called_to,destination,duration,hangup_cause,price\n"), text);
            assertEquals(week.calls().size() + 1, text.lines().count());
        }
        try (MorExport pdf = mor.call("exportCallsPdf", week(), MorExport.class)) {
            assertEquals("application/pdf", pdf.contentType());
            assertTrue(new String(pdf.readNBytes(5), StandardCharsets.US_ASCII).startsWith("%PDF-"));
        }
        // closed before its end: the connection is dropped, not drained, and the next call goes on
        try (MorExport csv = mor.call("exportCallsCsv", week(), MorExport.class)) {
            assertEquals(4, csv.readNBytes(4).length);
        }
        assertEquals("2", mor.call("mainPage", MainPage.class).userId());
        Map<String, Object> bad = new LinkedHashMap<>(week());
        bad.put(MorConstants.CALL_TYPE, "sideways");
        fault("exportCallsCsv", bad, "ERROR_MSG", "Invalid call_type");
    }

    // ---- 11. new calls, 12. missed calls ----

    @Test
    void newCalls() {
        io.pbxbridge.sandbox.mor.MorCall added = mor.sim.addCall(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        NewCalls calls = mor.call("newCalls", NewCalls.class);
        assertTrue(calls.calls().stream().anyMatch(c -> c.calledTo().equals(added.calledTo())), calls.toString());
        assertEquals(calls.totalCalls(), calls.calls().size());
        assertNull(calls.calls().get(0).price());
    }

    @Test
    void missedCallsAndProcessingOne() {
        io.pbxbridge.sandbox.mor.MorCall missed = mor.sim.addMissedCall(Instant.now().truncatedTo(ChronoUnit.SECONDS),
                "37061234567");
        MissedCalls today = mor.call("missedCalls", MissedCalls.class);
        MissedCall call = today.calls().stream().filter(c -> c.callId().equals(Long.toString(missed.id())))
                .findFirst().orElseThrow();
        assertFalse(call.processed());
        assertEquals("37061234567", call.calledFrom());
        assertEquals(today.missedTotal(), today.calls().size());

        MissedCalls after = mor.call("processMissedCall", Map.of(MorConstants.CALL_ID, missed.id()), MissedCalls.class);
        assertTrue(after.calls().stream().filter(c -> c.callId().equals(Long.toString(missed.id()))).findFirst()
                .orElseThrow().processed());
        // safe to repeat: still processed
        assertEquals(after.calls(), mor.call("processMissedCall", Map.of(MorConstants.CALL_ID, missed.id()),
                MissedCalls.class).calls());

        MissedCalls week = mor.call("missedCallsPeriod", week(), MissedCalls.class);
        assertTrue(week.calls().size() >= today.calls().size());
        assertTrue(week.calls().stream().anyMatch(MissedCall::processed));
        assertTrue(week.calls().stream().anyMatch(c -> !c.processed()));

        fault("processMissedCall?callId=999999", Map.of(), "ERROR_MSG", "Call was not found");
    }

    // ---- 13. statistics ----

    @Test
    void statistics() {
        Statistics today = mor.call("statistics", Statistics.class);
        assertEquals(today.startDate(), today.endDate());
        assertEquals(1, today.days().size());
        assertNotNull(today.incoming());
        Statistics week = mor.call("statisticsPeriod", week(), Statistics.class);
        assertTrue(week.days().size() >= 8, week.days().toString());
        int calls = week.days().stream().mapToInt(Statistics.Day::callsCount).sum();
        int byKind = week.incoming().answered() + week.incoming().noAnswer() + week.incoming().busy()
                + week.incoming().failed() + week.outgoing().answered() + week.outgoing().noAnswer()
                + week.outgoing().busy() + week.outgoing().failed();
        assertEquals(calls, byKind);
    }

    // ---- 14. CLIs, 15. phonebook ----

    @Test
    void clisAndAddingOne() {
        Clis clis = mor.call("clis", Clis.class);
        assertEquals(List.of(new AvailableDevice("1", "SIP/101"), new AvailableDevice("2", "FAX/102"),
                new AvailableDevice("3", "IAX2/103")), clis.availableDevices());
        assertEquals("Main line", clis.clis().get(0).description());
        assertEquals(1, clis.repairs().size(), "the attribute form of aval_devices");
        assertEquals(MorRepair.Kind.ATTRIBUTE_FORM, clis.repairs().get(0).kind());

        MorAction added = mor.call("addCli?deviceId=3&cli=37060000077&description=Night line", MorAction.class);
        assertEquals("CLI created", added.statusMessage());
        assertTrue(mor.call("clis", Clis.class).clis().stream().anyMatch(c -> c.name().equals("37060000077")
                && c.description().equals("Night line") && c.device().equals("IAX2/103")));
        fault("addCli?deviceId=99&cli=37060000078", Map.of(), "FAILED", "CLI not created");
        assertInstanceOf(MorValidationException.class, mor.failure("addCli?deviceId=3"));
    }

    @Test
    void phonebookAddAndDelete() {
        Phonebook book = mor.call("phonebook", Phonebook.class);
        assertEquals("New York office", book.entries().get(0).name());
        assertNull(book.entries().get(0).id(), "the spec's page has no id");
        int before = book.entries().size();

        MorAction added = mor.call("addPhonebookEntry", Map.of(MorConstants.NUMBER, "37069999999",
                MorConstants.NAME, "Night desk"), MorAction.class);
        assertEquals("Record added", added.statusMessage());
        assertEquals(before + 1, mor.call("phonebook", Phonebook.class).entries().size());
        fault("addPhonebookEntry?number=not-a-number&name=X", Map.of(), "FAILED", "Number is not valid");

        MorAction deleted = mor.call("deletePhonebookEntry?entryId=37069999999", MorAction.class);
        assertEquals("Record deleted", deleted.statusMessage());
        assertEquals(before, mor.call("phonebook", Phonebook.class).entries().size());
        fault("deletePhonebookEntry?entryId=37069999999", Map.of(), "FAILED",
                "We're sorry, but something went wrong");
        assertInstanceOf(MorValidationException.class, mor.failure("deletePhonebookEntry?entryId=../1"));
    }

    // ---- 16. faxes, 17. callback ----

    @Test
    void faxes() {
        mor.sim.addFax(Instant.now().truncatedTo(ChronoUnit.SECONDS), "3705000111");
        Faxes today = mor.call("faxes", Faxes.class);
        assertTrue(today.faxes().stream().anyMatch(f -> "3705000111".equals(f.sender())), today.toString());
        Faxes week = mor.call("faxesPeriod", week(), Faxes.class);
        assertTrue(week.faxes().size() >= 4, week.toString());
        assertEquals("FAX/102", week.faxes().get(0).device());
        Map<String, Object> failed = new LinkedHashMap<>(week());
        failed.put(MorConstants.FAX_STATUS, "Failed");
        assertTrue(mor.call("faxesPeriod", failed, Faxes.class).faxes().stream()
                .allMatch(f -> f.status().equals("Failed")));
        Map<String, Object> bad = new LinkedHashMap<>(week());
        bad.put(MorConstants.FAX_STATUS, "Shredded");
        fault("faxesPeriod", bad, "ERROR_MSG", "Invalid fax_status");
    }

    @Test
    void callback() {
        int before = mor.sim.callbacks().size();
        MorAction ok = mor.call("callback?src=37061111111&dst=12125550000&deviceId=1", MorAction.class);
        assertEquals("callback", ok.name());
        assertEquals("Callback activated", ok.statusMessage());
        assertEquals(before + 1, mor.sim.callbacks().size());
        assertEquals("12125550000", mor.sim.callbacks().get(before).dst());
        fault("callback?src=37061111111&dst=12125550000&deviceId=2", Map.of(), "FAILED", "Device was not found");
        assertInstanceOf(MorValidationException.class, mor.failure("callback?src=37061111111"));
    }

    // ---- failures common to every page ----

    @Test
    void httpErrorsAreTransientAndCutPagesNameTheirPosition() {
        mor.sim.faults().failNext("devices", 503);
        MorConnectionException unavailable = assertInstanceOf(MorConnectionException.class, mor.failure("devices"));
        assertEquals("HTTP 503", unavailable.getCode());
        assertTrue(unavailable.isTransient());
        assertEquals(Kind.NO_ANSWER, unavailable.getKind());

        mor.sim.faults().failNext("/stats/call_list", 500);
        assertTrue(mor.failure("callsPeriod", week()).isTransient());

        mor.sim.faults().failNext("payments", 404);
        MorFaultException notFound = assertInstanceOf(MorFaultException.class, mor.failure("payments"));
        assertEquals("HTTP 404", notFound.getCode());

        mor.sim.faults().truncateNext("callsPeriod");
        MorUnreadablePageException cut = assertInstanceOf(MorUnreadablePageException.class,
                mor.failure("callsPeriod", week()));
        assertEquals("/stats/call_list", cut.getPage());
        assertTrue(cut.getLine() > 20, cut.getMessage());
        assertTrue(cut.getMessage().contains("the page /stats/call_list cannot be read at line " + cut.getLine()),
                cut.getMessage());

        mor.sim.faults().truncateNext("devices");
        assertInstanceOf(MorUnreadablePageException.class, mor.failure("devices"));

        mor.sim.faults().dropNext("addPhonebookEntry");
        MorConnectionException dropped = assertInstanceOf(MorConnectionException.class,
                mor.failure("addPhonebookEntry?number=37068888888&name=Dropped"));
        assertEquals(Kind.NO_ANSWER, dropped.getKind());
        assertFalse(dropped.provesNotExecuted(), "the simulator did add it");
        mor.call("deletePhonebookEntry?entryId=37068888888", MorAction.class);

        mor.sim.faults().slowNext("rates", Duration.ofMillis(1500));
        MorConnectionException slow = assertInstanceOf(MorConnectionException.class,
                mor.failure("rates?requestTimeout=500"));
        assertEquals("TIMEOUT", slow.getCode());
        assertTrue(slow.isTransient());
    }

    @Test
    void theHashAndTheUserIdAreChecked() {
        MorAuthenticationException hash = assertInstanceOf(MorAuthenticationException.class,
                mor.failure("mainPage?apiSecretKey=another-key"));
        assertEquals(MorAuthenticationException.INCORRECT_HASH, hash.getCode());
        assertEquals("Incorrect hash", hash.getVendorMessage());
        assertFalse(hash.getMessage().contains("another-key"), hash.getMessage());

        MorAuthenticationException user = assertInstanceOf(MorAuthenticationException.class,
                mor.failure("mainPage?userId=3"));
        assertEquals(MorAuthenticationException.USER_NOT_FOUND, user.getCode());
        assertEquals("User was not found", user.getVendorMessage());

        // without the hash check, neither user_id nor hash is needed
        mor.sim.requireHash(false);
        assertEquals("2", mor.call("mainPage?apiSecretKey=&userId=", MainPage.class).userId());
        mor.sim.requireHash(true);
        MorException missing = mor.failure("mainPage?apiSecretKey=&userId=");
        assertEquals(MorAuthenticationException.USER_NOT_FOUND, missing.getCode());
        assertInstanceOf(MorValidationException.class, mor.failure("phonebook?userId="));
    }

    @Test
    void anUnreachableMorIsTransientAndNothingWasSent() {
        MorConnectionException down = assertInstanceOf(MorConnectionException.class,
                mor.failure("mainPage?address=http://127.0.0.1:1&connectTimeout=500"));
        assertEquals(Kind.UNREACHABLE, down.getKind());
        assertTrue(down.provesNotExecuted());
    }

    @Test
    void underABasePath() {
        try (MorSim billing = new MorSim(MorSimulator.builder().basePath("/billing").start(), "/billing")) {
            assertEquals("2", billing.call("mainPage", MainPage.class).userId());
            assertEquals(3, billing.call("devices", Devices.class).devices().size());
            assertEquals(1, billing.sim.requestCount("/billing/callc/main"));
            MorException wrong = billing.failure("mainPage?basePath=");
            assertTrue(wrong instanceof MorFaultException, wrong.getMessage());
            assertEquals("HTTP 404", wrong.getCode());
        }
    }

    @Test
    void anUnknownOperationNamesTheOperations() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> mor.camel.getEndpoint("mor:hangup"));
        assertTrue(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                .contains("unknown operation 'hangup'"), e.toString());
    }
}
