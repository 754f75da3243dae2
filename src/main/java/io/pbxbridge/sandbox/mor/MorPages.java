package io.pbxbridge.sandbox.mor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pbxbridge.sandbox.mor.MorUser.Device;
import io.pbxbridge.sandbox.mor.MorUser.Flow;
import io.pbxbridge.sandbox.mor.MorUser.FlowAction;

/**
 * The pages of a {@link MorSimulator}: what each operation does to a user's state and answers, in the spec's shapes
 * (element names and nesting of its samples; one element per line as it prints them). Decisions where the spec is
 * silent, beyond mor-common.md:
 * <ul>
 * <li><b>Periods</b> ({@code period_start}/{@code period_end}, {@code date_from}/{@code date_till}): epoch seconds,
 * both ends included; a missing start is the start of today, a missing end the end of today (server zone). A value
 * that is not a number answers the page with {@code <error_msg>Invalid period_start</error_msg>} and no rows.</li>
 * <li><b>Calls filters</b>: {@code direction} is all, outgoing or incoming; {@code calltype} (and the exports'
 * {@code call_type}) is a status, all, answered, no_answer (or "no answer"), busy, failed (Kolmisoft's
 * {@code calltype=answered} of the hash vector), or, as the spec's "(outgoing - incoming - all)" says, a direction.
 * The page's {@code <status>} shows the status filter, {@code <direction>} the direction. {@code device} is all or a
 * device id ({@code <show_device>}). An unknown value answers {@code <error_msg>}.</li>
 * <li><b>New calls</b> (the spec does not say new since when): calls that reached the server within the last
 * {@code newCallsWindow} (default 1 hour), whatever their date, oldest first; reading the page changes nothing.</li>
 * <li><b>Missed calls</b>: incoming calls not answered (No Answer, Busy, Failed) in the period; {@code missed_total}
 * is their number. {@code processed=0} unmarks a call. Without a period the page lists today's.</li>
 * <li><b>Detailed statistics</b>: {@code todays_normative}/{@code months_normative} and {@code calls_normative} are the
 * percentage of answered calls (today, this month, that day); {@code duration} and {@code avg_time} are minutes; one
 * {@code call_by_date} per day of the period, newest first (at most 3,660 days).</li>
 * <li><b>Rates</b>: the page's {@code pagename} is "Payments" as the spec prints it. Change currency to a currency
 * the server does not have changes nothing and adds {@code <error_msg>} after {@code <language>}. Destinations:
 * {@code %dest_id%} is the group's position on the Rates page (1 = its first ratename).</li>
 * <li><b>Update call flow</b> (answer unspecified): {@code <action><name>update_callflow</name>} with status ok
 * ("Callflow updated") or failed and the reason. {@code whattodo=change_action} sets the action given by
 * {@code cf_action} (empty: the state's default; forward, voicemail, faxdetect) without a target, as MOR's form does
 * before the target is chosen; {@code change_local_device} + {@code deviceid} forwards to one of the user's other
 * devices, {@code change_external_device} + {@code ext_number} to a number, {@code change_fax_device} +
 * {@code deviceid} sets fax detect to a FAX device (with {@code cf_action=forward} as the spec writes it, or
 * {@code faxdetect}); {@code cf_action=voicemail} alone sets voicemail. The Call Flow page shows
 * {@code Forward(SIP/103)}, {@code Forward(37060012345)}, {@code Voicemail}, {@code Fax detect(FAX/102)}.</li>
 * <li><b>Phonebook delete</b>: the page shows no id; {@code %entryid%} is the entry's id (1, 2... in the order the
 * entries were made) or its number.</li>
 * <li>An id of another user or none ({@code %device_id%}, {@code %dest_id%}, a {@code call_id}) on a page answers the
 * page with {@code <error_msg>}; a {@code %userid%} in a path that is not the session's user answers
 * {@code <page><error>User was not found</error></page>}.</li>
 * <li>Exports: the CSV has a header row, comma-separated, {@code \n} line ends, quoted as RFC 4180 where needed,
 * dates and durations as on the pages, prices in the user's currency. The PDF is a small valid PDF 1.4 of the same
 * rows.</li>
 * </ul>
 */
final class MorPages {

    static final String TEXT_XML = "text/xml; charset=utf-8";
    private static final int MAX_STAT_DAYS = 3660;

    /** A body writer; {@code half}: a streamed answer stops in the middle (the server cuts buffered ones itself). */
    interface Body {
        void write(OutputStream out, boolean half) throws IOException;
    }

    /** An answer: status, headers, body; {@code streamed} ones are sent chunked, never held whole. */
    record Answer(int status, String contentType, Map<String, String> headers, Body body, boolean streamed) {
    }

    /** What a page writes into its XML. */
    interface XmlBody {
        void write(MorXml x, boolean half) throws IOException;
    }

    /** A parsed request: parameters (query and form), the path segment after the spec's path. */
    record Req(String method, String path, String segment, Map<String, String> params) {
        String param(String name) {
            String v = params.get(name);
            return v == null ? null : v.trim();
        }

        boolean has(String name) {
            String v = params.get(name);
            return v != null && !v.isEmpty();
        }
    }

    private record Period(long start, long end, String error) {
    }

    private final Clock clock;
    private final ZoneId zone;
    private final Duration newCallsWindow;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;

    MorPages(Clock clock, ZoneId zone, Duration newCallsWindow) {
        this.clock = clock;
        this.zone = zone;
        this.newCallsWindow = newCallsWindow;
        this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(zone);
        this.date = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(zone);
    }

    // ---- answers ------------------------------------------------------------------------------------------------

    static Answer xml(boolean broken, boolean streamed, XmlBody body) {
        return new Answer(200, TEXT_XML, Map.of(), (out, half) -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            body.write(new MorXml(w, broken), half);
            w.flush();
        }, streamed);
    }

    static Answer loginPage(String error) {
        return xml(false, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Login page").el("language", "en").el("error_msg", error);
            languages(x);
            x.close("page");
        });
    }

    /** {@code <action>}: {@code lowerPrologue} for the answers the spec prints with {@code encoding="utf-8"}. */
    static Answer action(boolean broken, boolean lowerPrologue, String name, boolean ok, String message) {
        return xml(broken, false, (x, half) -> {
            if (lowerPrologue) {
                x.prologWithoutQuestionMark();
            } else {
                x.prolog();
            }
            x.open("action").el("name", name).el("status", ok ? "ok" : "failed").el("status_message", message)
                    .close("action");
        });
    }

    /** {@code <page><error>text</error></page>}: User was not found, Incorrect hash. */
    static Answer error(String text) {
        return xml(false, false, (x, half) -> x.prolog().open("page").el("error", text).close("page"));
    }

    private static Answer errorPage(boolean broken, String pagename, String error) {
        return xml(broken, false, (x, half) -> x.prolog().open("page").el("pagename", pagename)
                .el("language", "en").el("error_msg", error).close("page"));
    }

    private static void languages(MorXml x) throws IOException {
        x.open("aval_languages").el("language", "en").el("language", "ru").close("aval_languages");
    }

    private static Answer file(String contentType, String filename, byte[] bytes) {
        return new Answer(200, contentType, Map.of("Content-Disposition", "attachment; filename=" + filename),
                (out, half) -> out.write(bytes), false);
    }

    // ---- dispatch -----------------------------------------------------------------------------------------------

    Answer handle(MorOperation op, Req req, MorUser u, boolean broken) throws IOException {
        return switch (op) {
            case LOGIN_FORM -> loginPage("");
            case LOGIN -> throw new IllegalStateException("login is the simulator's");
            case MAIN -> main(u);
            case PERSONAL_DETAILS -> personalDetails(u);
            case UPDATE_PERSONAL_DETAILS -> updatePersonalDetails(req, u);
            case DEVICES -> devices(u, broken);
            case CALLFLOW -> callflow(req, u);
            case CALLFLOW_EDIT -> callflowEdit(req, u, broken);
            case CALLFLOW_UPDATE -> callflowUpdate(req, u);
            case RATES, CHANGE_CURRENCY -> rates(req, u, broken);
            case DESTINATIONS -> destinations(req);
            case RATES_PDF, RATES_CSV -> ratesExport(op, req, u);
            case PAYMENTS -> payments(u);
            case INVOICES -> invoices(u, broken);
            case SUBSCRIPTIONS -> subscriptions(u, broken);
            case CALLS, CALLS_PERIOD -> calls(req, u, broken);
            case CALLS_PDF, CALLS_CSV -> callsExport(op, req, u);
            case NEW_CALLS -> newCalls(u, broken);
            case MISSED_CALLS, MISSED_CALLS_PERIOD, PROCESS_CALL -> missedCalls(op, req, u, broken);
            case USER_STATS, USER_STATS_PERIOD -> userStats(req, u);
            case CLIS -> clis(u, broken);
            case ADD_CLI -> addCli(req, u);
            case PHONEBOOK -> phonebook(req, u, broken);
            case ADD_PHONEBOOK_ENTRY -> addPhonebookEntry(req, u);
            case DELETE_PHONEBOOK_ENTRY -> deletePhonebookEntry(req, u);
            case FAXES, FAXES_PERIOD -> faxes(req, u, broken);
            case CALLBACK -> {
                String failure = u.callback(req.param("src"), req.param("dst"), req.param("acc"));
                yield action(broken, true, "callback", failure == null,
                        failure == null ? "Callback activated" : failure);
            }
        };
    }

    /** Whether a {@code %userid%} path segment (absent: the session's user) names the user. */
    private static boolean ownUserSegment(Req req, MorUser u) {
        return req.segment() == null || req.segment().isEmpty() || req.segment().equals(Integer.toString(u.id()));
    }

    // ---- 2. main page -------------------------------------------------------------------------------------------

    private Answer main(MorUser u) {
        Instant now = clock.instant();
        long today = startOfDay(LocalDate.ofInstant(now, zone));
        long month = startOfDay(LocalDate.ofInstant(now, zone).withDayOfMonth(1));
        CallStore.Snapshot s = u.store().snapshot();
        int missedToday = 0;
        int missedTotal = 0;
        int monthCount = 0;
        long monthSeconds = 0;
        int dayCount = 0;
        long daySeconds = 0;
        for (int k = 0; k < s.size; k++) {
            int i = s.at(k);
            long d = s.date(i);
            if (s.missed(i)) {
                missedTotal++;
                if (d >= today) {
                    missedToday++;
                }
            }
            if (d >= month) {
                monthCount++;
                monthSeconds += s.duration(i);
            }
            if (d >= today) {
                dayCount++;
                daySeconds += s.duration(i);
            }
        }
        String cur = u.currency();
        String balance = balance(u.balance(), cur);
        BigDecimal credit = u.credit();
        String creditText = credit == null ? "No Limit" : balance(credit, cur);
        int mt = missedToday;
        int ma = missedTotal;
        int mc = monthCount;
        long ms = monthSeconds;
        int dc = dayCount;
        long ds = daySeconds;
        return xml(false, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Main page").el("username", u.displayName())
                    .el("userid", u.id()).el("language", "en");
            x.open("stats").open("missed_calls").el("missed_today", mt).el("missed_total", ma).close("missed_calls");
            x.open("call_history");
            x.open("calls").el("call_counts", mc).el("period", "Month").el("call_duration", hms(ms)).close("calls");
            x.open("calls").el("call_counts", dc).el("period", "Day").el("call_duration", hms(ds)).close("calls");
            x.close("call_history");
            x.open("finances").el("account", u.account()).el("balance", balance).el("credit", creditText)
                    .close("finances");
            x.close("stats").close("page");
        });
    }

    // ---- 3. details ---------------------------------------------------------------------------------------------

    private Answer personalDetails(MorUser u) {
        Map<String, String> d = u.personalDetails();
        String cur = u.currency();
        BigDecimal credit = u.credit();
        return xml(false, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Personal details").el("language", "en").el("userid", u.id());
            x.open("details").open("main_details").el("alias", u.alias()).el("account", u.account())
                    .el("balance", balance(u.balance(), cur))
                    .el("credit", credit == null ? "No Limit" : balance(credit, cur)).close("main_details");
            x.open("other_details");
            for (String name : MorUser.EDITABLE_DETAILS.subList(0, 8)) {
                x.el(name, d.get(name));
            }
            x.close("other_details").open("registration");
            for (String name : MorUser.EDITABLE_DETAILS.subList(8, 18)) {
                x.el(name, d.get(name));
            }
            x.close("registration").close("details").close("page");
        });
    }

    private Answer updatePersonalDetails(Req req, MorUser u) {
        if (!ownUserSegment(req, u)) {
            return action(false, false, "edit_personal", false, "User was not found");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : MorUser.EDITABLE_DETAILS) {
            if (req.params().containsKey(name)) {
                values.put(name, req.param(name));
            }
        }
        String failure = u.updateDetails(values);
        return action(false, false, "edit_personal", failure == null,
                failure == null ? "Personal details changed" : failure);
    }

    // ---- 4. devices, 5. call flow -------------------------------------------------------------------------------

    private Answer devices(MorUser u, boolean broken) {
        List<Device> devices = u.devices();
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Devices").el("language", "en").el("userid", u.id())
                    .open("devices");
            for (Device d : devices) {
                String cid = "\"" + d.extension() + "\" <" + d.extension() + ">";
                x.open("device").el("acc", d.id()).el("description", d.description()).el("type", d.type())
                        .el("extension", d.extension()).el("username", d.username()).el("password", d.password());
                if (broken) {
                    x.raw("<cid>" + MorXml.brokenEntities(cid) + "</cid>");
                } else {
                    x.el("cid", cid);
                }
                x.el("last_time_registered", dateTime.format(d.lastRegistered())).close("device");
            }
            x.close("devices").close("page");
        });
    }

    private static Device device(MorUser u, String id) {
        try {
            return id == null ? null : u.device(Integer.parseInt(id.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Answer callflow(Req req, MorUser u) {
        Device d = device(u, req.segment());
        if (d == null) {
            return errorPage(false, "Call Flow", "Device was not found");
        }
        List<String[]> states = new ArrayList<>();
        MorUser.CALL_STATES.forEach((cft, state) -> states.add(new String[] {state, u.flowText(d.id(), cft)}));
        return xml(false, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Call Flow").el("language", "en").el("userid", u.id());
            x.open("device").el("device_id", d.id()).el("device_description", d.name())
                    .el("device_icon", d.icon()).open("callflows");
            for (String[] s : states) {
                x.open("callflow").el("call_state", s[0]).el("callflow_action", s[1]).close("callflow");
            }
            x.close("callflows").close("device").close("page");
        });
    }

    private Answer callflowEdit(Req req, MorUser u, boolean broken) {
        Device d = device(u, req.segment());
        if (d == null) {
            return errorPage(broken, "Call State", "Device was not found");
        }
        String cft = req.param("cft");
        String state = cft == null ? null : MorUser.CALL_STATES.get(cft);
        if (state == null) {
            return errorPage(broken, "Call State", "Unknown call flow type");
        }
        List<Device> others = u.devices().stream().filter(o -> o.id() != d.id() && !o.fax()).toList();
        List<Device> faxes = u.devices().stream().filter(Device::fax).toList();
        String line = "++++++++++++++++++++++++++++++++++++++++++++++";
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Call State").el("language", "en").el("userid", u.id());
            x.open("callflow").el("device_id", d.id()).el("device_description", d.name())
                    .el("device_icon", d.icon()).el("call_state", state).open("actions");
            x.filler(line).filler("+ Forward action").filler(line);
            x.open("action").el("priority", 1).el("action_id", 2).open("aval_devices");
            for (Device o : others) {
                x.open("device").el("device_id", o.id()).el("device_name", o.name()).close("device");
            }
            x.filler(".....").close("aval_devices").close("action");
            x.filler(line).filler("+ Voicemail").filler(line);
            x.open("action").el("priority", 1).el("action_id", 3).close("action");
            x.filler(line).filler("+ Faxdetect").filler(line);
            x.open("action").el("priority", 1).el("action_id", 4).open("aval_devices");
            for (Device o : faxes) {
                x.open("device").el("device_id", o.id()).el("device_name", o.name()).close("device");
            }
            x.filler(".....").close("aval_devices").close("action");
            x.filler(line);
            x.close("actions").close("callflow").close("page");
        });
    }

    private Answer callflowUpdate(Req req, MorUser u) {
        Device d = device(u, req.segment());
        if (d == null) {
            return updated(false, "Device was not found");
        }
        String cft = req.param("cft");
        if (cft == null || !MorUser.CALL_STATES.containsKey(cft)) {
            return updated(false, "Unknown call flow type");
        }
        String action = req.param("cf_action") == null ? "" : req.param("cf_action").toLowerCase(Locale.ROOT);
        String what = req.param("whattodo") == null ? "" : req.param("whattodo");
        Flow flow;
        switch (what) {
            case "change_local_device" -> {
                Device target = device(u, req.param("deviceid"));
                if (!action.isEmpty() && !action.equals("forward")) {
                    return updated(false, "Unknown action");
                }
                if (target == null || target.id() == d.id() || target.fax()) {
                    return updated(false, "Device was not found");
                }
                flow = new Flow(FlowAction.FORWARD, target.id(), null);
            }
            case "change_external_device" -> {
                String number = req.param("ext_number");
                if (!action.isEmpty() && !action.equals("forward")) {
                    return updated(false, "Unknown action");
                }
                if (number == null || !number.matches("\\+?[0-9]{2,20}")) {
                    return updated(false, "Invalid number");
                }
                flow = new Flow(FlowAction.FORWARD, 0, number);
            }
            case "change_fax_device" -> {
                Device target = device(u, req.param("deviceid"));
                if (!action.isEmpty() && !Set.of("forward", "faxdetect", "fax_detect").contains(action)) {
                    return updated(false, "Unknown action");
                }
                if (target == null || !target.fax()) {
                    return updated(false, "Fax device was not found");
                }
                flow = new Flow(FlowAction.FAXDETECT, target.id(), null);
            }
            case "change_action", "" -> {
                switch (action) {
                    case "", "empty", "none" -> flow = Flow.EMPTY;
                    case "forward" -> flow = new Flow(FlowAction.FORWARD, 0, null);
                    case "voicemail" -> flow = new Flow(FlowAction.VOICEMAIL, 0, null);
                    case "faxdetect", "fax_detect" -> flow = new Flow(FlowAction.FAXDETECT, 0, null);
                    default -> {
                        return updated(false, "Unknown action");
                    }
                }
            }
            default -> {
                return updated(false, "Unknown action");
            }
        }
        u.setFlow(d.id(), cft, flow);
        return updated(true, "Callflow updated");
    }

    private static Answer updated(boolean ok, String message) {
        return action(false, false, "update_callflow", ok, message);
    }

    // ---- 6. rates, destinations, exports ------------------------------------------------------------------------

    private Answer rates(Req req, MorUser u, boolean broken) {
        String error = "";
        if (req.has("currency") && !u.changeCurrency(req.param("currency"))) {
            error = "Currency " + req.param("currency") + " is not available";
        }
        String cur = u.currency();
        BigDecimal vat = u.vatPercent();
        List<String[]> rows = rateRows(cur, vat);
        String err = error;
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Payments").el("language", "en");
            if (!err.isEmpty()) {
                x.el("error_msg", err);
            }
            x.el("userid", u.id()).el("currency", cur).el("vat_percent", plain(vat)).open("aval_currencies");
            for (String c : MorData.CURRENCIES.keySet()) {
                x.el("currency", c);
            }
            x.close("aval_currencies").open("rates");
            for (String[] r : rows) {
                x.open("rate").el("ratename", r[0]).el("rateicon", r[1]).el("ratetype", r[2]).el("ratecost", r[3])
                        .el("rate_vat_cost", r[4]).close("rate");
            }
            x.filler(".......").close("rates").close("page");
        });
    }

    /** ratename, rateicon, ratetype, ratecost, rate_vat_cost: one per group and type, in the user's currency. */
    private static List<String[]> rateRows(String currency, BigDecimal vat) {
        List<String[]> rows = new ArrayList<>();
        BigDecimal perUsd = MorData.CURRENCIES.get(currency);
        for (MorData.Group g : MorData.GROUPS) {
            for (String type : List.of("FIX", "MOB")) {
                g.directions().stream().filter(d -> d.type().equals(type)).findFirst().ifPresent(d -> {
                    BigDecimal cost = d.rateUsd().multiply(perUsd);
                    BigDecimal withVat = cost.multiply(BigDecimal.ONE.add(vat.movePointLeft(2)));
                    rows.add(new String[] {g.name(), g.icon(), type, plain(cost.setScale(4, RoundingMode.HALF_UP)),
                            plain(withVat.setScale(4, RoundingMode.HALF_UP))});
                });
            }
        }
        return rows;
    }

    private Answer destinations(Req req) {
        MorData.Group g;
        try {
            g = req.segment() == null ? null : MorData.group(Integer.parseInt(req.segment().trim()));
        } catch (NumberFormatException e) {
            g = null;
        }
        if (g == null) {
            return errorPage(false, "Destinations", "Destination group was not found");
        }
        MorData.Group group = g;
        return xml(false, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Destinations").el("language", "en")
                    .el("groupname", group.name()).el("groupicon", group.icon()).open("directions");
            for (MorData.Direction d : group.directions()) {
                x.open("direction").el("details", d.details()).el("prefix", d.prefix()).el("dir_code", d.type())
                        .close("direction");
            }
            x.close("directions").close("page");
        });
    }

    private Answer ratesExport(MorOperation op, Req req, MorUser u) {
        if (!ownUserSegment(req, u)) {
            return error("User was not found");
        }
        List<String[]> rows = rateRows(u.currency(), u.vatPercent());
        if (op == MorOperation.RATES_CSV) {
            StringBuilder b = new StringBuilder("ratename,ratetype,ratecost,rate_vat_cost\n");
            for (String[] r : rows) {
                b.append(csv(r[0])).append(',').append(r[2]).append(',').append(r[3]).append(',').append(r[4])
                        .append('\n');
            }
            return file("text/csv; charset=utf-8", "personal_rates_" + u.id() + ".csv",
                    b.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            lines.add(r[0] + "  " + r[2] + "  " + r[3] + "  " + r[4] + " " + u.currency());
        }
        return file("application/pdf", "personal_rates_" + u.id() + ".pdf",
                Pdf.of("Personal rates of " + u.displayName(), lines));
    }

    // ---- 7. payments, 8. invoices, 9. subscriptions -------------------------------------------------------------

    private Answer payments(MorUser u) {
        List<MorUser.Payment> list = u.payments();
        return xml(false, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Payments").el("language", "en").el("userid", u.id())
                    .open("payments");
            for (MorUser.Payment p : list) {
                x.open("payment").el("payment_date", dateTime.format(p.date()))
                        .el("confirmed_date", p.confirmed() == null ? "" : dateTime.format(p.confirmed()))
                        .el("payment_type", p.type()).el("amount", plain(p.amount()))
                        .el("vat", p.vatPercent().setScale(1, RoundingMode.HALF_UP).toPlainString())
                        .el("amount_vat", plain(p.amountWithVat())).el("currency", p.currency())
                        .el("completed", p.completed() ? "Yes" : "No").close("payment");
            }
            x.close("payments").close("page");
        });
    }

    private Answer invoices(MorUser u, boolean broken) {
        List<MorUser.Invoice> list = u.invoices();
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Invoices").el("language", "en").el("userid", u.id())
                    .open("invoices");
            for (MorUser.Invoice i : list) {
                x.open("invoice").el("user", u.username()).el("inv_number", i.number())
                        .el("period_start", dateTime.format(i.periodStart()))
                        .el("period_end", dateTime.format(i.periodEnd()))
                        .el("issue_date", dateTime.format(i.issued())).el("paid", i.paidDate() != null ? "Yes" : "No")
                        .el("paid_date", i.paidDate() == null ? "" : dateTime.format(i.paidDate()))
                        .el("price", plain(i.price()))
                        .el("vat", i.vatPercent().setScale(1, RoundingMode.HALF_UP).toPlainString())
                        .el("price_vat", plain(i.priceWithVat())).close("invoice");
            }
            x.filler(".....").close("invoices").close("page");
        });
    }

    private Answer subscriptions(MorUser u, boolean broken) {
        List<MorUser.Subscription> list = u.subscriptions();
        String cur = u.currency();
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "User subscriptions").el("language", "en").el("userid", u.id())
                    .open("subscriptions");
            for (MorUser.Subscription s : list) {
                x.open("subscription").el("service", s.service()).el("date_added", dateTime.format(s.added()))
                        .el("acivation_start", dateTime.format(s.activationStart()))
                        .el("acivation_end", dateTime.format(s.activationEnd()))
                        .el("price", balance(s.price(), cur)).close("subscription");
            }
            x.filler("......").close("subscriptions").close("page");
        });
    }

    // ---- 10. calls ----------------------------------------------------------------------------------------------

    /** The filters of the calls page and its exports. */
    private record CallFilter(String status, String direction, int device, String error) {
        boolean matches(CallStore.Snapshot s, int i) {
            if (device != 0 && s.device(i) != device) {
                return false;
            }
            if (direction.equals("outgoing") != s.outgoing(i) && !direction.equals("all")) {
                return false;
            }
            return switch (status) {
                case "answered" -> MorCall.ANSWERED.equals(s.cause(i));
                case "no_answer" -> MorCall.NO_ANSWER.equals(s.cause(i));
                case "busy" -> MorCall.BUSY.equals(s.cause(i));
                case "failed" -> MorCall.FAILED.equals(s.cause(i));
                default -> true;
            };
        }
    }

    private static CallFilter callFilter(String directionParam, String typeParam, String deviceParam, MorUser u) {
        String direction = directionParam == null || directionParam.isEmpty() ? "all"
                : directionParam.toLowerCase(Locale.ROOT);
        if (!Set.of("all", "outgoing", "incoming").contains(direction)) {
            return new CallFilter("all", "all", 0, "Invalid direction");
        }
        String status = typeParam == null || typeParam.isEmpty() ? "all"
                : typeParam.toLowerCase(Locale.ROOT).replace(' ', '_');
        if (status.equals("outgoing") || status.equals("incoming")) {
            if (!direction.equals("all") && !direction.equals(status)) {
                return new CallFilter("all", "all", 0, "Invalid calltype");
            }
            direction = status;
            status = "all";
        }
        if (!Set.of("all", "answered", "no_answer", "busy", "failed").contains(status)) {
            return new CallFilter("all", "all", 0, "Invalid calltype");
        }
        int device = 0;
        if (deviceParam != null && !deviceParam.isEmpty() && !deviceParam.equalsIgnoreCase("all")) {
            Device d = device(u, deviceParam);
            if (d == null) {
                return new CallFilter("all", "all", 0, "Device was not found");
            }
            device = d.id();
        }
        return new CallFilter(status, direction, device, null);
    }

    private Period period(String startText, String endText) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        long start = startOfDay(today);
        long end = startOfDay(today.plusDays(1)) - 1;
        try {
            if (startText != null && !startText.isEmpty()) {
                start = Long.parseLong(startText);
            }
        } catch (NumberFormatException e) {
            return new Period(startOfDay(today), end, "Invalid period_start");
        }
        try {
            if (endText != null && !endText.isEmpty()) {
                end = Long.parseLong(endText);
            }
        } catch (NumberFormatException e) {
            return new Period(startOfDay(today), startOfDay(today.plusDays(1)) - 1, "Invalid period_end");
        }
        return new Period(start, end, null);
    }

    /** The column indices of the calls in the period that match, in date order. */
    private static int[] select(CallStore.Snapshot s, Period p, CallFilter f) {
        if (p.error() != null || f.error() != null || p.end() < p.start()) {
            return new int[0];
        }
        int from = s.lowerBound(p.start());
        int to = s.upperBound(p.end());
        int[] out = new int[Math.max(0, to - from)];
        int n = 0;
        for (int k = from; k < to; k++) {
            int i = s.at(k);
            if (f.matches(s, i)) {
                out[n++] = i;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private Answer calls(Req req, MorUser u, boolean broken) {
        Period p = period(req.param("period_start"), req.param("period_end"));
        CallFilter f = callFilter(req.param("direction"), req.param("calltype"), req.param("device"), u);
        CallStore.Snapshot s = u.store().snapshot();
        int[] rows = select(s, p, f);
        String cur = u.currency();
        BigDecimal perUsd = MorData.CURRENCIES.get(cur);
        String error = p.error() != null ? p.error() : f.error() != null ? f.error() : "";
        return xml(broken, true, (x, half) -> {
            x.prolog().open("page").el("pagename", "Calls").el("language", "en").el("error_msg", error)
                    .el("userid", u.id()).el("show_device", f.device() == 0 ? "all" : Integer.toString(f.device()))
                    .el("status", f.status()).el("direction", f.direction()).el("total_calls", rows.length)
                    .el("username", u.displayName()).el("currency", cur);
            languages(x);
            x.open("calls_stat").open("period").el("period_start", formatEpoch(p.start()))
                    .el("period_end", formatEpoch(p.end())).close("period").open("calls");
            int n = half ? rows.length / 2 : rows.length;
            DateCache dates = new DateCache();
            for (int r = 0; r < n; r++) {
                int i = rows[r];
                x.open("call").el("date", dates.format(s.date(i))).el("called_from", s.from(i))
                        .el("called_to", s.to(i)).el("destination", s.destination(i))
                        .el("duration", hms(s.duration(i))).el("hangup_cause", s.cause(i))
                        .el("price", price(s.priceUnits(i), perUsd)).close("call");
            }
            if (half) {
                return;
            }
            x.filler("...........").close("calls").close("calls_stat").close("page");
        });
    }

    private Answer callsExport(MorOperation op, Req req, MorUser u) {
        if (!ownUserSegment(req, u)) {
            return error("User was not found");
        }
        Period p = period(req.param("date_from"), req.param("date_till"));
        CallFilter f = callFilter(null, req.param("call_type"), null, u);
        String error = p.error() != null ? p.error() : f.error();
        if (error != null) {
            return errorPage(false, "Calls", error.replace("period_start", "date_from")
                    .replace("period_end", "date_till").replace("calltype", "call_type"));
        }
        CallStore.Snapshot s = u.store().snapshot();
        int[] rows = select(s, p, f);
        BigDecimal perUsd = MorData.CURRENCIES.get(u.currency());
        String name = "calls_" + u.id() + "_" + date.format(Instant.ofEpochSecond(p.start())) + "_"
                + date.format(Instant.ofEpochSecond(p.end()));
        if (op == MorOperation.CALLS_CSV) {
            return new Answer(200, "text/csv; charset=utf-8",
                    Map.of("Content-Disposition", "attachment; filename=" + name + ".csv"), (out, half) -> {
                        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
                        w.write("date,called_from,called_to,destination,duration,hangup_cause,price\n");
                        DateCache dates = new DateCache();
                        int n = half ? rows.length / 2 : rows.length;
                        for (int r = 0; r < n; r++) {
                            int i = rows[r];
                            w.write(dates.format(s.date(i)) + "," + csv(s.from(i)) + "," + csv(s.to(i)) + ","
                                    + csv(s.destination(i)) + "," + hms(s.duration(i)) + "," + csv(s.cause(i)) + ","
                                    + price(s.priceUnits(i), perUsd) + "\n");
                        }
                        w.flush();
                    }, true);
        }
        List<String> lines = new ArrayList<>(rows.length);
        DateCache dates = new DateCache();
        for (int i : rows) {
            lines.add(dates.format(s.date(i)) + "  " + s.from(i) + " -> " + s.to(i) + "  " + s.destination(i) + "  "
                    + hms(s.duration(i)) + "  " + s.cause(i) + "  " + price(s.priceUnits(i), perUsd));
        }
        return file("application/pdf", name + ".pdf", Pdf.of("Calls of " + u.displayName() + " from "
                + formatEpoch(p.start()) + " to " + formatEpoch(p.end()) + " (" + u.currency() + ")", lines));
    }

    // ---- 11. new calls ------------------------------------------------------------------------------------------

    private Answer newCalls(MorUser u, boolean broken) {
        long since = clock.instant().minus(newCallsWindow).getEpochSecond();
        CallStore.Snapshot s = u.store().snapshot();
        int[] rows = new int[s.size];
        int n = 0;
        for (int k = 0; k < s.size; k++) {
            int i = s.at(k);
            if (s.arrived(i) >= since) {
                rows[n++] = i;
            }
        }
        int[] list = Arrays.copyOf(rows, n);
        return xml(broken, true, (x, half) -> {
            x.prolog().open("page").el("pagename", "Calls").el("language", "en").el("error_msg", "")
                    .el("userid", u.id()).open("calls_stat").el("total_calls", list.length).open("calls");
            int m = half ? list.length / 2 : list.length;
            DateCache dates = new DateCache();
            for (int r = 0; r < m; r++) {
                int i = list[r];
                x.open("call").el("date", dates.format(s.date(i))).el("called_from", s.from(i))
                        .el("called_to", s.to(i)).el("duration", hms(s.duration(i))).el("hangup_cause", s.cause(i))
                        .close("call");
            }
            if (half) {
                return;
            }
            x.filler("...........").close("calls").close("calls_stat").close("page");
        });
    }

    // ---- 12. missed calls ---------------------------------------------------------------------------------------

    private Answer missedCalls(MorOperation op, Req req, MorUser u, boolean broken) {
        String error = "";
        if (op == MorOperation.PROCESS_CALL) {
            String value = req.param("processed");
            boolean processed = value == null || value.isEmpty() || !(value.equals("0") || value.equalsIgnoreCase("false"));
            long callId;
            try {
                callId = Long.parseLong(req.param("call_id") == null ? "" : req.param("call_id"));
            } catch (NumberFormatException e) {
                callId = -1;
            }
            MorCall c = callId < 0 ? null : u.call(callId);
            if (c == null || !c.missed() || !u.setProcessed(callId, processed)) {
                error = "Call was not found";
            }
        }
        Period p = period(req.param("period_start"), req.param("period_end"));
        if (error.isEmpty() && p.error() != null) {
            error = p.error();
        }
        CallStore.Snapshot s = u.store().snapshot();
        List<Integer> rows = new ArrayList<>();
        if (p.error() == null && p.end() >= p.start()) {
            for (int k = s.lowerBound(p.start()), to = s.upperBound(p.end()); k < to; k++) {
                if (s.missed(s.at(k))) {
                    rows.add(s.at(k));
                }
            }
        }
        java.util.Set<Long> processedIds = u.processedIds();
        String err = error;
        return xml(broken, true, (x, half) -> {
            x.prolog().open("page").el("pagename", "Missed calls").el("language", "en").el("error_msg", err)
                    .el("userid", u.id()).el("missed_total", rows.size()).el("username", u.displayName());
            languages(x);
            x.open("calls_stat").open("period").el("period_start", formatEpoch(p.start()))
                    .el("period_end", formatEpoch(p.end())).close("period").open("calls");
            int m = half ? rows.size() / 2 : rows.size();
            for (int r = 0; r < m; r++) {
                int i = rows.get(r);
                String flag = processedIds.contains(s.id(i)) ? "1" : "0";
                x.open("call").el("call_id", s.id(i)).el("date", formatEpoch(s.date(i))).el("called_from", s.from(i))
                        .el("called_to", s.to(i)).el("duration", hms(s.duration(i))).el("hangup_cause", s.cause(i));
                if (x.broken) {
                    x.raw("<<processed>" + flag + "</processed>");
                } else {
                    x.el("processed", flag);
                }
                x.close("call");
            }
            if (half) {
                return;
            }
            x.filler("...........").close("calls").close("calls_stat").close("page");
        });
    }

    // ---- 13. detailed statistics --------------------------------------------------------------------------------

    private Answer userStats(Req req, MorUser u) {
        Period p = period(req.param("period_start"), req.param("period_end"));
        LocalDate first = LocalDate.ofInstant(Instant.ofEpochSecond(p.start()), zone);
        LocalDate last = LocalDate.ofInstant(Instant.ofEpochSecond(Math.max(p.start(), p.end())), zone);
        String error = p.error() != null ? p.error() : "";
        if (error.isEmpty() && ChronoUnit.DAYS.between(first, last) >= MAX_STAT_DAYS) {
            error = "Period is too long";
        }
        Instant now = clock.instant();
        long today = startOfDay(LocalDate.ofInstant(now, zone));
        long month = startOfDay(LocalDate.ofInstant(now, zone).withDayOfMonth(1));
        CallStore.Snapshot s = u.store().snapshot();
        int[] todayCounts = new int[2];
        int[] monthCounts = new int[2];
        int[][] byKind = new int[2][4]; // incoming, outgoing x answered, no_answer, busy, failed
        Map<LocalDate, long[]> byDate = new LinkedHashMap<>(); // count, seconds, answered
        boolean listDays = error.isEmpty();
        if (listDays) {
            for (LocalDate d = last; !d.isBefore(first); d = d.minusDays(1)) {
                byDate.put(d, new long[3]);
            }
        }
        for (int k = 0; k < s.size; k++) {
            int i = s.at(k);
            long d = s.date(i);
            boolean answered = MorCall.ANSWERED.equals(s.cause(i));
            if (d >= today) {
                todayCounts[0]++;
                todayCounts[1] += answered ? 1 : 0;
            }
            if (d >= month) {
                monthCounts[0]++;
                monthCounts[1] += answered ? 1 : 0;
            }
            if (listDays && d >= p.start() && d <= p.end()) {
                int kind = switch (s.cause(i)) {
                    case MorCall.ANSWERED -> 0;
                    case MorCall.NO_ANSWER -> 1;
                    case MorCall.BUSY -> 2;
                    default -> 3;
                };
                byKind[s.outgoing(i) ? 1 : 0][kind]++;
                long[] day = byDate.get(LocalDate.ofInstant(Instant.ofEpochSecond(d), zone));
                if (day != null) {
                    day[0]++;
                    day[1] += s.duration(i);
                    day[2] += answered ? 1 : 0;
                }
            }
        }
        int newCalls = 0;
        long since = now.minus(newCallsWindow).getEpochSecond();
        for (int k = 0; k < s.size; k++) {
            if (s.arrived(s.at(k)) >= since) {
                newCalls++;
            }
        }
        String err = error;
        int nc = newCalls;
        return xml(false, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Detailed statistics").el("language", "en");
            if (!err.isEmpty()) {
                x.el("error_msg", err);
            }
            x.el("userid", u.id()).el("start_date", first.toString()).el("end_date", last.toString());
            x.open("details").open("main_details").el("todays_normative", percent(todayCounts[1], todayCounts[0]))
                    .el("months_normative", percent(monthCounts[1], monthCounts[0])).el("new_calls", nc)
                    .close("main_details");
            x.open("calls");
            String[] dirs = {"incoming", "outgoing"};
            for (int dir = 0; dir < 2; dir++) {
                x.open(dirs[dir]).el("answered", byKind[dir][0]).el("no_answer", byKind[dir][1])
                        .el("busy", byKind[dir][2]).el("failed", byKind[dir][3]).close(dirs[dir]);
            }
            x.close("calls").open("detailed_by_date");
            for (Map.Entry<LocalDate, long[]> e : byDate.entrySet()) {
                long[] v = e.getValue();
                x.open("call_by_date").el("date", e.getKey().toString()).el("calls_count", v[0])
                        .el("duration", minutes(v[1])).el("avg_time", v[0] == 0 ? "0" : minutes(v[1] / (double) v[0]))
                        .el("calls_normative", percent(v[2], v[0])).close("call_by_date");
            }
            x.close("detailed_by_date").close("details").close("page");
        });
    }

    // ---- 14. CLIs -----------------------------------------------------------------------------------------------

    private Answer clis(MorUser u, boolean broken) {
        List<Device> devices = u.devices();
        List<MorUser.Cli> list = u.clis();
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "CallerIDs").el("language", "en").el("userid", u.id())
                    .open("aval_devices");
            for (Device d : devices) {
                x.elWithAttribute("device", "id", Integer.toString(d.id()), d.name());
            }
            x.close("aval_devices").open("clis");
            for (MorUser.Cli c : list) {
                Device d = u.device(c.deviceId());
                x.open("cli").el("cli_id", c.id()).el("device", d == null ? "" : d.name())
                        .el("device_icon", d == null ? "" : d.icon()).el("cli_name", c.number())
                        .el("cli_desc", c.description()).el("added_at", dateTime.format(c.addedAt())).close("cli");
            }
            x.filler(".....").close("clis").close("page");
        });
    }

    private Answer addCli(Req req, MorUser u) {
        Device d = device(u, req.param("device_id"));
        MorUser.Cli c = d == null ? null : u.addCli(d.id(), req.param("cli"), req.param("description"));
        return action(false, false, "add_cli", c != null, c != null ? "CLI created" : "CLI not created");
    }

    // ---- 15. phonebook ------------------------------------------------------------------------------------------

    private Answer phonebook(Req req, MorUser u, boolean broken) {
        if (!ownUserSegment(req, u)) {
            return error("User was not found");
        }
        List<MorUser.PhonebookEntry> list = u.phonebook();
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Phonebook").el("language", "en").el("userid", u.id())
                    .open("entries");
            for (MorUser.PhonebookEntry e : list) {
                x.open("entry").el("entry_number", e.number()).el("entry_name", e.name())
                        .el("entry_added", dateTime.format(e.added())).close("entry");
            }
            x.filler("...........").close("entries").close("page");
        });
    }

    private Answer addPhonebookEntry(Req req, MorUser u) {
        if (!ownUserSegment(req, u)) {
            return error("User was not found");
        }
        String number = req.param("number");
        String name = req.param("name");
        if (number == null || number.isEmpty() || name == null || name.isEmpty()) {
            return action(false, false, "add_phonebook_entry", false, "Please fill all fields");
        }
        if (!number.matches("\\+?[0-9]{2,20}")) {
            return action(false, false, "add_phonebook_entry", false, "Number is not valid");
        }
        u.addPhonebookEntry(number, name);
        return action(false, false, "add_phonebook_entry", true, "Record added");
    }

    private Answer deletePhonebookEntry(Req req, MorUser u) {
        String id = req.segment() != null && !req.segment().isEmpty() ? req.segment() : req.param("entryid");
        boolean ok = u.deletePhonebookEntry(id == null ? null : id.trim());
        return action(false, false, "delete_phonebook_entry", ok,
                ok ? "Record deleted" : "We're sorry, but something went wrong");
    }

    // ---- 16. faxes ----------------------------------------------------------------------------------------------

    private Answer faxes(Req req, MorUser u, boolean broken) {
        if (!ownUserSegment(req, u)) {
            return error("User was not found");
        }
        Period p = period(req.param("period_start"), req.param("period_end"));
        String error = p.error() != null ? p.error() : "";
        String status = req.param("fax_status") == null || req.param("fax_status").isEmpty() ? "all"
                : req.param("fax_status").toLowerCase(Locale.ROOT);
        if (error.isEmpty() && !Set.of("all", "received", "failed").contains(status)) {
            error = "Invalid fax_status";
        }
        String deviceParam = req.param("device_id");
        int device = 0;
        if (error.isEmpty() && deviceParam != null && !deviceParam.isEmpty() && !deviceParam.equalsIgnoreCase("all")) {
            Device d = device(u, deviceParam);
            if (d == null || !d.fax()) {
                error = "Device was not found";
            } else {
                device = d.id();
            }
        }
        List<MorFax> list = new ArrayList<>();
        if (error.isEmpty()) {
            for (MorFax f : u.faxes()) {
                long t = f.receiveTime().getEpochSecond();
                if (t >= p.start() && t <= p.end() && (device == 0 || f.deviceId() == device)
                        && (status.equals("all") || f.status().equalsIgnoreCase(status))) {
                    list.add(f);
                }
            }
        }
        String err = error;
        int dev = device;
        return xml(broken, false, (x, half) -> {
            x.prolog().open("page").el("pagename", "Faxes").el("language", "en").el("error_msg", err)
                    .el("userid", u.id()).el("show_device", dev == 0 ? "all" : Integer.toString(dev))
                    .el("username", u.displayName());
            languages(x);
            x.open("faxes").open("period").el("period_start", formatEpoch(p.start()))
                    .el("period_end", formatEpoch(p.end())).close("period");
            for (MorFax f : list) {
                x.open("fax").el("device", f.device()).el("filename", f.filename())
                        .el("receive_time", dateTime.format(f.receiveTime())).el("sender", f.sender())
                        .el("status", f.status()).close("fax");
            }
            x.filler("...........").close("faxes").close("page");
        });
    }

    // ---- formats ------------------------------------------------------------------------------------------------

    private long startOfDay(LocalDate d) {
        return d.atStartOfDay(zone).toEpochSecond();
    }

    private String formatEpoch(long epochSecond) {
        return dateTime.format(Instant.ofEpochSecond(epochSecond));
    }

    /** Formats dates of a page; the same second twice in a row is not formatted again. */
    private final class DateCache {
        private long last = Long.MIN_VALUE;
        private String text;
        private final boolean utc = zone.normalized() instanceof ZoneOffset;
        private final ZoneOffset offset = utc ? (ZoneOffset) zone.normalized() : null;
        private final char[] buf = new char[19];

        String format(long epochSecond) {
            if (epochSecond != last) {
                last = epochSecond;
                if (utc) {
                    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
                    put(0, t.getYear(), 4);
                    buf[4] = '-';
                    put(5, t.getMonthValue(), 2);
                    buf[7] = '-';
                    put(8, t.getDayOfMonth(), 2);
                    buf[10] = ' ';
                    put(11, t.getHour(), 2);
                    buf[13] = ':';
                    put(14, t.getMinute(), 2);
                    buf[16] = ':';
                    put(17, t.getSecond(), 2);
                    text = new String(buf);
                } else {
                    text = formatEpoch(epochSecond);
                }
            }
            return text;
        }

        private void put(int at, int value, int width) {
            for (int i = at + width - 1; i >= at; i--) {
                buf[i] = (char) ('0' + value % 10);
                value /= 10;
            }
        }
    }

    static String hms(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return (h < 10 ? "0" : "") + h + (m < 10 ? ":0" : ":") + m + (s < 10 ? ":0" : ":") + s;
    }

    private static String price(long unitsUsd, BigDecimal perUsd) {
        BigDecimal usd = BigDecimal.valueOf(unitsUsd, CallStore.PRICE_SCALE);
        BigDecimal v = perUsd.compareTo(BigDecimal.ONE) == 0 ? usd
                : usd.multiply(perUsd).setScale(CallStore.PRICE_SCALE, RoundingMode.HALF_UP);
        return plain(v);
    }

    /** A decimal without trailing zeros: {@code 100}, {@code 0.049}. */
    static String plain(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    /** An amount in USD shown in {@code currency}, to the cent: {@code 100 USD}. */
    static String balance(BigDecimal usd, String currency) {
        BigDecimal v = usd.multiply(MorData.CURRENCIES.get(currency)).setScale(2, RoundingMode.HALF_UP);
        return plain(v) + " " + currency;
    }

    private static String minutes(double seconds) {
        return plain(BigDecimal.valueOf(seconds / 60.0).setScale(2, RoundingMode.HALF_UP));
    }

    private static long percent(long part, long whole) {
        return whole == 0 ? 0 : Math.round(100.0 * part / whole);
    }

    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
