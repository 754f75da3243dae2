package io.pbxbridge.mor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The spec's own samples read into the typed results, as MOR's pages would be. */
class MorPagesTest {

    static final MorValues V = new MorValues("test", "/test");

    static MorDocument doc(String sample) {
        return MorXmlReader.read(MorXmlReaderTest.sample(sample), "test", "/test");
    }

    @Test
    void mainPage() {
        MainPage m = MorPages.mainPage(doc("main-page"), V);
        assertEquals("Very Important User", m.username());
        assertEquals(2, m.missedToday());
        assertEquals(8, m.missedTotal());
        assertEquals(List.of(new MainPage.CallHistory(5, "Month", Duration.ofSeconds(20 * 60 + 35)),
                new MainPage.CallHistory(1, "Day", Duration.ofSeconds(95))), m.callHistory());
        assertEquals(new MorMoney(new BigDecimal("100"), "USD"), m.balance());
        assertEquals("No Limit", m.credit());
    }

    @Test
    void personalDetailsDevicesAndCallFlows() {
        PersonalDetails p = MorPages.personalDetails(doc("personal-details"), V);
        assertEquals("Andrey", p.username());
        assertEquals(LocalDate.of(2008, 3, 11), p.agreementDate());
        assertEquals(new BigDecimal("18.0"), p.vatPercent());
        assertEquals("admin@voip.com", p.registration().email());
        assertEquals("", p.personalId());
        assertFalse(p.editable().containsKey("personalid"), "empty fields are not sent");

        Devices d = MorPages.devices(doc("devices"), V);
        assertEquals(LocalDateTime.of(2007, 4, 6, 13, 51, 7), d.devices().get(1).lastTimeRegistered());
        assertEquals("Test FAX device", d.devices().get(1).description());

        CallflowEdit e = MorPages.callflowEdit(doc("callflow-edit"), V);
        assertEquals("Before call", e.callState());
        assertEquals(List.of(new AvailableDevice("1", "SIP/103")), e.actions().get(0).availableDevices());
        assertEquals(List.of(), e.actions().get(1).availableDevices());
        Callflow c = MorPages.callflow(doc("callflow"), V);
        assertEquals("Dial(IAX2/101)", c.states().get(1).action());
    }

    @Test
    void callsMissedCallsAndStatistics() {
        MorDocument calls = doc("calls");
        List<MorCall> list = calls.path("calls_stat", "calls", "call").stream().map(e -> MorPages.call(e, V)).toList();
        CallList page = MorPages.callList(calls, V, list, list.size());
        assertEquals(144, page.totalCalls());
        assertEquals(new MorCall(LocalDateTime.of(2008, 3, 10, 5, 45, 31), "12129989282", "12129989282",
                "United States FIX USA 212 New York", Duration.ofSeconds(36), "Answered", new BigDecimal("0.049")),
                page.calls().get(0));
        assertEquals(LocalDateTime.of(2008, 3, 10, 8, 42), page.periodEnd());
        assertTrue(page.repairs().stream().anyMatch(r -> r.kind() == MorRepair.Kind.BANNER));

        MorDocument missed = doc("missed-calls");
        List<MissedCall> m = missed.path("calls_stat", "calls", "call").stream().map(e -> MorPages.missedCall(e, V))
                .toList();
        assertEquals(new MissedCall("855", LocalDateTime.of(2008, 3, 10, 5, 45, 31), "12129989282", "12129989282",
                Duration.ofSeconds(36), "No Answer", false), m.get(0));
        assertEquals(9, MorPages.missedCalls(missed, V, m, m.size()).missedTotal());

        Statistics s = MorPages.statistics(doc("statistics"), V);
        assertEquals(LocalDate.of(2008, 3, 10), s.startDate());
        assertEquals(new Statistics.CallCounts(0, 1, 0, 0), s.incoming());
        assertEquals(new BigDecimal("1.5"), s.days().get(0).duration());
    }

    @Test
    void listsOfTheOtherPages() {
        Invoices i = MorPages.invoices(doc("invoices"), V);
        assertNull(i.invoices().get(0).number());
        assertNull(i.invoices().get(0).paid());
        assertEquals(new BigDecimal("11.5"), i.invoices().get(0).priceWithVat());
        Subscriptions s = MorPages.subscriptions(doc("subscriptions"), V);
        assertEquals(2, s.subscriptions().size());
        assertEquals(new MorMoney(new BigDecimal("10"), "USD"), s.subscriptions().get(0).price());
        Payments p = MorPages.payments(doc("payments"), V);
        assertEquals("EUR", p.payments().get(1).currency());
        Rates r = MorPages.rates(doc("rates"), V);
        assertEquals(new BigDecimal("0.05"), r.rates().get(1).vatCost());
        assertEquals(List.of("USD", "EUR"), r.availableCurrencies());
        Clis c = MorPages.clis(doc("clis"), V);
        assertEquals("Linus", c.clis().get(0).description());
        assertEquals("3", c.clis().get(0).id());
        Phonebook b = MorPages.phonebook(doc("phonebook"), V);
        assertEquals("ExGirlfriend", b.entries().get(0).name());
        Faxes f = MorPages.faxes(doc("faxes"), V);
        assertEquals("Received", f.faxes().get(0).status());
        assertNull(f.faxes().get(0).sender());
        Destinations d = MorPages.destinations(doc("destinations"), V);
        assertEquals("Australia", d.groupName());
        LoginForm l = MorPages.loginForm(doc("login-form"), V);
        assertEquals(List.of("en", "ru"), l.availableLanguages());
        MorAction a = MorPages.action(doc("add-cli-failed"));
        assertEquals("CLI not created", a.statusMessage());
    }

    @Test
    void aValueThatIsNotWhatItsFieldHoldsNamesThePageAndTheField() {
        MorDocument d = MorXmlReader.read("<page><calls_stat><calls><call><date>yesterday</date></call></calls>"
                + "</calls_stat></page>", "calls", "/stats/call_list");
        MorResponseException e = assertThrows(MorResponseException.class,
                () -> MorPages.call(d.path("calls_stat", "calls", "call").get(0), new MorValues("calls",
                        "/stats/call_list")));
        assertEquals("mor:calls: the page /stats/call_list has <date> 'yesterday' in <call>, not a date "
                + "(yyyy-MM-dd HH:mm:ss)", e.getMessage());
        MorElement call = MorXmlReader.read("<call><duration>101:02:03</duration><price>1,5</price></call>", "t",
                "/t").root();
        assertEquals(Duration.ofHours(101).plusMinutes(2).plusSeconds(3), V.duration(call, "duration"));
        assertEquals(new BigDecimal("1.5"), V.decimal(call, "price"));
    }
}
