package io.pbxbridge.mor;

import java.util.ArrayList;
import java.util.List;

/**
 * MOR's pages read into their typed records: element names as in the spec (the spec's typos, {@code acivation_start},
 * kept). Absent fields are null; values that are not what their field holds are {@link MorResponseException}s
 * ({@link MorValues}). Lists whose only content is an ellipsis are empty (and reported).
 */
final class MorPages {

    private MorPages() {
    }

    static LoginForm loginForm(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        return new LoginForm(p.field("language"), MorValues.blankToNull(p.field("error_msg")),
                texts(doc, p, "aval_languages", "language"), doc.repairs());
    }

    static MorAction action(MorDocument doc) {
        MorElement a = doc.root();
        return new MorAction(a.field("name"), a.field("status"), a.field("status_message"), doc.repairs());
    }

    static MainPage mainPage(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        MorElement stats = orEmpty(p.child("stats"));
        MorElement missed = orEmpty(stats.child("missed_calls"));
        List<MainPage.CallHistory> history = new ArrayList<>();
        for (MorElement c : doc.items(stats, "call_history", "calls")) {
            history.add(new MainPage.CallHistory(v.integer(c, "call_counts"), c.field("period"),
                    v.duration(c, "call_duration")));
        }
        MorElement finances = orEmpty(stats.child("finances"));
        return new MainPage(p.field("username"), p.field("userid"), p.field("language"),
                v.integer(missed, "missed_today"), v.integer(missed, "missed_total"), history,
                finances.field("account"), v.money(finances, "balance"), finances.field("credit"), doc.repairs());
    }

    static PersonalDetails personalDetails(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        MorElement details = orEmpty(p.child("details"));
        MorElement main = orEmpty(details.child("main_details"));
        MorElement other = orEmpty(details.child("other_details"));
        MorElement reg = orEmpty(details.child("registration"));
        PersonalDetails.Registration registration = new PersonalDetails.Registration(reg.field("reg_address"),
                reg.field("reg_postcode"), reg.field("reg_city"), reg.field("reg_country"), reg.field("reg_state"),
                reg.field("reg_direction"), reg.field("reg_phone"), reg.field("reg_mobile"), reg.field("reg_fax"),
                reg.field("reg_email"));
        return new PersonalDetails(p.field("userid"), p.field("language"), main.field("alias"),
                main.field("account"), v.money(main, "balance"), main.field("credit"), other.field("username"),
                other.field("surname"), other.field("personalid"), other.field("agreement_number"),
                v.date(other, "agreement_date"), other.field("taxation_country"), other.field("vat_reg_number"),
                v.decimal(other, "vat_percent"), registration, doc.repairs());
    }

    static Devices devices(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Devices.Device> devices = new ArrayList<>();
        for (MorElement d : doc.items(p, "devices", "device")) {
            devices.add(new Devices.Device(d.field("acc", "id"), d.field("description"), d.field("type"),
                    d.field("extension"), d.field("username"), d.field("password"), d.field("cid"),
                    v.dateTime(d, "last_time_registered")));
        }
        return new Devices(p.field("userid"), devices, doc.repairs());
    }

    static Callflow callflow(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        MorElement d = orEmpty(p.child("device"));
        List<Callflow.State> states = new ArrayList<>();
        for (MorElement c : doc.items(d, "callflows", "callflow")) {
            states.add(new Callflow.State(c.field("call_state"), c.field("callflow_action")));
        }
        return new Callflow(p.field("userid"), d.field("device_id"), d.field("device_description"),
                d.field("device_icon"), states, doc.repairs());
    }

    static CallflowEdit callflowEdit(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        MorElement c = orEmpty(p.child("callflow"));
        List<CallflowEdit.Action> actions = new ArrayList<>();
        for (MorElement a : doc.items(c, "actions", "action")) {
            actions.add(new CallflowEdit.Action(v.integer(a, "priority"), a.field("action_id"),
                    availableDevices(doc, a)));
        }
        return new CallflowEdit(p.field("userid"), c.field("device_id"), c.field("device_description"),
                c.field("device_icon"), c.field("call_state"), actions, doc.repairs());
    }

    static Rates rates(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Rates.Rate> rates = new ArrayList<>();
        for (MorElement r : doc.items(p, "rates", "rate")) {
            rates.add(new Rates.Rate(r.field("ratename"), r.field("rateicon"), r.field("ratetype"),
                    v.decimal(r, "ratecost"), v.decimal(r, "rate_vat_cost")));
        }
        return new Rates(p.field("userid"), p.field("currency"), v.decimal(p, "vat_percent"),
                texts(doc, p, "aval_currencies", "currency"), rates, doc.repairs());
    }

    static Destinations destinations(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Destinations.Destination> list = new ArrayList<>();
        for (MorElement d : doc.items(p, "directions", "direction")) {
            list.add(new Destinations.Destination(d.field("details"), d.field("prefix"), d.field("dir_code")));
        }
        return new Destinations(p.field("groupname"), p.field("groupicon"), list, doc.repairs());
    }

    static Payments payments(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Payments.Payment> list = new ArrayList<>();
        for (MorElement e : doc.items(p, "payments", "payment")) {
            list.add(new Payments.Payment(v.dateTime(e, "payment_date"), v.dateTime(e, "confirmed_date"),
                    e.field("payment_type"), v.decimal(e, "amount"), v.decimal(e, "vat"), v.decimal(e, "amount_vat"),
                    e.field("currency"), v.flag(e, "completed")));
        }
        return new Payments(p.field("userid"), list, doc.repairs());
    }

    static Invoices invoices(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Invoices.Invoice> list = new ArrayList<>();
        for (MorElement e : doc.items(p, "invoices", "invoice")) {
            list.add(new Invoices.Invoice(e.field("user"), MorValues.blankToNull(e.field("inv_number")),
                    v.dateTime(e, "period_start"), v.dateTime(e, "period_end"), v.dateTime(e, "issue_date"),
                    MorValues.blankToNull(e.field("paid")), v.dateTime(e, "paid_date"), v.decimal(e, "price"),
                    v.decimal(e, "vat"), v.decimal(e, "price_vat")));
        }
        return new Invoices(p.field("userid"), list, doc.repairs());
    }

    static Subscriptions subscriptions(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Subscriptions.Subscription> list = new ArrayList<>();
        for (MorElement e : doc.items(p, "subscriptions", "subscription")) {
            list.add(new Subscriptions.Subscription(e.field("service"), v.dateTime(e, "date_added"),
                    v.dateTime(e, "acivation_start"), v.dateTime(e, "acivation_end"), v.money(e, "price")));
        }
        return new Subscriptions(p.field("userid"), list, doc.repairs());
    }

    /** The path of the calls in the call list, new calls and missed calls pages, below the root. */
    static final String CALLS_PATH = "calls_stat/calls/call";

    static MorCall call(MorElement c, MorValues v) {
        return new MorCall(v.dateTime(c, "date"), c.field("called_from"), c.field("called_to"),
                c.field("destination"), v.duration(c, "duration"), c.field("hangup_cause"), v.decimal(c, "price"));
    }

    static MissedCall missedCall(MorElement c, MorValues v) {
        return new MissedCall(c.field("call_id", "id"), v.dateTime(c, "date"), c.field("called_from"),
                c.field("called_to"), v.duration(c, "duration"), c.field("hangup_cause"), v.flag(c, "processed"));
    }

    /** The call list; {@code calls} those kept (none when they were streamed), {@code count} all read. */
    static CallList callList(MorDocument doc, MorValues v, List<MorCall> calls, int count) {
        MorElement p = doc.root();
        MorElement stat = orEmpty(p.child("calls_stat"));
        MorElement period = orEmpty(stat.child("period"));
        doc.banner(orEmpty(stat.child("calls")));
        return new CallList(p.field("userid"), p.field("username"), p.field("show_device"), p.field("status"),
                p.field("direction"), v.integer(p, "total_calls"), p.field("currency"),
                v.dateTime(period, "period_start"), v.dateTime(period, "period_end"), List.copyOf(calls), count,
                doc.repairs());
    }

    static NewCalls newCalls(MorDocument doc, MorValues v, List<MorCall> calls) {
        MorElement p = doc.root();
        MorElement stat = orEmpty(p.child("calls_stat"));
        doc.banner(orEmpty(stat.child("calls")));
        Integer total = v.integer(stat, "total_calls");
        return new NewCalls(p.field("userid"), total != null ? total : v.integer(p, "total_calls"),
                List.copyOf(calls), doc.repairs());
    }

    static MissedCalls missedCalls(MorDocument doc, MorValues v, List<MissedCall> calls, int count) {
        MorElement p = doc.root();
        MorElement stat = orEmpty(p.child("calls_stat"));
        MorElement period = orEmpty(stat.child("period"));
        doc.banner(orEmpty(stat.child("calls")));
        return new MissedCalls(p.field("userid"), p.field("username"), v.integer(p, "missed_total"),
                v.dateTime(period, "period_start"), v.dateTime(period, "period_end"), List.copyOf(calls), count,
                doc.repairs());
    }

    static Statistics statistics(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        MorElement details = orEmpty(p.child("details"));
        MorElement main = orEmpty(details.child("main_details"));
        MorElement calls = orEmpty(details.child("calls"));
        List<Statistics.Day> days = new ArrayList<>();
        for (MorElement d : doc.items(details, "detailed_by_date", "call_by_date")) {
            days.add(new Statistics.Day(v.date(d, "date"), v.integer(d, "calls_count"), v.decimal(d, "duration"),
                    v.decimal(d, "avg_time"), v.decimal(d, "calls_normative")));
        }
        return new Statistics(p.field("userid"), v.date(p, "start_date"), v.date(p, "end_date"),
                v.integer(main, "todays_normative"), v.integer(main, "months_normative"), v.integer(main, "new_calls"),
                counts(calls.child("incoming"), v), counts(calls.child("outgoing"), v), days, doc.repairs());
    }

    private static Statistics.CallCounts counts(MorElement e, MorValues v) {
        if (e == null) {
            return null;
        }
        return new Statistics.CallCounts(v.integer(e, "answered"), v.integer(e, "no_answer"), v.integer(e, "busy"),
                v.integer(e, "failed"));
    }

    static Clis clis(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Clis.Cli> list = new ArrayList<>();
        for (MorElement c : doc.items(p, "clis", "cli")) {
            list.add(new Clis.Cli(c.field("cli_id", "id"), c.field("device"), c.field("device_icon"),
                    c.field("cli_name"), c.field("cli_desc"), v.dateTime(c, "added_at")));
        }
        return new Clis(p.field("userid"), availableDevices(doc, p), list, doc.repairs());
    }

    static Phonebook phonebook(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        List<Phonebook.Entry> list = new ArrayList<>();
        for (MorElement e : doc.items(p, "entries", "entry")) {
            list.add(new Phonebook.Entry(MorValues.blankToNull(e.field("entry_id", "id")), e.field("entry_number"),
                    e.field("entry_name"), v.dateTime(e, "entry_added")));
        }
        return new Phonebook(p.field("userid"), list, doc.repairs());
    }

    static Faxes faxes(MorDocument doc, MorValues v) {
        MorElement p = doc.root();
        MorElement faxes = orEmpty(p.child("faxes"));
        MorElement period = orEmpty(faxes.child("period"));
        List<Faxes.Fax> list = new ArrayList<>();
        for (MorElement f : doc.items(faxes, "fax")) {
            list.add(new Faxes.Fax(f.field("device"), MorValues.blankToNull(f.field("filename")),
                    v.dateTime(f, "receive_time"), MorValues.blankToNull(f.field("sender")), f.field("status")));
        }
        return new Faxes(p.field("userid"), p.field("username"), p.field("show_device"),
                v.dateTime(period, "period_start"), v.dateTime(period, "period_end"), list, doc.repairs());
    }

    /**
     * {@code aval_devices}: {@code <device><device_id>1</device_id><device_name>SIP/103</device_name></device>} or,
     * in the CLIs page, {@code <device id="1">IAX2/101</device>}.
     */
    private static List<AvailableDevice> availableDevices(MorDocument doc, MorElement parent) {
        List<AvailableDevice> out = new ArrayList<>();
        for (MorElement d : doc.items(parent, "aval_devices", "device")) {
            String name = d.field("device_name", "name");
            out.add(new AvailableDevice(d.field("device_id", "id"), name != null ? name : d.text()));
        }
        return out;
    }

    private static List<String> texts(MorDocument doc, MorElement parent, String container, String item) {
        List<String> out = new ArrayList<>();
        for (MorElement e : doc.items(parent, container, item)) {
            out.add(e.text());
        }
        return out;
    }

    private static final MorElement EMPTY = new MorElement("");

    private static MorElement orEmpty(MorElement e) {
        return e == null ? EMPTY : e;
    }
}
